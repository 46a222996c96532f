package provider

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/purecloud-terraform/terraform-provider-purecloud/internal/client"
	"github.com/purecloud-terraform/terraform-provider-purecloud/internal/mockapi"
)

// groupView is a third view, compiled against the engine only: the licenses of every member
// of a group (here a fixed list of users). A license is a member of the assignment; it stands
// for one pair per user of the group, and the group holds it when every user does. Nothing in
// the engine knows this view: it is the proof that a new resource style is a view, not a fork.
type groupView struct {
	users []string
}

func (groupView) names() viewNames {
	return viewNames{resource: "purecloud_group_license_assignment", keyAttr: "group_id", keyNoun: "Group",
		membersAttr: "license_ids", memberNoun: "license", takesAll: "exclusive", fix: "Merge them."}
}

func (g groupView) changes(_, license string, op client.ChangeOp) []client.LicenseChange {
	out := make([]client.LicenseChange, 0, len(g.users))
	for _, u := range g.users {
		out = append(out, client.LicenseChange{UserID: u, LicenseID: license, Op: op})
	}
	return out
}

func (groupView) memberOf(ch client.LicenseChange) string { return ch.LicenseID }

// readAll returns the licenses every user of the group holds.
func (g groupView) readAll(ctx context.Context, d *providerData, _ string, f client.Freshness) ([]string, error) {
	var common []string
	reads := d.client.ReadLicenses(ctx, g.users, f)
	for i, u := range g.users {
		r := reads[u]
		if r.Err != nil {
			return nil, r.Err
		}
		if i == 0 {
			common = r.LicenseIDs
		} else {
			common = intersection(common, r.LicenseIDs)
		}
	}
	return common, nil
}

func (g groupView) readListed(ctx context.Context, d *providerData, key string, licenses []string, f client.Freshness) ([]string, []string, error) {
	all, err := g.readAll(ctx, d, key, f)
	return intersection(licenses, all), nil, err
}

func (groupView) licenseIDsIn(a assignment) (string, []string) { return "license_ids", a.members }

func (groupView) describe(group string, licenses []string) string {
	return fmt.Sprintf("%s to group %s", listIDs(licenses), group)
}

