package mockapi

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
)

func TestGetDefinitions(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	r := e.do(http.MethodGet, "/api/v2/license/definitions", nil).wantStatus(http.StatusOK)
	if ct := r.header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type = %q", ct)
	}
	var defs []tDefinition
	r.decode(&defs)
	ids := licenseIDs(defs)
	if !slices.Equal(ids, e.s.LicenseIDs()) {
		t.Errorf("ids = %v, LicenseIDs() = %v", ids, e.s.LicenseIDs())
	}
	if !slices.IsSorted(ids) {
		t.Errorf("ids not sorted: %v", ids)
	}
	for _, want := range []string{"communicate", "collaborate", "cloudCX1", "cloudCX2", "cloudCX3", "wallboardUser", "gc2WEMupgrade"} {
		if !slices.Contains(ids, want) {
			t.Errorf("definition %q missing", want)
		}
	}
	for _, d := range defs {
		if d.Description == "" || d.SelfURI != "/api/v2/license/definitions/"+d.ID || d.Prerequisites == nil || d.Comprises == nil {
			t.Errorf("definition %+v incomplete", d)
		}
	}
	// The list omits permissions, also in nested comprises.
	if strings.Contains(string(r.body), `"permissions"`) {
		t.Errorf("list contains permissions: %s", r.body)
	}
	if strings.Contains(string(r.body), `"name"`) {
		t.Errorf("definitions have no name field: %s", r.body)
	}
}

func TestGetDefinition(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	tests := []struct {
		id            string
		prerequisites []string
		comprises     []string // direct
		somePerm      string
	}{
		{id: "communicate", somePerm: "directory:user:view"},
		{id: "collaborate", somePerm: "chat:chat:access"},
		{id: "cloudCX1", comprises: []string{"communicate"}, somePerm: "routing:queue:view"},
		{id: "cloudCX2", comprises: []string{"cloudCX1"}, somePerm: "conversation:email:accept"},
		{id: "cloudCX3", comprises: []string{"cloudCX2"}, somePerm: "wfm:agentSchedule:view"},
		{id: "wallboardUser", somePerm: "analytics:queueObservation:view"},
		{id: "gc1WEMupgrade", prerequisites: []string{"cloudCX1"}, somePerm: "quality:evaluation:view"},
		{id: "gc2WEMupgrade", prerequisites: []string{"cloudCX2"}, somePerm: "quality:calibration:view"},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			t.Parallel()
			ee := *e
			ee.t = t
			var d tDefinition
			ee.do(http.MethodGet, "/api/v2/license/definitions/"+tt.id, nil).wantStatus(http.StatusOK).decode(&d)
			if d.ID != tt.id || d.SelfURI != "/api/v2/license/definitions/"+tt.id || d.Description == "" {
				t.Errorf("definition = %+v", d)
			}
			if d.Permissions == nil || !slices.Contains(d.Permissions.IDs, tt.somePerm) {
				t.Errorf("permissions %+v lack %q", d.Permissions, tt.somePerm)
			}
			var pre []string
			for _, p := range d.Prerequisites {
				pre = append(pre, p.ID)
				if p.SelfURI != "/api/v2/license/definitions/"+p.ID {
					t.Errorf("prerequisite selfUri %q", p.SelfURI)
				}
			}
			if !slices.Equal(pre, tt.prerequisites) {
				t.Errorf("prerequisites = %v, want %v", pre, tt.prerequisites)
			}
			if got := licenseIDs(d.Comprises); !slices.Equal(got, append([]string{}, tt.comprises...)) {
				t.Errorf("comprises = %v, want %v", got, tt.comprises)
			}
			// A comprising license has every permission of what it comprises.
			for _, c := range d.Comprises {
				if c.Permissions == nil {
					t.Fatalf("comprised %q has no permissions", c.ID)
				}
				for _, p := range c.Permissions.IDs {
					if !slices.Contains(d.Permissions.IDs, p) {
						t.Errorf("%s lacks %s of comprised %s", d.ID, p, c.ID)
					}
				}
			}
		})
	}

	t.Run("nested comprises", func(t *testing.T) {
		t.Parallel()
		ee := *e
		ee.t = t
		var d tDefinition
		ee.do(http.MethodGet, "/api/v2/license/definitions/cloudCX3", nil).wantStatus(http.StatusOK).decode(&d)
		var chain []string
		for cur := d; len(cur.Comprises) > 0; cur = cur.Comprises[0] {
			chain = append(chain, cur.Comprises[0].ID)
		}
		if want := []string{"cloudCX2", "cloudCX1", "communicate"}; !slices.Equal(chain, want) {
			t.Errorf("comprises chain = %v, want %v", chain, want)
		}
	})
	t.Run("unknown", func(t *testing.T) {
		t.Parallel()
		ee := *e
		ee.t = t
		ee.do(http.MethodGet, "/api/v2/license/definitions/noSuchLicense", nil).errorBody(http.StatusNotFound, "not.found")
	})
}

