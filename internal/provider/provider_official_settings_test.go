package provider

import (
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/purecloud-terraform/terraform-provider-purecloud/internal/mockapi"
)

// testAccOfficialProviderBlock is the provider block of the official Genesys Cloud provider's
// documentation (docs/index.md of MyPureCloud/terraform-provider-genesyscloud, "Example Usage"),
// copied as it is; only the label changes from genesyscloud to purecloud.
const testAccOfficialProviderBlock = `
provider "purecloud" {
  oauthclient_id     = "client-id"
  oauthclient_secret = "client-secret"
  aws_region         = "us-east-1"
}
`

// The official provider's documented provider block validates and plans here; the mock's URL
// comes from PURECLOUD_API_URL, which overrides the region as api_url does.
func TestAccProvider_officialProviderBlock(t *testing.T) {
	t.Parallel()
	_, url := testAccMock(t, mockapi.Options{ClientID: "client-id", ClientSecret: "client-secret"})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccFactoriesWithEnv(map[string]string{envAPIURL: url}),
		Steps: []resource.TestStep{{
			Config: testAccOfficialProviderBlock + testAccProbeConfig,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.purecloud_license_definition.probe", tfjsonpath.New("id"),
					knownvalue.StringExact("communicate")),
			},
		}},
	})
}

// testForwardProxy is an HTTP proxy for plain http:// requests that counts what passes through it
// and remembers the last Proxy-Authorization header.
type testForwardProxy struct {
	requests atomic.Int64
	auth     atomic.Value
}

func (p *testForwardProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !r.URL.IsAbs() {
		http.Error(w, "not a proxy request", http.StatusBadRequest)
		return
	}
	p.requests.Add(1)
	p.auth.Store(r.Header.Get("Proxy-Authorization"))
	out, err := http.NewRequestWithContext(r.Context(), r.Method, r.URL.String(), r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	out.Header = r.Header.Clone()
	out.Header.Del("Proxy-Authorization")
	resp, err := http.DefaultTransport.RoundTrip(out)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	for k, v := range resp.Header {
		w.Header()[k] = v
	}
	w.WriteHeader(resp.StatusCode)
	_, _ = io.Copy(w, resp.Body)
}

// Every argument of the official provider's schema is accepted. The gateway block is honoured
// (PURECLOUD_API_URL points nowhere, so requests reach the mock only through the gateway), the
// proxy block too (every request, the token request included, passes the proxy with its
// credentials), and the settings this provider does not use only warn.
func TestAccProvider_officialSettingsHonoured(t *testing.T) {
	t.Parallel()
	_, mockURL := testAccMock(t, mockapi.Options{ClientID: "client-id", ClientSecret: "client-secret"})
	u, err := url.Parse(mockURL)
	if err != nil {
		t.Fatal(err)
	}
	host, port, err := net.SplitHostPort(u.Host)
	if err != nil {
		t.Fatal(err)
	}
	proxy := &testForwardProxy{}
	ps := httptest.NewServer(proxy)
	t.Cleanup(ps.Close)
	pu, _ := url.Parse(ps.URL)
	proxyHost, proxyPort, _ := net.SplitHostPort(pu.Host)

	config := fmt.Sprintf(`
provider "purecloud" {
  oauthclient_id             = "client-id"
  oauthclient_secret         = "client-secret"
  aws_region                 = "us-east-1"
  token_pool_size            = 2
  sdk_debug                  = true
  sdk_debug_format           = "Json"
  sdk_debug_file_path        = "sdk_debug.log"
  sdk_client_pool_debug      = true
  log_stack_traces           = true
  log_stack_traces_file_path = "genesyscloud_stack_traces.log"
  token_acquire_timeout      = "30s"
  token_init_timeout         = "1m"
  custom_retry_timeout       = "5m"
  max_concurrent_pages       = 4

  gateway {
    host     = %q
    port     = %q
    protocol = "http"
    path_params {
      path_name  = "api"
      path_value = "/"
    }
  }

  proxy {
    host     = %q
    port     = %q
    protocol = "http"
    auth {
      username = "proxy-user"
      password = "proxy-password"
    }
  }
}
`, host, port, proxyHost, proxyPort)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccFactoriesWithEnv(map[string]string{envAPIURL: "http://127.0.0.1:1"}),
		Steps: []resource.TestStep{{
			Config: config + testAccProbeConfig,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.purecloud_license_definition.probe", tfjsonpath.New("id"),
					knownvalue.StringExact("communicate")),
			},
		}},
	})
	if n := proxy.requests.Load(); n < 2 {
		t.Errorf("the proxy saw %d requests, want the token request and the reads", n)
	}
	want := "Basic " + base64.StdEncoding.EncodeToString([]byte("proxy-user:proxy-password"))
	if got, _ := proxy.auth.Load().(string); got != want {
		t.Errorf("Proxy-Authorization %q, want %q", got, want)
	}
}

