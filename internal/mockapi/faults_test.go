package mockapi

import (
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestLatency(t *testing.T) {
	t.Parallel()
	const latency = 500 * time.Millisecond
	e := newEnv(t, Options{Faults: Faults{Latency: latency}})
	for _, path := range []string{"/api/v2/license/definitions", "/api/v2/license/nothing"} {
		if r := e.do(http.MethodGet, path, nil); r.took < latency {
			t.Errorf("%s took %v, want at least %v", path, r.took, latency)
		}
	}
	// Neither the token endpoint nor the admin API is delayed.
	start := time.Now()
	e.newToken()
	if took := time.Since(start); took >= latency {
		t.Errorf("token request took %v", took)
	}
	if r := e.doWith(http.MethodGet, "/_mock/stats", nil, nil); r.took >= latency {
		t.Errorf("admin request took %v", r.took)
	}
	// Changed at run time.
	e.s.SetFaults(Faults{})
	if r := e.do(http.MethodGet, "/api/v2/license/definitions", nil); r.took >= latency {
		t.Errorf("after clearing, took %v", r.took)
	}
}

func TestRateLimit(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{Faults: Faults{RateLimitPerMinute: 3}})
	for i := range 3 {
		e.do(http.MethodGet, "/api/v2/license/definitions", nil).wantStatus(http.StatusOK)
		_ = i
	}
	r := e.do(http.MethodGet, "/api/v2/license/users/"+UserID(1), nil)
	eb := r.errorBody(http.StatusTooManyRequests, "too.many.requests.retry.after")
	ra, err := strconv.Atoi(r.header.Get("Retry-After"))
	if err != nil || ra < 1 || ra > 60 {
		t.Fatalf("Retry-After = %q", r.header.Get("Retry-After"))
	}
	if want := fmt.Sprintf("Rate limit exceeded the maximum. Retry the request in [%d] seconds", ra); eb.Message != want {
		t.Errorf("message = %q, want %q", eb.Message, want)
	}
	if eb.Limit == nil || *eb.Limit != (tLimit{Key: "token.rate.per.minute", Namespace: "platform.api", Value: 3}) {
		t.Errorf("limit = %+v, want token.rate.per.minute/platform.api/3: %s", eb.Limit, r.body)
	}
	// POST counts too, and refusals do not use up the budget of another token.
	e.do(http.MethodPost, "/api/v2/license/infer", []string{}).errorBody(http.StatusTooManyRequests, "too.many.requests.retry.after")
	other := *e
	other.token = e.newToken()
	other.do(http.MethodGet, "/api/v2/license/definitions", nil).wantStatus(http.StatusOK)

	st := e.s.Stats()
	if st.RateLimited != 2 {
		t.Errorf("RateLimited = %d, want 2", st.RateLimited)
	}
	if st.Requests[RouteGetUser] != 1 || st.Requests[RouteGetDefinitions] != 4 {
		t.Errorf("requests = %v", st.Requests)
	}
}

func TestRateLimitWindowRecovers(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{Faults: Faults{RateLimitPerMinute: 2, RateLimitWindow: time.Second}})
	e.do(http.MethodGet, "/api/v2/license/definitions", nil).wantStatus(http.StatusOK)
	e.do(http.MethodGet, "/api/v2/license/definitions", nil).wantStatus(http.StatusOK)
	r := e.do(http.MethodGet, "/api/v2/license/definitions", nil)
	r.errorBody(http.StatusTooManyRequests, "too.many.requests.retry.after")
	if ra := r.header.Get("Retry-After"); ra != "1" {
		t.Errorf("Retry-After = %q, want 1", ra)
	}
	time.Sleep(1050 * time.Millisecond)
	e.do(http.MethodGet, "/api/v2/license/definitions", nil).wantStatus(http.StatusOK)
}

