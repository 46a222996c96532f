package client

import (
	"fmt"
	"net/http"
	"slices"
	"testing"
)

// Every decoder of API answers, fed anything: it never panics, and what it accepts satisfies
// the decoder's promises (no empty ids, answers about the user asked for).
func FuzzDecodeAnswers(f *testing.F) {
	for _, seed := range []string{
		``, `null`, `{}`, `[]`, `[""]`, `{"id":"u1"}`, `{"id":"u1","licenses":[{"id":"a"}]}`,
		`{"u1":["a"],"u2":{"id":"u2","licenses":[{"id":"b"}]}}`, `{"U1":null}`, `{"u1":[{"id":""}]}`,
		`{"entities":[{"id":"u1","licenses":["a"]}],"pageCount":1}`, `[{"userId":"u1","licenseId":"a","result":"Success"}]`,
		`[{"id":"cloudCX1"}]`, `{"id":"cloudCX1","permissions":{"ids":["x"]}}`, "\x00\xff", `{"a":`,
		`{"total":1,"pageCount":1,"results":[{"id":"u1","email":"A@example.com"}]}`, `{"total":0}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		users := &userLicensesAnswer{asked: map[string]string{"u1": "u1", "u2": "u2"}}
		if users.decodeBody(data) == nil {
			for id, lic := range users.users {
				if id != "u1" && id != "u2" {
					t.Fatalf("postLicenseUsers accepted user %q, never asked for", id)
				}
				if lic == nil || slices.Contains(lic, "") {
					t.Fatalf("postLicenseUsers gave %q for %s", lic, id)
				}
			}
		}
		user := &licenseUserAnswer{userID: "u1"}
		if user.decodeBody(data) == nil {
			if user.user.ID != "u1" && user.user.ID != "U1" || user.user.Licenses == nil {
				t.Fatalf("getLicenseUser accepted %+v for u1", user.user)
			}
			for _, l := range user.user.Licenses {
				if l.ID == "" {
					t.Fatal("getLicenseUser accepted a license without id")
				}
			}
		}
		page := &usersPageAnswer{}
		if page.decodeBody(data) == nil {
			for _, u := range page.page.Entities {
				if u.ID == "" || u.Licenses == nil {
					t.Fatalf("getLicenseUsers accepted %+v", u)
				}
			}
		}
		defs := &definitionsAnswer{}
		if defs.decodeBody(data) == nil && defs.defs == nil {
			t.Fatal("getLicenseDefinitions accepted nil definitions")
		}
		search := &usersSearchAnswer{asked: map[string]bool{"a@example.com": true}}
		if search.decodeBody(data) == nil {
			if search.page.Results == nil {
				t.Fatal("postUsersSearch accepted nil results")
			}
			for _, u := range search.page.Results {
				if u.ID == "" || foldEmail(u.Email) != "a@example.com" {
					t.Fatalf("postUsersSearch accepted %+v", u)
				}
			}
		}
		statuses := &statusesAnswer{}
		if statuses.decodeBody(data) == nil && statuses.statuses == nil {
			t.Fatal("postLicenseOrganization accepted nil statuses")
		}
		_ = newAPIError("GET", "/x", fakeResponse(), data, func(s string) string { return s }).Error() //nolint:bodyclose // no body to close: a bare status and header
	})
}

// The request planning of the batcher, for any sequence of changes: no request adds and removes
// the same pair, none holds more than the user limit, and every change travels exactly once.
func FuzzPlanRequests(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 4, 5, 6, 7}, uint8(2))
	f.Add([]byte{0x10, 0x11, 0x10, 0x11, 0x10}, uint8(1))
	f.Add([]byte{}, uint8(3))
	f.Fuzz(func(t *testing.T, ops []byte, maxUsers uint8) {
		limit := int(maxUsers%8) + 1
		var items []*batchItem
		call := &applyCall{}
		for i, b := range ops {
			op := OpAdd
			if b&0x80 != 0 {
				op = OpRemove
			}
			items = append(items, &batchItem{call: call, idx: i, change: LicenseChange{
				UserID: fmt.Sprintf("u%d", b&0x0f), LicenseID: fmt.Sprintf("l%d", (b>>4)&0x07), Op: op,
			}})
		}
		seen := map[*batchItem]int{}
		for _, round := range planRequests(items, limit, maxEntriesPerRequest) {
			for _, pr := range round {
				users := map[string]bool{}
				pairs := map[pairKey]bool{}
				for _, a := range pr.body.Assignments {
					for _, u := range a.UserIDsAdd {
						users[u] = true
						pairs[pairKey{u, a.LicenseID}] = true
					}
					for _, u := range a.UserIDsRemove {
						users[u] = true
						if pairs[pairKey{u, a.LicenseID}] {
							t.Fatalf("a request adds and removes %s/%s", u, a.LicenseID)
						}
					}
				}
				if len(users) > limit {
					t.Fatalf("a request holds %d users, limit %d", len(users), limit)
				}
				for _, its := range pr.items {
					for _, it := range its {
						seen[it]++
					}
				}
			}
		}
		for _, it := range items {
			if seen[it] != 1 {
				t.Fatalf("change %d travelled %d times", it.idx, seen[it])
			}
		}
	})
}

func fakeResponse() *http.Response {
	return &http.Response{StatusCode: 400, Header: http.Header{}}
}
