package provider

// Helpers of the provider package's tests, in one place: provider factories and configuration,
// HCL builders, checks against the mock, and running the Terraform CLI.

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
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/purecloud-terraform/terraform-provider-purecloud/internal/mockapi"
)

// Provider and mock.

// The OAuth client the mock accepts by default.
const (
	testClientID     = "mock-client-id"
	testClientSecret = "mock-client-secret"
)

// testAccProtoV6ProviderFactories serves the provider in-process. Its environment lookup is
// empty, so GENESYSCLOUD_* variables on the machine running the tests cannot change them.
var testAccProtoV6ProviderFactories = testAccFactoriesWithEnv(nil)

// testAccFactoriesWithEnv serves a provider whose environment is exactly env, which lets
// parallel tests exercise the environment fallbacks without t.Setenv.
func testAccFactoriesWithEnv(env map[string]string) map[string]func() (tfprotov6.ProviderServer, error) {
	getenv := func(key string) string { return env[key] }
	return map[string]func() (tfprotov6.ProviderServer, error){
		"purecloud": providerserver.NewProtocol6WithError(newWithEnv("test", getenv)()),
	}
}

// testAccMock starts a fresh mock Genesys Cloud for one test.
func testAccMock(t *testing.T, opts mockapi.Options) (*mockapi.Server, string) {
	t.Helper()
	return mockapi.NewTestServer(t, opts)
}

// mockUsers are the ids of the mock's first n users.
func mockUsers(n int) []string {
	ids := make([]string, 0, n)
	for i := 1; i <= n; i++ {
		ids = append(ids, mockapi.UserID(i))
	}
	return ids
}

// nullProviderModel is a provider block with nothing set.
func nullProviderModel() providerModel {
	return providerModel{
		OAuthClientID: types.StringNull(), OAuthClientSecret: types.StringNull(), AccessToken: types.StringNull(),
		Region: types.StringNull(), APIURL: types.StringNull(), LoginURL: types.StringNull(),
		TokenPoolSize: types.NumberNull(), MaxRequestsPerMinute: types.NumberNull(), MaxRetries: types.NumberNull(),
		RequestTimeout: types.StringNull(), BatchWindow: types.StringNull(), MaxBatchUsers: types.NumberNull(),
	}
}

// Configurations. Every builder is named testAcc<Subject>Config_<variant>; its arguments are Go
// values, except those of the _expr variants, which are HCL expressions written in as they are.

// testAccReadAfterWriteTolerance is the read_after_write_tolerance of test providers unless a
// test sets its own: long enough for the mock profiles' read-after-write delay (2 s), short
// enough that tests changing a user out of band right after an apply do not wait the default.
const testAccReadAfterWriteTolerance = `read_after_write_tolerance = "3s"`

// testAccProviderConfig is the provider block pointing at a mock, with extra settings
// (HCL attribute lines) appended.
//
// PURECLOUD_TEST_READ_BATCHING=false (make testacc READ_BATCHING=false) runs the tests with
// read_batching = false, unless a test sets it itself.
func testAccProviderConfig(url string, extra ...string) string {
	if !strings.Contains(strings.Join(extra, "\n"), "read_after_write_tolerance") {
		extra = append(extra, testAccReadAfterWriteTolerance)
	}
	if os.Getenv("PURECLOUD_TEST_READ_BATCHING") == "false" && !strings.Contains(strings.Join(extra, "\n"), "read_batching") {
		extra = append(extra, "read_batching = false")
	}
	return fmt.Sprintf(`
provider "purecloud" {
  api_url            = %q
  login_url          = %q
  oauthclient_id     = %q
  oauthclient_secret = %q
%s
}
`, url, url, testClientID, testClientSecret, strings.Join(extra, "\n"))
}

func testAccUserLicenseAssignmentConfig_basic(user string, licenses ...string) string {
	return fmt.Sprintf(`
resource "purecloud_user_license_assignment" "test" {
  user_id     = %q
  license_ids = [%s]
}
`, user, hclStrings(licenses))
}

func testAccUserLicenseAssignmentConfig_exclusive(user string, exclusive bool, licenses ...string) string {
	return fmt.Sprintf(`
resource "purecloud_user_license_assignment" "test" {
  user_id     = %q
  license_ids = [%s]
  exclusive   = %t
}
`, user, hclStrings(licenses), exclusive)
}

