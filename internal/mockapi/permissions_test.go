package mockapi

import (
	"net/http"
	"slices"
	"testing"
)

func TestRoutePermissions(t *testing.T) {
	t.Parallel()
	grant := []string{"authorization:grant:add"}
	grantOrView := []string{"authorization:grant:add", "authorization:license:view"}
	want := map[string][]string{
		RoutePostOrganization:     grant,
		RouteGetDefinitions:       grantOrView,
		RouteGetDefinition:        grantOrView,
		RouteGetUser:              grantOrView,
		RoutePostUsers:            grantOrView,
		RoutePostInferPermissions: grantOrView,
		RouteGetUsers:             nil,
		RoutePostInfer:            nil,
		RouteGetToggle:            nil,
		RoutePostToggle:           nil,
		RouteGetOrganization:      nil,
		RouteToken:                nil,
		"GET /nothing":            nil,
	}
	for route, w := range want {
		if got := RoutePermissions(route); !slices.Equal(got, w) {
			t.Errorf("RoutePermissions(%q) = %q, want %q", route, got, w)
		}
	}
	// The answer is a copy.
	RoutePermissions(RoutePostOrganization)[0] = "changed"
	if RoutePermissions(RoutePostOrganization)[0] != "authorization:grant:add" {
		t.Error("RoutePermissions returned shared storage")
	}
}

func TestPermissions(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		granted []string
		// denied maps the refused routes to the code they answer.
		denied map[string]string
	}{
		{name: "nil grants all", granted: nil},
		{name: "grant:add suffices everywhere", granted: []string{"authorization:grant:add"}},
		{name: "license:view cannot write", granted: []string{"authorization:license:view", "other:thing:view"},
			denied: map[string]string{RoutePostOrganization: "missing.permissions"}},
		{name: "none", granted: []string{}, denied: map[string]string{
			RoutePostOrganization:     "missing.permissions",
			RouteGetDefinitions:       "missing.any.permissions",
			RouteGetDefinition:        "missing.any.permissions",
			RouteGetUser:              "missing.any.permissions",
			RoutePostUsers:            "missing.any.permissions",
			RoutePostInferPermissions: "missing.any.permissions",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, Options{Users: 2, Permissions: tt.granted})
			for _, call := range apiCalls() {
				r := e.do(call.method, call.path, call.body)
				code, refused := tt.denied[call.route]
				if !refused {
					if r.status != http.StatusOK {
						t.Errorf("%s: status %d: %s", call.route, r.status, r.body)
					}
					continue
				}
				if r.status != http.StatusForbidden {
					t.Errorf("%s: status %d, want 403: %s", call.route, r.status, r.body)
					continue
				}
				var eb tForbidden
				r.decode(&eb)
				need := RoutePermissions(call.route)
				list := need[0]
				if len(need) == 2 {
					list += ", " + need[1]
				}
				if eb.Code != code || eb.Status != http.StatusForbidden ||
					eb.Message != "You are missing the following permission(s): "+list ||
					eb.MessageParams["permissions"] != list || eb.MessageWithParams == "" ||
					eb.ContextID != r.header.Get(CorrelationHeader) || eb.Errors == nil || len(eb.Errors) != 0 {
					t.Errorf("%s: 403 body %s", call.route, r.body)
				}
				if len(eb.Details) != len(need) {
					t.Errorf("%s: details %v", call.route, eb.Details)
				}
				for i, d := range eb.Details {
					if d != (tDetail{ErrorCode: code, EntityID: need[i]}) {
						t.Errorf("%s: detail %d = %+v", call.route, i, d)
					}
				}
			}
			// A refused write changes nothing.
			l, _ := e.s.UserLicenses(UserID(1))
			if _, refused := tt.denied[RoutePostOrganization]; refused == slices.Equal(l, []string{"communicate"}) {
				t.Errorf("user 1 after the write = %v (write refused: %v)", l, refused)
			}
		})
	}
}

func TestPermissionsOrder(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{Permissions: []string{}, Faults: Faults{RateLimitPerMinute: 2}})
	// Authentication comes first.
	e.doWith(http.MethodGet, "/api/v2/license/definitions", nil, nil).errorBody(http.StatusUnauthorized, "authentication.required")
	// FailNext comes after: a refused request does not consume it.
	e.s.SetFaults(Faults{RateLimitPerMinute: 2, FailNext: &FailNext{Count: 1, Status: 500}})
	e.do(http.MethodGet, "/api/v2/license/definitions", nil).wantStatus(http.StatusForbidden)
	e.do(http.MethodGet, "/api/v2/license/users", nil).errorBody(http.StatusInternalServerError, "internal.server.error")
	// The rate limit comes before: the third request is 429, not 403.
	e.do(http.MethodGet, "/api/v2/license/definitions", nil).errorBody(http.StatusTooManyRequests, "too.many.requests.retry.after")
}

func TestSetPermissionsAndReset(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{Permissions: []string{"authorization:license:view"}})
	e.do(http.MethodGet, "/api/v2/license/definitions", nil).wantStatus(http.StatusOK)
	e.s.SetPermissions([]string{})
	e.do(http.MethodGet, "/api/v2/license/definitions", nil).wantStatus(http.StatusForbidden)
	e.s.SetPermissions(nil)
	e.do(http.MethodPost, "/api/v2/license/organization", tBatch{Assignments: []tAssignment{}}).wantStatus(http.StatusOK)
	e.s.Reset()
	e.do(http.MethodPost, "/api/v2/license/organization", tBatch{Assignments: []tAssignment{}}).wantStatus(http.StatusForbidden)
	e.do(http.MethodGet, "/api/v2/license/definitions", nil).wantStatus(http.StatusOK)
}
