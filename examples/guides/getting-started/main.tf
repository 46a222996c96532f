terraform {
  required_providers {
    purecloud = {
      source  = "purecloud-terraform/purecloud"
      version = "~> 0.1"
    }
  }
}

# Credentials and region come from GENESYSCLOUD_OAUTHCLIENT_ID, GENESYSCLOUD_OAUTHCLIENT_SECRET and
# GENESYSCLOUD_REGION, the variables the official Genesys Cloud provider reads too.
provider "purecloud" {}

# Which licenses the organization has, to pick ids from.
data "purecloud_license_definitions" "all" {}

# Alice holds CX 2 and the wallboard license. Licenses she holds for other reasons are left alone.
resource "purecloud_user_license_assignment" "alice" {
  user_id     = "00000000-0000-4000-8000-000000000001"
  license_ids = ["cloudCX2", "wallboardUser"]
}

output "available_licenses" {
  value = data.purecloud_license_definitions.all.definitions[*].id
}