// testAccUserLicenseAssignmentConfig_expr is a purecloud_user_license_assignment; userID and licenseIDs are HCL
// expressions, extra is more lines of its body.
func testAccUserLicenseAssignmentConfig_expr(name, userID, licenseIDs, extra string) string {
	return fmt.Sprintf(`
resource "purecloud_user_license_assignment" %q {
  user_id     = %s
  license_ids = %s
%s}
`, name, userID, licenseIDs, extra)
}

// testAccUserLicenseAssignmentConfig_perUser is one purecloud_user_license_assignment per user (count: the test framework's
// state checks do not take for_each keys), each holding cloudCX1.
func testAccUserLicenseAssignmentConfig_perUser(name string, users []string, lifecycle string) string {
	const license = "cloudCX1"
	return fmt.Sprintf(`
resource "purecloud_user_license_assignment" %q {
  count       = %d
  user_id     = [%s][count.index]
  license_ids = [%q]
%s}
`, name, len(users), hclStrings(users), license, lifecycle)
}

// testAccUserLicenseAssignmentConfig_team is users purecloud_user_license_assignment.team resources (users 1..n of the
// mock, cloudCX1 each) with read batching on.
func testAccUserLicenseAssignmentConfig_team(url string, users int) string {
	return testAccProviderConfig(url, "read_batching = true") + fmt.Sprintf(`
resource "purecloud_user_license_assignment" "team" {
  count       = %d
  user_id     = format("00000000-0000-4000-8000-%%012d", count.index + 1)
  license_ids = ["cloudCX1"]
}
`, users)
}

func testAccLicenseAssignmentConfig_basic(licenseID string, users ...string) string {
	return fmt.Sprintf(`
resource "purecloud_license_assignment" "test" {
  license_id = %q
  users = { for u in [%s] : u => "" }
}
`, licenseID, hclStrings(users))
}

// testAccLicenseAssignmentConfig_authoritative assigns cloudCX1.
func testAccLicenseAssignmentConfig_authoritative(authoritative bool, users ...string) string {
	return fmt.Sprintf(`
resource "purecloud_license_assignment" "test" {
  license_id    = "cloudCX1"
  users   = { for u in [%s] : u => "" }
  authoritative = %t
}
`, hclStrings(users), authoritative)
}

// testAccLicenseAssignmentConfig_expr is purecloud_license_assignment.test; its arguments are HCL expressions.
func testAccLicenseAssignmentConfig_expr(licenseID, userIDs string) string {
	return fmt.Sprintf(`
resource "purecloud_license_assignment" "test" {
  license_id = %s
  users = { for u in %s : u => "" }
}
`, licenseID, userIDs)
}

// testAccLicenseAssignmentConfig_named is a purecloud_license_assignment of license to users.
func testAccLicenseAssignmentConfig_named(name, license string, users []string, lifecycle string) string {
	return fmt.Sprintf(`
resource "purecloud_license_assignment" %q {
  license_id = %q
  users = { for u in [%s] : u => "" }
%s}
`, name, license, hclStrings(users), lifecycle)
}

func testAccLicenseDefinitionDataSourceConfig_id(id string) string {
	return `
data "purecloud_license_definition" "test" {
  id = "` + id + `"
}
`
}

// hclString writes s as an HCL string literal: control and non-ASCII characters as \u escapes,
// template sequences escaped.
func hclString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case (r == '$' || r == '%') && strings.HasPrefix(s[i+1:], "{"):
			b.WriteRune(r)
			b.WriteRune(r)
		case r > 0xffff:
			fmt.Fprintf(&b, `\U%08x`, r)
		case r < 0x20 || r >= 0x7f:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

func hclStrings(items []string) string {
	q := make([]string, len(items))
	for i, s := range items {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, ", ")
}

// Errors, plans, state and checks against the mock.

// testAccError matches an error from Terraform's output, which wraps long lines: every space
// in pattern matches any run of white space, and . matches newlines.
func testAccError(pattern string) *regexp.Regexp {
	return regexp.MustCompile(`(?s)` + strings.ReplaceAll(pattern, " ", `\s+`))
}

func testDiagnosticsEmpty(t *testing.T, diags []*tfprotov6.Diagnostic) {
	t.Helper()
	for _, d := range diags {
		t.Errorf("schema diagnostic: %s: %s", d.Summary, d.Detail)
	}
}

// planSetStrings returns the sorted strings of set attribute attr in a plan's before or after
// object (a tfjson.Change's Before or After).
func planSetStrings(obj any, attr string) []string {
	m, _ := obj.(map[string]any)
	raw, _ := m[attr].([]any)
	out := make([]string, 0, len(raw))
	for _, v := range raw {
		s, _ := v.(string)
		out = append(out, s)
	}
	slices.Sort(out)
	return out
}