// engineTestData is a provider data over a fresh mock with users users holding no license.
func engineTestData(t *testing.T, users int) (*providerData, *mockapi.Server) {
	t.Helper()
	mock, url := mockapi.NewTestServer(t, mockapi.Options{Users: users})
	for _, u := range mock.UserIDs() {
		mock.SetUserLicenses(u, nil)
	}
	c, err := client.New(context.Background(), client.Config{ClientID: testClientID, ClientSecret: testClientSecret,
		APIURL: url, ReadBatching: true, BatchWindow: 10 * time.Millisecond, MaxRequestsPerMinute: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return newProviderData(c, time.Second), mock
}

// The engine writes, refreshes, sees drift and deletes for a view it has never heard of, with
// one member standing for several pairs.
func TestEngine_thirdViewNeedsNoEngineChange(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d, mock := engineTestData(t, 3)
	users := mock.UserIDs()
	v := groupView{users: users}
	want := []string{"cloudCX1", "collaborate"}

	out := d.writeAssignment(ctx, v, "team", nil, want)
	if !out.ok() || !slices.Equal(out.after, want) || out.total != 6 {
		t.Fatalf("create: ok=%t after=%v total=%d failures=%v; want 6 changes leaving %v", out.ok(), out.after, out.total, out.failures, want)
	}
	for _, u := range users {
		if got, _ := mock.UserLicenses(u); !slices.Equal(got, want) {
			t.Errorf("after create user %s holds %v, want %v", u, got, want)
		}
	}

	rec := assignment{key: "team", members: want}
	now, err := d.refresh(ctx, v, rec, false, time.Time{})
	if err != nil || !slices.Equal(now.members, want) {
		t.Fatalf("refresh: %v, %v; want %v", now.members, err, want)
	}

	// One user loses collaborate outside Terraform: the group no longer holds it (drift).
	mock.SetUserLicenses(users[1], []string{"cloudCX1"})
	now, err = d.refresh(ctx, v, rec, false, time.Time{})
	if err != nil || !slices.Equal(now.members, []string{"cloudCX1"}) {
		t.Fatalf("refresh after drift: %v, %v; want [cloudCX1]", now.members, err)
	}

	// A later apply is a new process: its ledger knows nothing of this one's create.
	d = newProviderData(d.client, time.Second)
	out = d.writeAssignment(ctx, v, "team", now.members, nil)
	if !out.ok() || len(out.after) != 0 || !slices.Equal(out.removed, []string{"cloudCX1"}) {
		t.Fatalf("delete: ok=%t after=%v removed=%v failures=%v", out.ok(), out.after, out.removed, out.failures)
	}
	for i, u := range users {
		got, _ := mock.UserLicenses(u)
		want := []string{"collaborate"}
		if i == 1 {
			want = nil
		}
		if !slices.Equal(got, want) {
			t.Errorf("after delete user %s holds %v, want %v (destroy removes only what the state records)", u, got, want)
		}
	}
}

// heldBefore is the one rule for where a write starts, whatever the view.
func TestEngine_heldBefore(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d, mock := engineTestData(t, 1)
	user := mock.UserIDs()[0]
	mock.SetUserLicenses(user, []string{"cloudCX1", "communicate"})
	v := userView{userViewPairs}
	want := func(takesAll bool, members ...string) assignment {
		return assignment{key: user, members: members, takesAll: takesAll}
	}
	tests := []struct {
		name  string
		prior *assignment
		want  assignment
		from  []string
	}{
		{"create additive starts from nothing", nil, want(false, "cloudCX1"), nil},
		{"create exclusive starts from everything held", nil, want(true, "cloudCX1"), []string{"cloudCX1", "communicate"}},
		{"update starts from the state", &assignment{key: user, members: []string{"cloudCX1"}}, want(false), []string{"cloudCX1"}},
		{"turning exclusive on starts from everything held", &assignment{key: user, members: []string{"cloudCX1"}}, want(true, "cloudCX1"), []string{"cloudCX1", "communicate"}},
		{"turning exclusive off keeps only what is still listed", &assignment{key: user, members: []string{"cloudCX1", "communicate"}, takesAll: true}, want(false, "cloudCX1"), []string{"cloudCX1"}},
	}
	for _, tc := range tests {
		got, err := d.heldBefore(ctx, v, tc.prior, tc.want)
		if err != nil || !slices.Equal(got, tc.from) {
			t.Errorf("%s: got %v, %v; want %v", tc.name, got, err, tc.from)
		}
	}
}

// A re-read after a recent write waits for the write to show, up to the tolerance, and no
// longer; without a recent write a difference is reported at once.
func TestEngine_untilSettled(t *testing.T) {
	t.Parallel()
	d := &providerData{readAfterWriteTolerance: 2 * time.Second}
	ctx := context.Background()
	tests := []struct {
		name       string
		wroteAt    time.Time
		settlesAt  int
		wantReads  int
		wantMaxDur time.Duration
	}{
		{"no write: one read", time.Time{}, 99, 1, time.Second},
		{"recent write: reads until settled", time.Now(), 2, 3, 2 * time.Second},
		{"old write: one read", time.Now().Add(-time.Minute), 99, 1, time.Second},
	}
	for _, tc := range tests {
		reads := 0
		start := time.Now()
		err := d.untilSettled(ctx, tc.wroteAt, func(attempt int) (bool, error) {
			reads++
			return attempt >= tc.settlesAt, nil
		})
		if err != nil || reads != tc.wantReads || time.Since(start) > tc.wantMaxDur {
			t.Errorf("%s: %d reads in %s (err %v); want %d within %s", tc.name, reads, time.Since(start), err, tc.wantReads, tc.wantMaxDur)
		}
	}
}
