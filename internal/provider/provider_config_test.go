package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/purecloud-terraform/terraform-provider-purecloud/internal/mockapi"
)

// testAccProbeConfig is a data source that makes Terraform configure the provider.
const testAccProbeConfig = `
data "purecloud_license_definition" "probe" {
  id = "communicate"
}
`

func TestAccProvider_configErrors(t *testing.T) {
	t.Parallel()
	_, url := testAccMock(t, mockapi.Options{})
	provider := func(body string) string {
		return "provider \"purecloud\" {\n" + body + "\n}\n" + testAccProbeConfig
	}
	api := fmt.Sprintf("api_url = %q\n", url)
	cases := []struct {
		name   string
		config string
		want   string
	}{
		{"missing credentials", provider(api), `(?s)Missing Genesys Cloud Credentials.*oauthclient_id`},
		{"missing secret", provider(api + `oauthclient_id = "x"`), `(?s)Missing OAuth Client Secret.*GENESYSCLOUD_OAUTHCLIENT_SECRET`},
		{"missing id", provider(api + `oauthclient_secret = "x"`), `(?s)Missing OAuth Client ID`},
		{"token and client", provider(api + `access_token = "t"
oauthclient_id = "x"
oauthclient_secret = "y"`), `(?s)Attribute "oauthclient_id" cannot be specified when "access_token" is specified`},
		{"unknown region", provider(`region = "mars-north-1"
access_token = "t"`), `(?s)Attribute region value must be one of:.*"us-east-1".*got: "mars-north-1"`},
		{"plain http to a remote host", provider(`api_url = "http://api.example.com"
access_token = "t"`), `(?s)Invalid URL.*api_url is "http://api.example.com", but plain http:// is refused`},
		{"plain http to a remote login host", provider(api + `login_url = "http://login.example.com"
oauthclient_id = "x"
oauthclient_secret = "y"`), `Invalid URL.*login_url is "http://login.example.com", but plain http:// is refused`},
		{"malformed url", provider(`api_url = "api.mypurecloud.com"
access_token = "t"`), `(?s)Invalid URL.*api_url`},
		{"bad duration", provider(api + `access_token = "t"
batch_window = "soon"`), `(?s)Invalid Duration.*batch_window`},
		{"zero request timeout", provider(api + `access_token = "t"
request_timeout = "0s"`), `(?s)Invalid Duration.*request_timeout.*greater than 0s`},
		{"pool too large", provider(api + `access_token = "t"
token_pool_size = 51`), `Attribute token_pool_size value must be a whole number between 1 and 50`},
		{"batch too large", provider(api + `access_token = "t"
max_batch_users = 0`), `Attribute max_batch_users value must be a whole number between 1 and 1000`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:      tc.config,
					ExpectError: testAccError(tc.want),
				}},
			})
		})
	}
}

// The environment variables of the official Genesys Cloud provider configure this one too; the
// provider's lookup is replaced so that the test needs no t.Setenv.
func TestAccProvider_environment(t *testing.T) {
	t.Parallel()
	_, url := testAccMock(t, mockapi.Options{})
	env := map[string]string{
		envClientID:      testClientID,
		envClientSecret:  testClientSecret,
		envAPIURL:        url,
		envLoginURL:      url,
		envTokenPoolSize: "3",
		envRegion:        "EU-West-1", // ignored: api_url wins
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccFactoriesWithEnv(env),
		Steps: []resource.TestStep{{
			Config: `provider "purecloud" {}` + testAccProbeConfig,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.purecloud_license_definition.probe", tfjsonpath.New("id"),
					knownvalue.StringExact("communicate")),
			},
		}},
	})
}

// Bad values from the environment are attribute errors too, naming the variable.
func TestAccProvider_environmentErrors(t *testing.T) {
	t.Parallel()
	_, url := testAccMock(t, mockapi.Options{})
	cases := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"pool size not a number", map[string]string{envAccessToken: "t", envAPIURL: url, envTokenPoolSize: "many"},
			`(?s)Invalid PURECLOUD_TOKEN_POOL_SIZE Value.*between 1 and 50`},
		{"unknown region", map[string]string{envAccessToken: "t", envRegion: "moon-1"},
			`(?s)Invalid Genesys Cloud Endpoint.*moon-1.*us-east-1`},
		{"token and client", map[string]string{envAccessToken: "t", envClientID: "a", envClientSecret: "b", envAPIURL: url},
			`(?s)Conflicting Credentials`},
		{"bad credentials", map[string]string{envClientID: "wrong", envClientSecret: "s3cr3t-value", envAPIURL: url},
			`(?s)wrong`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccFactoriesWithEnv(tc.env),
				Steps: []resource.TestStep{{
					Config:      `provider "purecloud" {}` + testAccProbeConfig,
					ExpectError: testAccError(tc.want),
				}},
			})
		})
	}
}