// planMapKeys returns the sorted keys of map attribute attr of a plan's before or after object
// (purecloud_license_assignment's users).
func planMapKeys(obj any, attr string) []string {
	m, _ := obj.(map[string]any)
	raw, _ := m[attr].(map[string]any)
	out := make([]string, 0, len(raw))
	for k := range raw {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// stateMapKeys returns the sorted keys of map attribute attr in a resource's flatmapped state
// attributes (attr.% and attr.<key> keys).
func stateMapKeys(attrs map[string]string, attr string) []string {
	var out []string
	for k := range attrs {
		if key, ok := strings.CutPrefix(k, attr+"."); ok && key != "%" {
			out = append(out, key)
		}
	}
	slices.Sort(out)
	return out
}

// stateSetStrings returns the sorted strings of set attribute attr in a resource's flatmapped
// state attributes (attr.# and attr.<hash> keys).
func stateSetStrings(attrs map[string]string, attr string) []string {
	var out []string
	for k, v := range attrs {
		if strings.HasPrefix(k, attr+".") && k != attr+".#" {
			out = append(out, v)
		}
	}
	slices.Sort(out)
	return out
}

// testAccCheckStateIsMock checks purecloud_user_license_assignment.test's license_ids against what
// the mock holds for its user: equal when exclusive, and otherwise each held (the rest held are
// not managed).
func testAccCheckStateIsMock(mock *mockapi.Server, exclusive bool) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		rs, ok := s.RootModule().Resources[testAccAssignment]
		if !ok {
			return fmt.Errorf("%s is not in the state", testAccAssignment)
		}
		attrs := rs.Primary.Attributes
		if got := attrs["exclusive"]; got != strconv.FormatBool(exclusive) {
			return fmt.Errorf("state has exclusive = %s, want %t", got, exclusive)
		}
		state := stateSetStrings(attrs, "license_ids")
		held, _ := mock.UserLicenses(attrs["user_id"])
		if exclusive && !slices.Equal(state, held) {
			return fmt.Errorf("exclusive: state has license_ids %v, the mock holds %v", state, held)
		}
		if missing := difference(state, held); len(missing) > 0 {
			return fmt.Errorf("state has license_ids %v, but the mock does not hold %v", state, missing)
		}
		return nil
	}
}

// rawControls returns the control characters in s other than newline, which must never show
// unquoted in an error (a newline may, since Terraform wraps lines).
func rawControls(s string) []string {
	var out []string
	for _, r := range s {
		if (r < 0x20 && r != '\n') || r == 0x7f {
			out = append(out, string(r))
		}
	}
	return out
}

// testAccCheckLicenseHolders checks that exactly the given users of the mock hold the license.
func testAccCheckLicenseHolders(mock *mockapi.Server, licenseID string, want ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		got := testAccHolders(mock, licenseID)
		want = slices.Sorted(slices.Values(want))
		if !slices.Equal(got, want) {
			return fmt.Errorf("license %s is held by %d users %s, want %d users %s", licenseID,
				len(got), testAccShortList(got), len(want), testAccShortList(want))
		}
		return nil
	}
}

// testAccLicenseStateMatchesMock compares the sorted users one resource records for a license
// with the mock's holders (see testAccCheckStateMatchesMock).
func testAccLicenseStateMatchesMock(mock *mockapi.Server, addr, license string, recorded []string, authoritative bool) error {
	holders := testAccHolders(mock, license)
	if authoritative {
		if !slices.Equal(recorded, holders) {
			return fmt.Errorf("%s (authoritative): state %v, Genesys Cloud %v", addr, recorded, holders)
		}
		return nil
	}
	if missing := difference(recorded, holders); len(missing) > 0 {
		return fmt.Errorf("%s: the state records %v, who do not hold %s", addr, missing, license)
	}
	return nil
}

func testAccHolders(mock *mockapi.Server, licenseID string) []string {
	var out []string
	for _, u := range mock.UserIDs() {
		if held, _ := mock.UserLicenses(u); slices.Contains(held, licenseID) {
			out = append(out, u)
		}
	}
	return out
}

func testAccShortList(ids []string) string {
	if len(ids) > 10 {
		return fmt.Sprintf("%v…", ids[:10])
	}
	return fmt.Sprint(ids)
}

