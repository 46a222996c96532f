package provider

import (
	"fmt"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
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

func TestClientConfig_precedenceAndDefaults(t *testing.T) {
	t.Parallel()
	env := map[string]string{
		envClientID: "env-id", envClientSecret: "env-secret", envRegion: "EU-Central-1", envTokenPoolSize: " 4 ",
	}
	p := &purecloudProvider{version: "1.2.3", getenv: func(k string) string { return env[k] }}

	cfg := nullProviderModel()
	cfg.OAuthClientID = types.StringValue("block-id") // the block wins over the environment
	cfg.MaxRetries = types.NumberValue(big.NewFloat(0))
	cfg.BatchWindow = types.StringValue("0s")

	got, diags := p.clientConfig(cfg)
	if diags.HasError() {
		t.Fatalf("unexpected diagnostics: %v", diags)
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"client id from the block", got.ClientID, "block-id"},
		{"secret from the environment", got.ClientSecret, "env-secret"},
		{"region from the environment", got.Region, "EU-Central-1"},
		{"token pool from the environment", got.TokenPoolSize, 4},
		{"max_retries = 0 means no retries", got.MaxRetries, -1},
		{"batching off", got.BatchWindow, time.Duration(0)},
		{"default pacing", got.MaxRequestsPerMinute, defaultMaxRequestsPerMinute},
		{"default timeout", got.RequestTimeout, defaultRequestTimeout},
		{"default batch size", got.MaxBatchUsers, defaultMaxBatchUsers},
		{"user agent", got.UserAgent, "terraform-provider-purecloud/1.2.3"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s: got %v, want %v", c.name, c.got, c.want)
		}
	}
}

func TestClientConfig_errorsNameTheAttributeAndHideSecrets(t *testing.T) {
	t.Parallel()
	const secret = "very-secret-value"
	cases := []struct {
		name   string
		env    map[string]string
		mutate func(*providerModel)
		attr   string
		want   string
	}{
		{"nothing", nil, func(*providerModel) {}, "oauthclient_id", "Missing Genesys Cloud Credentials"},
		{"secret only", map[string]string{envClientSecret: secret}, func(*providerModel) {}, "oauthclient_id", "Missing OAuth Client ID"},
		{"token and secret", map[string]string{envClientSecret: secret, envClientID: "id"},
			func(m *providerModel) { m.AccessToken = types.StringValue("tok") }, "access_token", "Conflicting Credentials"},
		{"unknown region", map[string]string{envAccessToken: secret, envRegion: "atlantis-1"}, func(*providerModel) {}, "region", "Invalid Genesys Cloud Endpoint"},
		{"remote http api", map[string]string{envAccessToken: secret, envAPIURL: "http://api.example.com"}, func(*providerModel) {}, "api_url", "Invalid Genesys Cloud Endpoint"},
		{"remote http login", map[string]string{envAccessToken: secret},
			func(m *providerModel) { m.LoginURL = types.StringValue("http://login.example.com") }, "login_url", "Invalid Genesys Cloud Endpoint"},
		{"pool size", map[string]string{envAccessToken: secret, envTokenPoolSize: "0"}, func(*providerModel) {}, "token_pool_size", "Invalid PURECLOUD_TOKEN_POOL_SIZE Value"},
		{"unknown value", map[string]string{envClientSecret: secret},
			func(m *providerModel) { m.OAuthClientID = types.StringUnknown() }, "oauthclient_id", "Unknown oauthclient_id Value"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := &purecloudProvider{version: "test", getenv: func(k string) string { return tc.env[k] }}
			cfg := nullProviderModel()
			tc.mutate(&cfg)
			_, diags := p.clientConfig(cfg)
			if diags.ErrorsCount() != 1 {
				t.Fatalf("want exactly one error, got %v", diags)
			}
			d := diags.Errors()[0]
			if d.Summary() != tc.want {
				t.Errorf("summary %q, want %q", d.Summary(), tc.want)
			}
			withPath, ok := d.(interface{ Path() path.Path })
			if !ok || !withPath.Path().Equal(path.Root(tc.attr)) {
				t.Errorf("error is not on attribute %s: %v", tc.attr, d)
			}
			if strings.Contains(d.Detail(), secret) || strings.Contains(d.Summary(), secret) {
				t.Errorf("the diagnostic shows a secret: %s", d.Detail())
			}
		})
	}
}

// Every setting of this provider has a PURECLOUD_ environment variable; the official provider's
// GENESYSCLOUD_TOKEN_POOL_SIZE, sized for its SDK client pool, is not read; aws_region is region.
func TestClientConfig_environmentOfEverySetting(t *testing.T) {
	t.Parallel()
	env := map[string]string{
		envAccessToken: "tok", officialEnvTokenPoolSize: "10", envMaxRPM: "100", envMaxRetries: "2",
		envReqTimeout: "5s", envBatchWindow: "0s", envMaxBatchUsers: "50", envReadBatching: "false",
	}
	p := &purecloudProvider{version: "test", getenv: func(k string) string { return env[k] }}
	cfg := nullProviderModel()
	cfg.AWSRegion = types.StringValue("EU-West-1")
	got, diags := p.clientConfig(cfg)
	if diags.HasError() {
		t.Fatalf("unexpected diagnostics: %v", diags)
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"GENESYSCLOUD_TOKEN_POOL_SIZE is not read", got.TokenPoolSize, defaultTokenPoolSize},
		{"aws_region", got.Region, "EU-West-1"},
		{envMaxRPM, got.MaxRequestsPerMinute, 100},
		{envMaxRetries, got.MaxRetries, 2},
		{envReqTimeout, got.RequestTimeout, 5 * time.Second},
		{envBatchWindow, got.BatchWindow, time.Duration(0)},
		{envMaxBatchUsers, got.MaxBatchUsers, 50},
		{envReadBatching, got.ReadBatching, false},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s: got %v, want %v", c.name, c.got, c.want)
		}
	}

	for _, tc := range []struct{ env, value, attr string }{
		{envReqTimeout, "0s", "request_timeout"},
		{envBatchWindow, "2m", "batch_window"},
		{envReadBatching, "sometimes", "read_batching"},
		{envMaxRetries, "-1", "max_retries"},
	} {
		bad := map[string]string{envAccessToken: "tok", tc.env: tc.value}
		p := &purecloudProvider{version: "test", getenv: func(k string) string { return bad[k] }}
		_, diags := p.clientConfig(nullProviderModel())
		if diags.ErrorsCount() != 1 || diags.Errors()[0].Summary() != "Invalid "+tc.env+" Value" {
			t.Errorf("%s=%s: want one Invalid %s Value error, got %v", tc.env, tc.value, tc.env, diags)
			continue
		}
		if d, ok := diags.Errors()[0].(interface{ Path() path.Path }); !ok || !d.Path().Equal(path.Root(tc.attr)) {
			t.Errorf("%s=%s: error not on %s", tc.env, tc.value, tc.attr)
		}
	}

	same := nullProviderModel()
	same.Region, same.AWSRegion = types.StringValue("eu-west-1"), types.StringValue("EU-WEST-1")
	if _, diags := p.clientConfig(same); diags.HasError() {
		t.Errorf("region and aws_region naming the same region: %v", diags)
	}
}
