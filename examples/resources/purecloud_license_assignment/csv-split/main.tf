# The same CSV file, each license's users split over several additive resources: for
# organizations that want smaller plans per resource, or to apply parts separately (-target).
# One resource holds 10,000 users well too (see the large-organizations guide); splitting adds no
# requests.
terraform {
  required_providers {
    purecloud = {
      source  = "purecloud-terraform/purecloud"
      version = "~> 0.1"
    }
  }
}

provider "purecloud" {}

variable "resources_per_license" {
  description = "How many purecloud_license_assignment resources share each license: about one per 1,000 users."
  type        = number
  default     = 4
}

locals {
  rows    = csvdecode(file("${path.module}/agents.csv"))
  holders = { for row in local.rows : row.license_id => row... }

  # A user's part is a hash of their id, not their place in the file: adding or removing a row
  # never moves the other users from one resource to another. Changing resources_per_license
  # does move them: a moved user's old part removes the license while the new part adds it, in
  # no set order, so the user may be left without it. Apply such a change twice; the second
  # apply gives back whatever the first took away, and its plan shows who that was.
  parts = merge([
    for license, rows in local.holders : {
      for p in range(var.resources_per_license) : "${license}/${p}" => {
        license_id = license
        users = {
          for row in rows : row.user_id => row.name
          if parseint(substr(md5(row.user_id), 0, 6), 16) % var.resources_per_license == p
        }
      }
    }
  ]...)
}

resource "purecloud_license_assignment" "part" {
  for_each = local.parts

  license_id = each.value.license_id
  users      = each.value.users
  # authoritative must stay false: each part manages only its own users.
}
