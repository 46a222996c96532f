# Every user holding a license, for `terraform query` (Terraform 1.14 and later):
#
#   terraform query -generate-config-out=generated.tf
#
# writes a resource and an import block per user into generated.tf; review it, then
# `terraform plan` and `terraform apply` import the assignments without changing any license.
list "purecloud_user_license_assignment" "all" {
  provider = purecloud

  # Terraform returns 100 results unless told otherwise: raise it above the number of users.
  limit = 10000

  # Optional filters:
  # config {
  #   license_ids        = ["cloudCX2", "wallboardUser"] # users holding any of these
  #   user_ids           = ["00000000-0000-4000-8000-000000000001"]
  #   include_unlicensed = false
  # }
}
