package provider

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/purecloud-terraform/terraform-provider-purecloud/internal/mockapi"
)

// Bad input never panics, never reaches apply when plan time can tell, and always names the
// attribute and the fix. Each row is one configuration and what must come of planning it:
// errors that match every pattern in want and contain none of the strings in hide (passwords,
// raw control characters, the framework's "always an error in the provider"). Rows whose input
// is accepted on purpose are in the tests after this one, each checking the behaviour the docs
// promise.
//
// Related rows elsewhere, not repeated here: TestAccProvider_configErrors (credentials, region,
// remote plain http for api_url and login_url), TestAccProvider_environmentErrors, and
// TestClientConfig_errorsNameTheAttributeAndHideSecrets (the same checks on values from the
// environment, without Terraform).
func TestAccBadInput_planErrors(t *testing.T) {
	t.Parallel()
	_, mockURL := testAccMock(t, mockapi.Options{Users: 2})
	rows := slices.Concat(
		badUserIDRows(mockURL),
		badLicenseIDRows(mockURL),
		unknownLicenseIDRows(mockURL),
		badURLRows(mockURL),
		badNumberRows(mockURL),
		badDurationRows(mockURL),
		badTimeoutRows(mockURL),
		conflictingResourceRows(mockURL),
	)
	start := time.Now()
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			t.Parallel()
			row.run(t)
		})
	}
	t.Cleanup(func() {
		fmt.Printf("FIGURES %s: %d rows planned, each failing at plan time with the attribute named, in %s\n",
			t.Name(), len(rows), time.Since(start).Round(time.Millisecond))
	})
}

// badUserIDRows: each id as the user_id of purecloud_user_license_assignment and as a key of
// users of purecloud_license_assignment. The error quotes the id (so that control characters
// show) and adds the row's hint when there is one: white space to remove, or the lower-case
// spelling of an upper-case id (both spellings must never travel as two users).
func badUserIDRows(mockURL string) []badInputRow {
	user := mockapi.UserID(1)
	table := []struct{ id, hint string }{
		{"", ""},
		{" ", ""},
		{"not-a-uuid", ""},
		{"alice@example.com", ""},
		{" " + user + " ", `Remove the white space around the id`},
		{user + "\n", `Remove the white space around the id`},
		{"\t" + user, `Remove the white space around the id`},
		{user + "\x00", ""},
		{"00000000 0000 4000 8000 000000000001", ""},
		{"00000000-0000-4000-8000-00000000000ü", ""},
		{"０0000000-0000-4000-8000-000000000001", ""},
		{"{00000000-0000-4000-8000-000000000001}", ""},
		{user + user, ""},
		{"0000000A-0000-4000-8000-000000000001", `did you mean "0000000a-0000-4000-8000-000000000001"`},
		{" 0000000A-0000-4000-8000-000000000001", `did you mean "0000000a-0000-4000-8000-000000000001"`},
	}
	var rows []badInputRow
	for _, tc := range table {
		want := []string{`Invalid User ID`, `must be a Genesys Cloud user id, a lower-case UUID`, `got: ` + regexp.QuoteMeta(strconv.QuoteToASCII(tc.id))}
		if tc.hint != "" {
			want = append(want, tc.hint)
		}
		rows = append(rows,
			badInputRow{name: "user_id " + strconv.QuoteToASCII(tc.id), hide: rawControls(tc.id),
				config: testAccProviderConfig(mockURL) + testAccUserLicenseAssignmentConfig_expr("test", hclString(tc.id), `["cloudCX1"]`, ""),
				want:   append([]string{`Attribute user_id must be`}, want...)},
			badInputRow{name: "users key " + strconv.QuoteToASCII(tc.id), hide: rawControls(tc.id),
				config: testAccProviderConfig(mockURL) + testAccLicenseAssignmentConfig_expr(hclString("cloudCX1"), "["+hclString(user)+", "+hclString(tc.id)+"]"),
				want:   append([]string{`Attribute users`}, want...)},
		)
	}
	return rows
}