func TestToggles(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	for _, method := range []string{http.MethodGet, http.MethodPost} {
		for _, feature := range []string{"someFeature", "a.b-c"} {
			t.Run(method+" "+feature, func(t *testing.T) {
				t.Parallel()
				ee := *e
				ee.t = t
				var tg tToggle
				ee.do(method, "/api/v2/license/toggles/"+feature, nil).wantStatus(http.StatusOK).decode(&tg)
				if tg.FeatureName != feature || !tg.Enabled {
					t.Errorf("toggle = %+v", tg)
				}
			})
		}
	}
}

func TestGetUser(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{Users: 3})
	e.s.SetUserLicenses(UserID(2), []string{"wallboardUser", "cloudCX1", "cloudCX1"})
	e.s.SetUserLicenses("custom-user", []string{"retiredLicense"})

	t.Run("seeded without licenses", func(t *testing.T) {
		t.Parallel()
		ee := *e
		ee.t = t
		r := ee.do(http.MethodGet, "/api/v2/license/users/"+UserID(1), nil).wantStatus(http.StatusOK)
		var u tLicenseUser
		r.decode(&u)
		if u.ID != UserID(1) || u.SelfURI != "/api/v2/license/users/"+UserID(1) || u.Licenses == nil || len(u.Licenses) != 0 {
			t.Errorf("user = %+v (%s)", u, r.body)
		}
	})
	t.Run("full definitions", func(t *testing.T) {
		t.Parallel()
		ee := *e
		ee.t = t
		u := ee.getUser(UserID(2))
		if got := licenseIDs(u.Licenses); !slices.Equal(got, []string{"cloudCX1", "wallboardUser"}) {
			t.Fatalf("licenses = %v", got)
		}
		cx1 := u.Licenses[0]
		if cx1.Description == "" || cx1.Permissions == nil || len(cx1.Permissions.IDs) == 0 ||
			cx1.SelfURI != "/api/v2/license/definitions/cloudCX1" || len(cx1.Comprises) != 1 {
			t.Errorf("license is not a full definition: %+v", cx1)
		}
	})
	t.Run("license without definition", func(t *testing.T) {
		t.Parallel()
		ee := *e
		ee.t = t
		u := ee.getUser("custom-user")
		if len(u.Licenses) != 1 || u.Licenses[0].ID != "retiredLicense" || u.Licenses[0].SelfURI != "/api/v2/license/definitions/retiredLicense" {
			t.Errorf("licenses = %+v", u.Licenses)
		}
	})
	t.Run("unknown", func(t *testing.T) {
		t.Parallel()
		ee := *e
		ee.t = t
		ee.do(http.MethodGet, "/api/v2/license/users/no-such-user", nil).errorBody(http.StatusNotFound, "not.found")
	})
	t.Run("deleted", func(t *testing.T) {
		t.Parallel()
		ee := *e
		ee.t = t
		ee.s.DeleteUser(UserID(3))
		ee.do(http.MethodGet, "/api/v2/license/users/"+UserID(3), nil).errorBody(http.StatusNotFound, "not.found")
	})
}

