# People named by email, as an HR export names them: one request per 100 emails.
data "purecloud_users_by_email" "agents" {
  emails = ["alice@example.com", "bob@example.com", "departed@example.com"]
}

# Everyone found gets CX 2. An email that matches no user is left out and listed in
# unmatched_emails (with a warning), so one person who left does not block the others.
# users maps each user id to a label: here the email, so that the plan names people.
resource "purecloud_license_assignment" "cx2" {
  license_id = "cloudCX2"
  users      = { for email, id in data.purecloud_users_by_email.agents.user_ids : id => email }
}

output "unmatched_emails" {
  value = data.purecloud_users_by_email.agents.unmatched_emails
}

# To make an unknown email fail the plan instead, add a postcondition that names it.
data "purecloud_users_by_email" "supervisors" {
  emails = ["carol@example.com"]

  lifecycle {
    postcondition {
      condition     = length(self.unmatched_emails) == 0
      error_message = "No Genesys Cloud user has these emails: ${join(", ", self.unmatched_emails)}."
    }
  }
}

resource "purecloud_user_license_assignment" "supervisor" {
  for_each = data.purecloud_users_by_email.supervisors.user_ids

  user_id     = each.value
  license_ids = ["cloudCX3"]
}
