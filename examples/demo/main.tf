# The demo that `make demo` applies against the bundled mock Genesys Cloud. The provider reads
# its endpoint and credentials from PURECLOUD_API_URL, GENESYSCLOUD_OAUTHCLIENT_ID and
# GENESYSCLOUD_OAUTHCLIENT_SECRET, which the demo script sets.
terraform {
  required_providers {
    purecloud = {
      source  = "purecloud-terraform/purecloud"
      version = "~> 0.1"
    }
  }
}

provider "purecloud" {}

locals {
  # Seeded users of the mock: 00000000-0000-4000-8000-000000000001 and on.
  team = {
    alice = { user = 1, licenses = ["cloudCX2", "wallboardUser"] }
    bob   = { user = 2, licenses = ["cloudCX3"] }
    carol = { user = 3, licenses = ["cloudCX1"] }
    dave  = { user = 4, licenses = ["communicate", "collaborate"] }
  }
}

resource "purecloud_user_license_assignment" "team" {
  for_each = local.team

  user_id     = format("00000000-0000-4000-8000-%012d", each.value.user)
  license_ids = each.value.licenses
  # Bob's licenses are managed exclusively: anything else he is given is removed.
  exclusive = each.key == "bob"
}

data "purecloud_license_users" "wallboard" {
  license_id = "wallboardUser"
  depends_on = [purecloud_user_license_assignment.team]
}

output "who_holds_what" {
  description = "The licenses each team member holds through Terraform."
  value       = { for name, a in purecloud_user_license_assignment.team : name => sort(a.license_ids) }
}

output "wallboard_holders" {
  description = "Every user of the organization holding the wallboard license."
  value       = data.purecloud_license_users.wallboard.users[*].user_id
}
