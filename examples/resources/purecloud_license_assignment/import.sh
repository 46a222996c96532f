# The import id is the license id. The imported user_ids are every user who holds the license,
# and authoritative is false.
terraform import purecloud_license_assignment.cx2 cloudCX2
