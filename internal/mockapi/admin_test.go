package mockapi

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestAdminUsers(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{Users: 2})
	noAuth := map[string]string{}

	// PUT replaces and creates; the stored list is deduplicated and sorted.
	var got []string
	e.doWith(http.MethodPut, "/_mock/users/new-user/licenses", `["wallboardUser","communicate","communicate"]`, noAuth).
		wantStatus(http.StatusOK).decode(&got)
	if !slices.Equal(got, []string{"communicate", "wallboardUser"}) {
		t.Errorf("PUT answered %v", got)
	}
	if l, ok := e.s.UserLicenses("new-user"); !ok || !slices.Equal(l, []string{"communicate", "wallboardUser"}) {
		t.Errorf("UserLicenses = %v, %v", l, ok)
	}
	if u := e.getUser("new-user"); !slices.Equal(licenseIDs(u.Licenses), []string{"communicate", "wallboardUser"}) {
		t.Errorf("API sees %v", licenseIDs(u.Licenses))
	}
	e.doWith(http.MethodPut, "/_mock/users/new-user/licenses", `[]`, noAuth).wantStatus(http.StatusOK)
	e.doWith(http.MethodGet, "/_mock/users/new-user/licenses", nil, noAuth).wantStatus(http.StatusOK).decode(&got)
	if got == nil || len(got) != 0 {
		t.Errorf("GET after clearing = %v", got)
	}

	e.doWith(http.MethodPut, "/_mock/users/x/licenses", `{"a":1}`, noAuth).errorBody(http.StatusBadRequest, "bad.request")
	e.doWith(http.MethodGet, "/_mock/users/ghost/licenses", nil, noAuth).errorBody(http.StatusNotFound, "not.found")

	// DELETE.
	r := e.doWith(http.MethodDelete, "/_mock/users/"+UserID(1), nil, noAuth)
	r.wantStatus(http.StatusNoContent)
	if _, ok := e.s.UserLicenses(UserID(1)); ok {
		t.Error("user still exists")
	}
	e.do(http.MethodGet, "/api/v2/license/users/"+UserID(1), nil).errorBody(http.StatusNotFound, "not.found")
	if st := e.batch(add("communicate", UserID(1))); st[0].Result != ResultUserNotFound {
		t.Errorf("batch on deleted user = %v", st)
	}
	e.doWith(http.MethodDelete, "/_mock/users/"+UserID(1), nil, noAuth).wantStatus(http.StatusNoContent)

	// Admin requests are not counted and need no token.
	st := e.s.Stats()
	for k := range st.Requests {
		if strings.Contains(k, "_mock") {
			t.Errorf("admin request counted: %s", k)
		}
	}
}

