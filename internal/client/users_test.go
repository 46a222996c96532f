package client

import (
	"context"
	"errors"

	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/purecloud-terraform/terraform-provider-purecloud/internal/mockapi"
)

func TestUsersByEmail(t *testing.T) {
	t.Parallel()
	s, base := newMock(t, mockapi.Options{Users: 250})
	c := newTestClient(t, testConfig(base))

	// 10 emails: one request. Case and white space do not matter; unknown emails are absent.
	emails := []string{"USER1@example.com", " user2@example.com", "nobody@example.com"}
	for i := 3; i <= 9; i++ {
		emails = append(emails, mockapi.UserEmail(i))
	}
	got, err := c.UsersByEmail(context.Background(), emails)
	if err != nil {
		t.Fatal(err)
	}
	if n := requests(s, mockapi.RoutePostUsersSearch); n != 1 {
		t.Errorf("10 emails took %d requests, want 1", n)
	}
	if len(got) != 9 {
		t.Errorf("got %d emails, want 9: %v", len(got), got)
	}
	if u := got["USER1@example.com"]; len(u) != 1 || u[0].ID != mockapi.UserID(1) || u[0].Email != mockapi.UserEmail(1) {
		t.Errorf("USER1@example.com → %+v", u)
	}
	if u := got[" user2@example.com"]; len(u) != 1 || u[0].ID != mockapi.UserID(2) {
		t.Errorf("' user2@example.com' → %+v", u)
	}
	if _, ok := got["nobody@example.com"]; ok {
		t.Error("an unknown email matched")
	}

	// 250 emails, one of them twice in another case: ceil(250 / 100) = 3 requests.
	s.Reset()
	emails = emails[:0]
	for i := 1; i <= 250; i++ {
		emails = append(emails, mockapi.UserEmail(i))
	}
	emails = append(emails, "User7@Example.com")
	got, err = c.UsersByEmail(context.Background(), emails)
	if err != nil {
		t.Fatal(err)
	}
	if n := requests(s, mockapi.RoutePostUsersSearch); n != 3 {
		t.Errorf("250 emails took %d requests, want 3", n)
	}
	if len(got) != 251 || got["User7@Example.com"][0].ID != mockapi.UserID(7) {
		t.Errorf("got %d emails (want 251); User7@Example.com → %+v", len(got), got["User7@Example.com"])
	}
}

func TestUsersByEmail_twoUsersOneEmail(t *testing.T) {
	t.Parallel()
	_, base := newMock(t, mockapi.Options{Users: 3, UserEmails: map[string]string{mockapi.UserID(3): "User1@example.com"}})
	c := newTestClient(t, testConfig(base))
	got, err := c.UsersByEmail(context.Background(), []string{mockapi.UserEmail(1)})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, u := range got[mockapi.UserEmail(1)] {
		ids = append(ids, u.ID)
	}
	if !slices.Equal(ids, []string{mockapi.UserID(1), mockapi.UserID(3)}) {
		t.Errorf("got %v, want users 1 and 3", ids)
	}
}

func TestUsersByEmail_forbiddenNamesThePermission(t *testing.T) {
	t.Parallel()
	_, base := newMock(t, mockapi.Options{Permissions: []string{"authorization:license:view"}})
	c := newTestClient(t, testConfig(base))
	_, err := c.UsersByEmail(context.Background(), []string{"user1@example.com"})
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusForbidden {
		t.Fatalf("err = %v, want a 403", err)
	}
	if apiErr.Operation != "postUsersSearch" || !slices.Equal(apiErr.RequiredPermissions, []string{"directory:user:view"}) {
		t.Errorf("operation %q, permissions %v", apiErr.Operation, apiErr.RequiredPermissions)
	}
}

func TestUsersSearchAnswer_strict(t *testing.T) {
	t.Parallel()
	asked := map[string]bool{"a@example.com": true}
	for body, want := range map[string]string{
		``:               "no body",
		`{"results":[]}`: "no total",
		`{"total":2}`:    "no results but a total of 2",
		`{"total":1,"results":[{"email":"a@example.com"}]}`:          "no user id",
		`{"total":1,"results":[{"id":"u","email":"b@example.com"}]}`: `email "b@example.com", which was not asked`,
	} {
		err := (&usersSearchAnswer{asked: asked}).decodeBody([]byte(body))
		if err == nil || !containsText(err.Error(), want) {
			t.Errorf("%s: err = %v, want %q", body, err, want)
		}
	}
	a := &usersSearchAnswer{asked: asked}
	if err := a.decodeBody([]byte(`{"total":0,"pageCount":0}`)); err != nil || a.page.Results == nil {
		t.Errorf("an answer without results and total 0: %v, %+v", err, a.page)
	}
	a = &usersSearchAnswer{asked: asked}
	if err := a.decodeBody([]byte(`{"total":1,"results":[{"id":"u","email":"A@Example.com","state":"active"}]}`)); err != nil {
		t.Errorf("a result in another case: %v", err)
	}
}

func containsText(s, sub string) bool { return strings.Contains(s, sub) }

// A server that takes fewer values per criterion than UsersSearchBatch costs requests, not the
// lookup: refused batches are sent again in halves.
func TestUsersByEmail_smallerValueLimit(t *testing.T) {
	t.Parallel()
	s, base := newMock(t, mockapi.Options{Users: 100, MaxSearchValues: 30})
	c := newTestClient(t, testConfig(base))
	var emails []string
	for i := 1; i <= 100; i++ {
		emails = append(emails, mockapi.UserEmail(i))
	}
	got, err := c.UsersByEmail(context.Background(), emails)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 100 {
		t.Errorf("found %d of 100 emails", len(got))
	}
	// 100 refused, 2×50 refused, 4×25 answered.
	if n := requests(s, mockapi.RoutePostUsersSearch); n != 7 {
		t.Errorf("%d requests, want 7", n)
	}
}
