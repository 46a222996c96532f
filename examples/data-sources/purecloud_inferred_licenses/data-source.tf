# The licenses Genesys Cloud would assign automatically for these roles.
data "purecloud_inferred_licenses" "agent" {
  role_ids = [
    "8e2f4a6b-1c3d-4e5f-8a7b-9c0d1e2f3a02", # for example genesyscloud_auth_role.agent.id
  ]
}

output "agent_licenses" {
  value = data.purecloud_inferred_licenses.agent.license_ids
}