func TestAdminStatsAndFaults(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{Users: 1})
	e.do(http.MethodGet, "/api/v2/license/definitions", nil)
	e.do(http.MethodGet, "/api/v2/license/definitions/communicate", nil)
	e.do(http.MethodGet, "/api/v2/license/definitions/cloudCX1", nil)
	e.do(http.MethodGet, "/api/v2/license/users/"+UserID(1), nil)
	e.do(http.MethodGet, "/api/v2/license/users/nobody", nil) // 404 still counts
	e.do(http.MethodDelete, "/api/v2/license/users", nil)
	e.do(http.MethodGet, "/api/v2/nothing", nil)

	var st Stats
	e.doWith(http.MethodGet, "/_mock/stats", nil, nil).wantStatus(http.StatusOK).decode(&st)
	want := map[string]int{
		RouteToken:                     1,
		RouteGetDefinitions:            1,
		RouteGetDefinition:             2,
		RouteGetUser:                   2,
		"DELETE /api/v2/license/users": 1,
		"GET (unmatched)":              1,
	}
	for k, n := range want {
		if st.Requests[k] != n {
			t.Errorf("requests[%q] = %d, want %d (all: %v)", k, st.Requests[k], n, st.Requests)
		}
	}
	if len(st.Requests) != len(want) {
		t.Errorf("requests = %v", st.Requests)
	}

	// POST /_mock/faults replaces the faults; GET shows them.
	body := `{"latency":"120ms","fail_next":{"count":1,"status":500,"route":"GET /api/v2/license/definitions"},"item_failures":{"u/l":"NoSeatsAvailable"},"token_throttle_next":1}`
	var f Faults
	e.doWith(http.MethodPost, "/_mock/faults", body, nil).wantStatus(http.StatusOK).decode(&f)
	if f.Latency != 120*time.Millisecond || f.FailNext == nil || f.FailNext.Status != 500 || f.ItemFailures["u/l"] != "NoSeatsAvailable" || f.TokenThrottleNext != 1 {
		t.Errorf("faults = %+v", f)
	}
	r := e.do(http.MethodGet, "/api/v2/license/definitions", nil)
	r.errorBody(http.StatusInternalServerError, "internal.server.error")
	if r.took < 120*time.Millisecond {
		t.Errorf("latency not applied: %v", r.took)
	}
	e.doWith(http.MethodGet, "/_mock/faults", nil, nil).wantStatus(http.StatusOK).decode(&f)
	if f.FailNext != nil || f.Latency != 120*time.Millisecond {
		t.Errorf("after use: %+v", f)
	}
	// The new keys, with a route template and a concrete path.
	body = `{"route_latency":{"GET /api/v2/license/users/{userId}":"1ms","GET /api/v2/license/users/u1":"2ms","POST /oauth/token":"3ms"},` +
		`"response_delay":{"POST /api/v2/license/organization":"4ms"},"user_visibility_delay":{"u1":"5ms"},` +
		`"fail_next":{"count":2,"drop":true,"after_apply":true}}`
	e.doWith(http.MethodPost, "/_mock/faults", body, nil).wantStatus(http.StatusOK).decode(&f)
	if f.RouteLatency[RouteGetUser] != time.Millisecond || f.RouteLatency["GET /api/v2/license/users/u1"] != 2*time.Millisecond ||
		f.RouteLatency[RouteToken] != 3*time.Millisecond || f.ResponseDelay[RoutePostOrganization] != 4*time.Millisecond ||
		f.UserVisibilityDelay["u1"] != 5*time.Millisecond || f.FailNext == nil || !f.FailNext.Drop || !f.FailNext.AfterApply {
		t.Errorf("faults = %+v", f)
	}
	// ErrorRate's status and drop, injected Retry-After and seat limits.
	body = `{"error_rate":0.3,"error_status":429,"error_drop":true,"retry_after":"10m","seat_limits":{"cloudCX1":40}}`
	e.doWith(http.MethodPost, "/_mock/faults", body, nil).wantStatus(http.StatusOK).decode(&f)
	if f.ErrorRate != 0.3 || f.ErrorStatus != 429 || !f.ErrorDrop || f.RetryAfter != 10*time.Minute || f.SeatLimits["cloudCX1"] != 40 {
		t.Errorf("faults = %+v", f)
	}
	e.doWith(http.MethodPost, "/_mock/faults", `{}`, nil).wantStatus(http.StatusOK)
	if f := e.s.Faults(); f.Latency != 0 || f.TokenThrottleNext != 0 || f.ItemFailures != nil {
		t.Errorf("POST {} did not clear: %+v", f)
	}

	for _, bad := range []struct{ body, code string }{
		{`{"latency":"soon"}`, "bad.request"},
		{`{"unknown":1}`, "bad.request"},
		{`{"error_rate":1.5}`, "invalid.value"},
		{`{"fail_next":{"count":1,"status":200}}`, "invalid.value"},
		{`{"latency":"-1s"}`, "invalid.value"},
		{`{"route_latency":{"GET /api/v2/license/users":"-1s"}}`, "invalid.value"},
		{`{"route_latency":{"GET /api/v2/license/user":"1s"}}`, "invalid.value"},
		{`{"route_latency":{"/api/v2/license/users":"1s"}}`, "invalid.value"},
		{`{"response_delay":{"GET /_mock/stats":"1s"}}`, "invalid.value"},
		{`{"response_delay":{"POST /api/v2/license/organization":"-5ms"}}`, "invalid.value"},
		{`{"user_visibility_delay":{"u":"-1s"}}`, "invalid.value"},
		{`{"fail_next":{"count":1,"after_aply":true}}`, "bad.request"},
		{`{"response_delays":{}}`, "bad.request"},
		{`{"error_status":200}`, "invalid.value"},
		{`{"retry_after":"-1s"}`, "invalid.value"},
		{`{"seat_limits":{"cloudCX1":-1}}`, "invalid.value"},
	} {
		e.doWith(http.MethodPost, "/_mock/faults", bad.body, nil).errorBody(http.StatusBadRequest, bad.code)
	}
	e.doWith(http.MethodGet, "/_mock/nothing", nil, nil).errorBody(http.StatusNotFound, "not.found")
	e.doWith(http.MethodGet, "/_mock/reset", nil, nil).errorBody(http.StatusMethodNotAllowed, "method.not.allowed")
}