func TestRateLimitDefaultAndUnlimited(t *testing.T) {
	t.Parallel()
	t.Run("default 300", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, Options{})
		for i := range DefaultRateLimitPerMinute {
			if r := e.do(http.MethodGet, "/api/v2/license/toggles/x", nil); r.status != http.StatusOK {
				t.Fatalf("request %d: %d", i+1, r.status)
			}
		}
		e.do(http.MethodGet, "/api/v2/license/toggles/x", nil).errorBody(http.StatusTooManyRequests, "too.many.requests.retry.after")
	})
	t.Run("negative is unlimited", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, Options{Faults: Faults{RateLimitPerMinute: -1}})
		for i := range DefaultRateLimitPerMinute + 20 {
			if r := e.do(http.MethodGet, "/api/v2/license/toggles/x", nil); r.status != http.StatusOK {
				t.Fatalf("request %d: %d", i+1, r.status)
			}
		}
		if st := e.s.Stats(); st.RateLimited != 0 {
			t.Errorf("RateLimited = %d", st.RateLimited)
		}
	})
}

func TestFailNext(t *testing.T) {
	t.Parallel()
	tests := []struct {
		status    int
		code      string
		wantRetry string
	}{
		{400, "bad.request", ""},
		{401, "authentication.required", ""},
		{403, "missing.permissions", ""},
		{404, "not.found", ""},
		{408, "client.timeout", ""},
		{409, "conflict", ""},
		{429, "too.many.requests.retry.after", "1"},
		{500, "internal.server.error", ""},
		{502, "bad.gateway", ""},
		{503, "service.unavailable", ""},
		{504, "request.timeout", ""},
		{418, "client.error", ""},
		{0, "service.unavailable", ""}, // 0 means 503
	}
	for _, tt := range tests {
		t.Run(strconv.Itoa(tt.status), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, Options{Faults: Faults{FailNext: &FailNext{Count: 2, Status: tt.status}}})
			want := tt.status
			if want == 0 {
				want = 503
			}
			for range 2 {
				r := e.do(http.MethodGet, "/api/v2/license/definitions", nil)
				eb := r.errorBody(want, tt.code)
				if got := r.header.Get("Retry-After"); got != tt.wantRetry {
					t.Errorf("Retry-After = %q, want %q", got, tt.wantRetry)
				}
				// Only a 429 names the limit: the default one here.
				wantLimit := want == http.StatusTooManyRequests
				if (eb.Limit != nil) != wantLimit ||
					wantLimit && *eb.Limit != (tLimit{Key: "token.rate.per.minute", Namespace: "platform.api", Value: DefaultRateLimitPerMinute}) {
					t.Errorf("limit = %+v: %s", eb.Limit, r.body)
				}
			}
			e.do(http.MethodGet, "/api/v2/license/definitions", nil).wantStatus(http.StatusOK)
			if f := e.s.Faults(); f.FailNext != nil {
				t.Errorf("FailNext left: %+v", f.FailNext)
			}
			if st := e.s.Stats(); st.RateLimited != 0 || st.Requests[RouteGetDefinitions] != 3 {
				t.Errorf("stats = %+v", st)
			}
		})
	}
}

