package mockapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// wantJSON fails unless got is exactly the JSON want (whitespace aside).
func wantJSON(t *testing.T, got []byte, want string) {
	t.Helper()
	var w bytes.Buffer
	if err := json.Compact(&w, []byte(want)); err != nil {
		t.Fatalf("bad want %s: %v", want, err)
	}
	if !bytes.Equal(bytes.TrimSpace(got), w.Bytes()) {
		t.Errorf("body =\n%s\nwant\n%s", got, w.Bytes())
	}
}

func TestProfileNames(t *testing.T) {
	t.Parallel()
	want := map[string]Profile{
		"documented":                  {},
		"success-uppercase":           {SuccessWord: "SUCCESS"},
		"success-other-word":          {SuccessWord: "Assigned"},
		"statuses-failures-only":      {Statuses: StatusesFailures},
		"statuses-none":               {Statuses: StatusesNone},
		"statuses-no-content":         {Statuses: StatusesNoContent},
		"users-objects":               {UsersShape: UsersShapeObjects},
		"users-user-licenses":         {UsersShape: UsersShapeUserLicenses},
		"users-user-licenses-objects": {UsersShape: UsersShapeUserLicensesObjects},
		"users-omit-unlicensed":       {OmitUnlicensedUsers: true},
		"unknown-ids-reject-request":  {UnknownIDs: UnknownIDsRejectRequest},
		"duplicates-accepted":         {DuplicateIDs: DuplicateIDsAccept},
		"small-pages":                 {MaxPageSize: 25},
		"read-after-write-2s":         {ReadAfterWriteDelay: 2 * time.Second},
	}
	names := ProfileNames()
	if !slices.IsSorted(names) || len(slices.Compact(slices.Clone(names))) != len(names) {
		t.Errorf("ProfileNames not sorted and unique: %v", names)
	}
	if !slices.Equal(names, ProfileNames()) {
		t.Error("ProfileNames not stable")
	}
	for name, w := range want {
		p, err := NamedProfile(name)
		if err != nil || p != w {
			t.Errorf("NamedProfile(%q) = %+v, %v; want %+v", name, p, err, w)
		}
		if !slices.Contains(names, name) {
			t.Errorf("ProfileNames lacks %q", name)
		}
	}
	for _, name := range names {
		p, err := NamedProfile(name)
		if err != nil {
			t.Errorf("NamedProfile(%q): %v", name, err)
		}
		if err := p.validate(); err != nil {
			t.Errorf("profile %q is invalid: %v", name, err)
		}
	}
	_, err := NamedProfile("nope")
	if err == nil || !strings.Contains(err.Error(), `"nope"`) || !strings.Contains(err.Error(), strings.Join(names, ", ")) {
		t.Errorf("unknown name: %v", err)
	}
}

func TestProfileSuccessWord(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ profile, word string }{
		{"documented", "Success"},
		{"success-uppercase", "SUCCESS"},
		{"success-other-word", "Assigned"},
	} {
		t.Run(tt.profile, func(t *testing.T) {
			t.Parallel()
			p, _ := NamedProfile(tt.profile)
			e := newEnv(t, Options{Users: 2, Faults: Faults{Profile: p}})
			r := e.do(http.MethodPost, "/api/v2/license/organization", tBatch{Assignments: []tAssignment{
				add("communicate", UserID(1)), add("cloudCX1", "ghost"),
			}}).wantStatus(http.StatusOK)
			wantJSON(t, r.body, fmt.Sprintf(`[{"userId":%q,"licenseId":"communicate","result":%q},{"userId":"ghost","licenseId":"cloudCX1","result":"UserNotFound"}]`,
				UserID(1), tt.word))
			if l, _ := e.s.UserLicenses(UserID(1)); !slices.Equal(l, []string{"communicate"}) {
				t.Errorf("user 1 = %v", l)
			}
		})
	}
}