// Conflicts between the official provider's names and this provider's are errors naming both.
func TestAccProvider_officialSettingsConflicts(t *testing.T) {
	t.Parallel()
	_, url := testAccMock(t, mockapi.Options{})
	cases := []struct {
		name, body, want string
	}{
		{"region and aws_region differ", `region = "eu-west-1"
aws_region = "us-east-1"
access_token = "t"`, `(?s)Conflicting Regions.*region is "eu-west-1" and aws_region is "us-east-1"`},
		{"gateway and api_url", fmt.Sprintf(`api_url = %q
access_token = "t"
gateway {
  host = "gateway.example.com"
}`, url), `(?s)Conflicting Endpoints.*gateway block and api_url`},
		{"gateway without host", `access_token = "t"
gateway {
  protocol = "https"
}`, `(?s)Missing Gateway Host`},
		{"two proxies", `access_token = "t"
proxy {
  host = "a.example.com"
}
proxy {
  host = "b.example.com"
}`, `(?s)proxy.*at most 1`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:      "provider \"purecloud\" {\n" + tc.body + "\n}\n" + testAccProbeConfig,
					ExpectError: testAccError(tc.want),
				}},
			})
		})
	}
}

// Each setting of the official provider that this provider does not use warns, naming the
// equivalent; false, the official default of the switches, does not.
func TestIgnoredSettingWarnings(t *testing.T) {
	t.Parallel()
	cfg := nullProviderModel()
	cfg.SDKDebug = types.BoolValue(true)
	cfg.LogStackTraces = types.BoolValue(false)
	cfg.TokenAcquireTimeout = types.StringValue("30s")
	var diags diag.Diagnostics
	ignoredSettingWarnings(context.Background(), cfg, &diags)
	if diags.HasError() || len(diags) != 2 {
		t.Fatalf("want two warnings, got %v", diags)
	}
	byAttr := map[string]string{}
	for _, d := range diags {
		p, _ := d.(interface{ Path() path.Path })
		byAttr[p.Path().String()] = d.Detail()
	}
	if !strings.Contains(byAttr["sdk_debug"], "TF_LOG_PROVIDER_PURECLOUD_HTTP=DEBUG") {
		t.Errorf("sdk_debug warning does not name the HTTP log switch: %q", byAttr["sdk_debug"])
	}
	if !strings.Contains(byAttr["token_acquire_timeout"], "request_timeout") {
		t.Errorf("token_acquire_timeout warning does not name request_timeout: %q", byAttr["token_acquire_timeout"])
	}
}

// The gateway block gives the API and login URLs the official SDK would use.
func TestResolveGateway(t *testing.T) {
	t.Parallel()
	ppT := types.ObjectType{AttrTypes: map[string]attr.Type{"path_name": types.StringType, "path_value": types.StringType}}
	authT := types.ObjectType{AttrTypes: map[string]attr.Type{"username": types.StringType, "password": types.StringType}}
	gwT := types.ObjectType{AttrTypes: map[string]attr.Type{"host": types.StringType, "port": types.StringType,
		"protocol": types.StringType, "auth": types.SetType{ElemType: authT}, "path_params": types.SetType{ElemType: ppT}}}
	pp := func(name, value string) attr.Value {
		return types.ObjectValueMust(ppT.AttrTypes, map[string]attr.Value{"path_name": types.StringValue(name),
			"path_value": types.StringValue(value)})
	}
	gateway := func(host, port, protocol string, params ...attr.Value) types.Set {
		str := func(s string) types.String {
			if s == "" {
				return types.StringNull()
			}
			return types.StringValue(s)
		}
		g := types.ObjectValueMust(gwT.AttrTypes, map[string]attr.Value{"host": str(host), "port": str(port),
			"protocol": str(protocol), "auth": types.SetNull(authT), "path_params": types.SetValueMust(ppT, params)})
		return types.SetValueMust(gwT, []attr.Value{g})
	}
	cases := []struct {
		name       string
		gw         types.Set
		env        map[string]string
		api, login string
	}{
		{"https default port", gateway("gw.example.com", "443", "", pp("api", "/genesys/api/"), pp("login", "genesys/login")),
			nil, "https://gw.example.com/genesys/api", "https://gw.example.com/genesys/login"},
		{"other port, no paths", gateway("gw.example.com", "8443", "https"), nil, "https://gw.example.com:8443", "https://gw.example.com:8443"},
		{"host from the environment", gateway("", "", "", pp("api", "x")), map[string]string{envGatewayHost: "env.example.com"},
			"https://env.example.com/x", "https://env.example.com"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cfg := nullProviderModel()
			cfg.Gateway = tc.gw
			r := &configReader{getenv: func(k string) string { return tc.env[k] }}
			api, login, ok := r.resolveGateway(context.Background(), cfg)
			if !ok || r.diags.HasError() {
				t.Fatalf("not resolved: %v", r.diags)
			}
			if api != tc.api || login != tc.login {
				t.Errorf("got %s and %s, want %s and %s", api, login, tc.api, tc.login)
			}
		})
	}
}