func TestFailNextRoute(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{Users: 2})
	e.s.SetFaults(Faults{FailNext: &FailNext{Count: 2, Status: 503, Route: RoutePostOrganization}})

	// Other routes pass.
	e.do(http.MethodGet, "/api/v2/license/definitions", nil).wantStatus(http.StatusOK)
	e.do(http.MethodPost, "/api/v2/license/users", []string{UserID(1)}).wantStatus(http.StatusOK)
	req := tBatch{Assignments: []tAssignment{add("communicate", UserID(1))}}
	for range 2 {
		e.do(http.MethodPost, "/api/v2/license/organization", req).errorBody(http.StatusServiceUnavailable, "service.unavailable")
		if l, _ := e.s.UserLicenses(UserID(1)); len(l) != 0 {
			t.Fatalf("failed request changed state: %v", l)
		}
	}
	if st := e.batch(req.Assignments...); len(st) != 1 || st[0].Result != ResultSuccess {
		t.Errorf("statuses = %v", st)
	}

	t.Run("concrete path", func(t *testing.T) {
		e.s.SetFaults(Faults{FailNext: &FailNext{Count: 1, Status: 500, Route: "GET /api/v2/license/users/" + UserID(2)}})
		e.do(http.MethodGet, "/api/v2/license/users/"+UserID(1), nil).wantStatus(http.StatusOK)
		e.do(http.MethodGet, "/api/v2/license/users/"+UserID(2), nil).errorBody(http.StatusInternalServerError, "internal.server.error")
		e.do(http.MethodGet, "/api/v2/license/users/"+UserID(2), nil).wantStatus(http.StatusOK)
	})
	t.Run("token endpoint only by route", func(t *testing.T) {
		e.s.SetFaults(Faults{FailNext: &FailNext{Count: 1, Status: 503}})
		e.newToken() // an empty Route does not match the token endpoint
		e.do(http.MethodGet, "/api/v2/license/definitions", nil).errorBody(http.StatusServiceUnavailable, "service.unavailable")

		e.s.SetFaults(Faults{FailNext: &FailNext{Count: 1, Status: 503, Route: RouteToken}})
		e.do(http.MethodGet, "/api/v2/license/definitions", nil).wantStatus(http.StatusOK)
		e.tokenRequest(DefaultClientID, DefaultClientSecret).errorBody(http.StatusServiceUnavailable, "service.unavailable")
		e.newToken()
	})
	t.Run("unauthenticated requests do not consume it", func(t *testing.T) {
		e.s.SetFaults(Faults{FailNext: &FailNext{Count: 1, Status: 500}})
		e.doWith(http.MethodGet, "/api/v2/license/definitions", nil, nil).errorBody(http.StatusUnauthorized, "authentication.required")
		e.do(http.MethodGet, "/api/v2/license/definitions", nil).errorBody(http.StatusInternalServerError, "internal.server.error")
	})
}

func TestErrorRate(t *testing.T) {
	t.Parallel()
	t.Run("always", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, Options{Faults: Faults{ErrorRate: 1, RateLimitPerMinute: -1}})
		for range 10 {
			e.do(http.MethodGet, "/api/v2/license/definitions", nil).errorBody(http.StatusServiceUnavailable, "service.unavailable")
		}
		e.newToken() // the token endpoint is not affected
	})
	t.Run("fraction, deterministic after Reset", func(t *testing.T) {
		t.Parallel()
		const n = 200
		e := newEnv(t, Options{Faults: Faults{ErrorRate: 0.5, RateLimitPerMinute: -1}})
		pattern := func() []bool {
			var out []bool
			for range n {
				r := e.do(http.MethodGet, "/api/v2/license/toggles/f", nil)
				if r.status != http.StatusOK && r.status != http.StatusServiceUnavailable {
					t.Fatalf("status %d", r.status)
				}
				out = append(out, r.status == http.StatusServiceUnavailable)
			}
			return out
		}
		first := pattern()
		failed := 0
		for _, f := range first {
			if f {
				failed++
			}
		}
		if failed < n*3/10 || failed > n*7/10 {
			t.Errorf("%d of %d failed at rate 0.5", failed, n)
		}
		e.s.Reset()
		if second := pattern(); !slices.Equal(first, second) {
			t.Errorf("failure pattern differs after Reset")
		}
	})
}