func TestProfileStatuses(t *testing.T) {
	t.Parallel()
	u1, u2 := UserID(1), UserID(2)
	all := fmt.Sprintf(`[{"userId":%q,"licenseId":"communicate","result":"Success"},`+
		`{"userId":"ghost","licenseId":"communicate","result":"UserNotFound"},`+
		`{"userId":%q,"licenseId":"gc1WEMupgrade","result":"PrerequisiteMissing"},`+
		`{"userId":%q,"licenseId":"nolicense","result":"LicenseNotFound"},`+
		`{"userId":%q,"licenseId":"collaborate","result":"Success"},`+
		`{"userId":%q,"licenseId":"wallboardUser","result":"NoSeatsAvailable"}]`, u1, u2, u1, u2, u2)
	failures := fmt.Sprintf(`[{"userId":"ghost","licenseId":"communicate","result":"UserNotFound"},`+
		`{"userId":%q,"licenseId":"gc1WEMupgrade","result":"PrerequisiteMissing"},`+
		`{"userId":%q,"licenseId":"nolicense","result":"LicenseNotFound"},`+
		`{"userId":%q,"licenseId":"wallboardUser","result":"NoSeatsAvailable"}]`, u2, u1, u2)
	tests := []struct {
		mode       StatusMode
		wantStatus int
		wantBody   string // "" for no body
	}{
		{"", http.StatusOK, all},
		{StatusesAll, http.StatusOK, all},
		{StatusesFailures, http.StatusOK, failures},
		{StatusesNone, http.StatusOK, `[]`},
		{StatusesNoContent, http.StatusNoContent, ""},
	}
	for _, tt := range tests {
		t.Run(string(tt.mode), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, Options{Users: 2, Faults: Faults{
				Profile:      Profile{Statuses: tt.mode},
				ItemFailures: map[string]string{u2 + "/wallboardUser": ResultNoSeatsAvailable},
			}})
			r := e.do(http.MethodPost, "/api/v2/license/organization", tBatch{Assignments: []tAssignment{
				add("communicate", u1, "ghost"),
				add("gc1WEMupgrade", u2),
				add("nolicense", u1),
				{LicenseID: "collaborate", UserIDsAdd: []string{}, UserIDsRemove: []string{u2}},
				add("wallboardUser", u2),
			}}).wantStatus(tt.wantStatus)
			if tt.wantBody == "" {
				if len(r.body) != 0 || r.header.Get("Content-Type") != "" {
					t.Errorf("204 with body %q, Content-Type %q", r.body, r.header.Get("Content-Type"))
				}
			} else {
				wantJSON(t, r.body, tt.wantBody)
			}
			// The same state change in every mode.
			if l, _ := e.s.UserLicenses(u1); !slices.Equal(l, []string{"communicate"}) {
				t.Errorf("user 1 = %v", l)
			}
			if l, _ := e.s.UserLicenses(u2); len(l) != 0 {
				t.Errorf("user 2 = %v", l)
			}
			if n := e.s.Stats().Applied[RoutePostOrganization]; n != 1 {
				t.Errorf("applied = %d", n)
			}
		})
	}
}

func TestProfileUsersShape(t *testing.T) {
	t.Parallel()
	u1, u2, u3 := UserID(1), UserID(2), UserID(3)
	tests := []struct {
		profile string
		want    string
	}{
		{"documented", `{%[1]q:["cloudCX1","communicate"],%[2]q:[],%[3]q:["wallboardUser"]}`},
		{"users-objects", `{%[1]q:[{"id":"cloudCX1","selfUri":"/api/v2/license/definitions/cloudCX1"},{"id":"communicate","selfUri":"/api/v2/license/definitions/communicate"}],` +
			`%[2]q:[],%[3]q:[{"id":"wallboardUser","selfUri":"/api/v2/license/definitions/wallboardUser"}]}`},
		{"users-user-licenses", `{%[1]q:{"id":%[1]q,"licenses":["cloudCX1","communicate"],"selfUri":"/api/v2/license/users/%[1]s"},` +
			`%[2]q:{"id":%[2]q,"licenses":[],"selfUri":"/api/v2/license/users/%[2]s"},` +
			`%[3]q:{"id":%[3]q,"licenses":["wallboardUser"],"selfUri":"/api/v2/license/users/%[3]s"}}`},
		{"users-user-licenses-objects", `{%[1]q:{"id":%[1]q,"licenses":[{"id":"cloudCX1","selfUri":"/api/v2/license/definitions/cloudCX1"},{"id":"communicate","selfUri":"/api/v2/license/definitions/communicate"}],"selfUri":"/api/v2/license/users/%[1]s"},` +
			`%[2]q:{"id":%[2]q,"licenses":[],"selfUri":"/api/v2/license/users/%[2]s"},` +
			`%[3]q:{"id":%[3]q,"licenses":[{"id":"wallboardUser","selfUri":"/api/v2/license/definitions/wallboardUser"}],"selfUri":"/api/v2/license/users/%[3]s"}}`},
		{"users-omit-unlicensed", `{%[1]q:["cloudCX1","communicate"],%[3]q:["wallboardUser"]}`},
	}
	for _, tt := range tests {
		t.Run(tt.profile, func(t *testing.T) {
			t.Parallel()
			p, _ := NamedProfile(tt.profile)
			e := newEnv(t, Options{Users: 3, Faults: Faults{Profile: p},
				UserLicenses: map[string][]string{u1: {"communicate", "cloudCX1"}, u3: {"wallboardUser"}}})
			r := e.do(http.MethodPost, "/api/v2/license/users", []string{u3, u2, u1, "ghost"}).wantStatus(http.StatusOK)
			wantJSON(t, r.body, fmt.Sprintf(tt.want, u1, u2, u3))
		})
	}
	t.Run("omit with a shape", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, Options{Users: 2, Faults: Faults{Profile: Profile{OmitUnlicensedUsers: true, UsersShape: UsersShapeObjects}},
			UserLicenses: map[string][]string{u1: {"collaborate"}}})
		r := e.do(http.MethodPost, "/api/v2/license/users", []string{u1, u2}).wantStatus(http.StatusOK)
		wantJSON(t, r.body, fmt.Sprintf(`{%q:[{"id":"collaborate","selfUri":"/api/v2/license/definitions/collaborate"}]}`, u1))
	})
}