// badLicenseIDRows: license ids that can never be valid fail validation, before the definitions
// are read, as an element of license_ids and as license_id; a hint when only white space is
// wrong.
func badLicenseIDRows(mockURL string) []badInputRow {
	user := mockapi.UserID(1)
	table := []struct{ id, hint string }{
		{"", ""},
		{" ", ""},
		{" cloudCX2", `Did you mean "cloudCX2"\?`},
		{"cloudCX2 ", `Did you mean "cloudCX2"\?`},
		{"\tcloudCX2", `Did you mean "cloudCX2"\?`},
		{"cloudCX2\n", `Did you mean "cloudCX2"\?`},
		{"cloud\x00CX2", ""},
		{"cloudCX2\u200b\x7f", ""},
	}
	var rows []badInputRow
	for _, tc := range table {
		want := []string{`Invalid License ID`, `must be a license id such as cloudCX2: not empty, without white space at either end and without control characters`,
			`got: ` + regexp.QuoteMeta(strconv.QuoteToASCII(tc.id))}
		if tc.hint != "" {
			want = append(want, tc.hint)
		}
		rows = append(rows,
			badInputRow{name: "license_ids element " + strconv.QuoteToASCII(tc.id), hide: rawControls(tc.id),
				config: testAccProviderConfig(mockURL) + testAccUserLicenseAssignmentConfig_expr("test", hclString(user), `["cloudCX1", `+hclString(tc.id)+`]`, ""),
				want:   append([]string{`Attribute license_ids\[Value\(`}, want...)},
			badInputRow{name: "license_id " + strconv.QuoteToASCII(tc.id), hide: rawControls(tc.id),
				config: testAccProviderConfig(mockURL) + testAccLicenseAssignmentConfig_expr(hclString(tc.id), "[]"),
				want:   append([]string{`Attribute license_id must be`}, want...)},
		)
	}
	return rows
}

// unknownLicenseIDRows: license ids are case-sensitive (the organization's definitions are the
// reference, and Genesys documents no folding); an id that differs from a valid one only in case
// is unknown, and the error names the valid one.
func unknownLicenseIDRows(mockURL string) []badInputRow {
	user := hclString(mockapi.UserID(1))
	provider := testAccProviderConfig(mockURL)
	return []badInputRow{
		{name: "license id in two cases in one set",
			config: provider + testAccUserLicenseAssignmentConfig_expr("test", user, `["cloudCX2", "CLOUDCX2"]`, ""),
			want: []string{`Unknown License ID`, `license_ids`, `no license definition with id "CLOUDCX2"\.`,
				`"CLOUDCX2": did you mean "cloudCX2"\? "cloudCX2" is listed too, so remove "CLOUDCX2"\.`, `case-sensitive`}},
		{name: "license id in another case",
			config: provider + testAccUserLicenseAssignmentConfig_expr("test", user, `["cloudCX1", "WALLBOARDUSER"]`, ""),
			want:   []string{`Unknown License ID`, `license_ids`, `"WALLBOARDUSER": did you mean "wallboardUser"\?`, `Valid license ids are: cloudCX1, cloudCX2`}},
		{name: "license_id in another case",
			config: provider + testAccLicenseAssignmentConfig_expr(`"CloudCX2"`, "[]"),
			want:   []string{`Unknown License ID`, `license_id`, `"CloudCX2": did you mean "cloudCX2"\?`}},
		{name: "license id with a space inside",
			config: provider + testAccUserLicenseAssignmentConfig_expr("test", user, `["cloud CX2"]`, ""),
			want:   []string{`Unknown License ID`, `license_ids`, `no license definition with id "cloud CX2"\. Valid license ids are`}},
		{name: "license id in unicode look-alikes",
			config: provider + testAccUserLicenseAssignmentConfig_expr("test", user, `["cloudCX２"]`, ""),
			want:   []string{`Unknown License ID`, `license_ids`, regexp.QuoteMeta(`"cloudCX\uff12"`), `Valid license ids are`}},
	}
}

