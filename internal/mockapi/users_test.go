package mockapi

import (
	"net/http"
	"strings"
	"testing"

	"github.com/purecloud-terraform/terraform-provider-purecloud/internal/apiops"
)

type tUser struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Email    string `json:"email"`
	State    string `json:"state"`
	Username string `json:"username"`
	Version  *int   `json:"version"`
	SelfURI  string `json:"selfUri"`
	Division *tRef  `json:"division"`
}

type tUsersSearch struct {
	Total      int      `json:"total"`
	PageCount  int      `json:"pageCount"`
	PageSize   int      `json:"pageSize"`
	PageNumber int      `json:"pageNumber"`
	Types      []string `json:"types"`
	Results    []tUser  `json:"results"`
}

func exactEmails(pageSize, pageNumber int, emails ...string) map[string]any {
	return map[string]any{
		"pageSize": pageSize, "pageNumber": pageNumber,
		"query": []map[string]any{{"type": "EXACT", "fields": []string{"email"}, "values": emails}},
	}
}

func TestUsersSearch(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{Users: 5})

	var page tUsersSearch
	e.do(http.MethodPost, "/api/v2/users/search", exactEmails(2, 1, "USER3@example.com", "user1@example.com", "nobody@example.com")).
		wantStatus(http.StatusOK).decode(&page)
	if page.Total != 2 || page.PageCount != 1 || page.PageSize != 2 || page.PageNumber != 1 ||
		len(page.Types) != 1 || page.Types[0] != "users" || len(page.Results) != 2 {
		t.Fatalf("page = %+v", page)
	}
	u := page.Results[0]
	if u.ID != UserID(1) || u.Email != UserEmail(1) || u.Name != "User 1" || u.State != "active" ||
		u.Username != UserEmail(1) || u.Version == nil || u.SelfURI != "/api/v2/users/"+UserID(1) ||
		u.Division == nil || u.Division.ID != HomeDivisionID {
		t.Errorf("user = %+v", u)
	}

	// Paging: 5 users by state, 2 a page.
	all := map[string]any{"pageSize": 2, "pageNumber": 3,
		"query": []map[string]any{{"type": "EXACT", "fields": []string{"state"}, "value": "active"}}}
	e.do(http.MethodPost, "/api/v2/users/search", all).wantStatus(http.StatusOK).decode(&page)
	if page.Total != 5 || page.PageCount != 3 || len(page.Results) != 1 || page.Results[0].ID != UserID(5) {
		t.Errorf("page 3 = %+v", page)
	}

	// No match: an empty results array.
	e.do(http.MethodPost, "/api/v2/users/search", exactEmails(25, 1, "nobody@example.com")).wantStatus(http.StatusOK).decode(&page)
	if page.Total != 0 || page.Results == nil || len(page.Results) != 0 {
		t.Errorf("no match = %+v", page)
	}

	// An email set out of band, a deleted user.
	e.s.SetUserEmail(UserID(2), "Alice@Example.com")
	e.s.DeleteUser(UserID(1))
	e.do(http.MethodPost, "/api/v2/users/search", exactEmails(25, 1, "alice@example.com", UserEmail(1))).wantStatus(http.StatusOK).decode(&page)
	if len(page.Results) != 1 || page.Results[0].ID != UserID(2) || page.Results[0].Email != "Alice@Example.com" {
		t.Errorf("after changes = %+v", page)
	}
	e.s.SetUserLicenses(UserID(2), []string{LicenseCloudCX1})
	e.do(http.MethodPost, "/api/v2/users/search", exactEmails(25, 1, "alice@example.com")).wantStatus(http.StatusOK).decode(&page)
	if len(page.Results) != 1 {
		t.Errorf("SetUserLicenses lost the email: %+v", page)
	}
}

func TestUsersSearch_refusals(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{MaxSearchValues: 3})
	for name, body := range map[string]any{
		"page size":   exactEmails(101, 1, "a@example.com"),
		"values":      exactEmails(25, 1, "a@example.com", "b@example.com", "c@example.com", "d@example.com"),
		"type":        map[string]any{"query": []map[string]any{{"type": "CONTAINS", "fields": []string{"email"}, "value": "a"}}},
		"field":       map[string]any{"query": []map[string]any{{"type": "EXACT", "fields": []string{"phone"}, "value": "a"}}},
		"no value":    map[string]any{"query": []map[string]any{{"type": "EXACT", "fields": []string{"email"}}}},
		"no type":     map[string]any{"query": []map[string]any{{"fields": []string{"email"}, "value": "a"}}},
		"page number": exactEmails(25, -1, "a@example.com"),
	} {
		eb := e.do(http.MethodPost, "/api/v2/users/search", body).errorBody(http.StatusBadRequest, "invalid.value")
		if eb.Message == "" {
			t.Errorf("%s: no message", name)
		}
	}
	e.do(http.MethodPost, "/api/v2/users/search", `{"query":`).errorBody(http.StatusBadRequest, "bad.request")

	e.s.SetPermissions([]string{apiops.PermLicenseView})
	eb := e.do(http.MethodPost, "/api/v2/users/search", exactEmails(25, 1, "a@example.com")).wantStatus(http.StatusForbidden)
	if !strings.Contains(string(eb.body), "directory:user:view") {
		t.Errorf("403 does not name directory:user:view: %s", eb.body)
	}
	if n := e.s.Stats().Requests[RoutePostUsersSearch]; n != 9 {
		t.Errorf("counted %d requests, want 9", n)
	}
}

func TestAdminPutUserEmail(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{Users: 1})
	e.doWith(http.MethodPut, "/_mock/users/"+UserID(1)+"/email", `"new@example.com"`, map[string]string{"Content-Type": "application/json"}).
		wantStatus(http.StatusOK)
	var page tUsersSearch
	e.do(http.MethodPost, "/api/v2/users/search", exactEmails(25, 1, "new@example.com")).wantStatus(http.StatusOK).decode(&page)
	if len(page.Results) != 1 || page.Results[0].ID != UserID(1) {
		t.Errorf("page = %+v", page)
	}
	e.doWith(http.MethodPut, "/_mock/users/"+UserID(1)+"/email", `[1]`, nil).errorBody(http.StatusBadRequest, "bad.request")
	e.s.Reset()
	e.do(http.MethodPost, "/api/v2/users/search", exactEmails(25, 1, UserEmail(1))).wantStatus(http.StatusOK).decode(&page)
	if len(page.Results) != 1 {
		t.Errorf("Reset did not restore the seeded email: %+v", page)
	}
}
