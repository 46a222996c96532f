package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/go-version"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/purecloud-terraform/terraform-provider-purecloud/internal/mockapi"
)

// "The plan is what happens": each scenario below once left Genesys Cloud holding less than the
// state said after an apply that reported success. Each checks the server (the mock) against
// every state after every step, and the racy ones run several times (oneTruthRuns) and count
// what was lost: the bar is 0.

// oneTruthRuns is how often the racy scenarios repeat: 2 in make test, more with
// PURECLOUD_TEST_RACE_RUNS (make testacc LONG=1 sets 10).
func oneTruthRuns() int {
	if n := os.Getenv("PURECLOUD_TEST_RACE_RUNS"); n != "" {
		var runs int
		if _, err := fmt.Sscan(n, &runs); err == nil && runs > 0 {
			return runs
		}
	}
	return 2
}

const createBeforeDestroy = "  lifecycle {\n    create_before_destroy = true\n  }\n"

// A forced replacement with create_before_destroy (taint) creates the new instance, then
// destroys the old one: the destroy must not take away what the new instance has just assigned.
func TestAccOneTruth_createBeforeDestroyReplacement(t *testing.T) {
	t.Parallel()
	users := mockUsers(5)
	for _, tc := range []struct{ name, config, addr string }{
		{"per user", testAccUserLicenseAssignmentConfig_perUser("cbd", users[:1], createBeforeDestroy), "purecloud_user_license_assignment.cbd[0]"},
		{"per license", testAccLicenseAssignmentConfig_named("cbd", "cloudCX1", users, createBeforeDestroy), "purecloud_license_assignment.cbd"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			holders := users
			if strings.HasPrefix(tc.addr, "purecloud_user") {
				holders = users[:1]
			}
			lost, runs := 0, oneTruthRuns()
			for run := 0; run < runs; run++ {
				mock, url := testAccMock(t, mockapi.Options{Users: 5})
				config := testAccProviderConfig(url) + tc.config
				resource.Test(t, resource.TestCase{
					ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
					Steps: []resource.TestStep{
						{Config: config, Check: testAccNoneLost(mock, holders, &lost)},
						{
							Config: config,
							Taint:  []string{tc.addr},
							ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
								plancheck.ExpectResourceAction(tc.addr, plancheck.ResourceActionCreateBeforeDestroy),
							}},
							Check: testAccNoneLost(mock, holders, &lost),
						},
						{Config: config, PlanOnly: true},
					},
				})
			}
			t.Logf("create_before_destroy replacement %s: %d runs of %d holders, %d lost", tc.name, runs, len(holders), lost)
		})
	}
}

// Moving from per-user to per-license resources in one apply (the large-organizations guide's
// advice), and renaming a resource without a moved block: the destroys race with the creates in
// the batcher, and the pairs the new resources keep must survive every order.
func TestAccOneTruth_migrationsInOneApply(t *testing.T) {
	t.Parallel()
	users := mockUsers(12)
	for _, tc := range []struct{ name, before, after string }{
		{"per user to per license", testAccUserLicenseAssignmentConfig_perUser("old", users, ""), testAccLicenseAssignmentConfig_named("new", "cloudCX1", users, "")},
		{"per license to per user", testAccLicenseAssignmentConfig_named("old", "cloudCX1", users, ""), testAccUserLicenseAssignmentConfig_perUser("new", users, "")},
		{"rename without moved", testAccLicenseAssignmentConfig_named("old", "cloudCX1", users, ""), testAccLicenseAssignmentConfig_named("new", "cloudCX1", users, "")},
		{"per user rename without moved", testAccUserLicenseAssignmentConfig_perUser("old", users, ""), testAccUserLicenseAssignmentConfig_perUser("new", users, "")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			lost, runs := 0, oneTruthRuns()
			for run := 0; run < runs; run++ {
				mock, url := testAccMock(t, mockapi.Options{Users: 12})
				resource.Test(t, resource.TestCase{
					ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
					Steps: []resource.TestStep{
						{Config: testAccProviderConfig(url) + tc.before, Check: testAccNoneLost(mock, users, &lost)},
						{Config: testAccProviderConfig(url) + tc.after, Check: testAccNoneLost(mock, users, &lost)},
						{Config: testAccProviderConfig(url) + tc.after, PlanOnly: true},
					},
				})
			}
			t.Logf("%s: %d runs of %d users, %d losses", tc.name, runs, len(users), lost)
		})
	}
}

