package mockapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"slices"
	"syscall"
	"testing"
	"time"
)

// rawPost sends an authenticated JSON POST with its own client and returns
// the response (body read) or the transport error.
func (e *env) rawPost(path string, body any, timeout time.Duration) (*http.Response, []byte, error) {
	e.t.Helper()
	b, err := json.Marshal(body)
	if err != nil {
		e.t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(e.t.Context(), timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.base+path, bytes.NewReader(b))
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+e.token)
	hc := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	res, err := hc.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer res.Body.Close()
	rb, err := io.ReadAll(res.Body)
	return res, rb, err
}

func TestRouteLatency(t *testing.T) {
	t.Parallel()
	const d = 400 * time.Millisecond
	e := newEnv(t, Options{Users: 1, Faults: Faults{RouteLatency: map[string]time.Duration{
		RoutePostOrganization:                    d,
		"GET /api/v2/license/users/" + UserID(1): d, // a concrete path
	}}})
	slow := func(r *resp) bool { return r.took >= d }
	if r := e.do(http.MethodPost, "/api/v2/license/organization", tBatch{Assignments: []tAssignment{}}); !slow(r) {
		t.Errorf("POST organization took %v, want at least %v", r.took, d)
	}
	if r := e.do(http.MethodGet, "/api/v2/license/users/"+UserID(1), nil); !slow(r) {
		t.Errorf("GET user 1 took %v, want at least %v", r.took, d)
	}
	for _, other := range []struct{ method, path string }{
		{http.MethodGet, "/api/v2/license/organization"},
		{http.MethodGet, "/api/v2/license/users/nobody"},
		{http.MethodGet, "/api/v2/license/definitions"},
	} {
		if r := e.do(other.method, other.path, nil); slow(r) {
			t.Errorf("%s %s took %v: delayed by another route's latency", other.method, other.path, r.took)
		}
	}
	// In addition to Latency, and it may delay the token endpoint.
	e.s.SetFaults(Faults{Latency: d / 2, RouteLatency: map[string]time.Duration{RouteGetDefinitions: d / 2, RouteToken: d}})
	if r := e.do(http.MethodGet, "/api/v2/license/definitions", nil); !slow(r) {
		t.Errorf("Latency + RouteLatency took %v, want at least %v", r.took, d)
	}
	if r := e.do(http.MethodGet, "/api/v2/license/toggles/x", nil); slow(r) {
		t.Errorf("Latency alone took %v", r.took)
	}
	if r := e.tokenRequest(DefaultClientID, DefaultClientSecret); !slow(r) {
		t.Errorf("token took %v, want at least %v", r.took, d)
	}
}

func TestResponseDelay(t *testing.T) {
	t.Parallel()
	const d = 2 * time.Second
	e := newEnv(t, Options{Users: 2, Faults: Faults{ResponseDelay: map[string]time.Duration{RoutePostOrganization: d}}})
	start := time.Now()
	_, _, err := e.rawPost("/api/v2/license/organization", tBatch{Assignments: []tAssignment{add("communicate", UserID(1))}}, 300*time.Millisecond) //nolint:bodyclose // rawPost closes the body
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want the client's deadline", err)
	}
	if took := time.Since(start); took >= d {
		t.Errorf("the client waited %v", took)
	}
	// The request was applied although the client gave up (on a slow machine
	// the server may still be on its way to it, but well within its delay),
	// and stays applied after the server noticed the client had gone.
	for deadline := start.Add(d); ; time.Sleep(10 * time.Millisecond) {
		l, _ := e.s.UserLicenses(UserID(1))
		if slices.Equal(l, []string{"communicate"}) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("user 1 = %v, want [communicate]", l)
		}
	}
	time.Sleep(100 * time.Millisecond)
	if l, _ := e.s.UserLicenses(UserID(1)); !slices.Equal(l, []string{"communicate"}) {
		t.Errorf("user 1 after the client left = %v", l)
	}
	st := e.s.Stats()
	if st.Applied[RoutePostOrganization] != 1 || st.Requests[RoutePostOrganization] != 1 {
		t.Errorf("stats = %+v", st)
	}
	// A patient client gets the answer after the delay; other routes are not delayed.
	if r := e.do(http.MethodGet, "/api/v2/license/users/"+UserID(1), nil); r.took >= d {
		t.Errorf("GET user took %v", r.took)
	}
	r := e.do(http.MethodPost, "/api/v2/license/organization", tBatch{Assignments: []tAssignment{add("collaborate", UserID(2))}})
	r.wantStatus(http.StatusOK)
	if r.took < d {
		t.Errorf("POST took %v, want at least %v", r.took, d)
	}
	var sts []tStatus
	r.decode(&sts)
	if len(sts) != 1 || sts[0].Result != ResultSuccess || r.header.Get("Content-Type") != "application/json" {
		t.Errorf("answer after the delay: %s %v", r.body, r.header)
	}
}