func TestGetUsersPaging(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{Users: 7, MaxPageSize: 50})
	e.s.SetUserLicenses(UserID(5), []string{"communicate", "cloudCX2"})
	empty := newEnv(t, Options{Users: -1})
	many := newEnv(t, Options{Users: 60})

	tests := []struct {
		name      string
		env       *env
		query     string
		wantCode  string // 400 code; "" for 200
		size, num int
		total     int
		pageCount int
		ids       []int // seeded user numbers on the page
	}{
		{name: "defaults", env: e, query: "", size: 25, num: 1, total: 7, pageCount: 1, ids: []int{1, 2, 3, 4, 5, 6, 7}},
		{name: "zero means default", env: e, query: "?pageSize=0&pageNumber=0", size: 25, num: 1, total: 7, pageCount: 1, ids: []int{1, 2, 3, 4, 5, 6, 7}},
		{name: "first page", env: e, query: "?pageSize=3&pageNumber=1", size: 3, num: 1, total: 7, pageCount: 3, ids: []int{1, 2, 3}},
		{name: "middle page", env: e, query: "?pageSize=3&pageNumber=2", size: 3, num: 2, total: 7, pageCount: 3, ids: []int{4, 5, 6}},
		{name: "last partial page", env: e, query: "?pageSize=3&pageNumber=3", size: 3, num: 3, total: 7, pageCount: 3, ids: []int{7}},
		{name: "past the end", env: e, query: "?pageSize=3&pageNumber=4", size: 3, num: 4, total: 7, pageCount: 3, ids: []int{}},
		{name: "far past the end", env: e, query: "?pageSize=3&pageNumber=9223372036854775807", size: 3, num: 9223372036854775807, total: 7, pageCount: 3, ids: []int{}},
		{name: "exact pages", env: e, query: "?pageSize=7", size: 7, num: 1, total: 7, pageCount: 1, ids: []int{1, 2, 3, 4, 5, 6, 7}},
		{name: "max page size", env: e, query: "?pageSize=50", size: 50, num: 1, total: 7, pageCount: 1, ids: []int{1, 2, 3, 4, 5, 6, 7}},
		{name: "no users", env: empty, query: "", size: 25, num: 1, total: 0, pageCount: 0, ids: []int{}},
		{name: "default size over 60 users", env: many, query: "?pageNumber=3", size: 25, num: 3, total: 60, pageCount: 3,
			ids: []int{51, 52, 53, 54, 55, 56, 57, 58, 59, 60}},
		{name: "default max page size", env: many, query: "?pageSize=101", wantCode: "invalid.value"},
		{name: "above max page size", env: e, query: "?pageSize=51", wantCode: "invalid.value"},
		{name: "negative page size", env: e, query: "?pageSize=-1", wantCode: "invalid.value"},
		{name: "non-numeric page size", env: e, query: "?pageSize=ten", wantCode: "invalid.value"},
		{name: "negative page number", env: e, query: "?pageNumber=-2", wantCode: "invalid.value"},
		{name: "non-numeric page number", env: e, query: "?pageNumber=1.5", wantCode: "invalid.value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ee := *tt.env
			ee.t = t
			r := ee.do(http.MethodGet, "/api/v2/license/users"+tt.query, nil)
			if tt.wantCode != "" {
				r.errorBody(http.StatusBadRequest, tt.wantCode)
				return
			}
			r.wantStatus(http.StatusOK)
			var l tListing
			r.decode(&l)
			if l.PageSize != tt.size || l.PageNumber != tt.num || l.Total != tt.total || l.PageCount != tt.pageCount {
				t.Errorf("listing = size %d num %d total %d count %d, want %d %d %d %d",
					l.PageSize, l.PageNumber, l.Total, l.PageCount, tt.size, tt.num, tt.total, tt.pageCount)
			}
			if l.Entities == nil {
				t.Fatalf("entities is null: %s", r.body)
			}
			var got []int
			for _, ent := range l.Entities {
				var n int
				if _, err := fmt.Sscanf(ent.ID, "00000000-0000-4000-8000-%012d", &n); err != nil {
					t.Fatalf("unexpected id %q", ent.ID)
				}
				got = append(got, n)
				if ent.SelfURI != "/api/v2/license/users/"+ent.ID || ent.Licenses == nil {
					t.Errorf("entity = %+v", ent)
				}
				wantLic := []string{}
				if ent.ID == UserID(5) && tt.env == e {
					wantLic = []string{"cloudCX2", "communicate"}
				}
				if !slices.Equal(ent.Licenses, wantLic) {
					t.Errorf("user %s licenses = %v, want %v", ent.ID, ent.Licenses, wantLic)
				}
			}
			if !slices.Equal(append([]int{}, got...), tt.ids) {
				t.Errorf("page users = %v, want %v", got, tt.ids)
			}
		})
	}
}

