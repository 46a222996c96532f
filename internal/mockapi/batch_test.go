package mockapi

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
)

func TestPostLicenseOrganization(t *testing.T) {
	t.Parallel()
	u1, u2, u3 := UserID(1), UserID(2), UserID(3)
	tests := []struct {
		name    string
		initial map[string][]string
		faults  Faults
		request []tAssignment
		want    []tStatus
		final   map[string][]string
	}{
		{
			name:    "mixed adds and removes",
			initial: map[string][]string{u1: {"communicate"}, u2: {"communicate", "wallboardUser"}},
			request: []tAssignment{
				{LicenseID: "cloudCX1", UserIDsAdd: []string{u1, u2}, UserIDsRemove: []string{}},
				{LicenseID: "communicate", UserIDsAdd: []string{u3}, UserIDsRemove: []string{u1, u2}},
				remove("wallboardUser", u2),
			},
			want: []tStatus{
				{u1, "cloudCX1", "Success"}, {u2, "cloudCX1", "Success"},
				{u3, "communicate", "Success"}, {u1, "communicate", "Success"}, {u2, "communicate", "Success"},
				{u2, "wallboardUser", "Success"},
			},
			final: map[string][]string{u1: {"cloudCX1"}, u2: {"cloudCX1"}, u3: {"communicate"}},
		},
		{
			name:    "idempotent: add held, remove absent",
			initial: map[string][]string{u1: {"collaborate"}},
			request: []tAssignment{add("collaborate", u1), remove("cloudCX3", u1, u2)},
			want:    []tStatus{{u1, "collaborate", "Success"}, {u1, "cloudCX3", "Success"}, {u2, "cloudCX3", "Success"}},
			final:   map[string][]string{u1: {"collaborate"}, u2: {}},
		},
		{
			name:    "unknown user fails only its pair",
			request: []tAssignment{add("communicate", u1, "ghost-user", u2)},
			want:    []tStatus{{u1, "communicate", "Success"}, {"ghost-user", "communicate", "UserNotFound"}, {u2, "communicate", "Success"}},
			final:   map[string][]string{u1: {"communicate"}, u2: {"communicate"}},
		},
		{
			name:    "unknown license fails only its pairs",
			initial: map[string][]string{u2: {"wallboardUser"}},
			request: []tAssignment{add("noSuchLicense", u1), add("wallboardUser", u1), remove("noSuchLicense", u2)},
			want:    []tStatus{{u1, "noSuchLicense", "LicenseNotFound"}, {u1, "wallboardUser", "Success"}, {u2, "noSuchLicense", "LicenseNotFound"}},
			final:   map[string][]string{u1: {"wallboardUser"}, u2: {"wallboardUser"}},
		},
		{
			name:    "unknown license and user: license first",
			request: []tAssignment{add("noSuchLicense", "ghost-user")},
			want:    []tStatus{{"ghost-user", "noSuchLicense", "LicenseNotFound"}},
		},
		{
			name:    "prerequisite missing",
			request: []tAssignment{add("gc2WEMupgrade", u1), add("gc1WEMupgrade", u2)},
			want:    []tStatus{{u1, "gc2WEMupgrade", "PrerequisiteMissing"}, {u2, "gc1WEMupgrade", "PrerequisiteMissing"}},
			final:   map[string][]string{u1: {}, u2: {}},
		},
		{
			name:    "prerequisite held",
			initial: map[string][]string{u1: {"cloudCX2"}},
			request: []tAssignment{add("gc2WEMupgrade", u1)},
			want:    []tStatus{{u1, "gc2WEMupgrade", "Success"}},
			final:   map[string][]string{u1: {"cloudCX2", "gc2WEMupgrade"}},
		},
		{
			name:    "prerequisite gained in the same request, listed after",
			request: []tAssignment{add("gc2WEMupgrade", u1, u2), add("cloudCX2", u1)},
			want:    []tStatus{{u1, "gc2WEMupgrade", "Success"}, {u2, "gc2WEMupgrade", "PrerequisiteMissing"}, {u1, "cloudCX2", "Success"}},
			final:   map[string][]string{u1: {"cloudCX2", "gc2WEMupgrade"}, u2: {}},
		},
		{
			name:    "prerequisite removed in the same request",
			initial: map[string][]string{u1: {"cloudCX2"}},
			request: []tAssignment{add("gc2WEMupgrade", u1), remove("cloudCX2", u1)},
			want:    []tStatus{{u1, "gc2WEMupgrade", "PrerequisiteMissing"}, {u1, "cloudCX2", "Success"}},
			final:   map[string][]string{u1: {}},
		},
		{
			name:    "held dependent survives removal of its prerequisite",
			initial: map[string][]string{u1: {"cloudCX2", "gc2WEMupgrade"}},
			request: []tAssignment{remove("cloudCX2", u1), add("gc2WEMupgrade", u1)},
			want:    []tStatus{{u1, "cloudCX2", "Success"}, {u1, "gc2WEMupgrade", "Success"}},
			final:   map[string][]string{u1: {"gc2WEMupgrade"}},
		},
		{
			name:    "failed prerequisite add cascades",
			faults:  Faults{ItemFailures: map[string]string{u1 + "/cloudCX2": "NoSeatsAvailable"}},
			request: []tAssignment{add("cloudCX2", u1, u2), add("gc2WEMupgrade", u1, u2)},
			want: []tStatus{
				{u1, "cloudCX2", "NoSeatsAvailable"}, {u2, "cloudCX2", "Success"},
				{u1, "gc2WEMupgrade", "PrerequisiteMissing"}, {u2, "gc2WEMupgrade", "Success"},
			},
			final: map[string][]string{u1: {}, u2: {"cloudCX2", "gc2WEMupgrade"}},
		},
		{
			name:    "item failures are not applied",
			initial: map[string][]string{u2: {"communicate"}},
			faults:  Faults{ItemFailures: map[string]string{u1 + "/wallboardUser": "NoSeatsAvailable", u2 + "/communicate": "Locked"}},
			request: []tAssignment{add("wallboardUser", u1, u3), remove("communicate", u2)},
			want:    []tStatus{{u1, "wallboardUser", "NoSeatsAvailable"}, {u3, "wallboardUser", "Success"}, {u2, "communicate", "Locked"}},
			final:   map[string][]string{u1: {}, u2: {"communicate"}, u3: {"wallboardUser"}},
		},
		{
			name:    "add and remove of the same pair apply in order",
			request: []tAssignment{{LicenseID: "collaborate", UserIDsAdd: []string{u1}, UserIDsRemove: []string{u1}}},
			want:    []tStatus{{u1, "collaborate", "Success"}, {u1, "collaborate", "Success"}},
			final:   map[string][]string{u1: {}},
		},
		{
			name:    "empty assignments",
			request: []tAssignment{},
			want:    []tStatus{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, Options{Users: 3, Faults: tt.faults})
			for id, l := range tt.initial {
				e.s.SetUserLicenses(id, l)
			}
			got := e.batch(tt.request...)
			if got == nil || !slices.Equal(got, tt.want) {
				t.Errorf("statuses:\n got %v\nwant %v", got, tt.want)
			}
			for id, want := range tt.final {
				truth, ok := e.s.UserLicenses(id)
				if !ok || !slices.Equal(truth, want) {
					t.Errorf("%s truth = %v, want %v", id, truth, want)
				}
				if read := licenseIDs(e.getUser(id).Licenses); !slices.Equal(read, want) {
					t.Errorf("%s read = %v, want %v", id, read, want)
				}
			}
			// Repeating a fully successful request changes nothing and succeeds again.
			if len(tt.faults.ItemFailures) == 0 && !slices.ContainsFunc(tt.want, func(s tStatus) bool { return s.Result != ResultSuccess }) {
				before := map[string][]string{}
				for _, id := range e.s.UserIDs() {
					before[id], _ = e.s.UserLicenses(id)
				}
				if again := e.batch(tt.request...); !slices.Equal(again, tt.want) {
					t.Errorf("repeat statuses = %v", again)
				}
				for id, l := range before {
					if now, _ := e.s.UserLicenses(id); !slices.Equal(now, l) && !strings.Contains(tt.name, "same pair") {
						t.Errorf("repeat changed %s: %v → %v", id, l, now)
					}
				}
			}
		})
	}
}