func TestFailNextAfterApply(t *testing.T) {
	t.Parallel()
	tests := []struct {
		status int
		code   string
	}{{503, "service.unavailable"}, {504, "request.timeout"}, {429, "too.many.requests.retry.after"}, {500, "internal.server.error"}}
	for _, tt := range tests {
		t.Run(http.StatusText(tt.status), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, Options{Users: 2, Faults: Faults{FailNext: &FailNext{Count: 1, Status: tt.status, Route: RoutePostOrganization, AfterApply: true}}})
			e.do(http.MethodPost, "/api/v2/license/organization", tBatch{Assignments: []tAssignment{add("communicate", UserID(1))}}).
				errorBody(tt.status, tt.code)
			if l, _ := e.s.UserLicenses(UserID(1)); !slices.Equal(l, []string{"communicate"}) {
				t.Errorf("user 1 = %v: an after-apply failure must still apply", l)
			}
			// The retry succeeds and changes nothing more.
			if st := e.batch(add("communicate", UserID(1))); len(st) != 1 || st[0].Result != ResultSuccess {
				t.Errorf("retry statuses = %v", st)
			}
			st := e.s.Stats()
			if st.Applied[RoutePostOrganization] != 2 || st.Requests[RoutePostOrganization] != 2 || st.FaultsInjected != 1 {
				t.Errorf("stats = %+v, want 2 applied of 2 requests, 1 fault", st)
			}
		})
	}
	t.Run("before apply", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, Options{Users: 2, Faults: Faults{FailNext: &FailNext{Count: 1, Route: RoutePostOrganization}}})
		e.do(http.MethodPost, "/api/v2/license/organization", tBatch{Assignments: []tAssignment{add("communicate", UserID(1))}}).
			errorBody(http.StatusServiceUnavailable, "service.unavailable")
		if l, _ := e.s.UserLicenses(UserID(1)); len(l) != 0 {
			t.Errorf("user 1 = %v", l)
		}
		if st := e.s.Stats(); st.Applied[RoutePostOrganization] != 0 || st.FaultsInjected != 1 {
			t.Errorf("stats = %+v", st)
		}
	})
}

