data "purecloud_license_definition" "wem" {
  id = "gc2WEMupgrade"
}

# The licenses a user needs before gc2WEMupgrade can be assigned.
output "wem_prerequisites" {
  value = data.purecloud_license_definition.wem.prerequisite_ids
}
