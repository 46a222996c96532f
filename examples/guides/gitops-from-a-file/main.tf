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
  # One row per (user, license): a reviewer sees each grant and each removal as one line.
  rows = csvdecode(file("${path.module}/licenses.csv"))

  # user id => the licenses of that user ("..." groups the rows of one user).
  licenses = { for row in local.rows : row.user_id => row.license_id... }
}

resource "purecloud_user_license_assignment" "user" {
  for_each = local.licenses

  user_id     = each.key
  license_ids = each.value
}