func TestProfileUnknownIDsRejectRequest(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{Users: 2, Faults: Faults{Profile: Profile{UnknownIDs: UnknownIDsRejectRequest}}})
	r := e.do(http.MethodPost, "/api/v2/license/organization", tBatch{Assignments: []tAssignment{
		add("communicate", UserID(1), "ghost-1"),
		add("nolicense", UserID(2), "ghost-2"),
		{LicenseID: "cloudCX1", UserIDsAdd: []string{}, UserIDsRemove: []string{"ghost-1"}},
	}})
	if r.status != http.StatusBadRequest {
		t.Fatalf("status = %d: %s", r.status, r.body)
	}
	var eb tForbidden // an ErrorBody with details
	r.decode(&eb)
	if eb.Code != "invalid.value" || eb.Status != 400 || eb.ContextID != r.header.Get(CorrelationHeader) {
		t.Errorf("body %s", r.body)
	}
	for _, id := range []string{"ghost-1", "ghost-2", "nolicense"} {
		if !strings.Contains(eb.Message, `"`+id+`"`) {
			t.Errorf("message %q does not name %q", eb.Message, id)
		}
	}
	if strings.Contains(eb.Message, UserID(1)) || strings.Contains(eb.Message, "communicate") {
		t.Errorf("message %q names known ids", eb.Message)
	}
	want := []tDetail{
		{ErrorCode: "user.not.found", EntityID: "ghost-1"},
		{ErrorCode: "license.not.found", EntityID: "nolicense"},
		{ErrorCode: "user.not.found", EntityID: "ghost-2"},
	}
	if !slices.Equal(eb.Details, want) {
		t.Errorf("details = %+v, want %+v", eb.Details, want)
	}
	// Nothing of it was applied, not even the known pairs.
	for _, u := range []string{UserID(1), UserID(2)} {
		if l, _ := e.s.UserLicenses(u); len(l) != 0 {
			t.Errorf("%s = %v", u, l)
		}
	}
	if st := e.s.Stats(); st.Applied[RoutePostOrganization] != 0 {
		t.Errorf("applied = %v", st.Applied)
	}
	// A request with only known ids is applied as usual.
	if st := e.batch(add("communicate", UserID(1))); len(st) != 1 || st[0].Result != ResultSuccess {
		t.Errorf("statuses = %v", st)
	}
	// The default still fails per pair.
	e.s.SetProfile(Profile{})
	if st := e.batch(add("collaborate", UserID(2), "ghost-1")); len(st) != 2 || st[0].Result != ResultSuccess || st[1].Result != ResultUserNotFound {
		t.Errorf("per-pair statuses = %v", st)
	}
}