func testAccUserIDsExact(users ...string) knownvalue.Check {
	checks := make(map[string]knownvalue.Check, len(users))
	for _, u := range users {
		checks[u] = knownvalue.StringExact("")
	}
	return knownvalue.MapExact(checks)
}

// testAccExpectUserIDsChange checks the users a plan changes testAccLicenseAssignment from and to.
func testAccExpectUserIDsChange(before, after []string) plancheck.PlanCheck {
	return membersChangeCheck{addr: testAccLicenseAssignment, attr: "users", read: planMapKeys, before: before, after: after}
}

// membersChangeCheck checks the members (users or license_ids) a plan changes a resource from and to.
type membersChangeCheck struct {
	addr, attr    string
	read          func(obj any, attr string) []string
	before, after []string
}

func (c membersChangeCheck) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	for _, rc := range req.Plan.ResourceChanges {
		if rc.Address != c.addr {
			continue
		}
		gotBefore, gotAfter := c.read(rc.Change.Before, c.attr), c.read(rc.Change.After, c.attr)
		if !slices.Equal(gotBefore, c.before) || !slices.Equal(gotAfter, c.after) {
			resp.Error = fmt.Errorf("%s: %s planned %v → %v, want %v → %v", c.addr, c.attr, gotBefore, gotAfter, c.before, c.after)
		}
		return
	}
	resp.Error = fmt.Errorf("%s is not in the plan", c.addr)
}

// testAccCountLost counts, for the race summary, users of users not holding license.
func testAccCountLost(mock *mockapi.Server, license string, users []string) int {
	lost := 0
	for _, u := range users {
		held, _ := mock.UserLicenses(u)
		if !strings.Contains(","+strings.Join(held, ",")+",", ","+license+",") {
			lost++
		}
	}
	return lost
}

// testAccNoneLost fails the step when any of users lacks cloudCX1, and adds the count to lost.
func testAccNoneLost(mock *mockapi.Server, users []string, lost *int) resource.TestCheckFunc {
	const license = "cloudCX1"
	return func(*terraform.State) error {
		n := testAccCountLost(mock, license, users)
		*lost += n
		if n > 0 {
			return fmt.Errorf("%d of %d users lost %s although the state lists them", n, len(users), license)
		}
		return nil
	}
}

// testAccCheckStateMatchesMock checks each resource against the mock: a
// purecloud_user_license_assignment's license_ids against what its user holds (all of it when
// exclusive, otherwise licenses the user holds), a purecloud_license_assignment's users against
// the license's holders (exactly them when authoritative, otherwise users who hold it).
func testAccCheckStateMatchesMock(mock *mockapi.Server, addrs ...string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		for _, addr := range addrs {
			rs, ok := s.RootModule().Resources[addr]
			if !ok {
				return fmt.Errorf("%s is not in the state", addr)
			}
			attrs := rs.Primary.Attributes
			var err error
			if rs.Type == "purecloud_license_assignment" {
				err = testAccLicenseStateMatchesMock(mock, addr, attrs["license_id"], stateMapKeys(attrs, "users"), attrs["authoritative"] == "true")
			} else {
				err = testAccUserStateMatchesMock(mock, addr, attrs["user_id"], stateSetStrings(attrs, "license_ids"), attrs["exclusive"] == "true")
			}
			if err != nil {
				return err
			}
		}
		return nil
	}
}

// testAccUserStateMatchesMock compares the sorted license_ids one resource records for a user
// with what the mock's user holds (see testAccCheckStateMatchesMock).
func testAccUserStateMatchesMock(mock *mockapi.Server, addr, user string, recorded []string, exclusive bool) error {
	held, ok := mock.UserLicenses(user)
	if !ok {
		return fmt.Errorf("%s: user %s does not exist", addr, user)
	}
	if exclusive {
		if !slices.Equal(recorded, held) {
			return fmt.Errorf("%s (exclusive): state %v, Genesys Cloud %v", addr, recorded, held)
		}
		return nil
	}
	if missing := difference(recorded, held); len(missing) > 0 {
		return fmt.Errorf("%s: the state records %v, which user %s does not hold (holds %v)", addr, missing, user, held)
	}
	return nil
}

func testAccCheckEveryUserHolds(mock *mockapi.Server, users []string, want ...string) resource.TestCheckFunc {
	checks := make([]resource.TestCheckFunc, len(users))
	for i, u := range users {
		checks[i] = testAccCheckUserHolds(mock, u, want...)
	}
	return resource.ComposeAggregateTestCheckFunc(checks...)
}

