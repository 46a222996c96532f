package client

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/purecloud-terraform/terraform-provider-purecloud/internal/mockapi"
)

func TestRetryAfterHonoured(t *testing.T) {
	t.Parallel()
	srv, base := newMock(t, mockapi.Options{Faults: mockapi.Faults{
		RateLimitPerMinute: -1,
		FailNext:           &mockapi.FailNext{Count: 1, Status: http.StatusTooManyRequests, Route: mockapi.RouteGetUser},
	}})
	c := newTestClient(t, testConfig(base))
	start := time.Now()
	if _, err := c.GetLicenseUser(context.Background(), mockapi.UserID(1)); err != nil {
		t.Fatalf("GetLicenseUser: %v", err)
	}
	if elapsed := time.Since(start); elapsed < time.Second {
		t.Errorf("elapsed %s; the client did not wait the 1 s Retry-After", elapsed)
	}
	if n := requests(srv, mockapi.RouteGetUser); n != 2 {
		t.Errorf("GET user requests = %d, want 2", n)
	}
}

func TestRetryAfterAboveCapGivesUp(t *testing.T) {
	t.Parallel()
	// One request per 10-minute window: the second answers 429 with Retry-After ≈ 600 s.
	srv, base := newMock(t, mockapi.Options{Faults: mockapi.Faults{RateLimitPerMinute: 1, RateLimitWindow: 10 * time.Minute}})
	c := newTestClient(t, testConfig(base))
	ctx := context.Background()
	if _, err := c.GetLicenseUser(ctx, mockapi.UserID(1)); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err := c.GetLicenseUser(ctx, mockapi.UserID(1))
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusTooManyRequests || apiErr.Code != "too.many.requests.retry.after" {
		t.Fatalf("err = %v; want a 429 APIError", err)
	}
	if apiErr.RetryAfter <= MaxRetryAfter {
		t.Errorf("RetryAfter = %s, want > 180s", apiErr.RetryAfter)
	}
	if elapsed := time.Since(start); elapsed > 5*time.Second {
		t.Errorf("took %s; should give up at once", elapsed)
	}
	if n := requests(srv, mockapi.RouteGetUser); n != 2 {
		t.Errorf("GET user requests = %d, want 2 (no retry)", n)
	}
}

func TestServerErrorsRetriedThenSurfaced(t *testing.T) {
	t.Parallel()
	srv, base := newMock(t, mockapi.Options{Faults: mockapi.Faults{
		FailNext: &mockapi.FailNext{Count: 100, Status: http.StatusServiceUnavailable, Route: mockapi.RouteGetDefinitions},
	}})
	cfg := testConfig(base)
	cfg.MaxRetries = 3
	c := newTestClient(t, cfg)
	_, err := c.ListLicenseDefinitions(context.Background())
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 503 || apiErr.Code != "service.unavailable" {
		t.Fatalf("err = %v; want a 503 APIError", err)
	}
	if n := requests(srv, mockapi.RouteGetDefinitions); n != 4 {
		t.Errorf("requests = %d, want 4 (1 + 3 retries)", n)
	}
}

func TestServerErrorsRecovered(t *testing.T) {
	t.Parallel()
	srv, base := newMock(t, mockapi.Options{Faults: mockapi.Faults{
		FailNext: &mockapi.FailNext{Count: 2, Status: http.StatusBadGateway, Route: mockapi.RoutePostOrganization},
	}})
	c := newTestClient(t, testConfig(base))
	st, err := c.PostLicenseOrganization(context.Background(), LicenseBatchAssignmentRequest{
		Assignments: []LicenseAssignmentRequest{{LicenseID: "communicate", UserIDsAdd: []string{mockapi.UserID(1)}}},
	})
	if err != nil || len(st) != 1 || !st[0].Succeeded() {
		t.Fatalf("got %v, %v", st, err)
	}
	if n := requests(srv, mockapi.RoutePostOrganization); n != 3 {
		t.Errorf("requests = %d, want 3", n)
	}
}

func TestNotImplementedNotRetried(t *testing.T) {
	t.Parallel()
	srv, base := newMock(t, mockapi.Options{Faults: mockapi.Faults{
		FailNext: &mockapi.FailNext{Count: 5, Status: http.StatusNotImplemented},
	}})
	c := newTestClient(t, testConfig(base))
	_, err := c.GetLicenseToggle(context.Background(), "x")
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 501 {
		t.Fatalf("err = %v", err)
	}
	if n := requests(srv, mockapi.RouteGetToggle); n != 1 {
		t.Errorf("requests = %d, want 1", n)
	}
}

