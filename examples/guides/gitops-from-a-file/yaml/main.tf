# The same from YAML: user id => list of license ids.
resource "purecloud_user_license_assignment" "user" {
  for_each = yamldecode(file("${path.module}/licenses.yaml"))

  user_id     = each.key
  license_ids = each.value
}