// badURLRows: what api_url accepts is said in every error, and user:password@ is never repeated.
func badURLRows(mockURL string) []badInputRow {
	const password = "hunter2-do-not-echo"
	const hidden = `a URL not shown here because it contains '@' \(user:password@ may hold a password\)`
	table := []struct{ value, shown, problem string }{
		{"https://api.example.com?region=eu", "", `it has a query`},
		{"https://api.example.com?", "", `it has a query`},
		{"https://api.example.com#top", "", `it has a fragment`},
		{"https://user:" + password + "@api.example.com", hidden, `it holds user:password@; set credentials with oauthclient_id`},
		{"https://user:" + password + "@api.example.com/x?y=1", hidden, `it holds user:password@`},
		{"https://user:" + password + "@api.exa mple.com", hidden, `it cannot be parsed`},
		{"https://:" + password + "@api.example.com", hidden, `it holds user:password@`},
		{"http://api.example.com", "", `plain http:// is refused for a host that is not loopback`},
		{"http://10.0.0.1:8080", "", `plain http:// is refused`},
		{"", "", `it does not start with https://`},
		{"garbage", "", `it does not start with https://`},
		{"api.mypurecloud.com", "", `it does not start with https://`},
		{"ftp://api.example.com", "", `it does not start with https://`},
		{"https://", "", `it has no host`},
		{"https:///api/v2", "", `it has no host`},
		{"https://api.example.com/\x00", "", `it cannot be parsed`},
		{"https://api.example.com\n", "", `it cannot be parsed`},
	}
	var rows []badInputRow
	for _, tc := range table {
		shown := tc.shown
		if shown == "" {
			shown = regexp.QuoteMeta(strconv.QuoteToASCII(tc.value))
		}
		rows = append(rows, badInputRow{name: "api_url " + strconv.QuoteToASCII(tc.value),
			config: "provider \"purecloud\" {\n  api_url = " + hclString(tc.value) + "\n  access_token = \"t\"\n}\n" + testAccProbeConfig,
			want: []string{`Invalid URL`, `api_url is ` + shown + `, but ` + tc.problem,
				`the value must be an absolute https:// URL such as https://api.mypurecloud.com, optionally with a path prefix`},
			hide: append([]string{password}, rawControls(tc.value)...)})
	}
	return append(rows,
		badInputRow{name: "login_url with a password",
			config: "provider \"purecloud\" {\n  api_url = " + hclString(mockURL) + "\n  login_url = \"https://u:" + password +
				"@login.example.com\"\n  access_token = \"t\"\n}\n" + testAccProbeConfig,
			want: []string{`Invalid URL`, `login_url is a URL not shown here`}, hide: []string{password}},
		badInputRow{name: "api_url with a password from the environment",
			env:    map[string]string{envAPIURL: "https://u:" + password + "@api.example.com", envAccessToken: "t"},
			config: "provider \"purecloud\" {}\n" + testAccProbeConfig,
			want: []string{`Invalid Genesys Cloud Endpoint`, `api_url \(from the provider block or the PURECLOUD_API_URL environment variable\) cannot be used`,
				`credentials in the URL are not supported`, `The value must be an absolute https:// URL`}, hide: []string{password}},
	)
}

