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
  # Who may hold the CX 3 license: the users Terraform gives it to.
  cx3 = {
    "00000000-0000-4000-8000-000000000002" = "bob"
  }
}

resource "purecloud_user_license_assignment" "cx3" {
  for_each = local.cx3

  user_id     = each.key
  license_ids = ["cloudCX3"]
}

# A plan shows drift on the users Terraform manages. A check block also watches everyone else:
# every plan warns when a user outside Terraform holds CX 3.
data "purecloud_license_users" "cx3" {
  license_id = "cloudCX3"
}

locals {
  cx3_outside_terraform = setsubtract(data.purecloud_license_users.cx3.users[*].user_id, keys(local.cx3))
}

check "cx3_only_through_terraform" {
  assert {
    condition     = length(local.cx3_outside_terraform) == 0
    error_message = "Users hold cloudCX3 outside Terraform: ${join(", ", local.cx3_outside_terraform)}."
  }
}