func TestPostLicenseUsers(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{Users: 5, MaxBatchUsers: 3})
	e.s.SetUserLicenses(UserID(1), []string{"wallboardUser", "communicate"})

	tests := []struct {
		name        string
		body        any
		contentType string
		wantStatus  int
		wantCode    string
		want        map[string][]string
	}{
		{name: "known and unknown", body: []string{UserID(1), UserID(2), "ghost"}, wantStatus: 200,
			want: map[string][]string{UserID(1): {"communicate", "wallboardUser"}, UserID(2): {}}},
		{name: "duplicates count once", body: []string{UserID(1), UserID(1), UserID(2), UserID(3), UserID(3)}, wantStatus: 200,
			want: map[string][]string{UserID(1): {"communicate", "wallboardUser"}, UserID(2): {}, UserID(3): {}}},
		{name: "empty array", body: []string{}, wantStatus: 200, want: map[string][]string{}},
		{name: "too many ids", body: []string{UserID(1), UserID(2), UserID(3), UserID(4)}, wantStatus: 400, wantCode: "invalid.value"},
		{name: "object body", body: `{"ids":[]}`, wantStatus: 400, wantCode: "bad.request"},
		{name: "null body", body: `null`, wantStatus: 400, wantCode: "bad.request"},
		{name: "malformed", body: `["a",`, wantStatus: 400, wantCode: "bad.request"},
		{name: "empty body", body: []byte{}, wantStatus: 400, wantCode: "bad.request"},
		{name: "text/plain", body: `["a"]`, contentType: "text/plain", wantStatus: 415, wantCode: "unsupported.media.type"},
		{name: "json with charset", body: `["` + UserID(2) + `"]`, contentType: "application/json; charset=utf-8", wantStatus: 200,
			want: map[string][]string{UserID(2): {}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ee := *e
			ee.t = t
			h := map[string]string{"Authorization": "Bearer " + e.token}
			if tt.contentType != "" {
				h["Content-Type"] = tt.contentType
			}
			r := ee.doWith(http.MethodPost, "/api/v2/license/users", tt.body, h)
			if tt.wantCode != "" {
				r.errorBody(tt.wantStatus, tt.wantCode)
				return
			}
			r.wantStatus(tt.wantStatus)
			var got map[string][]string
			r.decode(&got)
			if len(got) != len(tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
			for id, want := range tt.want {
				if g, ok := got[id]; !ok || g == nil || !slices.Equal(g, want) {
					t.Errorf("%s: got %v (present %v), want %v (%s)", id, g, ok, want, r.body)
				}
			}
		})
	}
}

