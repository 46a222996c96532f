# Every license definition of the organization.
data "purecloud_license_definitions" "all" {}

# Only the workforce engagement licenses.
data "purecloud_license_definitions" "wem" {
  description_contains = "workforce engagement"
}

output "license_ids" {
  value = data.purecloud_license_definitions.all.definitions[*].id
}
