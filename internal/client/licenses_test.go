package client

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"testing"

	"github.com/purecloud-terraform/terraform-provider-purecloud/internal/mockapi"
)

func TestLicenseDefinitions(t *testing.T) {
	t.Parallel()
	srv, base := newMock(t, mockapi.Options{})
	c := newTestClient(t, testConfig(base))
	ctx := context.Background()

	defs, err := c.ListLicenseDefinitions(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, d := range defs {
		ids = append(ids, d.ID)
		if d.Description == "" {
			t.Errorf("%s: no description", d.ID)
		}
	}
	sort.Strings(ids)
	if !equalStrings(ids, srv.LicenseIDs()) {
		t.Errorf("ids = %v, want %v", ids, srv.LicenseIDs())
	}

	d, err := c.GetLicenseDefinition(ctx, mockapi.LicenseGC2WEMUpgrade)
	if err != nil {
		t.Fatal(err)
	}
	if d.ID != mockapi.LicenseGC2WEMUpgrade || d.Permissions == nil || len(d.Permissions.IDs) == 0 || d.SelfURI == "" {
		t.Errorf("definition: %+v", d)
	}
	if len(d.Prerequisites) != 1 || d.Prerequisites[0].ID != mockapi.LicenseCloudCX2 {
		t.Errorf("prerequisites: %+v", d.Prerequisites)
	}
	cx3, err := c.GetLicenseDefinition(ctx, mockapi.LicenseCloudCX3)
	if err != nil {
		t.Fatal(err)
	}
	if len(cx3.Comprises) != 1 || cx3.Comprises[0].ID != mockapi.LicenseCloudCX2 ||
		len(cx3.Comprises[0].Comprises) != 1 || cx3.Comprises[0].Comprises[0].ID != mockapi.LicenseCloudCX1 {
		t.Errorf("comprises not decoded recursively: %+v", cx3.Comprises)
	}
	if _, err := c.GetLicenseDefinition(ctx, "nope"); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown definition: %v", err)
	}
	if _, err := c.GetLicenseDefinition(ctx, ""); err == nil {
		t.Error("empty id accepted")
	}
}

func TestLicenseToggles(t *testing.T) {
	t.Parallel()
	srv, base := newMock(t, mockapi.Options{})
	c := newTestClient(t, testConfig(base))
	ctx := context.Background()
	g, err := c.GetLicenseToggle(ctx, "some feature")
	if err != nil || g.FeatureName != "some feature" || !g.Enabled {
		t.Fatalf("get toggle: %+v, %v", g, err)
	}
	p, err := c.PostLicenseToggle(ctx, "feat")
	if err != nil || p.FeatureName != "feat" || !p.Enabled {
		t.Fatalf("post toggle: %+v, %v", p, err)
	}
	if requests(srv, mockapi.RouteGetToggle) != 1 || requests(srv, mockapi.RoutePostToggle) != 1 {
		t.Errorf("stats %v", srv.Stats().Requests)
	}
}

func TestGetLicenseUser(t *testing.T) {
	t.Parallel()
	srv, base := newMock(t, mockapi.Options{})
	c := newTestClient(t, testConfig(base))
	ctx := context.Background()
	u1 := mockapi.UserID(1)
	srv.SetUserLicenses(u1, []string{mockapi.LicenseCloudCX2, mockapi.LicenseWallboardUser})

	u, err := c.GetLicenseUser(ctx, u1)
	if err != nil {
		t.Fatal(err)
	}
	got := u.LicenseIDs()
	sort.Strings(got)
	if u.ID != u1 || !equalStrings(got, []string{mockapi.LicenseCloudCX2, mockapi.LicenseWallboardUser}) {
		t.Errorf("user: %+v", u)
	}
	for _, l := range u.Licenses {
		if l.Description == "" {
			t.Errorf("license %s not a full definition", l.ID)
		}
	}
	empty, err := c.GetLicenseUser(ctx, mockapi.UserID(2))
	if err != nil || empty.Licenses == nil || len(empty.Licenses) != 0 {
		t.Errorf("unlicensed user: %+v, %v", empty, err)
	}
	srv.DeleteUser(u1)
	if _, err := c.GetLicenseUser(ctx, u1); !errors.Is(err, ErrNotFound) {
		t.Errorf("deleted user: %v", err)
	}
}