func TestVisibilityDelay(t *testing.T) {
	t.Parallel()
	const delay = 300 * time.Millisecond
	e := newEnv(t, Options{Users: 2, Faults: Faults{VisibilityDelay: delay}})
	e.s.SetUserLicenses(UserID(1), []string{"communicate"})
	start := time.Now()
	st := e.batch(add("cloudCX1", UserID(1)), remove("communicate", UserID(1)))
	if len(st) != 2 || st[0].Result != ResultSuccess || st[1].Result != ResultSuccess {
		t.Fatalf("statuses = %v", st)
	}
	// The truth changed at once.
	if truth, _ := e.s.UserLicenses(UserID(1)); !slices.Equal(truth, []string{"cloudCX1"}) {
		t.Errorf("truth = %v", truth)
	}
	var adminTruth []string
	e.doWith(http.MethodGet, "/_mock/users/"+UserID(1)+"/licenses", nil, nil).wantStatus(200).decode(&adminTruth)
	if !slices.Equal(adminTruth, []string{"cloudCX1"}) {
		t.Errorf("admin truth = %v", adminTruth)
	}

	reads := func() (user, batch, list, org []string) {
		user = licenseIDs(e.getUser(UserID(1)).Licenses)
		var m map[string][]string
		e.do(http.MethodPost, "/api/v2/license/users", []string{UserID(1)}).wantStatus(200).decode(&m)
		batch = m[UserID(1)]
		var l tListing
		e.do(http.MethodGet, "/api/v2/license/users", nil).wantStatus(200).decode(&l)
		list = l.Entities[0].Licenses
		var o tOrganization
		e.do(http.MethodGet, "/api/v2/license/organization", nil).wantStatus(200).decode(&o)
		for lic, refs := range o.Licenses {
			for _, r := range refs {
				if r.ID == UserID(1) {
					org = append(org, lic)
				}
			}
		}
		slices.Sort(org)
		return
	}
	u, b, l, o := reads()
	if time.Since(start) < delay {
		for name, got := range map[string][]string{"getLicenseUser": u, "postLicenseUsers": b, "getLicenseUsers": l, "getLicenseOrganization": o} {
			if !slices.Equal(got, []string{"communicate"}) {
				t.Errorf("%s before the delay = %v, want the old [communicate]", name, got)
			}
		}
	}
	time.Sleep(time.Until(start.Add(delay + 50*time.Millisecond)))
	u, b, l, o = reads()
	for name, got := range map[string][]string{"getLicenseUser": u, "postLicenseUsers": b, "getLicenseUsers": l, "getLicenseOrganization": o} {
		if !slices.Equal(got, []string{"cloudCX1"}) {
			t.Errorf("%s after the delay = %v, want [cloudCX1]", name, got)
		}
	}
	// Out-of-band changes are visible at once.
	e.s.SetUserLicenses(UserID(2), []string{"collaborate"})
	if got := licenseIDs(e.getUser(UserID(2)).Licenses); !slices.Equal(got, []string{"collaborate"}) {
		t.Errorf("out-of-band change not visible: %v", got)
	}
}

func TestTokenThrottle(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	e.s.SetFaults(Faults{TokenThrottleNext: 2})
	for range 2 {
		r := e.tokenRequest(DefaultClientID, DefaultClientSecret)
		if r.status != http.StatusBadRequest {
			t.Fatalf("status = %d", r.status)
		}
		var oe tOAuthError
		r.decode(&oe)
		if oe.Error != "invalid_request" || !strings.HasPrefix(oe.ErrorDescription, "rate limit exceeded;") {
			t.Errorf("error = %+v", oe)
		}
	}
	e.newToken()
	if f := e.s.Faults(); f.TokenThrottleNext != 0 {
		t.Errorf("TokenThrottleNext left = %d", f.TokenThrottleNext)
	}
	// API requests are unaffected.
	e.s.SetFaults(Faults{TokenThrottleNext: 1})
	e.do(http.MethodGet, "/api/v2/license/definitions", nil).wantStatus(http.StatusOK)
	if st := e.s.Stats(); st.Requests[RouteToken] != 4 {
		t.Errorf("token requests = %d, want 4", st.Requests[RouteToken])
	}
}