func TestPostLicenseOrganizationValidation(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{Users: 5, MaxBatchUsers: 3})
	u := UserID
	tests := []struct {
		name        string
		body        string
		contentType string
		wantStatus  int
		wantCode    string
		wantMessage string // substring
	}{
		{name: "missing assignments", body: `{}`, wantStatus: 400, wantCode: "bad.request", wantMessage: "assignments is required"},
		{name: "null assignments", body: `{"assignments":null}`, wantStatus: 400, wantCode: "bad.request", wantMessage: "assignments is required"},
		{name: "missing licenseId", body: `{"assignments":[{"licenseId":"communicate","userIdsAdd":[],"userIdsRemove":[]},{"userIdsAdd":[],"userIdsRemove":[]}]}`,
			wantStatus: 400, wantCode: "bad.request", wantMessage: "assignments[1].licenseId is required"},
		{name: "missing userIdsAdd", body: `{"assignments":[{"licenseId":"communicate","userIdsRemove":[]}]}`,
			wantStatus: 400, wantCode: "bad.request", wantMessage: "assignments[0].userIdsAdd is required"},
		{name: "missing userIdsRemove", body: `{"assignments":[{"licenseId":"communicate","userIdsAdd":["` + u(1) + `"]}]}`,
			wantStatus: 400, wantCode: "bad.request", wantMessage: "assignments[0].userIdsRemove is required"},
		{name: "null userIdsRemove", body: `{"assignments":[{"licenseId":"communicate","userIdsAdd":[],"userIdsRemove":null}]}`,
			wantStatus: 400, wantCode: "bad.request", wantMessage: "assignments[0].userIdsRemove is required"},
		{name: "duplicate id in a list", body: `{"assignments":[{"licenseId":"communicate","userIdsAdd":["` + u(1) + `","` + u(1) + `"],"userIdsRemove":[]}]}`,
			wantStatus: 400, wantCode: "invalid.value", wantMessage: "more than once"},
		{name: "too many distinct users", body: fmt.Sprintf(`{"assignments":[{"licenseId":"communicate","userIdsAdd":[%q,%q],"userIdsRemove":[]},{"licenseId":"cloudCX1","userIdsAdd":[%q],"userIdsRemove":[%q]}]}`, u(1), u(2), u(3), u(4)),
			wantStatus: 400, wantCode: "invalid.value", wantMessage: "3"},
		{name: "wrong type", body: `{"assignments":{"licenseId":"communicate"}}`, wantStatus: 400, wantCode: "bad.request"},
		{name: "array body", body: `[]`, wantStatus: 400, wantCode: "bad.request"},
		{name: "malformed", body: `{"assignments":[`, wantStatus: 400, wantCode: "bad.request"},
		{name: "trailing garbage", body: `{"assignments":[]} x`, wantStatus: 400, wantCode: "bad.request"},
		{name: "empty body", body: ``, wantStatus: 400, wantCode: "bad.request"},
		{name: "text/plain", body: `{"assignments":[]}`, contentType: "text/plain", wantStatus: 415, wantCode: "unsupported.media.type"},
		{name: "form", body: `{"assignments":[]}`, contentType: "application/x-www-form-urlencoded", wantStatus: 415, wantCode: "unsupported.media.type"},
		{name: "no content type", body: `{"assignments":[]}`, contentType: "-", wantStatus: 415, wantCode: "unsupported.media.type"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ee := *e
			ee.t = t
			h := map[string]string{"Authorization": "Bearer " + e.token}
			switch tt.contentType {
			case "":
			case "-":
				h["Content-Type"] = ""
			default:
				h["Content-Type"] = tt.contentType
			}
			eb := ee.doWith(http.MethodPost, "/api/v2/license/organization", []byte(tt.body), h).errorBody(tt.wantStatus, tt.wantCode)
			if !strings.Contains(eb.Message, tt.wantMessage) {
				t.Errorf("message %q does not contain %q", eb.Message, tt.wantMessage)
			}
		})
	}
	// Nothing changed.
	for i := 1; i <= 5; i++ {
		if l, _ := e.s.UserLicenses(UserID(i)); len(l) != 0 {
			t.Errorf("user %d changed: %v", i, l)
		}
	}
}