// badNumberRows: integer settings, each with its range and the values it refuses (negative,
// zero where it is not allowed, 1e18, beyond int64, fractions, one past the maximum).
func badNumberRows(mockURL string) []badInputRow {
	outOfRange := []string{"-1", "-9223372036854775809", "1e18", "9223372036854775808", "1e30", "1.5"}
	table := []struct {
		attr   string
		lo, hi int64
		values []string
	}{
		{"token_pool_size", 1, maxTokenPoolSize, append([]string{"0", fmt.Sprint(maxTokenPoolSize + 1)}, outOfRange...)},
		{"max_requests_per_minute", 1, maxMaxRequestsPerMinute, append([]string{"0", fmt.Sprint(maxMaxRequestsPerMinute + 1)}, outOfRange...)},
		{"max_retries", 0, maxMaxRetries, append([]string{fmt.Sprint(maxMaxRetries + 1)}, outOfRange...)},
		{"max_batch_users", 1, maxMaxBatchUsers, append([]string{"0", fmt.Sprint(maxMaxBatchUsers + 1)}, outOfRange...)},
	}
	var rows []badInputRow
	for _, tc := range table {
		for _, v := range tc.values {
			rows = append(rows, badInputRow{name: tc.attr + " = " + v,
				config: testAccProviderConfig(mockURL, tc.attr+" = "+v) + testAccProbeConfig,
				want:   []string{fmt.Sprintf(`Attribute %s value must be a whole number between %d and %d, got:`, tc.attr, tc.lo, tc.hi)}})
		}
	}
	return append(rows, badInputRow{name: "PURECLOUD_TOKEN_POOL_SIZE = 1e18",
		env:    map[string]string{envTokenPoolSize: "1e18", envAPIURL: mockURL, envClientID: testClientID, envClientSecret: testClientSecret},
		config: "provider \"purecloud\" {}\n" + testAccProbeConfig,
		want:   []string{`Invalid PURECLOUD_TOKEN_POOL_SIZE Value`, `token_pool_size must be a whole number between 1 and 50`}})
}

// badDurationRows: duration settings, each with the range its error states and the values it
// refuses.
func badDurationRows(mockURL string) []badInputRow {
	refused := []string{"-1s", "1e9h", "abc", "", " 1s", "2h", "9999999999h"}
	table := []struct {
		attr, rangeText string
		values          []string
	}{
		{"request_timeout", `a Go duration greater than 0s and at most 1h`, append([]string{"0s"}, refused...)},
		{"batch_window", `a Go duration from 0s to 1m`, refused},
		{"read_after_write_tolerance", `a Go duration from 0s to 10m`, refused},
	}
	var rows []badInputRow
	for _, tc := range table {
		for _, v := range tc.values {
			rows = append(rows, badInputRow{name: tc.attr + " = " + strconv.QuoteToASCII(v),
				config: testAccProviderConfig(mockURL, tc.attr+" = "+hclString(v)) + testAccProbeConfig,
				want:   []string{`Invalid Duration`, tc.attr + ` is ` + regexp.QuoteMeta(strconv.QuoteToASCII(v)) + `, but the value must be ` + tc.rangeText}})
		}
	}
	return rows
}

// badTimeoutRows: the timeouts block, in both resources.
func badTimeoutRows(mockURL string) []badInputRow {
	table := []struct{ block, want string }{
		{`create = "-1s"`, `Invalid Timeout.*timeouts.create is "-1s", but it must be a positive Go duration such as 30s, 20m or 1h`},
		{`update = "0s"`, `Invalid Timeout.*timeouts.update is "0s", but it must be a positive Go duration`},
		{`delete = "-0.5h"`, `Invalid Timeout.*timeouts.delete is "-0.5h"`},
		{`read = "abc"`, `Invalid Attribute Value Time Duration.*"abc" must be a string containing a sequence of decimal numbers`},
		{`create = "1e9h"`, `Invalid Attribute Value Time Duration.*"1e9h"`},
		{`create = "9999999999h"`, `Invalid Attribute Value Time Duration.*"9999999999h"`},
		{`delete = ""`, `Invalid Attribute Value Time Duration`},
	}
	var rows []badInputRow
	for _, tc := range table {
		block := "\n  timeouts {\n    " + tc.block + "\n  }\n"
		rows = append(rows,
			badInputRow{name: "user assignment timeouts " + tc.block, want: []string{tc.want},
				config: testAccProviderConfig(mockURL) + testAccUserLicenseAssignmentConfig_expr("test", hclString(mockapi.UserID(1)), `["cloudCX1"]`, block)},
			badInputRow{name: "license assignment timeouts " + tc.block, want: []string{tc.want},
				config: testAccProviderConfig(mockURL) + strings.Replace(testAccLicenseAssignmentConfig_expr(`"cloudCX1"`, "[]"), "\n}\n", block+"}\n", 1)},
		)
	}
	return rows
}

