package client

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/purecloud-terraform/terraform-provider-purecloud/internal/mockapi"
)

// newMock starts a mock server with an unlimited rate limit unless opts says otherwise.
func newMock(t testing.TB, opts mockapi.Options) (*mockapi.Server, string) {
	t.Helper()
	if opts.Faults.RateLimitPerMinute == 0 {
		opts.Faults.RateLimitPerMinute = -1
	}
	return mockapi.NewTestServer(t, opts)
}

// testConfig is a client configuration for the mock at base: fast retries, no pacing, no
// batching unless the test sets it.
func testConfig(base string) Config {
	return Config{
		ClientID:             mockapi.DefaultClientID,
		ClientSecret:         mockapi.DefaultClientSecret,
		APIURL:               base,
		LoginURL:             base,
		MaxRequestsPerMinute: -1,
		RetryWaitMin:         10 * time.Millisecond,
		RetryWaitMax:         50 * time.Millisecond,
		RequestTimeout:       10 * time.Second,
		ReadBatching:         true,
	}
}

func newTestClient(t testing.TB, cfg Config) *Client {
	t.Helper()
	c, err := New(context.Background(), cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(c.Close)
	return c
}

// requests returns the mock's request count for a route.
func requests(s *mockapi.Server, route string) int {
	return s.Stats().Requests[route]
}

// recordingTransport records the Authorization and User-Agent headers of API requests.
type recordingTransport struct {
	base http.RoundTripper

	mu         sync.Mutex
	auth       []string
	userAgents []string
}

func (r *recordingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	r.mu.Lock()
	if a := req.Header.Get("Authorization"); strings.HasPrefix(a, "Bearer ") {
		r.auth = append(r.auth, a)
	}
	r.userAgents = append(r.userAgents, req.Header.Get("User-Agent"))
	r.mu.Unlock()
	return r.base.RoundTrip(req)
}

func (r *recordingTransport) authHeaders() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.auth...)
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func add(u, l string) LicenseChange { return LicenseChange{UserID: u, LicenseID: l, Op: OpAdd} }

func remove(u, l string) LicenseChange { return LicenseChange{UserID: u, LicenseID: l, Op: OpRemove} }

// refreshInWaves reads users 1..n with refreshUserLicenseIDs, parallel reads at a time, each
// wave waiting for the previous one, as Terraform's refresh does at -parallelism=parallel. It
// fails the test on any answer that differs from the mock's truth at the time of the read.
func refreshInWaves(t *testing.T, c *Client, srv *mockapi.Server, n, parallel int) {
	t.Helper()
	for start := 1; start <= n; start += parallel {
		var wg sync.WaitGroup
		for i := start; i < start+parallel && i <= n; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				id := mockapi.UserID(i)
				got, err := c.refreshUserLicenseIDs(context.Background(), id)
				want, _ := srv.UserLicenses(id)
				if err != nil || !equalStrings(got, want) {
					t.Errorf("user %d: got %v, %v; the mock holds %v", i, got, err, want)
				}
			}()
		}
		wg.Wait()
	}
}

// seedLicenses gives users 1..n one of three licenses each, so that answers differ by user.
func seedLicenses(srv *mockapi.Server, n int) {
	licenses := []string{mockapi.LicenseCommunicate, "cloudCX1", "collaborate"}
	for i := 1; i <= n; i++ {
		srv.SetUserLicenses(mockapi.UserID(i), []string{licenses[i%3]})
	}
}
