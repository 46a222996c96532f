package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/purecloud-terraform/terraform-provider-purecloud/internal/mockapi"
)

// The GitOps guide's email example at the scale of an HR export: a CSV of 2,000 people, one of
// whom has left, applied against the mock. The lookup costs ceil(2,000 / 100) = 20 requests;
// the unknown email is reported by name, the other rows are applied, and with
// fail_on_unmatched_emails the plan fails naming it. BENCHMARKS.md records the figures
// ("Users by email").
func TestAccUsersByEmail_gitopsCSV(t *testing.T) {
	t.Parallel()
	testAccUsersByEmailGitops(t, 10)
}

// The same with 2,000 people (about a minute, most of it Terraform's): make testacc LONG=1.
func TestAccLong_UsersByEmail_gitopsCSV2000(t *testing.T) {
	t.Parallel()
	testAccUsersByEmailGitops(t, 2000)
}

func testAccUsersByEmailGitops(t *testing.T, people int) {
	tf := testAccTerraformAtLeast(t, tfversion.Version1_6_0)
	mock, url := testAccMock(t, mockapi.Options{Users: people})
	root := testAccModuleRoot(t)
	work := t.TempDir()
	rc := testAccDevOverrides(t, work)
	config := filepath.Join(work, "config")
	if err := os.MkdirAll(config, 0o755); err != nil {
		t.Fatal(err)
	}
	example := filepath.Join(root, "examples", "guides", "gitops-from-a-file", "emails")
	testAccWriteFile(t, filepath.Join(config, "main.tf"), string(testAccReadFile(t, filepath.Join(example, "main.tf"))))

	// people-1 seeded users (user<i>@example.com, some in another case) and one person who left.
	const departed = "departed.person@example.com"
	licenses := []string{"cloudCX1", "cloudCX2", "communicate"}
	var csv strings.Builder
	csv.WriteString("email,license_id,owner\n")
	for i := 1; i < people; i++ {
		email := mockapi.UserEmail(i)
		if i%7 == 0 {
			email = strings.ToUpper(email[:1]) + email[1:]
		}
		fmt.Fprintf(&csv, "%s,%s,team-%d\n", email, licenses[i%len(licenses)], i%13)
	}
	fmt.Fprintf(&csv, "%s,cloudCX1,team-0\n", departed)
	testAccWriteFile(t, filepath.Join(config, "people.csv"), csv.String())

	run := testAccTerraformRunner(t, tf, config, rc, "PURECLOUD_API_URL="+url,
		"GENESYSCLOUD_OAUTHCLIENT_ID="+testClientID, "GENESYSCLOUD_OAUTHCLIENT_SECRET="+testClientSecret)
	start := time.Now()
	out := run(0, "apply", "-auto-approve", "-input=false", "-no-color")
	took := time.Since(start)
	searches := mock.Stats().Requests[mockapi.RoutePostUsersSearch]
	t.Logf("%d emails: the lookup took %d postUsersSearch requests; the apply (%d users, %d licenses) took %s",
		people, searches, people-1, len(licenses), took.Round(100*time.Millisecond))
	if want := (people + 99) / 100; searches != want {
		t.Errorf("the lookup of %d emails took %d requests, want %d", people, searches, want)
	}
	if !regexp.MustCompile(`Emails Without a User`).MatchString(out) || !strings.Contains(out, departed) {
		t.Errorf("the apply does not warn about %s:\n%s", departed, testAccTail(out, 30))
	}
	if !strings.Contains(out, fmt.Sprintf("Apply complete! Resources: %d added", len(licenses))) {
		t.Errorf("the apply did not add %d assignments:\n%s", len(licenses), testAccTail(out, 30))
	}
	if !regexp.MustCompile(`unmatched_emails = (tolist\()?\[\s*"` + regexp.QuoteMeta(departed) + `",\s*\]`).MatchString(out) {
		t.Errorf("the output does not list %s:\n%s", departed, testAccTail(out, 10))
	}
	for i := 1; i < people; i++ {
		got, _ := mock.UserLicenses(mockapi.UserID(i))
		if want := licenses[i%len(licenses)]; len(got) != 1 || got[0] != want {
			t.Fatalf("user %d holds %v, want [%s]", i, got, want)
		}
	}

	// The user's choice: the same file fails the plan, naming the email.
	before := mock.Stats().Requests[mockapi.RoutePostOrganization]
	code, _, stderr := testAccTerraformExec(t, tf, config, rc, []string{"PURECLOUD_API_URL=" + url,
		"GENESYSCLOUD_OAUTHCLIENT_ID=" + testClientID, "GENESYSCLOUD_OAUTHCLIENT_SECRET=" + testClientSecret},
		"plan", "-input=false", "-no-color", "-var", "fail_on_unmatched_emails=true")
	if code != 1 {
		t.Fatalf("the plan with fail_on_unmatched_emails exited %d, want 1:\n%s", code, stderr)
	}
	if !testAccError(`Resource postcondition failed .* No Genesys Cloud user has these emails of people.csv: ` +
		regexp.QuoteMeta(departed)).MatchString(stderr) {
		t.Errorf("the failed plan does not name %s:\n%s", departed, stderr)
	}
	if after := mock.Stats().Requests[mockapi.RoutePostOrganization]; after != before {
		t.Errorf("the failed plan wrote licenses (%d postLicenseOrganization requests)", after-before)
	}
}

