# adopt.tfquery.hcl: every user holding a license (Terraform 1.14 and later).
list "purecloud_user_license_assignment" "all" {
  provider = purecloud
  limit    = 10000 # Terraform stops at 100 results unless told otherwise
}