func TestLicenseUsersPaging(t *testing.T) {
	t.Parallel()
	srv, base := newMock(t, mockapi.Options{Users: 250})
	c := newTestClient(t, testConfig(base))
	ctx := context.Background()
	srv.SetUserLicenses(mockapi.UserID(137), []string{mockapi.LicenseCollaborate})

	page, err := c.GetLicenseUsersPage(ctx, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if page.PageSize != 25 || page.PageNumber != 1 || page.Total != 250 || page.PageCount != 10 || len(page.Entities) != 25 {
		t.Errorf("default page: size %d number %d total %d count %d entities %d",
			page.PageSize, page.PageNumber, page.Total, page.PageCount, len(page.Entities))
	}
	page, err = c.GetLicenseUsersPage(ctx, 100, 3)
	if err != nil || len(page.Entities) != 50 || page.PageNumber != 3 || page.PageCount != 3 {
		t.Fatalf("page 3: %+v, %v", page, err)
	}
	srv.Reset()
	srv.SetUserLicenses(mockapi.UserID(137), []string{mockapi.LicenseCollaborate})

	all, err := c.ListLicenseUsers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 250 {
		t.Fatalf("got %d users, want 250", len(all))
	}
	seen := map[string]bool{}
	for _, u := range all {
		seen[u.ID] = true
		if u.ID == mockapi.UserID(137) && !equalStrings(u.Licenses, []string{mockapi.LicenseCollaborate}) {
			t.Errorf("user 137: %v", u.Licenses)
		}
	}
	if len(seen) != 250 || !seen[mockapi.UserID(1)] || !seen[mockapi.UserID(250)] {
		t.Errorf("users missing from the walk")
	}
	if n := requests(srv, mockapi.RouteGetUsers); n != 3 {
		t.Errorf("page requests = %d, want 3", n)
	}
}

func TestGetLicenseUsersByID(t *testing.T) {
	t.Parallel()
	srv, base := newMock(t, mockapi.Options{Users: 10})
	cfg := testConfig(base)
	cfg.MaxBatchUsers = 3
	c := newTestClient(t, cfg)
	srv.SetUserLicenses(mockapi.UserID(2), []string{mockapi.LicenseCloudCX1, mockapi.LicenseCommunicate})
	ids := []string{"unknown-user"}
	for i := 1; i <= 7; i++ {
		ids = append(ids, mockapi.UserID(i))
	}
	ids = append(ids, mockapi.UserID(2)) // duplicate, sent once
	got, err := c.GetLicenseUsersByID(context.Background(), ids)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 7 {
		t.Errorf("got %d users, want 7 (unknown omitted): %v", len(got), got)
	}
	if l := got[mockapi.UserID(2)]; !equalStrings(l, []string{mockapi.LicenseCloudCX1, mockapi.LicenseCommunicate}) {
		t.Errorf("user 2: %v", l)
	}
	if l, ok := got[mockapi.UserID(1)]; !ok || l == nil || len(l) != 0 {
		t.Errorf("user 1: %v, %v", l, ok)
	}
	if n := requests(srv, mockapi.RoutePostUsers); n != 3 {
		t.Errorf("requests = %d, want 3 (8 distinct ids in chunks of 3)", n)
	}
	empty, err := c.GetLicenseUsersByID(context.Background(), nil)
	if err != nil || len(empty) != 0 || requests(srv, mockapi.RoutePostUsers) != 3 {
		t.Errorf("empty input: %v, %v", empty, err)
	}
}

func TestInferLicenses(t *testing.T) {
	t.Parallel()
	_, base := newMock(t, mockapi.Options{})
	c := newTestClient(t, testConfig(base))
	ctx := context.Background()
	got, err := c.InferLicenses(ctx, []string{mockapi.RoleSupervisor, mockapi.RoleEmployee, "unknown-role"})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(got)
	if want := []string{mockapi.LicenseCloudCX3, mockapi.LicenseCommunicate, mockapi.LicenseWallboardUser}; !equalStrings(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	none, err := c.InferLicenses(ctx, nil)
	if err != nil || none == nil || len(none) != 0 {
		t.Errorf("no roles: %v, %v", none, err)
	}

	perms, err := c.InferLicensesFromPermissions(ctx, []string{"quality:calibration:view"})
	if err != nil {
		t.Fatal(err)
	}
	if !equalStrings(perms, []string{mockapi.LicenseGC2WEMUpgrade}) {
		t.Errorf("permissions: %v", perms)
	}
}

func TestGetLicenseOrganization(t *testing.T) {
	t.Parallel()
	srv, base := newMock(t, mockapi.Options{})
	c := newTestClient(t, testConfig(base))
	srv.SetUserLicenses(mockapi.UserID(3), []string{mockapi.LicenseCollaborate})
	org, err := c.GetLicenseOrganization(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if org.ID != mockapi.OrganizationID || org.Name != mockapi.OrganizationName {
		t.Errorf("org: %+v", org)
	}
	users := org.Licenses[mockapi.LicenseCollaborate]
	if len(users) != 1 || users[0].ID != mockapi.UserID(3) {
		t.Errorf("collaborate users: %+v", users)
	}
}

func TestPostLicenseOrganization(t *testing.T) {
	t.Parallel()
	srv, base := newMock(t, mockapi.Options{Faults: mockapi.Faults{
		RateLimitPerMinute: -1,
		ItemFailures:       map[string]string{mockapi.UserID(2) + "/" + mockapi.LicenseCollaborate: mockapi.ResultNoSeatsAvailable},
	}})
	c := newTestClient(t, testConfig(base))
	srv.SetUserLicenses(mockapi.UserID(1), []string{mockapi.LicenseWallboardUser})
	st, err := c.PostLicenseOrganization(context.Background(), LicenseBatchAssignmentRequest{Assignments: []LicenseAssignmentRequest{
		{LicenseID: mockapi.LicenseCollaborate, UserIDsAdd: []string{mockapi.UserID(1), mockapi.UserID(2), "ghost"}},
		{LicenseID: mockapi.LicenseWallboardUser, UserIDsRemove: []string{mockapi.UserID(1)}},
		{LicenseID: mockapi.LicenseGC2WEMUpgrade, UserIDsAdd: []string{mockapi.UserID(3)}},
		{LicenseID: "bogus", UserIDsAdd: []string{mockapi.UserID(3)}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, s := range st {
		got[s.UserID+"/"+s.LicenseID] = s.Result
	}
	want := map[string]string{
		mockapi.UserID(1) + "/collaborate":   "Success",
		mockapi.UserID(2) + "/collaborate":   "NoSeatsAvailable",
		"ghost/collaborate":                  "UserNotFound",
		mockapi.UserID(1) + "/wallboardUser": "Success",
		mockapi.UserID(3) + "/gc2WEMupgrade": "PrerequisiteMissing",
		mockapi.UserID(3) + "/bogus":         "LicenseNotFound",
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("statuses\n got %v\nwant %v", got, want)
	}
	if l, _ := srv.UserLicenses(mockapi.UserID(1)); !equalStrings(l, []string{mockapi.LicenseCollaborate}) {
		t.Errorf("user 1 licenses %v", l)
	}
}
