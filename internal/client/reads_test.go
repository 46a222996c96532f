package client

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/purecloud-terraform/terraform-provider-purecloud/internal/mockapi"
)

// Reads made together share postLicenseUsers requests; a lone read is one getLicenseUser.
func TestUserLicenseIDs_Coalesced(t *testing.T) {
	t.Parallel()
	srv, base := newMock(t, mockapi.Options{Users: 30})
	for i := 1; i <= 30; i++ {
		srv.SetUserLicenses(mockapi.UserID(i), []string{mockapi.LicenseCommunicate})
	}
	c := newTestClient(t, testConfig(base))
	var wg sync.WaitGroup
	errs := make([]error, 30)
	for i := 1; i <= 30; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ids, err := c.userLicenseIDs(context.Background(), mockapi.UserID(i))
			if err == nil && !equalStrings(ids, []string{mockapi.LicenseCommunicate}) {
				err = errors.New("wrong licenses: " + ids[0])
			}
			errs[i-1] = err
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("read %d: %v", i+1, err)
		}
	}
	batch, single := requests(srv, mockapi.RoutePostUsers), requests(srv, mockapi.RouteGetUser)
	if batch > 3 || single > 1 {
		t.Errorf("30 reads took %d postLicenseUsers and %d getLicenseUser; want at most 3 and 1", batch, single)
	}

	ids, err := c.userLicenseIDs(context.Background(), mockapi.UserID(1))
	if err != nil || len(ids) != 1 || requests(srv, mockapi.RouteGetUser) != single+1 {
		t.Errorf("a lone read: %v %v, getLicenseUser %d → %d", ids, err, single, requests(srv, mockapi.RouteGetUser))
	}
	if _, err := c.userLicenseIDs(context.Background(), "99999999-9999-4999-8999-999999999999"); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown user: %v, want ErrNotFound", err)
	}
}

// A user missing from a postLicenseUsers answer is read on its own: deleted users are
// ErrNotFound for that user only, existing ones are read as they are.
func TestReadUsers_MissingUsersConfirmed(t *testing.T) {
	t.Parallel()
	srv, _ := newMock(t, mockapi.Options{Users: 3})
	srv.SetUserLicenses(mockapi.UserID(1), []string{mockapi.LicenseCommunicate})
	front := rewriteUsersAnswer(t, srv, `{"`+mockapi.UserID(1)+`":["communicate"]}`)
	c := newTestClient(t, testConfig(front))
	gone := "99999999-9999-4999-8999-999999999999"
	got := c.readUsers(context.Background(), []string{mockapi.UserID(1), mockapi.UserID(2), gone})
	if r := got[mockapi.UserID(1)]; r.Err != nil || !equalStrings(r.LicenseIDs, []string{"communicate"}) {
		t.Errorf("user 1: %+v", r)
	}
	if r := got[mockapi.UserID(2)]; r.Err != nil || r.LicenseIDs == nil || len(r.LicenseIDs) != 0 {
		t.Errorf("user 2 (left out, holds nothing): %+v", r)
	}
	if r := got[gone]; !errors.Is(r.Err, ErrNotFound) {
		t.Errorf("deleted user: %+v", r)
	}
	if n := requests(srv, mockapi.RouteGetUser); n != 2 {
		t.Errorf("getLicenseUser requests = %d, want 2 (one per left-out user)", n)
	}
}

// When postLicenseUsers answers something the client cannot decode, or 403, the users are read
// one by one and batch reads stay off.
func TestReadUsers_FallBackWhenBatchReadsUnusable(t *testing.T) {
	t.Parallel()
	for name, answer := range map[string]string{
		"undecodable": `{"entities":[]}`,
		"forbidden":   "403",
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv, _ := newMock(t, mockapi.Options{Users: 4})
			srv.SetUserLicenses(mockapi.UserID(2), []string{mockapi.LicenseCollaborate})
			front := rewriteUsersAnswer(t, srv, answer)
			c := newTestClient(t, testConfig(front))
			ids := []string{mockapi.UserID(1), mockapi.UserID(2), mockapi.UserID(3)}
			for round := range 2 {
				got := c.readUsers(context.Background(), ids)
				if r := got[mockapi.UserID(2)]; r.Err != nil || !equalStrings(r.LicenseIDs, []string{mockapi.LicenseCollaborate}) {
					t.Errorf("round %d, user 2: %+v", round, r)
				}
				if r := got[mockapi.UserID(1)]; r.Err != nil || len(r.LicenseIDs) != 0 {
					t.Errorf("round %d, user 1: %+v", round, r)
				}
			}
			if n := requests(srv, mockapi.RouteGetUser); n != 6 {
				t.Errorf("getLicenseUser requests = %d, want 6", n)
			}
			if !c.batchReadsOff.Load() {
				t.Error("batch reads are still on")
			}
		})
	}
}

// rewriteUsersAnswer serves srv, except that postLicenseUsers answers body ("403" answers a
// 403 ErrorBody). It returns the base URL.
func rewriteUsersAnswer(t *testing.T, srv *mockapi.Server, body string) string {
	t.Helper()
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && r.URL.Path == "/api/v2/license/users" {
			w.Header().Set("Content-Type", "application/json")
			if body == "403" {
				w.WriteHeader(http.StatusForbidden)
				_, _ = w.Write([]byte(`{"status":403,"code":"missing.any.permissions","message":"You are missing the following permission(s): authorization:license:view"}`))
				return
			}
			_, _ = w.Write([]byte(body))
			return
		}
		srv.ServeHTTP(w, r)
	}))
	t.Cleanup(front.Close)
	return front.URL
}