func TestPostLicenseInfer(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{Roles: map[string][]string{"custom-role": {"collaborate", "wallboardUser"}}})
	e.s.AddRole("added-role", []string{"gc2WEMupgrade"})
	tests := []struct {
		name     string
		body     any
		want     []string
		wantCode string
	}{
		{name: "employee", body: []string{RoleEmployee}, want: []string{"communicate"}},
		{name: "agent", body: []string{RoleAgent}, want: []string{"cloudCX1"}},
		{name: "union sorted", body: []string{RoleSupervisor, RoleEmployee, RoleAgent}, want: []string{"cloudCX1", "cloudCX3", "communicate", "wallboardUser"}},
		{name: "overlap", body: []string{RoleSupervisor, "custom-role"}, want: []string{"cloudCX3", "collaborate", "wallboardUser"}},
		{name: "unknown role", body: []string{"no-such-role"}, want: []string{}},
		{name: "role without licenses", body: []string{RoleMasterAdmin}, want: []string{}},
		{name: "empty", body: []string{}, want: []string{}},
		{name: "added role", body: []string{"added-role", RoleDigitalAgent}, want: []string{"cloudCX2", "gc2WEMupgrade"}},
		{name: "object body", body: `{}`, wantCode: "bad.request"},
		{name: "numbers", body: `[1,2]`, wantCode: "bad.request"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ee := *e
			ee.t = t
			r := ee.do(http.MethodPost, "/api/v2/license/infer", tt.body)
			if tt.wantCode != "" {
				r.errorBody(http.StatusBadRequest, tt.wantCode)
				return
			}
			var got []string
			r.wantStatus(http.StatusOK).decode(&got)
			if got == nil || !slices.Equal(got, tt.want) {
				t.Errorf("got %v (%s), want %v", got, r.body, tt.want)
			}
		})
	}
}

