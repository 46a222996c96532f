# Terraform 1.6 and later: import with a block, then plan.
import {
  to = purecloud_user_license_assignment.alice
  id = "00000000-0000-4000-8000-000000000001"
}