func TestPacing(t *testing.T) {
	t.Parallel()
	_, base := newMock(t, mockapi.Options{})
	cfg := testConfig(base)
	cfg.MaxRequestsPerMinute = 600 // 10/s, burst 10
	c := newTestClient(t, cfg)
	ctx := context.Background()
	start := time.Now()
	for range 15 {
		if _, err := c.GetLicenseToggle(ctx, "f"); err != nil {
			t.Fatal(err)
		}
	}
	if elapsed := time.Since(start); elapsed < 400*time.Millisecond {
		t.Errorf("15 requests at 10/s with burst 10 took %s; pacing not applied", elapsed)
	}
}

func TestContextCancelledDuringRetryWait(t *testing.T) {
	t.Parallel()
	_, base := newMock(t, mockapi.Options{Faults: mockapi.Faults{
		RateLimitPerMinute: -1,
		FailNext:           &mockapi.FailNext{Count: 100, Status: http.StatusTooManyRequests},
	}})
	c := newTestClient(t, testConfig(base))
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.GetLicenseDefinition(ctx, "communicate")
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v; want context.DeadlineExceeded", err)
	}
	if elapsed := time.Since(start); elapsed > 900*time.Millisecond {
		t.Errorf("took %s; the 1 s Retry-After wait should end with the context", elapsed)
	}
}

func TestPerAttemptTimeout(t *testing.T) {
	t.Parallel()
	srv, base := newMock(t, mockapi.Options{Faults: mockapi.Faults{RateLimitPerMinute: -1, Latency: 2 * time.Second}})
	cfg := testConfig(base)
	cfg.RequestTimeout = 100 * time.Millisecond
	cfg.MaxRetries = 1
	c := newTestClient(t, cfg)
	start := time.Now()
	_, err := c.ListLicenseDefinitions(context.Background())
	if err == nil || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v; want a timeout", err)
	}
	if elapsed := time.Since(start); elapsed > 1500*time.Millisecond {
		t.Errorf("took %s", elapsed)
	}
	if n := requests(srv, mockapi.RouteGetDefinitions); n != 2 {
		t.Errorf("requests = %d, want 2 (timeouts are retried)", n)
	}
}

func TestConnectionErrorRetried(t *testing.T) {
	t.Parallel()
	srv, base := newMock(t, mockapi.Options{})
	var mu sync.Mutex
	fails := 2
	cfg := testConfig(base)
	cfg.HTTPTransport = roundTripFunc(func(r *http.Request) (*http.Response, error) {
		mu.Lock()
		fail := r.URL.Path != "/oauth/token" && fails > 0
		if fail {
			fails--
		}
		mu.Unlock()
		if fail {
			return nil, errors.New("connection reset by peer")
		}
		return http.DefaultTransport.RoundTrip(r)
	})
	c := newTestClient(t, cfg)
	if _, err := c.GetLicenseUser(context.Background(), mockapi.UserID(1)); err != nil {
		t.Fatal(err)
	}
	if n := requests(srv, mockapi.RouteGetUser); n != 1 {
		t.Errorf("server saw %d requests, want 1", n)
	}
	mu.Lock()
	defer mu.Unlock()
	if fails != 0 {
		t.Errorf("transport failures left: %d", fails)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestBackoff(t *testing.T) {
	t.Parallel()
	resp := &http.Response{StatusCode: 429, Header: http.Header{"Retry-After": {"3"}}}
	if d := backoff(time.Second, 30*time.Second, 0, resp); d != 3*time.Second {
		t.Errorf("Retry-After: got %s", d)
	}
	for attempt, want := range []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 16 * time.Second, 30 * time.Second, 30 * time.Second} {
		d := backoff(time.Second, 30*time.Second, attempt, &http.Response{StatusCode: 500, Header: http.Header{}})
		if d < want || d > want+want/10 {
			t.Errorf("attempt %d: %s, want %s..+10%%", attempt, d, want)
		}
	}
	if d := expBackoff(time.Second, 30*time.Second, 100); d < 30*time.Second || d > 33*time.Second {
		t.Errorf("overflow: %s", d)
	}
}