func TestProfileDuplicateIDs(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{Users: 2, MaxBatchUsers: 2})
	body := tBatch{Assignments: []tAssignment{
		add("communicate", UserID(1), UserID(2), UserID(1)),
		{LicenseID: "cloudCX1", UserIDsAdd: []string{}, UserIDsRemove: []string{UserID(2), UserID(2)}},
	}}
	e.do(http.MethodPost, "/api/v2/license/organization", body).errorBody(http.StatusBadRequest, "invalid.value")
	if l, _ := e.s.UserLicenses(UserID(1)); len(l) != 0 {
		t.Fatalf("refused request applied: %v", l)
	}

	p, _ := NamedProfile("duplicates-accepted")
	e.s.SetProfile(p)
	r := e.do(http.MethodPost, "/api/v2/license/organization", body).wantStatus(http.StatusOK)
	wantJSON(t, r.body, fmt.Sprintf(`[{"userId":%[1]q,"licenseId":"communicate","result":"Success"},{"userId":%[2]q,"licenseId":"communicate","result":"Success"},`+
		`{"userId":%[1]q,"licenseId":"communicate","result":"Success"},{"userId":%[2]q,"licenseId":"cloudCX1","result":"Success"},`+
		`{"userId":%[2]q,"licenseId":"cloudCX1","result":"Success"}]`, UserID(1), UserID(2)))
	for _, u := range []string{UserID(1), UserID(2)} {
		if l, _ := e.s.UserLicenses(u); !slices.Equal(l, []string{"communicate"}) {
			t.Errorf("%s = %v", u, l)
		}
	}
}

func TestProfileMaxPageSize(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		opts    int
		profile int
		ok, bad int
	}{
		{"small-pages", 0, 25, 25, 26},
		{"default", 0, 0, 100, 101},
		{"above Options", 10, 50, 50, 51},
		{"below Options", 100, 5, 5, 6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, Options{Users: 3, MaxPageSize: tt.opts, Faults: Faults{Profile: Profile{MaxPageSize: tt.profile}}})
			var l tListing
			e.do(http.MethodGet, fmt.Sprintf("/api/v2/license/users?pageSize=%d", tt.ok), nil).wantStatus(http.StatusOK).decode(&l)
			if l.PageSize != tt.ok || l.Total != 3 {
				t.Errorf("listing = %+v", l)
			}
			eb := e.do(http.MethodGet, fmt.Sprintf("/api/v2/license/users?pageSize=%d", tt.bad), nil).errorBody(http.StatusBadRequest, "invalid.value")
			if !strings.Contains(eb.Message, fmt.Sprintf("between 1 and %d", tt.ok)) {
				t.Errorf("message = %q", eb.Message)
			}
		})
	}
}

func TestProfileReadAfterWriteDelay(t *testing.T) {
	t.Parallel()
	const d = 600 * time.Millisecond
	e := newEnv(t, Options{Users: 2, Faults: Faults{
		Profile:             Profile{ReadAfterWriteDelay: d},
		VisibilityDelay:     d / 6,
		UserVisibilityDelay: map[string]time.Duration{UserID(2): d / 3},
	}})
	start := time.Now()
	e.batch(add("communicate", UserID(1), UserID(2)))
	time.Sleep(d / 2)
	u1, u2 := licenseIDs(e.getUser(UserID(1)).Licenses), licenseIDs(e.getUser(UserID(2)).Licenses)
	if time.Since(start) < d && (len(u1) != 0 || len(u2) != 0) {
		t.Errorf("visible before the profile's delay (the largest): %v %v", u1, u2)
	}
	if truth, _ := e.s.UserLicenses(UserID(1)); !slices.Equal(truth, []string{"communicate"}) {
		t.Errorf("truth = %v", truth)
	}
	time.Sleep(time.Until(start.Add(d + 50*time.Millisecond)))
	if got := licenseIDs(e.getUser(UserID(2)).Licenses); !slices.Equal(got, []string{"communicate"}) {
		t.Errorf("after the delay: %v", got)
	}
	var named Profile
	named, _ = NamedProfile("read-after-write-2s")
	if named.ReadAfterWriteDelay != 2*time.Second {
		t.Errorf("read-after-write-2s = %v", named.ReadAfterWriteDelay)
	}
}

