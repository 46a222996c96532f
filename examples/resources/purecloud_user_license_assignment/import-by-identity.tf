# Terraform 1.12 and later: import by the resource identity, the user id.
import {
  to = purecloud_user_license_assignment.bob
  identity = {
    user_id = "00000000-0000-4000-8000-000000000002"
  }
}
