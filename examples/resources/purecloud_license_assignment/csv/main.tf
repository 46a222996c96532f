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

  # license id => the rows of that license ("..." groups them).
  holders = { for row in local.rows : row.license_id => row... }
}

resource "purecloud_license_assignment" "license" {
  for_each = local.holders

  license_id = each.key
  # user id => name: the plan shows who joins or leaves. A user listed twice for one license
  # fails the plan ("Duplicate object key").
  users = { for row in each.value : row.user_id => row.name }
}