func TestProfileSetAndReset(t *testing.T) {
	t.Parallel()
	seed := Profile{SuccessWord: "SUCCESS"}
	e := newEnv(t, Options{Users: 1, Faults: Faults{Latency: time.Millisecond, Profile: seed}})
	if f := e.s.Faults(); f.Profile != seed {
		t.Errorf("profile from Options = %+v", f.Profile)
	}
	// SetProfile replaces only the profile.
	e.s.SetProfile(Profile{Statuses: StatusesNone, MaxPageSize: -3})
	if f := e.s.Faults(); f.Profile != (Profile{Statuses: StatusesNone}) || f.Latency != time.Millisecond {
		t.Errorf("after SetProfile: %+v", f)
	}
	wantJSON(t, e.do(http.MethodPost, "/api/v2/license/organization", tBatch{Assignments: []tAssignment{add("communicate", UserID(1))}}).wantStatus(200).body, `[]`)
	// POST /_mock/faults sets it, and GET shows it.
	body := `{"profile":{"success_word":"Assigned","statuses":"failures","users_shape":"objects","omit_unlicensed_users":true,` +
		`"unknown_ids":"reject-request","duplicate_ids":"accept","max_page_size":7,"read_after_write_delay":"1.5s"}}`
	var f Faults
	e.doWith(http.MethodPost, "/_mock/faults", body, nil).wantStatus(http.StatusOK).decode(&f)
	want := Profile{SuccessWord: "Assigned", Statuses: StatusesFailures, UsersShape: UsersShapeObjects, OmitUnlicensedUsers: true,
		UnknownIDs: UnknownIDsRejectRequest, DuplicateIDs: DuplicateIDsAccept, MaxPageSize: 7, ReadAfterWriteDelay: 1500 * time.Millisecond}
	if f.Profile != want || e.s.Faults().Profile != want {
		t.Errorf("profile = %+v, want %+v", f.Profile, want)
	}
	r := e.doWith(http.MethodGet, "/_mock/faults", nil, nil).wantStatus(http.StatusOK)
	var raw map[string]json.RawMessage
	r.decode(&raw)
	wantJSON(t, raw["profile"], `{"success_word":"Assigned","statuses":"failures","users_shape":"objects","omit_unlicensed_users":true,`+
		`"unknown_ids":"reject-request","duplicate_ids":"accept","max_page_size":7,"read_after_write_delay":"1.5s"}`)
	// SetFaults replaces it with the rest; Reset restores Options.Faults.Profile.
	e.s.SetFaults(Faults{})
	if p := e.s.Faults().Profile; p != (Profile{}) {
		t.Errorf("after SetFaults: %+v", p)
	}
	e.s.SetProfile(want)
	e.s.Reset()
	if p := e.s.Faults().Profile; p != seed {
		t.Errorf("after Reset: %+v", p)
	}
	// Bad profiles are refused.
	for _, bad := range []struct{ body, code string }{
		{`{"profile":{"statuses":"some"}}`, "bad.request"},
		{`{"profile":{"users_shape":"map"}}`, "bad.request"},
		{`{"profile":{"unknown_ids":"ignore"}}`, "bad.request"},
		{`{"profile":{"duplicate_ids":"merge"}}`, "bad.request"},
		{`{"profile":{"succes_word":"x"}}`, "bad.request"},
		{`{"profile":{"read_after_write_delay":2}}`, "bad.request"},
		{`{"profile":"documented"}`, "bad.request"},
		{`{"profile":{"max_page_size":-1}}`, "invalid.value"},
		{`{"profile":{"read_after_write_delay":"-1s"}}`, "invalid.value"},
	} {
		e.doWith(http.MethodPost, "/_mock/faults", bad.body, nil).errorBody(http.StatusBadRequest, bad.code)
	}
	if p := e.s.Faults().Profile; p != seed {
		t.Errorf("a refused POST changed the profile: %+v", p)
	}
}

func TestProfileJSONRoundTrip(t *testing.T) {
	t.Parallel()
	for _, name := range ProfileNames() {
		p, _ := NamedProfile(name)
		b, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		var back Profile
		if err := json.Unmarshal(b, &back); err != nil || !reflect.DeepEqual(back, p) {
			t.Errorf("%s: %s → %+v, %v", name, b, back, err)
		}
	}
	var p Profile
	if err := json.Unmarshal([]byte(`null`), &p); err != nil || p != (Profile{}) {
		t.Errorf("null: %+v %v", p, err)
	}
}
