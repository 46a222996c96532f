terraform {
  required_providers {
    purecloud = {
      source  = "purecloud-terraform/purecloud"
      version = "~> 0.1"
    }
  }
}

provider "purecloud" {}

variable "agent_role_id" {
  description = "Id of the agent role, for example genesyscloud_auth_role.agent.id."
  type        = string
  default     = "8e2f4a6b-1c3d-4e5f-8a7b-9c0d1e2f3a02"
}

# The licenses Genesys Cloud assigns to holders of the agent role when auto-licensing is on.
data "purecloud_inferred_licenses" "agent" {
  role_ids = [var.agent_role_id]
}

# Non-exclusive (the default): Terraform adds the wallboard license and leaves every other license
# of the user alone, including those auto-licensing assigns from roles.
resource "purecloud_user_license_assignment" "alice" {
  user_id     = "00000000-0000-4000-8000-000000000001"
  license_ids = ["wallboardUser"]
}

# Exclusive: the user holds exactly these licenses. Listing the role's licenses too keeps
# Terraform and auto-licensing from undoing each other's changes.
resource "purecloud_user_license_assignment" "bob" {
  user_id     = "00000000-0000-4000-8000-000000000002"
  license_ids = setunion(data.purecloud_inferred_licenses.agent.license_ids, ["wallboardUser"])
  exclusive   = true
}

# A license with a prerequisite: gc2WEMupgrade needs cloudCX2, so both are listed.
resource "purecloud_user_license_assignment" "carol" {
  user_id     = "00000000-0000-4000-8000-000000000003"
  license_ids = ["cloudCX2", "gc2WEMupgrade"]
}