func TestFailNextDrop(t *testing.T) {
	t.Parallel()
	for _, afterApply := range []bool{false, true} {
		name := "before apply"
		if afterApply {
			name = "after apply"
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, Options{Users: 2, Faults: Faults{FailNext: &FailNext{Count: 1, Status: 500, Route: RoutePostOrganization, Drop: true, AfterApply: afterApply}}})
			start := time.Now()
			res, body, err := e.rawPost("/api/v2/license/organization", tBatch{Assignments: []tAssignment{add("communicate", UserID(1))}}, 5*time.Second) //nolint:bodyclose // rawPost closes the body
			if err == nil {
				t.Fatalf("the client got a response: %d %s", res.StatusCode, body)
			}
			if errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 4*time.Second {
				t.Fatalf("err = %v: a timeout, not a dropped connection", err)
			}
			if !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, syscall.ECONNRESET) {
				t.Errorf("err = %v, want a connection reset or EOF", err)
			}
			l, _ := e.s.UserLicenses(UserID(1))
			if applied := slices.Equal(l, []string{"communicate"}); applied != afterApply {
				t.Errorf("user 1 = %v, want applied = %v", l, afterApply)
			}
			st := e.s.Stats()
			wantApplied := 0
			if afterApply {
				wantApplied = 1
			}
			if st.FaultsInjected != 1 || st.Applied[RoutePostOrganization] != wantApplied {
				t.Errorf("stats = %+v", st)
			}
			// The next request is answered.
			e.batch(add("collaborate", UserID(2)))
		})
	}
}

func TestUserVisibilityDelay(t *testing.T) {
	t.Parallel()
	const d = 500 * time.Millisecond
	e := newEnv(t, Options{Users: 3, Faults: Faults{
		VisibilityDelay:     d / 5,
		UserVisibilityDelay: map[string]time.Duration{UserID(1): d, UserID(3): time.Millisecond},
	}})
	start := time.Now()
	e.batch(add("communicate", UserID(1), UserID(2), UserID(3)))
	time.Sleep(d / 5 * 2)
	var m map[string][]string
	e.do(http.MethodPost, "/api/v2/license/users", []string{UserID(1), UserID(2), UserID(3)}).wantStatus(http.StatusOK).decode(&m)
	if time.Since(start) < d {
		if len(m[UserID(1)]) != 0 {
			t.Errorf("user 1 visible before its own delay: %v", m)
		}
	}
	// The global delay still applies to user 3, whose own delay is shorter.
	if !slices.Equal(m[UserID(2)], []string{"communicate"}) || !slices.Equal(m[UserID(3)], []string{"communicate"}) {
		t.Errorf("users 2 and 3 after the global delay: %v", m)
	}
	time.Sleep(time.Until(start.Add(d + 50*time.Millisecond)))
	if got := licenseIDs(e.getUser(UserID(1)).Licenses); !slices.Equal(got, []string{"communicate"}) {
		t.Errorf("user 1 after its delay = %v", got)
	}
}

func TestFaultsInjectedCount(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	e.s.SetFaults(Faults{ErrorRate: 1, TokenThrottleNext: 1})
	e.tokenRequest(DefaultClientID, DefaultClientSecret).wantStatus(http.StatusBadRequest)
	e.do(http.MethodGet, "/api/v2/license/definitions", nil).errorBody(http.StatusServiceUnavailable, "service.unavailable")
	e.do(http.MethodGet, "/api/v2/license/definitions", nil).errorBody(http.StatusServiceUnavailable, "service.unavailable")
	e.s.SetFaults(Faults{RateLimitPerMinute: 1})
	e.token = e.newToken() // a fresh rate-limit window
	e.do(http.MethodGet, "/api/v2/license/definitions", nil).wantStatus(http.StatusOK)
	e.do(http.MethodGet, "/api/v2/license/definitions", nil).wantStatus(http.StatusTooManyRequests) // the real limit: not injected
	st := e.s.Stats()
	if st.FaultsInjected != 3 || st.RateLimited != 1 || st.Applied[RouteGetDefinitions] != 1 {
		t.Errorf("stats = %+v, want 3 injected, 1 rate limited, 1 applied", st)
	}
	e.s.Reset()
	if st := e.s.Stats(); st.FaultsInjected != 0 || len(st.Applied) != 0 {
		t.Errorf("after Reset: %+v", st)
	}
}

