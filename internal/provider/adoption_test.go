package provider

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/purecloud-terraform/terraform-provider-purecloud/internal/mockapi"
)

// The adoption of an existing organization, end to end with the Terraform CLI as a user runs it:
// `terraform query -generate-config-out` against 250 licensed users (and some without licenses),
// `terraform plan` and `terraform apply` of the generated file, then a plan that must be empty.
// The provider is a binary built by the test and found through dev_overrides, and the list block
// is the one in examples/list-resources. Adopting must not change a single license: the mock must
// see no postLicenseOrganization request.
func TestAccAdoption_queryGenerateConfigApply(t *testing.T) {
	t.Parallel()
	const licensed, unlicensed = 250, 12
	tf := testAccTerraformAtLeast(t, tfversion.Version1_14_0)

	// Varied license sets, including a license with a prerequisite (gc2WEMupgrade needs cloudCX2).
	sets := [][]string{
		{"cloudCX1"},
		{"cloudCX2", "wallboardUser"},
		{"cloudCX2", "gc2WEMupgrade"},
		{"cloudCX3", "collaborate", "wallboardUser"},
		{"communicate"},
	}
	seed := map[string][]string{}
	for i := 1; i <= licensed; i++ {
		seed[mockapi.UserID(i)] = sets[i%len(sets)]
	}
	mock, url := testAccMock(t, mockapi.Options{
		Users:        licensed + unlicensed,
		UserLicenses: seed,
		// The test measures requests, not pacing: no rate limit, and the provider paces far above it.
		Faults: mockapi.Faults{RateLimitPerMinute: -1},
	})

	root := testAccModuleRoot(t)
	work := t.TempDir()
	rc := testAccDevOverrides(t, work)
	config := filepath.Join(work, "config")
	if err := os.MkdirAll(config, 0o755); err != nil {
		t.Fatal(err)
	}
	testAccWriteFile(t, filepath.Join(config, "providers.tf"), fmt.Sprintf(`terraform {
  required_providers {
    purecloud = {
      source = "purecloud-terraform/purecloud"
    }
  }
}

provider "purecloud" {
  api_url                 = %q
  oauthclient_id          = %q
  oauthclient_secret      = %q
  max_requests_per_minute = 100000
}
`, url, testClientID, testClientSecret))
	example, err := os.ReadFile(filepath.Join(root, "examples", "list-resources", "purecloud_user_license_assignment", "list-resource.tfquery.hcl"))
	if err != nil {
		t.Fatal(err)
	}
	testAccWriteFile(t, filepath.Join(config, "adopt.tfquery.hcl"), string(example))

	run := testAccTerraformRunner(t, tf, config, rc)

	// 1. terraform query: the users found, as JSON lines, and the generated configuration.
	out := run(0, "query", "-json", "-generate-config-out=generated.tf")
	found := testAccQueryFound(t, out)
	generated, err := os.ReadFile(filepath.Join(config, "generated.tf"))
	if err != nil {
		t.Fatalf("terraform query wrote no generated.tf: %v", err)
	}
	imports := regexp.MustCompile(`(?m)^import \{`).FindAll(generated, -1)
	resources := regexp.MustCompile(`(?m)^resource "purecloud_user_license_assignment" `).FindAll(generated, -1)
	if len(found) != licensed || len(imports) != licensed || len(resources) != licensed {
		t.Fatalf("query found %d users, generated %d import and %d resource blocks; want %d of each (the %d "+
			"users without licenses left out)", len(found), len(imports), len(resources), licensed, unlicensed)
	}
	for i := 1; i <= licensed+unlicensed; i++ {
		_, ok := found[mockapi.UserID(i)]
		if ok != (i <= licensed) {
			t.Errorf("user %d (%s): listed = %v, want %v", i, mockapi.UserID(i), ok, i <= licensed)
		}
	}
	if !bytes.Contains(generated, []byte(`identity = {`)) {
		t.Errorf("the generated import blocks do not use the identity:\n%s", testAccHead(generated, 30))
	}
	writesAfterQuery := mock.Stats().Requests[mockapi.RoutePostOrganization]

	// 2. terraform plan: every user is imported, nothing else changes.
	out = run(2, "plan", "-input=false", "-no-color", "-detailed-exitcode", "-out=adopt.tfplan")
	wantPlan := fmt.Sprintf("Plan: %d to import, 0 to add, 0 to change, 0 to destroy.", licensed)
	if !strings.Contains(out, wantPlan) {
		t.Fatalf("the plan of the generated configuration is not %q:\n%s", wantPlan, testAccTail(out, 40))
	}

	// 3. terraform apply of that plan.
	out = run(0, "apply", "-input=false", "-no-color", "adopt.tfplan")
	wantApply := fmt.Sprintf("Apply complete! Resources: %d imported, 0 added, 0 changed, 0 destroyed.", licensed)
	if !strings.Contains(out, wantApply) {
		t.Fatalf("the apply did not report %q:\n%s", wantApply, testAccTail(out, 20))
	}
	state := run(0, "state", "list")
	inState := strings.Count(state, "purecloud_user_license_assignment.")

	// 4. The next plan is empty, and nobody's licenses changed.
	out = run(0, "plan", "-input=false", "-no-color", "-detailed-exitcode")
	if !strings.Contains(out, "No changes.") {
		t.Fatalf("the plan after adoption is not empty:\n%s", testAccTail(out, 40))
	}
	stats := mock.Stats()
	writes := stats.Requests[mockapi.RoutePostOrganization]
	for i := 1; i <= licensed+unlicensed; i++ {
		want := seed[mockapi.UserID(i)]
		if got, _ := mock.UserLicenses(mockapi.UserID(i)); !slices.Equal(got, sortedUnique(want)) {
			t.Errorf("user %s holds %v after adoption, want %v as before", mockapi.UserID(i), got, want)
		}
	}
	if writes != 0 || writesAfterQuery != 0 || inState != licensed {
		t.Errorf("%d resources in the state, want %d; postLicenseOrganization requests: %d after query, %d in all, want 0",
			inState, licensed, writesAfterQuery, writes)
	}

	figures := fmt.Sprintf("adoption with %s: %d users in the organization, %d found by terraform query "+
		"(%d without licenses left out), %d import blocks generated, %d resources imported, next plan empty, "+
		"license writes (POST /api/v2/license/organization) = %d, getLicenseUsers pages read = %d, "+
		"getLicenseUser reads = %d",
		testAccTerraformVersion(t, tf), licensed+unlicensed, len(found), unlicensed, len(imports), inState, writes,
		stats.Requests[mockapi.RouteGetUsers], stats.Requests[mockapi.RouteGetUser])
	t.Log(figures)
	fmt.Printf("=== FIGURES %s: %s\n", t.Name(), figures)
}