// A per-license resource that does not change in this apply records users as holders; destroying
// per-user resources of the same pairs would take them away without the per-license resource
// being called. The plan refuses, naming the pairs and the fix.
func TestAccOneTruth_removalOfPairAnUnchangedResourceKeeps(t *testing.T) {
	t.Parallel()
	mock, url := testAccMock(t, mockapi.Options{Users: 3})
	users := mockUsers(3)
	both := testAccUserLicenseAssignmentConfig_perUser("old", users, "") + testAccLicenseAssignmentConfig_named("keep", "cloudCX1", users, "")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: testAccProviderConfig(url) + both},
			{
				Config:      testAccProviderConfig(url) + testAccLicenseAssignmentConfig_named("keep", "cloudCX1", users, ""),
				ExpectError: testAccError(`Assignment Removed While Another Resource Keeps It.*user ` + users[0] + `, license cloudCX1: removed by purecloud_user_license_assignment.*kept by purecloud_license_assignment for license cloudCX1.*removed block`),
				Check:       testAccCheckLicenseHolders(mock, "cloudCX1", users...),
			},
		},
	})
}

// The fix the refusal names: a removed block with destroy = false takes the per-user resources
// out of the state and leaves every pair with the per-license resource (Terraform 1.7 and later;
// make testacc runs it with the newest Terraform).
func TestAccOneTruthRemovedBlock_handsPairsOver(t *testing.T) {
	t.Parallel()
	mock, url := testAccMock(t, mockapi.Options{Users: 3})
	users := mockUsers(3)
	keep := testAccProviderConfig(url) + testAccLicenseAssignmentConfig_named("keep", "cloudCX1", users, "")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_7_0)},
		Steps: []resource.TestStep{
			{Config: testAccProviderConfig(url) + testAccUserLicenseAssignmentConfig_perUser("old", users, "") + testAccLicenseAssignmentConfig_named("keep", "cloudCX1", users, "")},
			{
				Config: keep + `
removed {
  from = purecloud_user_license_assignment.old
  lifecycle {
    destroy = false
  }
}
`,
				Check: testAccCheckLicenseHolders(mock, "cloudCX1", users...),
			},
			{Config: keep, PlanOnly: true},
		},
	})
}

// An import records every holder; an additive configuration listing fewer must not take the
// license away from the others at its first apply (they stay assigned, unmanaged).
func TestAccOneTruth_importIntoAdditiveRemovesNothing(t *testing.T) {
	t.Parallel()
	mock, url := testAccMock(t, mockapi.Options{Users: 3})
	users := mockUsers(3)
	for _, u := range users {
		mock.SetUserLicenses(u, []string{"cloudCX1"})
	}
	mock.SetUserLicenses(users[0], []string{"cloudCX1", "communicate"})
	perLicense := testAccProviderConfig(url) + `
import {
  to = purecloud_license_assignment.adopt
  id = "cloudCX1"
}
` + testAccLicenseAssignmentConfig_named("adopt", "cloudCX1", users[:2], "")
	perUser := perLicense + fmt.Sprintf(`
import {
  to = purecloud_user_license_assignment.adopt
  id = %q
}
`, users[0]) + testAccUserLicenseAssignmentConfig_expr("adopt", hclString(users[0]), `["communicate"]`, "")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: perLicense,
				Check: resource.ComposeAggregateTestCheckFunc(
					testAccCheckLicenseHolders(mock, "cloudCX1", users...),
					resource.TestCheckResourceAttr("purecloud_license_assignment.adopt", "users.%", "2"),
				),
			},
			{Config: perLicense, PlanOnly: true},
			{
				Config: perUser,
				Check:  testAccCheckUserHolds(mock, users[0], "cloudCX1", "communicate"),
			},
			{Config: perUser, PlanOnly: true},
		},
	})
}

// Offboarding: a user deleted in Genesys Cloud (by HR, or by the official provider) before the
// configuration catches up keeps its resource in the state, with a warning, so that a
// scheduled drift check stays clean and no apply tries to assign it again; removing it from the
// configuration later destroys it without error.
func TestAccOneTruth_offboardedUser(t *testing.T) {
	t.Parallel()
	mock, url := testAccMock(t, mockapi.Options{Users: 3})
	users := mockUsers(3)
	config := testAccProviderConfig(url) + testAccUserLicenseAssignmentConfig_perUser("team", users, "") + testAccLicenseAssignmentConfig_named("agents", "communicate", users, "")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: config},
			{
				PreConfig: func() { mock.DeleteUser(users[2]) },
				Config:    config,
				PlanOnly:  true, // an empty plan: the drift check exits 0
			},
			{
				Config: testAccProviderConfig(url) + testAccUserLicenseAssignmentConfig_perUser("team", users[:2], "") +
					testAccLicenseAssignmentConfig_named("agents", "communicate", users[:2], ""),
				Check: resource.ComposeAggregateTestCheckFunc(
					testAccCheckUserHolds(mock, users[0], "cloudCX1", "communicate"),
					testAccCheckUserHolds(mock, users[1], "cloudCX1", "communicate"),
				),
			},
		},
	})
}

