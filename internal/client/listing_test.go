package client

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/purecloud-terraform/terraform-provider-purecloud/internal/mockapi"
)

func readRequests(srv *mockapi.Server) (batch, single, pages int) {
	return requests(srv, mockapi.RoutePostUsers), requests(srv, mockapi.RouteGetUser), requests(srv, mockapi.RouteGetUsers)
}

// A refresh of every user of a 300-user organization, 10 at a time: batched reads alone take
// 30 postLicenseUsers; once they have cost as much as listing the organization (3 pages), the
// organization is listed and the remaining reads cost nothing.
func TestRefreshUserLicenseIDs_ListsTheOrganization(t *testing.T) {
	t.Parallel()
	srv, base := newMock(t, mockapi.Options{Users: 300})
	seedLicenses(srv, 300)
	c := newTestClient(t, testConfig(base))
	refreshInWaves(t, c, srv, 300, 10)
	batch, single, pages := readRequests(srv)
	t.Logf("300 refresh reads: %d postLicenseUsers, %d getLicenseUser, %d getLicenseUsers", batch, single, pages)
	if pages < 2 || pages > 4 {
		t.Errorf("getLicenseUsers requests = %d, want the probe and the 3 pages (2 to 4)", pages)
	}
	if total := batch + single + pages; total > 15 {
		t.Errorf("300 refresh reads took %d requests, want at most 15 (batched reads alone: 30)", total)
	}
	if batch < 3 {
		t.Errorf("postLicenseUsers = %d: the listing started before the batched reads had cost as much as it", batch)
	}

	// A user this client writes to is never answered from the listing again.
	id := mockapi.UserID(7)
	if _, err := c.ApplyLicenseChanges(context.Background(), []LicenseChange{{UserID: id, LicenseID: "wallboardUser", Op: OpAdd}}); err != nil {
		t.Fatal(err)
	}
	got, err := c.refreshUserLicenseIDs(context.Background(), id)
	want, _ := srv.UserLicenses(id)
	if err != nil || !equalStrings(got, want) || len(want) != 2 {
		t.Errorf("after a write: got %v, %v; the mock holds %v", got, err, want)
	}
	// UserLicenseIDs (read-after-write re-reads, write outcomes) always asks the server.
	b0, s0, _ := readRequests(srv)
	if _, err := c.userLicenseIDs(context.Background(), mockapi.UserID(8)); err != nil {
		t.Fatal(err)
	}
	if b1, s1, _ := readRequests(srv); b1+s1 != b0+s0+1 {
		t.Errorf("UserLicenseIDs after the listing sent %d requests, want 1", b1+s1-b0-s0)
	}
}

// A refresh of a few users in a large organization never lists it: one probe at most.
func TestRefreshUserLicenseIDs_SmallRefreshLargeOrganization(t *testing.T) {
	t.Parallel()
	srv, base := newMock(t, mockapi.Options{Users: 3000})
	seedLicenses(srv, 60)
	c := newTestClient(t, testConfig(base))
	refreshInWaves(t, c, srv, 60, 10)
	batch, single, pages := readRequests(srv)
	if pages != 1 {
		t.Errorf("getLicenseUsers requests = %d, want 1 (the probe: 30 pages cost more than 6 batches)", pages)
	}
	if batch+single > 7 {
		t.Errorf("60 refresh reads took %d postLicenseUsers and %d getLicenseUser, want about 6", batch, single)
	}
}

// When listing fails (here 403 on getLicenseUsers), refresh reads go on in batches, correctly
// (20 at a time: -parallelism=20).
func TestRefreshUserLicenseIDs_ListingRefused(t *testing.T) {
	t.Parallel()
	srv, base := newMock(t, mockapi.Options{Users: 200, Faults: mockapi.Faults{
		FailNext: &mockapi.FailNext{Count: 1000, Status: http.StatusForbidden, Route: mockapi.RouteGetUsers},
	}})
	seedLicenses(srv, 200)
	c := newTestClient(t, testConfig(base))
	refreshInWaves(t, c, srv, 200, 20)
	batch, _, pages := readRequests(srv)
	if pages != 1 || batch < 9 {
		t.Errorf("getLicenseUsers = %d (want 1, the refused probe), postLicenseUsers = %d (want about 10)", pages, batch)
	}
}

// With read batching off, a refresh read is one getLicenseUser, and nothing is listed.
func TestRefreshUserLicenseIDs_ReadBatchingOff(t *testing.T) {
	t.Parallel()
	srv, base := newMock(t, mockapi.Options{Users: 40})
	seedLicenses(srv, 40)
	cfg := testConfig(base)
	cfg.ReadBatching = false
	c := newTestClient(t, cfg)
	refreshInWaves(t, c, srv, 40, 10)
	if batch, single, pages := readRequests(srv); batch != 0 || pages != 0 || single != 40 {
		t.Errorf("requests: %d postLicenseUsers, %d getLicenseUser, %d getLicenseUsers; want 0, 40, 0", batch, single, pages)
	}
}

// Users the listing does not show (deleted, or an API that lists only some users) are read as
// usual: a deleted one is ErrNotFound.
func TestRefreshUserLicenseIDs_UserMissingFromListing(t *testing.T) {
	t.Parallel()
	srv, base := newMock(t, mockapi.Options{Users: 150})
	seedLicenses(srv, 150)
	c := newTestClient(t, testConfig(base))
	refreshInWaves(t, c, srv, 150, 10)
	if _, _, pages := readRequests(srv); pages < 2 {
		t.Fatalf("the organization was not listed (getLicenseUsers = %d); the test needs it", pages)
	}
	gone := "99999999-9999-4999-8999-999999999999"
	if _, err := c.refreshUserLicenseIDs(context.Background(), gone); !errors.Is(err, ErrNotFound) {
		t.Errorf("a user missing from the listing: %v, want ErrNotFound", err)
	}
}

// Under every mock profile (other paging answers, unlicensed users left out of listings, other
// shapes of postLicenseUsers…) a large refresh that lists the organization answers what the
// server holds.
func TestRefreshUserLicenseIDs_EveryProfile(t *testing.T) {
	t.Parallel()
	for _, name := range mockapi.ProfileNames() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			p, err := mockapi.NamedProfile(name)
			if err != nil {
				t.Fatal(err)
			}
			srv, base := newMock(t, mockapi.Options{Users: 160, Faults: mockapi.Faults{Profile: p}})
			seedLicenses(srv, 140) // users 141-150 hold nothing: some profiles leave them out of listings
			c := newTestClient(t, testConfig(base))
			refreshInWaves(t, c, srv, 150, 10)
			batch, single, pages := readRequests(srv)
			t.Logf("profile %s: %d postLicenseUsers, %d getLicenseUser, %d getLicenseUsers", name, batch, single, pages)
			if pages < 2 {
				t.Errorf("the organization was not listed (getLicenseUsers = %d): the test checks listed answers", pages)
			}
		})
	}
}