func TestPostLicenseOrganizationAtMaxBatch(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{Users: 5, MaxBatchUsers: 3})
	// Three distinct users across adds and removes, one repeated across assignments: allowed.
	got := e.batch(add("communicate", UserID(1), UserID(2)), remove("cloudCX1", UserID(2), UserID(3)))
	if len(got) != 4 {
		t.Fatalf("statuses = %v", got)
	}
	for _, s := range got {
		if s.Result != ResultSuccess {
			t.Errorf("status %+v", s)
		}
	}
}

func TestConcurrentBatches(t *testing.T) {
	t.Parallel()
	const workers, rounds, usersPer = 16, 15, 5
	e := newEnv(t, Options{Users: workers * usersPer, Faults: Faults{RateLimitPerMinute: -1}})
	licenses := []string{"communicate", "collaborate", "wallboardUser", "cloudCX1"}

	var wg sync.WaitGroup
	errs := make(chan string, workers*rounds*(2*usersPer+3))
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ee := *e
			ee.t = t
			var mine []string
			for i := range usersPer {
				mine = append(mine, UserID(w*usersPer+i+1))
			}
			shared := UserID((w+1)%workers*usersPer + 1) // a user another worker owns: only adds "cloudCX2"
			for r := range rounds {
				lic := licenses[r%len(licenses)]
				prev := licenses[(r+len(licenses)-1)%len(licenses)]
				req := tBatch{Assignments: []tAssignment{
					{LicenseID: lic, UserIDsAdd: mine, UserIDsRemove: []string{}},
					{LicenseID: prev, UserIDsAdd: []string{}, UserIDsRemove: mine},
					add("cloudCX2", shared),
				}}
				res := ee.do(http.MethodPost, "/api/v2/license/organization", req)
				if res.status != http.StatusOK {
					errs <- fmt.Sprintf("worker %d round %d: status %d %s", w, r, res.status, res.body)
					return
				}
				var st []tStatus
				if err := json.Unmarshal(res.body, &st); err != nil {
					errs <- err.Error()
					return
				}
				if len(st) != 2*usersPer+1 {
					errs <- fmt.Sprintf("worker %d: %d statuses", w, len(st))
					return
				}
				for _, s := range st {
					if s.Result != ResultSuccess {
						errs <- fmt.Sprintf("worker %d: %+v", w, s)
					}
				}
				// Concurrent readers and admin calls.
				if rr := ee.do(http.MethodGet, "/api/v2/license/users?pageSize=100", nil); rr.status != http.StatusOK {
					errs <- fmt.Sprintf("worker %d: list status %d", w, rr.status)
				}
				_ = e.s.Stats()
			}
		}()
	}
	wg.Wait()
	close(errs)
	for msg := range errs {
		t.Error(msg)
	}
	last := licenses[(rounds-1)%len(licenses)]
	for i := 1; i <= workers*usersPer; i++ {
		got, _ := e.s.UserLicenses(UserID(i))
		want := []string{last}
		if (i-1)%usersPer == 0 {
			want = append(want, "cloudCX2")
		}
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("user %d = %v, want %v", i, got, want)
		}
	}
	if n := e.s.Stats().Requests[RoutePostOrganization]; n != workers*rounds {
		t.Errorf("POST organization count = %d, want %d", n, workers*rounds)
	}
}