// Switching exclusive on shows, in the plan, which licenses the apply removes.
func TestAccOneTruth_exclusiveSwitchOnNamesRemovals(t *testing.T) {
	t.Parallel()
	mock, url := testAccMock(t, mockapi.Options{Users: 1})
	user := mockapi.UserID(1)
	mock.SetUserLicenses(user, []string{"cloudCX1", "communicate", "wallboardUser"})
	tf := testAccTerraformAtLeast(t, version.Must(version.NewVersion("1.6.0")))
	dir := t.TempDir()
	rc := testAccDevOverrides(t, dir)
	run := testAccTerraformRunner(t, tf, dir, rc)
	write := func(exclusive bool) {
		testAccWriteFile(t, filepath.Join(dir, "main.tf"), `
terraform {
  required_providers {
    purecloud = { source = "purecloud-terraform/purecloud" }
  }
}
`+testAccProviderConfig(url)+
			testAccUserLicenseAssignmentConfig_exclusive(user, exclusive, "cloudCX1"))
	}
	write(false)
	run(0, "apply", "-auto-approve", "-no-color")
	write(true)
	out := run(2, "plan", "-no-color", "-detailed-exitcode")
	for _, want := range []string{"Unlisted Assignments Will Be Removed", "removes these 2 licenses from user " + user,
		"communicate, wallboardUser"} {
		if !strings.Contains(strings.Join(strings.Fields(strings.ReplaceAll(out, "│", " ")), " "), want) {
			t.Errorf("the plan does not say %q:\n%s", want, out)
		}
	}
	run(0, "apply", "-auto-approve", "-no-color")
	if got, _ := mock.UserLicenses(user); strings.Join(got, ",") != "cloudCX1" {
		t.Errorf("after the exclusive apply the user holds %v, want [cloudCX1]", got)
	}
}

// A data source read after the writes of the same apply (depends_on) shows what was written even
// when Genesys Cloud shows writes 6 s late, and so does the plan right after the apply: outputs
// do not change, and a scheduled drift check exits 0.
func TestAccOneTruth_dataSourceAfterWrites(t *testing.T) {
	t.Parallel()
	_, url := testAccMock(t, mockapi.Options{Users: 2, Faults: mockapi.Faults{VisibilityDelay: 6 * time.Second}})
	users := mockUsers(2)
	config := testAccProviderConfig(url, `read_after_write_tolerance = "15s"`) + testAccUserLicenseAssignmentConfig_perUser("team", users, "") + fmt.Sprintf(`
data "purecloud_user_licenses" "first" {
  user_id    = %q
  depends_on = [purecloud_user_license_assignment.team]
}

output "first_holds" {
  value = sort(data.purecloud_user_licenses.first.license_ids)
}
`, users[0])
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownOutputValue("first_holds",
					knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("cloudCX1")}))},
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{Config: config, PlanOnly: true},
		},
	})
}

// 8,000 users on one license against an API that answers writes with no per-change statuses,
// at 400 ms a request: every change is settled by reading its user back, and the read-back is
// sized by the work (chunks side by side over the token pool, a bound that grows with the
// chunks), so the create succeeds and records every holder.
func TestAccLong_OneTruth_largeWriteWithoutStatuses(t *testing.T) {
	t.Parallel()
	const n = 8000
	mock, url := testAccMock(t, mockapi.Options{Users: n, Faults: mockapi.Faults{
		Latency: 400 * time.Millisecond, Profile: mockapi.Profile{Statuses: mockapi.StatusesNone},
	}})
	users := mockUsers(n)
	config := testAccProviderConfig(url, "token_pool_size = 10") + testAccLicenseAssignmentConfig_named("all", "cloudCX1", users, "")
	start := time.Now()
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config,
				Check: resource.ComposeAggregateTestCheckFunc(
					testAccCheckLicenseHolderCount(mock, "cloudCX1", n),
					resource.TestCheckResourceAttr("purecloud_license_assignment.all", "users.%", fmt.Sprint(n)),
				),
			},
			{Config: config, PlanOnly: true},
		},
	})
	st := mock.Stats()
	t.Logf("%d users without statuses at 400 ms: %s, %d writes, %d batched reads", n, time.Since(start).Round(time.Second),
		st.Requests[mockapi.RoutePostOrganization], st.Requests[mockapi.RoutePostUsers])
}
