package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/purecloud-terraform/terraform-provider-purecloud/internal/mockapi"
)

// The adoption of an existing organisation, end to end with the Terraform CLI as a user runs it:
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
	plugins := filepath.Join(work, "plugins")
	config := filepath.Join(work, "config")
	for _, dir := range []string{plugins, config} {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	build := exec.CommandContext(t.Context(), "go", "build", "-o", filepath.Join(plugins, "terraform-provider-purecloud"), ".")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the provider: %v\n%s", err, out)
	}
	rc := filepath.Join(work, "terraformrc")
	testAccWriteFile(t, rc, fmt.Sprintf(`provider_installation {
  dev_overrides {
    "registry.terraform.io/purecloud-terraform/purecloud" = %q
  }
  direct {}
}
`, plugins))
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

// testAccTerraformAtLeast returns the CLI of the acceptance tests (TF_ACC_TERRAFORM_PATH) and
// skips the test when it is older than min, as tfversion.SkipBelow does for resource.Test.
// Like resource.Test, it skips unless TF_ACC is set.
func testAccTerraformAtLeast(t *testing.T, minimum *version.Version) string {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("Acceptance tests skipped unless env 'TF_ACC' set")
	}
	tf := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if tf == "" {
		t.Fatal("TF_ACC_TERRAFORM_PATH must name the Terraform CLI (make testacc sets it)")
	}
	v, err := version.NewVersion(testAccTerraformVersion(t, tf))
	if err != nil {
		t.Fatalf("parsing the version of %s: %v", tf, err)
	}
	var resp tfversion.CheckTerraformVersionResponse
	tfversion.SkipBelow(minimum).CheckTerraformVersion(t.Context(),
		tfversion.CheckTerraformVersionRequest{TerraformVersion: v.Core()}, &resp)
	if resp.Error != nil {
		t.Fatal(resp.Error)
	}
	if resp.Skip != "" {
		t.Skip(resp.Skip)
	}
	return tf
}

// testAccTerraformVersion is the version a Terraform CLI reports, such as "1.14.9-dev".
func testAccTerraformVersion(t *testing.T, tf string) string {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), tf, "version", "-json")
	cmd.Env = append(testAccCleanEnv(), "CHECKPOINT_DISABLE=1", "TF_CLI_CONFIG_FILE="+os.DevNull)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s version: %v", tf, err)
	}
	var v struct {
		Version string `json:"terraform_version"`
	}
	if err := json.Unmarshal(out, &v); err != nil || v.Version == "" {
		t.Fatalf("%s version -json printed %q: %v", tf, out, err)
	}
	return v.Version
}

// testAccTerraformRunner returns a function that runs the CLI in dir with the given CLI
// configuration, fails the test unless it exits with wantCode, and returns its output.
func testAccTerraformRunner(t *testing.T, tf, dir, rc string) func(wantCode int, args ...string) string {
	return func(wantCode int, args ...string) string {
		t.Helper()
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, tf, args...)
		cmd.Dir = dir
		cmd.Env = append(testAccCleanEnv(), "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1", "TF_CLI_CONFIG_FILE="+rc)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		code := 0
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			code = exitErr.ExitCode()
		} else if err != nil {
			t.Fatalf("terraform %s: %v", strings.Join(args, " "), err)
		}
		if code != wantCode {
			t.Fatalf("terraform %s exited %d, want %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), code,
				wantCode, testAccTail(stdout.String(), 40), stderr.String())
		}
		return stdout.String()
	}
}

// testAccCleanEnv is the test's environment without anything that could point Terraform or the
// provider elsewhere: no TF_* settings and no GENESYSCLOUD_* credentials.
func testAccCleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "TF_") || strings.HasPrefix(kv, "GENESYSCLOUD_") {
			continue
		}
		env = append(env, kv)
	}
	return env
}

// testAccQueryFound reads the JSON lines of `terraform query -json` and returns the display
// name of each user found, by user id. Error diagnostics fail the test.
func testAccQueryFound(t *testing.T, out string) map[string]string {
	t.Helper()
	found := map[string]string{}
	for line := range strings.SplitSeq(out, "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		var msg struct {
			Type       string `json:"type"`
			Diagnostic *struct {
				Severity, Summary, Detail string
			} `json:"diagnostic"`
			Found *struct {
				DisplayName string            `json:"display_name"`
				Identity    map[string]string `json:"identity"`
			} `json:"list_resource_found"`
		}
		if err := json.Unmarshal([]byte(line), &msg); err != nil {
			t.Fatalf("terraform query -json printed a line that is not JSON: %q", line)
		}
		if msg.Diagnostic != nil && msg.Diagnostic.Severity == "error" {
			t.Fatalf("terraform query: %s: %s", msg.Diagnostic.Summary, msg.Diagnostic.Detail)
		}
		if msg.Found != nil {
			found[msg.Found.Identity["user_id"]] = msg.Found.DisplayName
		}
	}
	return found
}

// testAccModuleRoot is the directory of the provider's go.mod.
func testAccModuleRoot(t *testing.T) string {
	t.Helper()
	out, err := exec.CommandContext(t.Context(), "go", "env", "GOMOD").Output()
	if err != nil || strings.TrimSpace(string(out)) == "" || strings.TrimSpace(string(out)) == os.DevNull {
		t.Fatalf("finding the module root with go env GOMOD: %v (%q)", err, out)
	}
	return filepath.Dir(strings.TrimSpace(string(out)))
}

func testAccWriteFile(t *testing.T, name, content string) {
	t.Helper()
	if err := os.WriteFile(name, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

// testAccHead and testAccTail keep failure messages short.
func testAccHead(b []byte, lines int) string {
	all := strings.Split(string(b), "\n")
	return strings.Join(all[:min(lines, len(all))], "\n")
}

func testAccTail(s string, lines int) string {
	all := strings.Split(s, "\n")
	return strings.Join(all[max(0, len(all)-lines):], "\n")
}