// TestPostLicenseOrganizationCountsChanges: Stats tell a change that altered a user's
// licenses from one that repeated what was already true (a write that reached the server twice).
func TestPostLicenseOrganizationCountsChanges(t *testing.T) {
	t.Parallel()
	u1, u2 := UserID(1), UserID(2)
	e := newEnv(t, Options{Users: 2, Faults: Faults{ItemFailures: map[string]string{u2 + "/wallboardUser": "NoSeatsAvailable"}}})
	e.s.SetUserLicenses(u1, []string{"collaborate"})
	e.batch(add("collaborate", u1, u2), remove("communicate", u1), add("wallboardUser", u2))
	st := e.s.Stats()
	// u2 gains collaborate: applied; u1 already held it and never held communicate: repeated;
	// the refused wallboardUser add is neither.
	if st.ChangesApplied != 1 || st.ChangesRepeated != 2 {
		t.Fatalf("changes applied/repeated = %d/%d, want 1/2", st.ChangesApplied, st.ChangesRepeated)
	}
	e.batch(add("collaborate", u1, u2))
	if st = e.s.Stats(); st.ChangesApplied != 1 || st.ChangesRepeated != 4 {
		t.Fatalf("after the same add again: applied/repeated = %d/%d, want 1/4", st.ChangesApplied, st.ChangesRepeated)
	}
	e.s.Reset()
	if st = e.s.Stats(); st.ChangesApplied != 0 || st.ChangesRepeated != 0 {
		t.Fatalf("after Reset: applied/repeated = %d/%d, want 0/0", st.ChangesApplied, st.ChangesRepeated)
	}
}

