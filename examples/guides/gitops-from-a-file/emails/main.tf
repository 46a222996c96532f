terraform {
  required_providers {
    purecloud = {
      source  = "purecloud-terraform/purecloud"
      version = "~> 0.1"
    }
  }
}

provider "purecloud" {}

variable "fail_on_unmatched_emails" {
  description = "Fail the plan when an email of people.csv matches no Genesys Cloud user. When false, the plan warns and leaves those rows out, so that a person who left does not block everyone else."
  type        = bool
  default     = false
}

locals {
  # One row per (person, license), people named by email as in an HR export.
  rows = csvdecode(file("${path.module}/people.csv"))
}

# Every email of the file in one lookup: 100 emails a request.
data "purecloud_users_by_email" "people" {
  emails = toset([for row in local.rows : row.email])

  lifecycle {
    postcondition {
      condition     = !var.fail_on_unmatched_emails || length(self.unmatched_emails) == 0
      error_message = "No Genesys Cloud user has these emails of people.csv: ${join(", ", self.unmatched_emails)}."
    }
  }
}

locals {
  user_ids = data.purecloud_users_by_email.people.user_ids

  # license id => the rows of that license ("..." groups them). Rows whose email matched no user
  # are left out (they are in unmatched_emails). One resource per license keeps a file of
  # thousands of people a handful of resources, so plans stay fast.
  holders = {
    for row in local.rows : row.license_id => row...
    if lookup(local.user_ids, row.email, "") != ""
  }
}

resource "purecloud_license_assignment" "license" {
  for_each = local.holders

  license_id = each.key
  # user id => email: the plan reads + "…id…" = "ana@example.com".
  users = { for row in each.value : local.user_ids[row.email] => row.email }
}

output "unmatched_emails" {
  description = "Emails of people.csv that match no user: their rows are not applied."
  value       = data.purecloud_users_by_email.people.unmatched_emails
}