// conflictingResourceRows: two resources for one user, or for one license, are an error when
// they must undo each other (one is exclusive or authoritative, or both list a license); see
// TestAccBadInput_duplicateUserWarns for the case that only warns.
func conflictingResourceRows(mockURL string) []badInputRow {
	user, user2 := mockapi.UserID(1), mockapi.UserID(2)
	provider := testAccProviderConfig(mockURL)
	return []badInputRow{
		{name: "one user in two resources, one exclusive",
			config: provider + testAccUserLicenseAssignmentConfig_expr("a", hclString(user), `["cloudCX1"]`, "  exclusive = true\n") +
				testAccUserLicenseAssignmentConfig_expr("b", hclString(user), `["wallboardUser"]`, ""),
			want: []string{`Conflicting purecloud_user_license_assignment`, `User ` + user + ` is the user_id of more than one purecloud_user_license_assignment`,
				`With exclusive = true one of them removes what the other assigns`, `merge the license_ids of both into one`}},
		{name: "one user in two resources, a license in both",
			config: provider + testAccUserLicenseAssignmentConfig_expr("a", hclString(user), `["cloudCX1", "collaborate"]`, "") +
				testAccUserLicenseAssignmentConfig_expr("b", hclString(user), `["wallboardUser", "cloudCX1"]`, "") +
				testAccUserLicenseAssignmentConfig_expr("c", hclString(user2), `["cloudCX1"]`, ""),
			want: []string{`Conflicting purecloud_user_license_assignment`, `license_ids = \[(cloudCX1, collaborate|cloudCX1, wallboardUser)\]`,
				`Both manage cloudCX1, so destroying either`}},
		{name: "one user twice through for_each",
			config: provider + fmt.Sprintf(`
resource "purecloud_user_license_assignment" "each" {
  for_each    = { alice = %q, alice_again = %q }
  user_id     = each.value
  license_ids = ["cloudCX1"]
}
`, user, user),
			want: []string{`Conflicting purecloud_user_license_assignment`, `Both manage cloudCX1`}},
		{name: "one license in two purecloud_license_assignment, one authoritative",
			config: provider + testAccLicenseAssignmentConfig_expr(`"cloudCX1"`, "["+hclString(user)+"]") + `
resource "purecloud_license_assignment" "other" {
  license_id    = "cloudCX1"
  users         = { for u in [` + hclString(user2) + `] : u => "" }
  authoritative = true
}
`,
			want: []string{`Conflicting purecloud_license_assignment`, `License cloudCX1 is the license_id of more than one`, `With authoritative = true`}},
	}
}

// Ten thousand license ids in one set: a plan-time error naming license_ids, quoting a bounded
// number of them, not a hang or a page of ids.
func TestAccBadInput_tenThousandLicenseIDs(t *testing.T) {
	t.Parallel()
	_, url := testAccMock(t, mockapi.Options{Users: 1})
	ids := `flatten([for i in range(100) : [for j in range(100) : format("lic%02d%02d", i, j)]])`
	start := time.Now()
	var errText string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		ErrorCheck:               func(err error) error { errText = err.Error(); return nil },
		Steps: []resource.TestStep{{
			Config:   testAccProviderConfig(url) + testAccUserLicenseAssignmentConfig_expr("test", hclString(mockapi.UserID(1)), ids, ""),
			PlanOnly: true,
		}},
	})
	took := time.Since(start)
	for _, want := range []string{`Unknown License ID`, `license_ids`, `no license definition with ids "lic0000", "lic0001"`,
		`"lic0049" and 9950 more\.`, `Valid license ids are: cloudCX1`} {
		if !testAccError(want).MatchString(errText) {
			t.Errorf("the error does not match %q:\n%s", want, testAccTail(errText, 20))
		}
	}
	if strings.Contains(errText, "lic0050") || len(errText) > 10_000 {
		t.Errorf("the error quotes more ids than it should (%d bytes)", len(errText))
	}
	// The time is reported, not asserted: the machine running the tests may be loaded. What kept
	// it at minutes before (the framework's quadratic duplicate check) is replaced by the set
	// type's linear Validate, whose cost BenchmarkLargeStringSetValidate (make bench) measures.
	fmt.Printf("FIGURES %s: 10,000 license ids planned in %s; the error is %d bytes and quotes 50 ids\n",
		t.Name(), took.Round(time.Millisecond), len(errText))
}