func TestFaultsJSON(t *testing.T) {
	t.Parallel()
	f := Faults{
		Latency:             50 * time.Millisecond,
		RateLimitPerMinute:  10,
		RateLimitWindow:     2 * time.Second,
		FailNext:            &FailNext{Count: 3, Status: 503, Route: RoutePostOrganization, AfterApply: true, Drop: true},
		ErrorRate:           0.25,
		ErrorStatus:         429,
		ErrorDrop:           true,
		RetryAfter:          600 * time.Second,
		SeatLimits:          map[string]int{"cloudCX1": 40},
		ItemFailures:        map[string]string{"u/l": "NoSeatsAvailable"},
		VisibilityDelay:     1500 * time.Millisecond,
		TokenThrottleNext:   4,
		UserVisibilityDelay: map[string]time.Duration{"u": 3 * time.Second},
		RouteLatency:        map[string]time.Duration{RouteGetUser: 20 * time.Millisecond},
		ResponseDelay:       map[string]time.Duration{RoutePostOrganization: time.Minute},
		Profile: Profile{SuccessWord: "SUCCESS", Statuses: StatusesNoContent, UsersShape: UsersShapeUserLicensesObjects,
			OmitUnlicensedUsers: true, UnknownIDs: UnknownIDsRejectRequest, DuplicateIDs: DuplicateIDsAccept,
			MaxPageSize: 25, ReadAfterWriteDelay: 2 * time.Second},
	}
	b, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	if m["latency"] != "50ms" || m["visibility_delay"] != "1.5s" || m["rate_limit_per_minute"] != 10.0 ||
		m["error_rate"] != 0.25 || m["token_throttle_next"] != 4.0 || m["rate_limit_window"] != "2s" ||
		m["error_status"] != 429.0 || m["error_drop"] != true || m["retry_after"] != "10m0s" {
		t.Errorf("encoded = %s", b)
	}
	for key, want := range map[string]string{
		"fail_next":             `{"after_apply":true,"count":3,"drop":true,"route":"POST /api/v2/license/organization","status":503}`,
		"user_visibility_delay": `{"u":"3s"}`,
		"seat_limits":           `{"cloudCX1":40}`,
		"route_latency":         `{"GET /api/v2/license/users/{userId}":"20ms"}`,
		"response_delay":        `{"POST /api/v2/license/organization":"1m0s"}`,
		"profile": `{"duplicate_ids":"accept","max_page_size":25,"omit_unlicensed_users":true,"read_after_write_delay":"2s",` +
			`"statuses":"no-content","success_word":"SUCCESS","unknown_ids":"reject-request","users_shape":"user-licenses-objects"}`,
	} {
		got, _ := json.Marshal(m[key])
		if string(got) != want {
			t.Errorf("%s = %s, want %s", key, got, want)
		}
	}
	var back Faults
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, f) {
		t.Errorf("round trip = %+v, want %+v", back, f)
	}

	for _, bad := range []string{
		`{"latency": 50}`,
		`{"latency": "fast"}`,
		`{"latency_ms": "50ms"}`,
		`{"fail_next": {"count": 1, "stauts": 500}}`,
		`{"fail_next": {"count": 1, "dorp": true}}`,
		`{"route_latency": {"GET /api/v2/license/users": 50}}`,
		`{"response_delay": ["1s"]}`,
		`{"error_status": "429"}`,
		`{"error_drop": 1}`,
		`{"retry_after": 600}`,
		`{"seat_limits": {"cloudCX1": "40"}}`,
		`{"user_visibility_delay": {"u": "soon"}}`,
		`{"profile": {"statuses": "everything"}}`,
		`{"profile": {"max_page_size": "25"}}`,
		`{"profile": {"unknown": true}}`,
		`[]`,
	} {
		var f Faults
		if err := json.Unmarshal([]byte(bad), &f); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}

func TestSetFaultsCopiesAndClamps(t *testing.T) {
	t.Parallel()
	s := New(Options{})
	fn := &FailNext{Count: 1}
	items := map[string]string{"a/b": "X"}
	seats := map[string]int{"cloudCX1": -3}
	s.SetFaults(Faults{FailNext: fn, ItemFailures: items, ErrorRate: 7, Latency: -time.Second,
		ErrorStatus: 200, RetryAfter: -time.Second, SeatLimits: seats})
	fn.Count = 100
	items["c/d"] = "Y"
	seats["cloudCX2"] = 1
	got := s.Faults()
	if got.FailNext.Count != 1 || len(got.ItemFailures) != 1 || got.ErrorRate != 1 || got.Latency != 0 ||
		got.ErrorStatus != 0 || got.RetryAfter != 0 || len(got.SeatLimits) != 1 || got.SeatLimits["cloudCX1"] != 0 {
		t.Errorf("faults = %+v", got)
	}
	got.ItemFailures["e/f"] = "Z"
	if len(s.Faults().ItemFailures) != 1 {
		t.Error("Faults() returned shared map")
	}
}
