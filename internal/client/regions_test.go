package client

import (
	"sort"
	"strings"
	"testing"
)

func TestRegionKeys(t *testing.T) {
	t.Parallel()
	keys := RegionKeys()
	if len(keys) != 18 {
		t.Fatalf("got %d regions, want the 18 of the reference: %v", len(keys), keys)
	}
	if !sort.StringsAreSorted(keys) {
		t.Errorf("keys not sorted: %v", keys)
	}
	for k, want := range map[string]string{
		"us-east-1": "mypurecloud.com", "US-EAST-2": "use2.us-gov-pure.cloud", " eu-central-2 ": "euc2.pure.cloud",
		"Ap-Southeast-2": "mypurecloud.com.au", "eusc-de-east-1": "edee1.eusc-pure.cloud", "mx-central-1": "mxc1.pure.cloud",
	} {
		if got, ok := RegionDomain(k); !ok || got != want {
			t.Errorf("RegionDomain(%q) = %q, %v; want %q", k, got, ok, want)
		}
	}
}

func TestResolveEndpoints(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name          string
		cfg           Config
		api, login    string
		errorContains string
	}{
		{name: "default region", api: "https://api.mypurecloud.com", login: "https://login.mypurecloud.com"},
		{name: "region case-insensitive", cfg: Config{Region: "EU-West-1"}, api: "https://api.mypurecloud.ie", login: "https://login.mypurecloud.ie"},
		{name: "unknown region lists keys", cfg: Config{Region: "mars-1"}, errorContains: "us-east-1, us-east-2, us-west-2"},
		{name: "api url overrides region", cfg: Config{Region: "mars-1", APIURL: "https://api.mypurecloud.de/"}, api: "https://api.mypurecloud.de", login: "https://login.mypurecloud.de"},
		{name: "login derived keeps port", cfg: Config{APIURL: "https://API.example.com:8443"}, api: "https://API.example.com:8443", login: "https://login.example.com:8443"},
		{name: "no api prefix: login is api", cfg: Config{APIURL: "https://gateway.example.com/genesys/"}, api: "https://gateway.example.com/genesys", login: "https://gateway.example.com/genesys"},
		{name: "explicit login", cfg: Config{APIURL: "https://gw.example.com", LoginURL: "https://auth.example.com"}, api: "https://gw.example.com", login: "https://auth.example.com"},
		{name: "login with region", cfg: Config{Region: "us-west-2", LoginURL: "https://auth.example.com"}, api: "https://api.usw2.pure.cloud", login: "https://auth.example.com"},
		{name: "http loopback v4", cfg: Config{APIURL: "http://127.0.0.1:8080"}, api: "http://127.0.0.1:8080", login: "http://127.0.0.1:8080"},
		{name: "http loopback 127/8", cfg: Config{APIURL: "http://127.1.2.3"}, api: "http://127.1.2.3", login: "http://127.1.2.3"},
		{name: "http loopback v6", cfg: Config{APIURL: "http://[::1]:9000"}, api: "http://[::1]:9000", login: "http://[::1]:9000"},
		{name: "http localhost", cfg: Config{APIURL: "http://LocalHost:1"}, api: "http://LocalHost:1", login: "http://LocalHost:1"},
		{name: "http refused for remote api", cfg: Config{APIURL: "http://api.mypurecloud.com"}, errorContains: "refusing plain http://"},
		{name: "http refused for remote login", cfg: Config{APIURL: "https://api.x.com", LoginURL: "http://login.x.com"}, errorContains: "login URL"},
		{name: "http refused for lookalike", cfg: Config{APIURL: "http://127.0.0.1.example.com"}, errorContains: "refusing plain http://"},
		{name: "bad scheme", cfg: Config{APIURL: "ftp://api.x.com"}, errorContains: "scheme"},
		{name: "no scheme", cfg: Config{APIURL: "api.mypurecloud.com"}, errorContains: "malformed api URL"},
		{name: "garbage", cfg: Config{APIURL: "https://%zz"}, errorContains: "malformed api URL"},
		{name: "query", cfg: Config{APIURL: "https://api.x.com/?a=b"}, errorContains: "query"},
		{name: "credentials not echoed", cfg: Config{APIURL: "https://user:hunter2@api.x.com"}, errorContains: "credentials in the URL"},
		{name: "malformed credentials not echoed", cfg: Config{APIURL: "https://user:hunter2@api.x.com/%zz"}, errorContains: "malformed api URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			api, login, err := ResolveEndpoints(tt.cfg)
			if tt.errorContains != "" {
				if err == nil || !strings.Contains(err.Error(), tt.errorContains) {
					t.Fatalf("err = %v; want one containing %q", err, tt.errorContains)
				}
				if strings.Contains(err.Error(), "hunter2") {
					t.Errorf("error leaks the URL password: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if api != tt.api || login != tt.login {
				t.Errorf("got %q, %q; want %q, %q", api, login, tt.api, tt.login)
			}
		})
	}
}