func TestAccUsersByEmailDataSource_basic(t *testing.T) {
	t.Parallel()
	mock, url := testAccMock(t, mockapi.Options{Users: 5,
		UserEmails: map[string]string{mockapi.UserID(2): "Bob.Smith@Example.com"}})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: testAccProviderConfig(url) + testAccUsersByEmailConfig_emails(
				"user1@example.com", "BOB.SMITH@example.com", "nobody@example.com") + `
data "purecloud_users_by_email" "none" {
  emails = []
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.purecloud_users_by_email.people", tfjsonpath.New("user_ids"),
					knownvalue.MapExact(map[string]knownvalue.Check{
						"user1@example.com":     knownvalue.StringExact(mockapi.UserID(1)),
						"BOB.SMITH@example.com": knownvalue.StringExact(mockapi.UserID(2)),
					})),
				statecheck.ExpectKnownValue("data.purecloud_users_by_email.people", tfjsonpath.New("unmatched_emails"),
					knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("nobody@example.com")})),
				statecheck.ExpectKnownValue("data.purecloud_users_by_email.people",
					tfjsonpath.New("users").AtMapKey("BOB.SMITH@example.com"), knownvalue.ObjectExact(map[string]knownvalue.Check{
						"id":    knownvalue.StringExact(mockapi.UserID(2)),
						"email": knownvalue.StringExact("Bob.Smith@Example.com"),
						"name":  knownvalue.StringExact("User 2"),
						"state": knownvalue.StringExact("active"),
					})),
				statecheck.ExpectKnownValue("data.purecloud_users_by_email.none", tfjsonpath.New("user_ids"),
					knownvalue.MapExact(map[string]knownvalue.Check{})),
				statecheck.ExpectKnownValue("data.purecloud_users_by_email.none", tfjsonpath.New("unmatched_emails"),
					knownvalue.ListExact([]knownvalue.Check{})),
			},
			Check: func(*terraform.State) error {
				// Three emails in one request; the empty set sends none. A test step plans and
				// refreshes several times, so the count is a multiple of one.
				if n := mock.Stats().Requests[mockapi.RoutePostUsersSearch]; n == 0 || n > 4 {
					return fmt.Errorf("postUsersSearch was called %d times, want one request per read", n)
				}
				return nil
			},
		}},
	})
}

// The configuration decides that an unknown email fails the plan, and the error names it.
func TestAccUsersByEmailDataSource_postconditionFailsThePlan(t *testing.T) {
	t.Parallel()
	_, url := testAccMock(t, mockapi.Options{Users: 3})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: testAccProviderConfig(url) + `
data "purecloud_users_by_email" "people" {
  emails = ["user1@example.com", "gone@example.com"]

  lifecycle {
    postcondition {
      condition     = length(self.unmatched_emails) == 0
      error_message = "No user has these emails: ${join(", ", self.unmatched_emails)}."
    }
  }
}
`,
			ExpectError: testAccError(`Resource postcondition failed .* No user has these emails: gone@example.com\.`),
		}},
	})
}

func TestAccUsersByEmailDataSource_errors(t *testing.T) {
	t.Parallel()
	_, url := testAccMock(t, mockapi.Options{Users: 3,
		UserEmails: map[string]string{mockapi.UserID(3): "USER1@example.com"}})
	_, forbiddenURL := testAccMock(t, mockapi.Options{Users: 3, Permissions: []string{"authorization:grant:add"}})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      testAccProviderConfig(url) + testAccUsersByEmailConfig_emails("alice.example.com"),
				ExpectError: testAccError(`Invalid Email .* emails.* must be an email address .* got: "alice.example.com"`),
			},
			{
				Config:      testAccProviderConfig(url) + testAccUsersByEmailConfig_emails(" user2@example.com"),
				ExpectError: testAccError(`Invalid Email .* Remove the white space around the email`),
			},
			{
				Config: testAccProviderConfig(url) + testAccUsersByEmailConfig_emails("user1@example.com"),
				ExpectError: testAccError(`Email Matches Several Users .* "user1@example.com" belongs to 2 users: ` +
					`"00000000-0000-4000-8000-000000000001", "00000000-0000-4000-8000-000000000003"`),
			},
			{
				Config: testAccProviderConfig(forbiddenURL) + testAccUsersByEmailConfig_emails("user1@example.com"),
				ExpectError: testAccError(`Unable to Look Up Users by Email .* Genesys Cloud answered 403 .* ` +
					`postUsersSearch needs: grant its role directory:user:view`),
			},
		},
	})
}

func testAccUsersByEmailConfig_emails(emails ...string) string {
	q := make([]string, len(emails))
	for i, e := range emails {
		q[i] = fmt.Sprintf("%q", e)
	}
	return fmt.Sprintf(`
data "purecloud_users_by_email" "people" {
  emails = [%s]
}
`, strings.Join(q, ", "))
}
