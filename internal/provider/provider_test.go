package provider

import (
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/purecloud-terraform/terraform-provider-purecloud/internal/mockapi"
)

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

// testAccReadAfterWriteTolerance is the read_after_write_tolerance of test providers unless a
// test sets its own: long enough for the mock profiles' read-after-write delay (2 s), short
// enough that tests changing a user out of band right after an apply do not wait the default.
const testAccReadAfterWriteTolerance = `read_after_write_tolerance = "3s"`

// testAccProviderConfig is the provider block pointing at a mock, with extra settings
// (HCL attribute lines) appended.
//
// PURECLOUD_TEST_READ_BATCHING=false (make testacc-no-read-batching) runs the tests with
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

// testAccError matches an error from Terraform's output, which wraps long lines: every space
// in pattern matches any run of white space, and . matches newlines.
func testAccError(pattern string) *regexp.Regexp {
	return regexp.MustCompile(`(?s)` + strings.ReplaceAll(pattern, " ", `\s+`))
}