// api_url with a path is accepted on purpose (gateways): the path prefixes every request. The
// mock is put behind a gateway that serves it under /genesys only.
func TestAccBadInput_apiURLPathIsAPrefix(t *testing.T) {
	t.Parallel()
	mock, mockURL := testAccMock(t, mockapi.Options{Users: 1})
	target, err := url.Parse(mockURL)
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var paths []string
	proxy := httputil.NewSingleHostReverseProxy(target)
	gateway := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		paths = append(paths, r.URL.Path)
		mu.Unlock()
		http.StripPrefix("/genesys", proxy).ServeHTTP(w, r)
	}))
	t.Cleanup(gateway.Close)
	user := mockapi.UserID(1)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: testAccProviderConfig(gateway.URL+"/genesys/") + testAccUserLicenseAssignmentConfig_expr("test", hclString(user), `["cloudCX1"]`, ""),
			Check:  testAccCheckUserHolds(mock, user, "cloudCX1"),
		}},
	})
	mu.Lock()
	defer mu.Unlock()
	for _, want := range []string{"/genesys/oauth/token", "/genesys/api/v2/license/definitions", "/genesys/api/v2/license/organization"} {
		if !slices.Contains(paths, want) {
			t.Errorf("the gateway saw no request for %s; it saw %v", want, paths)
		}
	}
	for _, p := range paths {
		if !strings.HasPrefix(p, "/genesys/") {
			t.Errorf("a request missed the prefix: %s", p)
		}
	}
}

// exclusive toggled true → false → true, with a license arriving out of band in between: after
// each apply the state is what the mock holds (all of it while exclusive, the managed licenses
// while not), and the next plan is empty.
func TestAccBadInput_exclusiveToggled(t *testing.T) {
	t.Parallel()
	mock, url := testAccMock(t, mockapi.Options{Users: 1})
	user := mockapi.UserID(1)
	mock.SetUserLicenses(user, []string{"communicate"})
	config := func(exclusive bool) string {
		return testAccProviderConfig(url) + testAccUserLicenseAssignmentConfig_expr("test", hclString(user), `["cloudCX1", "wallboardUser"]`,
			fmt.Sprintf("  exclusive = %t\n", exclusive))
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckUserHolds(mock, user, "collaborate"),
		Steps: []resource.TestStep{
			{Config: config(true), Check: resource.ComposeTestCheckFunc(
				testAccCheckUserHolds(mock, user, "cloudCX1", "wallboardUser"), testAccCheckStateIsMock(mock, true))},
			{PreConfig: func() { mock.SetUserLicenses(user, []string{"cloudCX1", "collaborate", "wallboardUser"}) },
				Config: config(false), Check: resource.ComposeTestCheckFunc(
					testAccCheckUserHolds(mock, user, "cloudCX1", "collaborate", "wallboardUser"), testAccCheckStateIsMock(mock, false))},
			{Config: config(true), Check: resource.ComposeTestCheckFunc(
				testAccCheckUserHolds(mock, user, "cloudCX1", "wallboardUser"), testAccCheckStateIsMock(mock, true))},
			{Config: config(false), Check: testAccCheckStateIsMock(mock, false)},
			{PreConfig: func() { mock.SetUserLicenses(user, []string{"cloudCX1", "collaborate", "wallboardUser"}) },
				Config: config(true), Check: resource.ComposeTestCheckFunc(
					testAccCheckUserHolds(mock, user, "cloudCX1", "wallboardUser"), testAccCheckStateIsMock(mock, true))},
			// Destroy removes the managed licenses; collaborate, set out of band last, stays.
			{PreConfig: func() { mock.SetUserLicenses(user, []string{"cloudCX1", "collaborate", "wallboardUser"}) },
				Config: config(false), Check: testAccCheckStateIsMock(mock, false)},
		},
	})
}

