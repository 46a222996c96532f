# Terraform 1.6 and later: import with a block, then plan.
import {
  to = purecloud_license_assignment.cx2
  id = "cloudCX2"
}
