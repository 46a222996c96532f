# One purecloud_license_assignment per license, straight from an HR export: one row per
# (user, license). Thousands of rows stay a handful of resources, so plans stay fast.
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
  rows = csvdecode(file("${path.module}/agents.csv"))

  # license id => the users who must hold it ("..." groups the rows of one license).
  holders = { for row in local.rows : row.license_id => row.user_id... }
}

resource "purecloud_license_assignment" "license" {
  for_each = local.holders

  license_id = each.key
  user_ids   = each.value
}
