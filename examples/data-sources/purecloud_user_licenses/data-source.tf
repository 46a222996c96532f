# Every license one user holds, however it was assigned.
data "purecloud_user_licenses" "alice" {
  user_id = "00000000-0000-4000-8000-000000000001" # for example genesyscloud_user.alice.id
}

output "alice_licenses" {
  value = data.purecloud_user_licenses.alice.license_ids
}