// testAccExpectChangedResources checks that the plan changes exactly n resources.
func testAccExpectChangedResources(n int) plancheck.PlanCheck { return changedResourcesCheck{n} }

type changedResourcesCheck struct{ want int }

func (c changedResourcesCheck) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	var changed []string
	for _, rc := range req.Plan.ResourceChanges {
		if !rc.Change.Actions.NoOp() && !rc.Change.Actions.Read() {
			changed = append(changed, rc.Address)
		}
	}
	if len(changed) != c.want {
		resp.Error = fmt.Errorf("the plan changes %d resources %v, want %d", len(changed), changed, c.want)
	}
}

// testAccCheckUserHolds asks the mock what the user holds now.
func testAccCheckUserHolds(mock *mockapi.Server, user string, want ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		got, _ := mock.UserLicenses(user)
		if len(got) == 0 && len(want) == 0 {
			return nil
		}
		slices.Sort(want)
		if !slices.Equal(got, want) {
			return fmt.Errorf("user %s holds %v, want %v", user, got, want)
		}
		return nil
	}
}

// testAccCheckRequests checks how many requests the mock has seen on a route.
func testAccCheckRequests(mock *mockapi.Server, route string, want int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if got := mock.Stats().Requests[route]; got != want {
			return fmt.Errorf("%s was called %d times, want %d", route, got, want)
		}
		return nil
	}
}

// testAccExpectLicenseChange checks the license_ids a plan changes from and to.
func testAccExpectLicenseChange(addr string, before, after []string) plancheck.PlanCheck {
	return membersChangeCheck{addr: addr, attr: "license_ids", read: planSetStrings, before: before, after: after}
}

// testAccCheckLicenseHolderCount checks how many users of the mock hold a license.
func testAccCheckLicenseHolderCount(mock *mockapi.Server, license string, want int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if got := testAccHolders(mock, license); len(got) != want {
			return fmt.Errorf("%d users hold %s, want %d", len(got), license, want)
		}
		return nil
	}
}

// Running the Terraform CLI outside the test framework, as a user does instead of through
// resource.Test: the provider is a binary built by the test and found through dev_overrides.

// testAccDevOverrides builds the provider into dir/plugins and writes dir/terraformrc, a CLI
// configuration whose dev_overrides point Terraform and OpenTofu at it; it returns the path of
// that configuration.
func testAccDevOverrides(t *testing.T, dir string) string {
	t.Helper()
	plugins := filepath.Join(dir, "plugins")
	if err := os.MkdirAll(plugins, 0o755); err != nil {
		t.Fatal(err)
	}
	build := exec.CommandContext(t.Context(), "go", "build", "-o", filepath.Join(plugins, "terraform-provider-purecloud"), ".")
	build.Dir = testAccModuleRoot(t)
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the provider: %v\n%s", err, out)
	}
	rc := filepath.Join(dir, "terraformrc")
	testAccWriteFile(t, rc, fmt.Sprintf(`provider_installation {
  dev_overrides {
    "registry.terraform.io/purecloud-terraform/purecloud" = %q
    "registry.opentofu.org/purecloud-terraform/purecloud" = %q
  }
  direct {}
}
`, plugins, plugins))
	return rc
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
// configuration and extra environment (KEY=value), fails the test unless it exits with
// wantCode, and returns its output.
func testAccTerraformRunner(t *testing.T, tf, dir, rc string, env ...string) func(wantCode int, args ...string) string {
	return func(wantCode int, args ...string) string {
		t.Helper()
		code, stdout, stderr := testAccTerraformExec(t, tf, dir, rc, env, args...)
		if code != wantCode {
			t.Fatalf("terraform %s exited %d, want %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), code,
				wantCode, testAccTail(stdout, 40), stderr)
		}
		return stdout
	}
}

// testAccTerraformExec runs the CLI in dir with the given CLI configuration and extra
// environment, and returns its exit code and output.
func testAccTerraformExec(t *testing.T, tf, dir, rc string, env []string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, tf, args...)
	cmd.Dir = dir
	cmd.Env = append(testAccCleanEnv(), "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1", "TF_CLI_CONFIG_FILE="+rc)
	cmd.Env = append(cmd.Env, env...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) {
		code = exitErr.ExitCode()
	} else if err != nil {
		t.Fatalf("terraform %s: %v", strings.Join(args, " "), err)
	}
	return code, out.String(), errOut.String()
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

func testAccReadFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
