package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/purecloud-terraform/terraform-provider-purecloud/internal/mockapi"
)

func TestAuthErrorBadCredentials(t *testing.T) {
	t.Parallel()
	const secret = "wrong-secret-value"
	srv, base := newMock(t, mockapi.Options{})
	cfg := testConfig(base)
	cfg.ClientSecret = secret
	c := newTestClient(t, cfg)
	_, err := c.ListLicenseDefinitions(context.Background())
	var authErr *AuthError
	if !errors.As(err, &authErr) || !errors.Is(err, ErrAuthentication) {
		t.Fatalf("err = %v; want an AuthError", err)
	}
	if authErr.StatusCode != 401 || authErr.Code != "invalid_client" || authErr.ClientID != mockapi.DefaultClientID {
		t.Errorf("%#v", authErr)
	}
	if msg := err.Error(); !strings.Contains(msg, mockapi.DefaultClientID) || strings.Contains(msg, secret) {
		t.Errorf("message must name the client and not the secret: %q", msg)
	}
	if n := requests(srv, mockapi.RouteToken); n != 1 {
		t.Errorf("token requests = %d, want 1 (bad credentials are not retried)", n)
	}
	if n := requests(srv, mockapi.RouteGetDefinitions); n != 0 {
		t.Errorf("API requests = %d, want 0", n)
	}
}

func TestTokenThrottleRetried(t *testing.T) {
	t.Parallel()
	srv, base := newMock(t, mockapi.Options{Faults: mockapi.Faults{RateLimitPerMinute: -1, TokenThrottleNext: 2}})
	c := newTestClient(t, testConfig(base))
	if _, err := c.GetLicenseDefinition(context.Background(), "communicate"); err != nil {
		t.Fatal(err)
	}
	if n := requests(srv, mockapi.RouteToken); n != 3 {
		t.Errorf("token requests = %d, want 3", n)
	}

	// Throttling that outlasts the retries is an error, not an AuthError.
	srv2, base2 := newMock(t, mockapi.Options{Faults: mockapi.Faults{RateLimitPerMinute: -1, TokenThrottleNext: 100}})
	cfg := testConfig(base2)
	cfg.MaxRetries = 2
	c2 := newTestClient(t, cfg)
	_, err := c2.GetLicenseDefinition(context.Background(), "communicate")
	var authErr *AuthError
	if err == nil || errors.As(err, &authErr) || !strings.Contains(err.Error(), "rate limit exceeded") {
		t.Fatalf("err = %v", err)
	}
	if n := requests(srv2, mockapi.RouteToken); n != 3 {
		t.Errorf("token requests = %d, want 3", n)
	}
}

func TestTokenRenewedBeforeExpiry(t *testing.T) {
	t.Parallel()
	srv, base := newMock(t, mockapi.Options{TokenLifetime: 2 * time.Second})
	c := newTestClient(t, testConfig(base))
	ctx := context.Background()
	for range 3 {
		if _, err := c.GetLicenseUser(ctx, mockapi.UserID(1)); err != nil {
			t.Fatal(err)
		}
	}
	if n := requests(srv, mockapi.RouteToken); n != 1 {
		t.Fatalf("token requests = %d, want 1 (cached)", n)
	}
	time.Sleep(2100 * time.Millisecond)
	if _, err := c.GetLicenseUser(ctx, mockapi.UserID(1)); err != nil {
		t.Fatal(err)
	}
	if n := requests(srv, mockapi.RouteToken); n != 2 {
		t.Errorf("token requests = %d, want 2", n)
	}
	if n := requests(srv, mockapi.RouteGetUser); n != 4 {
		t.Errorf("GET user requests = %d, want 4 (renewed before use, no 401)", n)
	}
}

func TestTokenRenewedOn401(t *testing.T) {
	t.Parallel()
	srv, base := newMock(t, mockapi.Options{})
	c := newTestClient(t, testConfig(base))
	ctx := context.Background()
	if _, err := c.GetLicenseUser(ctx, mockapi.UserID(1)); err != nil {
		t.Fatal(err)
	}
	srv.RevokeTokens()
	if _, err := c.GetLicenseUser(ctx, mockapi.UserID(1)); err != nil {
		t.Fatalf("after revocation: %v", err)
	}
	if n := requests(srv, mockapi.RouteToken); n != 2 {
		t.Errorf("token requests = %d, want 2", n)
	}
	if n := requests(srv, mockapi.RouteGetUser); n != 3 {
		t.Errorf("GET user requests = %d, want 3 (ok, 401, ok)", n)
	}

	// A 401 that persists after one renewal is returned.
	srv.SetFaults(mockapi.Faults{RateLimitPerMinute: -1, FailNext: &mockapi.FailNext{Count: 10, Status: 401}})
	_, err := c.GetLicenseUser(ctx, mockapi.UserID(1))
	if !errors.Is(err, ErrAuthentication) {
		t.Fatalf("err = %v", err)
	}
	if n := requests(srv, mockapi.RouteGetUser); n != 5 {
		t.Errorf("GET user requests = %d, want 5 (one renewal only)", n)
	}
}