func TestErrorRateStatusAndDrop(t *testing.T) {
	t.Parallel()
	t.Run("429 with Retry-After and limit", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, Options{Faults: Faults{ErrorRate: 1, ErrorStatus: http.StatusTooManyRequests, RateLimitPerMinute: 50}})
		for range 3 {
			r := e.do(http.MethodGet, "/api/v2/license/definitions", nil)
			eb := r.errorBody(http.StatusTooManyRequests, "too.many.requests.retry.after")
			if got := r.header.Get("Retry-After"); got != "1" {
				t.Errorf("Retry-After = %q, want 1", got)
			}
			if eb.Limit == nil || *eb.Limit != (tLimit{Key: "token.rate.per.minute", Namespace: "platform.api", Value: 50}) {
				t.Errorf("limit = %+v: %s", eb.Limit, r.body)
			}
		}
		// Injected, not the rate limit.
		if st := e.s.Stats(); st.FaultsInjected != 3 || st.RateLimited != 0 {
			t.Errorf("stats = %+v, want 3 injected and 0 rate limited", st)
		}
	})
	t.Run("504", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, Options{Faults: Faults{ErrorRate: 1, ErrorStatus: http.StatusGatewayTimeout}})
		r := e.do(http.MethodGet, "/api/v2/license/definitions", nil)
		r.errorBody(http.StatusGatewayTimeout, "request.timeout")
		if got := r.header.Get("Retry-After"); got != "" {
			t.Errorf("Retry-After = %q on a 504", got)
		}
	})
	t.Run("drop changes nothing", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, Options{Users: 1, Faults: Faults{ErrorRate: 1, ErrorDrop: true, ErrorStatus: http.StatusTooManyRequests}})
		res, body, err := e.rawPost("/api/v2/license/organization", tBatch{Assignments: []tAssignment{add("communicate", UserID(1))}}, 5*time.Second) //nolint:bodyclose // rawPost closes the body
		if err == nil {
			t.Fatalf("the client got a response: %d %s", res.StatusCode, body)
		}
		if !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, syscall.ECONNRESET) {
			t.Errorf("err = %v, want a connection reset or EOF", err)
		}
		if l, _ := e.s.UserLicenses(UserID(1)); len(l) != 0 {
			t.Errorf("a dropped request changed state: %v", l)
		}
		if st := e.s.Stats(); st.FaultsInjected != 1 || st.Applied[RoutePostOrganization] != 0 {
			t.Errorf("stats = %+v", st)
		}
		// The token endpoint is not affected.
		e.newToken()
	})
}

func TestInjectedRetryAfter(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		retryAfter time.Duration
		want       string
	}{{0, "1"}, {600 * time.Second, "600"}, {1500 * time.Millisecond, "2"}} {
		t.Run(tt.want, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, Options{Faults: Faults{RetryAfter: tt.retryAfter,
				FailNext: &FailNext{Count: 1, Status: http.StatusTooManyRequests}}})
			r := e.do(http.MethodGet, "/api/v2/license/definitions", nil)
			eb := r.errorBody(http.StatusTooManyRequests, "too.many.requests.retry.after")
			if got := r.header.Get("Retry-After"); got != tt.want {
				t.Errorf("Retry-After = %q, want %s", got, tt.want)
			}
			if want := "Rate limit exceeded the maximum. Retry the request in [" + tt.want + "] seconds"; eb.Message != want {
				t.Errorf("message = %q, want %q", eb.Message, want)
			}
		})
	}
	t.Run("not for the rate limit", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, Options{Faults: Faults{RetryAfter: 600 * time.Second, RateLimitPerMinute: 1, RateLimitWindow: 2 * time.Second}})
		e.do(http.MethodGet, "/api/v2/license/definitions", nil).wantStatus(http.StatusOK)
		r := e.do(http.MethodGet, "/api/v2/license/definitions", nil)
		r.errorBody(http.StatusTooManyRequests, "too.many.requests.retry.after")
		if got := r.header.Get("Retry-After"); got != "1" && got != "2" {
			t.Errorf("Retry-After = %q, want the time left in the 2 s window", got)
		}
	})
}
