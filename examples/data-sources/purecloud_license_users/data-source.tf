# Who holds the CX 3 license, across the whole organization.
data "purecloud_license_users" "cx3" {
  license_id = "cloudCX3"
}

# The licenses of a few named users.
data "purecloud_license_users" "team" {
  user_ids = [
    "00000000-0000-4000-8000-000000000001",
    "00000000-0000-4000-8000-000000000002",
  ]
}

output "cx3_holders" {
  value = data.purecloud_license_users.cx3.users[*].user_id
}