func TestStaticToken(t *testing.T) {
	t.Parallel()
	srv, base := newMock(t, mockapi.Options{})
	// Obtain a real token from the mock, as a user would outside Terraform.
	req, _ := http.NewRequestWithContext(context.Background(), http.MethodPost, base+"/oauth/token", strings.NewReader(url.Values{"grant_type": {"client_credentials"}}.Encode()))
	req.SetBasicAuth(mockapi.DefaultClientID, mockapi.DefaultClientSecret)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	err = json.NewDecoder(resp.Body).Decode(&tok)
	_ = resp.Body.Close()
	if err != nil || tok.AccessToken == "" {
		t.Fatalf("token: %v", err)
	}

	cfg := testConfig(base)
	cfg.ClientID, cfg.ClientSecret, cfg.AccessToken = "", "", tok.AccessToken
	c := newTestClient(t, cfg)
	ctx := context.Background()
	if _, err := c.GetLicenseUser(ctx, mockapi.UserID(2)); err != nil {
		t.Fatal(err)
	}
	srv.RevokeTokens()
	_, err = c.GetLicenseUser(ctx, mockapi.UserID(2))
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 401 || !errors.Is(err, ErrAuthentication) {
		t.Fatalf("err = %v; want a 401 APIError", err)
	}
	if strings.Contains(err.Error(), tok.AccessToken) {
		t.Error("error contains the token")
	}
	if n := requests(srv, mockapi.RouteToken); n != 1 {
		t.Errorf("token requests = %d; a static token is never renewed", n)
	}
	if n := requests(srv, mockapi.RouteGetUser); n != 2 {
		t.Errorf("GET user requests = %d, want 2", n)
	}
}

func TestTokenPoolRoundRobin(t *testing.T) {
	t.Parallel()
	srv, base := newMock(t, mockapi.Options{})
	rec := &recordingTransport{base: http.DefaultTransport}
	cfg := testConfig(base)
	cfg.TokenPoolSize = 3
	cfg.HTTPTransport = rec
	cfg.UserAgent = "terraform-provider-purecloud/9.9.9"
	c := newTestClient(t, cfg)
	ctx := context.Background()
	for range 9 {
		if _, err := c.GetLicenseToggle(ctx, "feature"); err != nil {
			t.Fatal(err)
		}
	}
	counts := map[string]int{}
	for _, a := range rec.authHeaders() {
		counts[a]++
	}
	if len(counts) != 3 {
		t.Fatalf("distinct tokens = %d, want 3: %v", len(counts), counts)
	}
	for a, n := range counts {
		if n != 3 {
			t.Errorf("token %.12s… used %d times, want 3", a, n)
		}
	}
	if n := requests(srv, mockapi.RouteToken); n != 3 {
		t.Errorf("token requests = %d, want 3", n)
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	for _, ua := range rec.userAgents {
		if ua != cfg.UserAgent {
			t.Fatalf("User-Agent = %q", ua)
		}
	}
}

// After the tokens are revoked, 50 concurrent calls that all see 401 share one token request
// per slot of the pool, and all succeed.
func TestTokenRenewalSharedAfterRevocation(t *testing.T) {
	t.Parallel()
	for _, pool := range []int{1, 3} {
		t.Run(fmt.Sprintf("pool %d", pool), func(t *testing.T) {
			t.Parallel()
			srv, base := newMock(t, mockapi.Options{Users: 1, Faults: mockapi.Faults{
				RateLimitPerMinute: -1,
				RouteLatency:       map[string]time.Duration{mockapi.RouteToken: 100 * time.Millisecond},
			}})
			cfg := testConfig(base)
			cfg.TokenPoolSize = pool
			c := newTestClient(t, cfg)
			ctx := context.Background()
			for range pool { // one token per slot
				if _, err := c.GetLicenseUser(ctx, mockapi.UserID(1)); err != nil {
					t.Fatal(err)
				}
			}
			srv.RevokeTokens()
			before := requests(srv, mockapi.RouteToken)
			var wg sync.WaitGroup
			errs := make(chan error, 50)
			for range 50 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					if _, err := c.GetLicenseUser(ctx, mockapi.UserID(1)); err != nil {
						errs <- err
					}
				}()
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Error(err)
			}
			if n := requests(srv, mockapi.RouteToken) - before; n != pool {
				t.Errorf("%d token requests after the revocation, want %d (one per slot)", n, pool)
			}
		})
	}
}
