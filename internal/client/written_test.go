package client

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/purecloud-terraform/terraform-provider-purecloud/internal/mockapi"
)

// A read of a user this client has just written waits for the write to show (the mock shows
// writes 1 s late), for single and batched reads alike; with no tolerance it returns what the
// server shows at once, which is the state before the write.
func TestReadLicenses_WaitsForWhatThisClientWrote(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name      string
		tolerance time.Duration
		users     int
		wantAdded bool
	}{
		{"single, tolerance 3s", 3 * time.Second, 1, true},
		{"batched, tolerance 3s", 3 * time.Second, 3, true},
		{"single, no tolerance", 0, 1, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv, base := newMock(t, mockapi.Options{Users: tc.users, Faults: mockapi.Faults{VisibilityDelay: time.Second}})
			cfg := testConfig(base)
			cfg.ReadAfterWriteTolerance = tc.tolerance
			c := newTestClient(t, cfg)
			var users []string
			var changes []LicenseChange
			for i := 1; i <= tc.users; i++ {
				users = append(users, mockapi.UserID(i))
				changes = append(changes, LicenseChange{UserID: mockapi.UserID(i), LicenseID: "cloudCX1", Op: OpAdd})
			}
			if _, err := c.ApplyLicenseChanges(context.Background(), changes); err != nil {
				t.Fatal(err)
			}
			reads := c.ReadLicenses(context.Background(), users, Fresh)
			for _, u := range users {
				r := reads[u]
				if r.Err != nil {
					t.Fatalf("reading %s: %v", u, r.Err)
				}
				if got := slices.Contains(r.LicenseIDs, "cloudCX1"); got != tc.wantAdded {
					t.Errorf("user %s read %v: holds the written license = %t, want %t", u, r.LicenseIDs, got, tc.wantAdded)
				}
			}
			if held, _ := srv.UserLicenses(users[0]); !slices.Contains(held, "cloudCX1") {
				t.Errorf("the write did not land: %v", held)
			}
		})
	}
}

// A refresh read waiting for an organization listing that is slower than half of the read's
// time left reads the user directly instead of failing at its deadline.
func TestRefreshUserLicenseIDs_SlowListingFallsBack(t *testing.T) {
	t.Parallel()
	srv, base := newMock(t, mockapi.Options{Users: 300})
	seedLicenses(srv, 300)
	c := newTestClient(t, testConfig(base))
	refreshInWaves(t, c, srv, 60, 10) // enough reads for the probe to learn the pages
	srv.SetFaults(mockapi.Faults{RateLimitPerMinute: -1, RouteLatency: map[string]time.Duration{mockapi.RouteGetUsers: 20 * time.Second}})
	c.listing.mu.Lock()
	c.listing.state = listingRunning
	c.listing.done = make(chan struct{}) // a listing that does not end while the read waits
	c.listing.mu.Unlock()

	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Second)
	defer cancel()
	start := time.Now()
	got, err := c.refreshUserLicenseIDs(ctx, mockapi.UserID(250))
	want, _ := srv.UserLicenses(mockapi.UserID(250))
	if err != nil || !equalStrings(got, want) {
		t.Fatalf("got %v, %v; want %v", got, err, want)
	}
	if waited := time.Since(start); waited > 3500*time.Millisecond {
		t.Errorf("the read took %s: it waited for the listing instead of about half its 4 s", waited)
	}
}
