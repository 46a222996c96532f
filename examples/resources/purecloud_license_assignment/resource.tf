# Every agent of the contact centre holds CX 2; users who hold it for other reasons are left alone.
resource "purecloud_license_assignment" "cx2" {
  license_id = "cloudCX2"
  # user id => a label only Terraform sees (here the email), so that a plan reads
  # + "00000000-0000-4000-8000-000000000002" = "bob@example.com"
  users = {
    "00000000-0000-4000-8000-000000000001" = "alice@example.com" # for example genesyscloud_user.alice.id
    "00000000-0000-4000-8000-000000000002" = "bob@example.com"
  }
}

# Exactly these users hold the wallboard license: it is removed from every other holder, and a
# holder added outside Terraform shows as drift.
resource "purecloud_license_assignment" "wallboard" {
  license_id    = "wallboardUser"
  users         = { "00000000-0000-4000-8000-000000000003" = "carol@example.com" }
  authoritative = true

  timeouts {
    create = "10m"
    update = "10m"
  }
}
