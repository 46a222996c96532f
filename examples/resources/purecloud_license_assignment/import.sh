# The import id is the license id. The imported users are every user who holds the license (with empty labels),
# and authoritative is false.
terraform import purecloud_license_assignment.cx2 cloudCX2
