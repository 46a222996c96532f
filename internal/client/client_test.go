package client

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflogtest"

	"github.com/purecloud-terraform/terraform-provider-purecloud/internal/mockapi"
)

func TestNew_Validation(t *testing.T) {
	t.Parallel()
	ok := Config{ClientID: "id", ClientSecret: "s3cr3t-value"}
	tests := []struct {
		name   string
		mutate func(*Config)
		want   string
	}{
		{"no credentials", func(c *Config) { *c = Config{} }, "no credentials"},
		{"token and client", func(c *Config) { c.AccessToken = "tok" }, "both an access token"},
		{"missing secret", func(c *Config) { c.ClientSecret = "" }, `"id" has no client secret`},
		{"missing id", func(c *Config) { c.ClientID = "" }, "no client id"},
		{"pool too large", func(c *Config) { c.TokenPoolSize = 51 }, "out of range"},
		{"pool negative", func(c *Config) { c.TokenPoolSize = -1 }, "out of range"},
		{"negative timeout", func(c *Config) { c.RequestTimeout = -time.Second }, "negative"},
		{"negative window", func(c *Config) { c.BatchWindow = -time.Second }, "negative"},
		{"negative batch users", func(c *Config) { c.MaxBatchUsers = -1 }, "negative"},
		{"unknown region", func(c *Config) { c.Region = "nowhere" }, "unknown region"},
		{"http remote", func(c *Config) { c.APIURL = "http://api.example.com" }, "refusing plain http://"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg := ok
			tt.mutate(&cfg)
			_, err := New(context.Background(), cfg)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v; want one containing %q", err, tt.want)
			}
			if strings.Contains(err.Error(), "s3cr3t-value") {
				t.Errorf("error leaks the secret: %v", err)
			}
		})
	}
}