func TestPostLicenseInferPermissions(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	tests := []struct {
		name string
		body []string
		want []string
	}{
		{name: "wallboard", body: []string{"analytics:queueObservation:view"}, want: []string{"wallboardUser"}},
		{name: "comprised permission", body: []string{"routing:queue:view"}, want: []string{"cloudCX1", "cloudCX2", "cloudCX3"}},
		{name: "any of", body: []string{"chat:chat:access", "quality:calibration:view"}, want: []string{"collaborate", "gc2WEMupgrade"}},
		{name: "unknown", body: []string{"nothing:at:all"}, want: []string{}},
		{name: "empty", body: []string{}, want: []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ee := *e
			ee.t = t
			var got []string
			ee.do(http.MethodPost, "/api/v2/license/infer/permissions", tt.body).wantStatus(http.StatusOK).decode(&got)
			if got == nil || !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestGetLicenseOrganization(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{Users: 3})
	e.batch(add("cloudCX1", UserID(1), UserID(3)), add("wallboardUser", UserID(3)))
	var org tOrganization
	r := e.do(http.MethodGet, "/api/v2/license/organization", nil).wantStatus(http.StatusOK)
	r.decode(&org)
	if org.ID != OrganizationID || org.Name == "" || org.SelfURI != "/api/v2/license/organization" {
		t.Errorf("organization = %+v", org)
	}
	for _, id := range e.s.LicenseIDs() {
		if refs, ok := org.Licenses[id]; !ok || refs == nil {
			t.Errorf("license %q missing from %s", id, r.body)
		}
	}
	users := func(id string) []string {
		var out []string
		for _, ref := range org.Licenses[id] {
			out = append(out, ref.ID)
			if ref.SelfURI != "/api/v2/users/"+ref.ID {
				t.Errorf("user selfUri %q", ref.SelfURI)
			}
		}
		return out
	}
	if got := users("cloudCX1"); !slices.Equal(got, []string{UserID(1), UserID(3)}) {
		t.Errorf("cloudCX1 users = %v", got)
	}
	if got := users("wallboardUser"); !slices.Equal(got, []string{UserID(3)}) {
		t.Errorf("wallboardUser users = %v", got)
	}
	if got := users("communicate"); len(got) != 0 {
		t.Errorf("communicate users = %v", got)
	}
}

func TestRouting(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	tests := []struct {
		name       string
		method     string
		path       string
		auth       bool
		wantStatus int
		wantCode   string
		wantAllow  string
	}{
		{name: "unknown api path", method: "GET", path: "/api/v2/license/nothing", auth: true, wantStatus: 404, wantCode: "not.found"},
		{name: "unknown path without auth", method: "GET", path: "/api/v2/users", wantStatus: 404, wantCode: "not.found"},
		{name: "root", method: "GET", path: "/", wantStatus: 404, wantCode: "not.found"},
		{name: "trailing slash", method: "GET", path: "/api/v2/license/definitions/", auth: true, wantStatus: 404, wantCode: "not.found"},
		{name: "too deep", method: "GET", path: "/api/v2/license/users/a/b", auth: true, wantStatus: 404, wantCode: "not.found"},
		{name: "delete definitions", method: "DELETE", path: "/api/v2/license/definitions", auth: true, wantStatus: 405, wantCode: "method.not.allowed", wantAllow: "GET"},
		{name: "put user", method: "PUT", path: "/api/v2/license/users/x", auth: true, wantStatus: 405, wantCode: "method.not.allowed", wantAllow: "GET"},
		{name: "patch organization", method: "PATCH", path: "/api/v2/license/organization", auth: true, wantStatus: 405, wantCode: "method.not.allowed", wantAllow: "GET, POST"},
		{name: "get infer", method: "GET", path: "/api/v2/license/infer", auth: true, wantStatus: 405, wantCode: "method.not.allowed", wantAllow: "POST"},
		{name: "escaped user id", method: "GET", path: "/api/v2/license/users/" + strings.ReplaceAll(UserID(1), "-", "%2D"), auth: true, wantStatus: 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ee := *e
			ee.t = t
			h := map[string]string{}
			if tt.auth {
				h["Authorization"] = "Bearer " + e.token
			}
			r := ee.doWith(tt.method, tt.path, nil, h)
			if tt.wantCode == "" {
				r.wantStatus(tt.wantStatus)
				return
			}
			r.errorBody(tt.wantStatus, tt.wantCode)
			if got := r.header.Get("Allow"); got != tt.wantAllow {
				t.Errorf("Allow = %q, want %q", got, tt.wantAllow)
			}
		})
	}
}

func TestBodyLimits(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	big := make([]string, 0, 40000)
	for i := range 40000 {
		big = append(big, fmt.Sprintf("user-%08d", i))
	}
	bigJSON, _ := json.Marshal(big)
	if len(bigJSON) <= MaxBodyBytes {
		t.Fatalf("test body too small: %d", len(bigJSON))
	}
	justFits := `["` + strings.Repeat("a", MaxBodyBytes-4) + `"]`

	t.Run("413 with content length", func(t *testing.T) {
		t.Parallel()
		ee := *e
		ee.t = t
		ee.do(http.MethodPost, "/api/v2/license/users", bigJSON).errorBody(http.StatusRequestEntityTooLarge, "request.entity.too.large")
	})
	t.Run("413 chunked", func(t *testing.T) {
		t.Parallel()
		ee := *e
		ee.t = t
		req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, e.base+"/api/v2/license/organization", struct{ *strings.Reader }{strings.NewReader(string(bigJSON))})
		req.Header.Set("Authorization", "Bearer "+e.token)
		req.Header.Set("Content-Type", "application/json")
		if req.ContentLength != 0 {
			t.Fatalf("expected unknown length, got %d", req.ContentLength)
		}
		ee.send(req).errorBody(http.StatusRequestEntityTooLarge, "request.entity.too.large")
	})
	t.Run("exactly the limit", func(t *testing.T) {
		t.Parallel()
		ee := *e
		ee.t = t
		if len(justFits) != MaxBodyBytes {
			t.Fatalf("len = %d", len(justFits))
		}
		ee.do(http.MethodPost, "/api/v2/license/infer", justFits).wantStatus(http.StatusOK)
	})
}
