# Alice holds CX 2 and the wallboard license; licenses she gets from elsewhere (for example
# auto-licensing from her roles) are left alone.
resource "purecloud_user_license_assignment" "alice" {
  user_id     = "00000000-0000-4000-8000-000000000001" # for example genesyscloud_user.alice.id
  license_ids = ["cloudCX2", "wallboardUser"]
}

# Bob holds exactly CX 3: any other license is removed, and one added outside Terraform shows as drift.
resource "purecloud_user_license_assignment" "bob" {
  user_id     = "00000000-0000-4000-8000-000000000002"
  license_ids = ["cloudCX3"]
  exclusive   = true

  timeouts {
    create = "5m"
    update = "5m"
  }
}