func TestNew_Defaults(t *testing.T) {
	t.Parallel()
	c, err := New(context.Background(), Config{ClientID: "id", ClientSecret: "secret"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	got := c.cfg
	if got.TokenPoolSize != 1 || got.MaxRequestsPerMinute != 280 || got.MaxRetries != 5 ||
		got.RequestTimeout != 60*time.Second || got.MaxBatchUsers != 100 || got.BatchWindow != 0 ||
		got.RetryWaitMin != time.Second || got.RetryWaitMax != 30*time.Second ||
		got.UserAgent != "terraform-provider-purecloud" {
		t.Errorf("unexpected defaults: %+v", got)
	}
	if c.APIURL() != "https://api.mypurecloud.com" || c.LoginURL() != "https://login.mypurecloud.com" {
		t.Errorf("endpoints %s %s", c.APIURL(), c.LoginURL())
	}
	if c.batcher != nil {
		t.Error("batch window 0 must not start a batcher")
	}
	if len(c.slots) != 1 || c.slots[0].limiter == nil || c.slots[0].limiter.Burst() != 9 {
		t.Errorf("want one paced slot with burst 9, got %d slots", len(c.slots))
	}
	if c.http.RetryMax != 5 {
		t.Errorf("RetryMax = %d", c.http.RetryMax)
	}

	c2, err := New(context.Background(), Config{AccessToken: "t", MaxRetries: -1, MaxRequestsPerMinute: -1, TokenPoolSize: 7})
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	if c2.http.RetryMax != 0 || c2.slots[0].limiter != nil || len(c2.slots) != 1 {
		t.Errorf("negative retries/pacing or static pool not honoured: retries %d, slots %d", c2.http.RetryMax, len(c2.slots))
	}
}

func TestErrorMapping(t *testing.T) {
	t.Parallel()
	srv, base := newMock(t, mockapi.Options{})
	c := newTestClient(t, testConfig(base))
	ctx := context.Background()

	_, err := c.GetLicenseUser(ctx, "no-such-user")
	if !errors.Is(err, ErrNotFound) {
		t.Fatalf("404: err = %v; want ErrNotFound", err)
	}
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Code != "not.found" || apiErr.CorrelationID == "" ||
		apiErr.Method != "GET" || apiErr.Path != "/api/v2/license/users/no-such-user" {
		t.Fatalf("404: %#v", apiErr)
	}
	wantPrefix := "GET /api/v2/license/users/no-such-user: 404 not.found: "
	if s := err.Error(); !strings.HasPrefix(s, wantPrefix) || !strings.HasSuffix(s, "(correlation id "+apiErr.CorrelationID+")") {
		t.Errorf("Error() = %q", s)
	}
	if errors.Is(err, ErrAuthentication) {
		t.Error("404 must not match ErrAuthentication")
	}

	_, err = c.GetLicenseUsersPage(ctx, 1000, 1) // above the mock's MaxPageSize
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || apiErr.Code != "invalid.value" || errors.Is(err, ErrNotFound) {
		t.Fatalf("400: err = %v", err)
	}
	if !strings.Contains(apiErr.Path, "pageSize=1000") {
		t.Errorf("path %q lacks the query", apiErr.Path)
	}

	srv.SetFaults(mockapi.Faults{RateLimitPerMinute: -1, FailNext: &mockapi.FailNext{Count: 1, Status: 403}})
	_, err = c.GetLicenseDefinition(ctx, "communicate")
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 403 || apiErr.Code != "missing.permissions" {
		t.Fatalf("403: err = %v", err)
	}
}

func TestNonJSONErrorBody(t *testing.T) {
	t.Parallel()
	resp := &http.Response{StatusCode: 502, Header: http.Header{"Inin-Correlation-Id": {"cid-1"}}}
	body := []byte("<html>\n<body>Bad gateway, token=abc123 Bearer xyz.secret</body></html>" + strings.Repeat("x", 500))
	scrub := func(s string) string {
		return bearerRE.ReplaceAllString(strings.ReplaceAll(s, "abc123", "***"), "Bearer ***")
	}
	e := newAPIError("GET", "/p", resp, body, scrub)
	if e.StatusCode != 502 || e.CorrelationID != "cid-1" || !strings.Contains(e.Message, "Bad Gateway; response body: <html> <body>Bad gateway") {
		t.Fatalf("%#v", e)
	}
	if strings.Contains(e.Error(), "abc123") || strings.Contains(e.Error(), "xyz.secret") {
		t.Errorf("secret in %q", e.Error())
	}
	if len(e.Message) > 300 {
		t.Errorf("snippet not truncated: %d bytes", len(e.Message))
	}
}

func TestLoggingMasksSecrets(t *testing.T) {
	t.Parallel()
	const secret = "super-secret-client-value"
	srv, base := newMock(t, mockapi.Options{ClientSecret: secret, Faults: mockapi.Faults{
		RateLimitPerMinute: -1,
		FailNext:           &mockapi.FailNext{Count: 1, Status: 500, Route: mockapi.RouteGetUser},
	}})
	var buf bytes.Buffer
	var bufMu sync.Mutex
	ctx := tflogtest.RootLogger(context.Background(), &lockedWriter{w: &buf, mu: &bufMu})
	rec := &recordingTransport{base: http.DefaultTransport}
	cfg := testConfig(base)
	cfg.ClientSecret = secret
	cfg.HTTPTransport = rec
	cfg.BatchWindow = 20 * time.Millisecond
	c, err := New(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.GetLicenseUser(ctx, mockapi.UserID(1)); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ApplyLicenseChanges(ctx, []LicenseChange{{UserID: mockapi.UserID(1), LicenseID: "communicate", Op: OpAdd}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetLicenseUser(ctx, "missing"); !errors.Is(err, ErrNotFound) {
		t.Fatal(err)
	}
	if requests(srv, mockapi.RouteGetUser) != 3 {
		t.Fatalf("unexpected request count %v", srv.Stats().Requests)
	}

	bufMu.Lock()
	out := buf.String()
	bufMu.Unlock()
	if strings.Contains(out, secret) {
		t.Error("log contains the client secret")
	}
	auth := rec.authHeaders()
	if len(auth) == 0 {
		t.Fatal("no Authorization header recorded")
	}
	token := strings.TrimPrefix(auth[0], "Bearer ")
	if strings.Contains(out, token) {
		t.Error("log contains the access token")
	}

	entries, err := tflogtest.MultilineJSONDecode(strings.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	var sawRetry, saw404, sawBatch, sawToken bool
	for _, e := range entries {
		if e["@module"] != "provider."+logSubsystem {
			continue
		}
		switch e["@message"] {
		case "HTTP request":
			for _, k := range []string{"method", "path", "status", "duration_ms", "correlation_id", "attempt"} {
				if _, ok := e[k]; !ok {
					t.Errorf("request log lacks %q: %v", k, e)
				}
			}
			if e["status"] == float64(500) {
				sawRetry = true
			}
			if e["status"] == float64(404) && e["path"] == "/api/v2/license/users/missing" {
				saw404 = true
			}
		case "license change batch flushed":
			sawBatch = true
		case "OAuth token request":
			sawToken = e["client_id"] == mockapi.DefaultClientID
		}
	}
	if !sawRetry || !saw404 || !sawBatch || !sawToken {
		t.Errorf("missing log lines (retry %v, 404 %v, batch %v, token %v):\n%s", sawRetry, saw404, sawBatch, sawToken, out)
	}
}

type lockedWriter struct {
	w  *bytes.Buffer
	mu *sync.Mutex
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func TestCloseRefusesCalls(t *testing.T) {
	t.Parallel()
	_, base := newMock(t, mockapi.Options{})
	c, err := New(context.Background(), testConfig(base))
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
	c.Close() // idempotent
	if _, err := c.GetLicenseUser(context.Background(), mockapi.UserID(1)); !errors.Is(err, ErrClosed) {
		t.Errorf("err = %v; want ErrClosed", err)
	}
}
