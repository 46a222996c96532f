# import-for-each.tf: adoption with import blocks, for Terraform 1.7 to 1.13 and OpenTofu 1.7 and later.

# Every user of the organization with the licenses they hold.
data "purecloud_license_users" "all" {}

locals {
  # user id => licenses, for the users holding at least one license.
  held = {
    for u in data.purecloud_license_users.all.users : u.user_id => sort(u.license_ids)
    if length(u.license_ids) > 0
  }
}

import {
  for_each = local.held
  to       = purecloud_user_license_assignment.user[each.key]
  id       = each.key
}

resource "purecloud_user_license_assignment" "user" {
  for_each = local.held

  user_id     = each.key
  license_ids = each.value
}

# After the apply, write the assignments down as a file for review (see the GitOps guide):
#   terraform output -json held_licenses
output "held_licenses" {
  value = { for id, a in purecloud_user_license_assignment.user : id => sort(a.license_ids) }
}