func TestPostLicenseOrganizationSeatLimits(t *testing.T) {
	t.Parallel()
	u := func(i int) string { return UserID(i) }
	e := newEnv(t, Options{Users: 6, Faults: Faults{SeatLimits: map[string]int{"collaborate": 3, "communicate": 0}}})
	e.s.SetUserLicenses(u(1), []string{"collaborate"})

	// u1 holds a seat already (and keeps it on a repeated add); u2 and u3 take the two left, in
	// request order; u4 and u5 are refused. Unlimited licenses are not affected.
	st := e.batch(add("collaborate", u(2), u(1), u(3), u(4), u(5)), add("wallboardUser", u(4)), add("communicate", u(6)))
	want := []tStatus{
		{UserID: u(2), LicenseID: "collaborate", Result: ResultSuccess},
		{UserID: u(1), LicenseID: "collaborate", Result: ResultSuccess},
		{UserID: u(3), LicenseID: "collaborate", Result: ResultSuccess},
		{UserID: u(4), LicenseID: "collaborate", Result: ResultNoSeatsAvailable},
		{UserID: u(5), LicenseID: "collaborate", Result: ResultNoSeatsAvailable},
		{UserID: u(4), LicenseID: "wallboardUser", Result: ResultSuccess},
		{UserID: u(6), LicenseID: "communicate", Result: ResultNoSeatsAvailable},
	}
	if !slices.Equal(st, want) {
		t.Fatalf("statuses = %v\nwant %v", st, want)
	}
	for i, wantHeld := range map[int][]string{1: {"collaborate"}, 2: {"collaborate"}, 3: {"collaborate"}, 4: {"wallboardUser"}, 5: nil, 6: nil} {
		if got, _ := e.s.UserLicenses(u(i)); !slices.Equal(got, wantHeld) && len(got)+len(wantHeld) > 0 {
			t.Errorf("user %d holds %v, want %v", i, got, wantHeld)
		}
	}

	// A remove in the same request frees its seat for an add.
	st = e.batch(tAssignment{LicenseID: "collaborate", UserIDsAdd: []string{u(5)}, UserIDsRemove: []string{u(1)}})
	if len(st) != 2 || st[0].Result != ResultSuccess || st[1].Result != ResultSuccess {
		t.Fatalf("swap: statuses = %v", st)
	}
	if got, _ := e.s.UserLicenses(u(5)); !slices.Equal(got, []string{"collaborate"}) {
		t.Errorf("user 5 holds %v after the swap", got)
	}

	// A lowered limit keeps the holders over it and refuses new adds; a raised one admits them.
	e.s.SetFaults(Faults{SeatLimits: map[string]int{"collaborate": 1}})
	if st = e.batch(add("collaborate", u(6))); st[0].Result != ResultNoSeatsAvailable {
		t.Errorf("over a lowered limit: %v", st)
	}
	if got, _ := e.s.UserLicenses(u(2)); !slices.Equal(got, []string{"collaborate"}) {
		t.Errorf("user 2 lost its seat to a lowered limit: %v", got)
	}
	e.s.SetFaults(Faults{SeatLimits: map[string]int{"collaborate": 10}})
	if st = e.batch(add("collaborate", u(6))); st[0].Result != ResultSuccess {
		t.Errorf("under a raised limit: %v", st)
	}
	if stats := e.s.Stats(); stats.ChangesApplied != 6 || stats.ChangesRepeated != 1 {
		t.Errorf("changes applied/repeated = %d/%d, want 6/1 (refused adds are neither)", stats.ChangesApplied, stats.ChangesRepeated)
	}
}