// Two purecloud_user_license_assignment for one user with different licenses, neither
// exclusive, work (each manages its own licenses) and the plan warns, naming the user and the
// other resource's licenses. Run through the CLI, as resource.Test does not show warnings.
func TestAccBadInput_duplicateUserWarns(t *testing.T) {
	t.Parallel()
	tf := testAccTerraformAtLeast(t, version.Must(version.NewVersion("1.0.0")))
	mock, url := testAccMock(t, mockapi.Options{Users: 1})
	user := mockapi.UserID(1)
	dir := t.TempDir()
	rc := testAccDevOverrides(t, dir)
	work := filepath.Join(dir, "work")
	if err := os.MkdirAll(work, 0o755); err != nil {
		t.Fatal(err)
	}
	testAccWriteFile(t, filepath.Join(work, "main.tf"), `
terraform {
  required_providers {
    purecloud = { source = "purecloud-terraform/purecloud" }
  }
}
`+testAccProviderConfig(url)+
		testAccUserLicenseAssignmentConfig_expr("base", hclString(user), `["cloudCX1"]`, "")+
		testAccUserLicenseAssignmentConfig_expr("addon", hclString(user), `["wallboardUser"]`, ""))
	run := testAccTerraformRunner(t, tf, work, rc)
	out := run(0, "apply", "-auto-approve", "-input=false", "-no-color")
	for _, want := range []string{
		`Warning: Duplicate purecloud_user_license_assignment`,
		`User ` + user + ` is the user_id of more than one purecloud_user_license_assignment`,
		`They manage different ids, which works`,
	} {
		if !testAccError(want).MatchString(out) {
			t.Errorf("the apply output does not match %q:\n%s", want, testAccTail(out, 40))
		}
	}
	if got, _ := mock.UserLicenses(user); !slices.Equal(got, []string{"cloudCX1", "wallboardUser"}) {
		t.Errorf("user holds %v, want both resources' licenses", got)
	}
	// Each refreshes its own license only: no drift, and destroying one leaves the other's.
	run(0, "plan", "-detailed-exitcode", "-input=false", "-no-color")
	run(0, "destroy", "-auto-approve", "-input=false", "-no-color", "-target=purecloud_user_license_assignment.base")
	if got, _ := mock.UserLicenses(user); !slices.Equal(got, []string{"wallboardUser"}) {
		t.Errorf("after destroying one resource the user holds %v, want [wallboardUser]", got)
	}
	run(0, "destroy", "-auto-approve", "-input=false", "-no-color")
}

// badInputRow is one configuration that must fail at plan time.
type badInputRow struct {
	name   string
	config string
	env    map[string]string // the provider's environment
	want   []string          // patterns (testAccError) the error output must match
	hide   []string          // strings the error output must not contain
}

// sourceLine matches the configuration lines Terraform quotes in a diagnostic ("  12:   api_url = …").
var sourceLine = regexp.MustCompile(`(?m)^\s*\d+:.*$`)

// Output of a crash or of a value the framework could not convert: never acceptable.
var badInputAlwaysHidden = []string{"panic:", "plugin crashed", "This is always an error in the provider", "Value Conversion Error"}

func (row badInputRow) run(t *testing.T) {
	var errText string
	failed := false
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccFactoriesWithEnv(row.env),
		ErrorCheck: func(err error) error {
			failed, errText = true, err.Error()
			return nil
		},
		Steps: []resource.TestStep{{Config: row.config, PlanOnly: true}},
	})
	if !failed {
		t.Fatalf("the plan succeeded; want an error matching %q", row.want)
	}
	for _, want := range row.want {
		if !testAccError(want).MatchString(errText) {
			t.Errorf("the error does not match %q:\n%s", want, errText)
		}
	}
	// Terraform quotes the configuration line at fault; what the provider says is the rest.
	said := sourceLine.ReplaceAllString(errText, "")
	for _, h := range append(slices.Clone(badInputAlwaysHidden), row.hide...) {
		if strings.Contains(said, h) {
			t.Errorf("the error contains %q:\n%s", h, strconv.QuoteToASCII(errText))
		}
	}
}
