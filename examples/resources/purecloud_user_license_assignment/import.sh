# The import id is the Genesys Cloud user id. The imported license_ids are every license the user holds.
terraform import purecloud_user_license_assignment.alice 00000000-0000-4000-8000-000000000001
