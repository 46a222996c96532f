# Terraform 1.12 and later: import by the resource identity, the license id.
import {
  to = purecloud_license_assignment.wallboard
  identity = {
    license_id = "wallboardUser"
  }
}