func TestAdminReset(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{
		Users:        3,
		Faults:       Faults{RateLimitPerMinute: 1000},
		UserLicenses: map[string][]string{"seeded-extra": {"collaborate"}, UserID(3): {"communicate"}},
		Roles:        map[string][]string{"seed-role": {"cloudCX2"}},
	})
	e.batch(add("cloudCX1", UserID(1)), remove("communicate", UserID(3)))
	e.s.SetUserLicenses("oob-user", []string{"communicate"})
	e.s.AddRole("temp-role", []string{"collaborate"})
	e.s.SetFaults(Faults{Latency: time.Second, ItemFailures: map[string]string{"a/b": "c"}})

	e.doWith(http.MethodPost, "/_mock/reset", nil, nil).wantStatus(http.StatusNoContent)

	if l, _ := e.s.UserLicenses(UserID(1)); len(l) != 0 {
		t.Errorf("user 1 = %v", l)
	}
	if l, _ := e.s.UserLicenses(UserID(3)); !slices.Equal(l, []string{"communicate"}) {
		t.Errorf("user 3 = %v", l)
	}
	if l, ok := e.s.UserLicenses("seeded-extra"); !ok || !slices.Equal(l, []string{"collaborate"}) {
		t.Errorf("seeded-extra = %v %v", l, ok)
	}
	if _, ok := e.s.UserLicenses("oob-user"); ok {
		t.Error("out-of-band user survived Reset")
	}
	if f := e.s.Faults(); f.Latency != 0 || f.ItemFailures != nil || f.RateLimitPerMinute != 1000 {
		t.Errorf("faults after reset = %+v", f)
	}
	if st := e.s.Stats(); len(st.Requests) != 0 || st.RateLimited != 0 {
		t.Errorf("stats after reset = %+v", st)
	}
	// The token is still valid; the seed roles are back, the added one is gone.
	var got []string
	e.do(http.MethodPost, "/api/v2/license/infer", []string{"seed-role", "temp-role"}).wantStatus(http.StatusOK).decode(&got)
	if !slices.Equal(got, []string{"cloudCX2"}) {
		t.Errorf("infer after reset = %v", got)
	}
	if ids := e.s.UserIDs(); len(ids) != 4 {
		t.Errorf("users after reset = %v", ids)
	}
}

func TestAdminRolesAndRevoke(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	e.doWith(http.MethodPut, "/_mock/roles/my-role", `["wallboardUser","collaborate"]`, nil).wantStatus(http.StatusOK)
	var got []string
	e.do(http.MethodPost, "/api/v2/license/infer", []string{"my-role"}).wantStatus(http.StatusOK).decode(&got)
	if !slices.Equal(got, []string{"collaborate", "wallboardUser"}) {
		t.Errorf("infer = %v", got)
	}
	if !slices.Contains(e.s.RoleIDs(), "my-role") || !slices.Contains(e.s.RoleIDs(), RoleAgent) {
		t.Errorf("RoleIDs = %v", e.s.RoleIDs())
	}

	e.doWith(http.MethodPost, "/_mock/tokens/revoke", nil, nil).wantStatus(http.StatusNoContent)
	e.do(http.MethodGet, "/api/v2/license/definitions", nil).errorBody(http.StatusUnauthorized, "bad.credentials")
	e.token = e.newToken()
	e.do(http.MethodGet, "/api/v2/license/definitions", nil).wantStatus(http.StatusOK)
}

func TestUserIDAndSeed(t *testing.T) {
	t.Parallel()
	if got := UserID(7); got != "00000000-0000-4000-8000-000000000007" {
		t.Errorf("UserID(7) = %q", got)
	}
	tests := []struct {
		users int
		want  int
	}{{0, DefaultUsers}, {-1, 0}, {3, 3}}
	for _, tt := range tests {
		s := New(Options{Users: tt.users})
		ids := s.UserIDs()
		if len(ids) != tt.want {
			t.Errorf("Users %d: %d users", tt.users, len(ids))
		}
		for i, id := range ids {
			if id != UserID(i+1) {
				t.Errorf("user %d = %q", i+1, id)
			}
			if l, _ := s.UserLicenses(id); len(l) != 0 {
				t.Errorf("seeded user %s has licenses %v", id, l)
			}
		}
	}
	want := []string{"cloudCX1", "cloudCX2", "cloudCX3", "collaborate", "communicate", "gc1WEMupgrade", "gc2WEMupgrade", "wallboardUser"}
	if got := New(Options{}).LicenseIDs(); !slices.Equal(got, want) {
		t.Errorf("LicenseIDs = %v", got)
	}
}

func TestCorrelationIDsUnique(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	seen := map[string]bool{}
	for _, path := range []string{"/api/v2/license/definitions", "/api/v2/nothing", "/_mock/stats", "/api/v2/license/definitions"} {
		r := e.do(http.MethodGet, path, nil)
		cid := r.header.Get(CorrelationHeader)
		if seen[cid] {
			t.Errorf("correlation id %q repeated", cid)
		}
		seen[cid] = true
	}
}
