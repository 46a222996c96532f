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
