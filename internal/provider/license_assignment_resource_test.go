package provider

import (
	"fmt"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/purecloud-terraform/terraform-provider-purecloud/internal/mockapi"
)

const testAccLicenseAssignment = "purecloud_license_assignment.test"

// Additive mode: create, import, update, destroy. A holder the resource does not list is left
// alone throughout, and each write is one request.
func TestAccLicenseAssignment_basic(t *testing.T) {
	t.Parallel()
	mock, url := testAccMock(t, mockapi.Options{Users: 5})
	u1, u2, u3, u4, other := mockapi.UserID(1), mockapi.UserID(2), mockapi.UserID(3), mockapi.UserID(4), mockapi.UserID(5)
	mock.SetUserLicenses(u1, []string{"collaborate"})

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		// Destroy removes the license from the users in state only.
		CheckDestroy: resource.ComposeAggregateTestCheckFunc(
			testAccCheckLicenseHolders(mock, "cloudCX1", other),
			testAccCheckUserHolds(mock, u1, "collaborate"),
		),
		Steps: []resource.TestStep{
			{
				Config: testAccProviderConfig(url) + testAccLicenseAssignmentConfig_basic("cloudCX1", u1, u2, u3),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testAccLicenseAssignment, tfjsonpath.New("id"), knownvalue.StringExact("cloudCX1")),
					statecheck.ExpectKnownValue(testAccLicenseAssignment, tfjsonpath.New("license_id"), knownvalue.StringExact("cloudCX1")),
					statecheck.ExpectKnownValue(testAccLicenseAssignment, tfjsonpath.New("authoritative"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(testAccLicenseAssignment, tfjsonpath.New("users"), testAccUserIDsExact(u1, u2, u3)),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					testAccCheckLicenseHolders(mock, "cloudCX1", u1, u2, u3),
					testAccCheckUserHolds(mock, u1, "cloudCX1", "collaborate"),
					testAccCheckRequests(mock, routeOrganization, 1),
					testAccCheckStateMatchesMock(mock, testAccLicenseAssignment),
				),
			},
			{
				ResourceName:      testAccLicenseAssignment,
				ImportState:       true,
				ImportStateId:     "cloudCX1",
				ImportStateVerify: true,
			},
			{
				// Another holder appears outside Terraform: additive mode ignores it.
				PreConfig: func() { mock.SetUserLicenses(other, []string{"cloudCX1"}) },
				Config:    testAccProviderConfig(url) + testAccLicenseAssignmentConfig_basic("cloudCX1", u2, u3, u4),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(testAccLicenseAssignment, plancheck.ResourceActionUpdate),
						testAccExpectUserIDsChange([]string{u1, u2, u3}, []string{u2, u3, u4}),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					testAccCheckLicenseHolders(mock, "cloudCX1", u2, u3, u4, other),
					testAccCheckUserHolds(mock, u1, "collaborate"),
					// The addition and the removal travel in one request.
					testAccCheckRequests(mock, routeOrganization, 2),
					testAccCheckStateMatchesMock(mock, testAccLicenseAssignment),
				),
			},
			{
				// An empty set is allowed: the resource then manages nobody.
				Config: testAccProviderConfig(url) + testAccLicenseAssignmentConfig_basic("cloudCX1"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testAccLicenseAssignment, tfjsonpath.New("users"), knownvalue.MapSizeExact(0)),
				},
				Check: testAccCheckLicenseHolders(mock, "cloudCX1", other),
			},
			{
				Config: testAccProviderConfig(url) + testAccLicenseAssignmentConfig_basic("cloudCX1", u2, u3),
				Check:  testAccCheckLicenseHolders(mock, "cloudCX1", u2, u3, other),
			},
		},
	})
}

// Authoritative mode: create removes the license from a holder not listed; a holder added
// outside Terraform is drift, shown in the plan as a user leaving users, and the apply
// removes it; a listed user who lost it is drift the other way; turning authoritative off
// writes nothing.
func TestAccLicenseAssignment_authoritative(t *testing.T) {
	t.Parallel()
	mock, url := testAccMock(t, mockapi.Options{Users: 4})
	u1, u2, u3, u4 := mockapi.UserID(1), mockapi.UserID(2), mockapi.UserID(3), mockapi.UserID(4)
	mock.SetUserLicenses(u3, []string{"cloudCX1", "collaborate"})
	config := testAccProviderConfig(url) + testAccLicenseAssignmentConfig_authoritative(true, u1, u2)

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy: resource.ComposeAggregateTestCheckFunc(
			testAccCheckLicenseHolders(mock, "cloudCX1"),
			testAccCheckUserHolds(mock, u3, "collaborate"),
		),
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testAccLicenseAssignment, tfjsonpath.New("authoritative"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(testAccLicenseAssignment, tfjsonpath.New("users"), testAccUserIDsExact(u1, u2)),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					testAccCheckLicenseHolders(mock, "cloudCX1", u1, u2),
					testAccCheckUserHolds(mock, u3, "collaborate"),
					testAccCheckStateMatchesMock(mock, testAccLicenseAssignment),
				),
			},
			{
				// An import is additive (authoritative cannot be read from Genesys Cloud); the holders match.
				ResourceName:            testAccLicenseAssignment,
				ImportState:             true,
				ImportStateId:           "cloudCX1",
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"authoritative"},
			},
			{
				PreConfig:          func() { mock.SetUserLicenses(u4, []string{"cloudCX1"}) },
				Config:             config,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(testAccLicenseAssignment, plancheck.ResourceActionUpdate),
						testAccExpectUserIDsChange([]string{u1, u2, u4}, []string{u1, u2}),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					testAccCheckLicenseHolders(mock, "cloudCX1", u1, u2),
					testAccCheckStateMatchesMock(mock, testAccLicenseAssignment),
				),
			},
			{
				PreConfig: func() { mock.SetUserLicenses(u1, nil) },
				Config:    config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					testAccExpectUserIDsChange([]string{u2}, []string{u1, u2}),
				}},
				Check: testAccCheckLicenseHolders(mock, "cloudCX1", u1, u2),
			},
			{
				// Turning authoritative off changes no assignment: a holder added meanwhile keeps it.
				PreConfig: func() { mock.SetUserLicenses(u4, []string{"cloudCX1"}) },
				Config:    testAccProviderConfig(url) + testAccLicenseAssignmentConfig_authoritative(false, u1, u2),
				Check: resource.ComposeAggregateTestCheckFunc(
					testAccCheckLicenseHolders(mock, "cloudCX1", u1, u2, u4),
					testAccCheckRequests(mock, routeOrganization, 3),
				),
			},
			{
				// Turning it on again removes the holder not listed.
				Config: config,
				Check: resource.ComposeAggregateTestCheckFunc(
					testAccCheckLicenseHolders(mock, "cloudCX1", u1, u2),
					testAccCheckStateMatchesMock(mock, testAccLicenseAssignment),
				),
			},
		},
	})
}

// Additive drift both ways: a listed user who lost the license is drift; another user who
// gained it is not.
func TestAccLicenseAssignment_driftAdditive(t *testing.T) {
	t.Parallel()
	mock, url := testAccMock(t, mockapi.Options{Users: 3})
	u1, u2, u3 := mockapi.UserID(1), mockapi.UserID(2), mockapi.UserID(3)
	config := testAccProviderConfig(url) + testAccLicenseAssignmentConfig_basic("cloudCX1", u1, u2)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: config},
			{
				PreConfig: func() { mock.SetUserLicenses(u3, []string{"cloudCX1"}) },
				Config:    config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
			{
				PreConfig:          func() { mock.SetUserLicenses(u2, nil) },
				Config:             config,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					testAccExpectUserIDsChange([]string{u1}, []string{u1, u2}),
				}},
				Check: testAccCheckLicenseHolders(mock, "cloudCX1", u1, u2, u3),
			},
		},
	})
}

// Some users refuse the license. A create records nothing and its error names each refused
// user and what the others were given; an update records the truth and names each refused user;
// once the refusal is lifted, the next apply assigns the rest.
func TestAccLicenseAssignment_partialFailure(t *testing.T) {
	t.Parallel()
	mock, url := testAccMock(t, mockapi.Options{Users: 6})
	users := mock.UserIDs()
	refuse := func(words map[string]string) func() {
		return func() {
			f := mock.Faults()
			f.ItemFailures = words
			mock.SetFaults(f)
		}
	}
	config := func(us ...string) string {
		return testAccProviderConfig(url) + testAccLicenseAssignmentConfig_basic("cloudCX1", us...)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckLicenseHolders(mock, "cloudCX1"),
		Steps: []resource.TestStep{
			{
				PreConfig: refuse(map[string]string{users[1] + "/cloudCX1": mockapi.ResultNoSeatsAvailable}),
				Config:    config(users[:3]...),
				ExpectError: testAccError(`Unable to Assign Licenses.*did not apply 1 of 3 license changes.*user ` + users[1] +
					`, license cloudCX1 \(add\): NoSeatsAvailable.*Nothing is recorded.*assigned license cloudCX1 to 2 users: ` +
					users[0] + `, ` + users[2]),
				Check: testAccCheckLicenseHolders(mock, "cloudCX1", users[0], users[2]),
			},
			{
				// Nothing was recorded: the create runs again and assigns the rest.
				PreConfig: refuse(nil),
				Config:    config(users[:3]...),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(testAccLicenseAssignment, plancheck.ResourceActionCreate),
				}},
				Check: testAccCheckLicenseHolders(mock, "cloudCX1", users[:3]...),
			},
			{
				PreConfig: refuse(map[string]string{
					users[3] + "/cloudCX1": mockapi.ResultNoSeatsAvailable,
					users[0] + "/cloudCX1": "RemovalRefused",
				}),
				Config: config(users[1:6]...),
				ExpectError: testAccError(`Unable to Update License Assignment.*did not apply 2 of 4 license changes.*` +
					`user ` + users[3] + `, license cloudCX1 \(add\): NoSeatsAvailable.*` +
					`user ` + users[0] + `, license cloudCX1 \(remove\): RemovalRefused`),
				Check: resource.ComposeAggregateTestCheckFunc(
					testAccCheckLicenseHolders(mock, "cloudCX1", users[0], users[1], users[2], users[4], users[5]),
					testAccCheckStateMatchesMock(mock, testAccLicenseAssignment),
				),
			},
			{
				PreConfig: refuse(nil),
				Config:    config(users[1:6]...),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					testAccExpectUserIDsChange(
						[]string{users[0], users[1], users[2], users[4], users[5]}, users[1:6]),
				}},
				Check: testAccCheckLicenseHolders(mock, "cloudCX1", users[1:6]...),
			},
		},
	})
}

// A listed user deleted outside Terraform stays in users (the refresh warns), so the plan is
// empty (offboarding: a scheduled drift check stays clean until the configuration catches up);
// dropping the user from the configuration removes nothing and fails nothing.
func TestAccLicenseAssignment_userDeleted(t *testing.T) {
	t.Parallel()
	mock, url := testAccMock(t, mockapi.Options{Users: 3})
	u1, u2, u3 := mockapi.UserID(1), mockapi.UserID(2), mockapi.UserID(3)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckLicenseHolders(mock, "cloudCX1"),
		Steps: []resource.TestStep{
			{Config: testAccProviderConfig(url) + testAccLicenseAssignmentConfig_basic("cloudCX1", u1, u2, u3)},
			{
				PreConfig:        func() { mock.DeleteUser(u2) },
				Config:           testAccProviderConfig(url) + testAccLicenseAssignmentConfig_basic("cloudCX1", u1, u2, u3),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{
				Config: testAccProviderConfig(url) + testAccLicenseAssignmentConfig_basic("cloudCX1", u1, u3),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					testAccExpectUserIDsChange([]string{u1, u2, u3}, []string{u1, u3}),
				}},
				Check: testAccCheckStateMatchesMock(mock, testAccLicenseAssignment),
			},
			{
				// Deleted, then dropped from the configuration in the same run: removing nothing fails nothing.
				PreConfig: func() { mock.DeleteUser(u3) },
				Config:    testAccProviderConfig(url) + testAccLicenseAssignmentConfig_basic("cloudCX1", u1),
				Check:     testAccCheckLicenseHolders(mock, "cloudCX1", u1),
			},
		},
	})
}

// 250 users: more than two requests of max_batch_users (100) to write and to read, and more
// than two pages of getLicenseUsers when authoritative.
func TestAccLicenseAssignment_250Users(t *testing.T) {
	t.Parallel()
	mock, url := testAccMock(t, mockapi.Options{Users: 260})
	users := mock.UserIDs()[:250]
	stranger := mock.UserIDs()[255]
	mock.SetUserLicenses(stranger, []string{"cloudCX2"})
	config := func(authoritative bool) string {
		return testAccProviderConfig(url) + fmt.Sprintf(`
locals {
  users = [%s]
}

resource "purecloud_license_assignment" "test" {
  license_id    = "cloudCX2"
  users   = { for u in local.users : u => "" }
  authoritative = %t
}
`, hclStrings(users), authoritative)
	}
	var before mockapi.Stats
	snapshot := func() { before = mock.Stats() }
	requestsSince := func(route string, want int) resource.TestCheckFunc {
		return func(*terraform.State) error {
			if got := mock.Stats().Requests[route] - before.Requests[route]; got != want {
				return fmt.Errorf("%s: %d requests in this step, want %d", route, got, want)
			}
			return nil
		}
	}
	// Terraform may plan a resource more than once per command: each read costs three requests.
	requestsInThrees := func(route string) resource.TestCheckFunc {
		return func(*terraform.State) error {
			if got := mock.Stats().Requests[route] - before.Requests[route]; got == 0 || got%3 != 0 {
				return fmt.Errorf("%s: %d requests in this step, want a multiple of 3", route, got)
			}
			return nil
		}
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckLicenseHolders(mock, "cloudCX2"),
		Steps: []resource.TestStep{
			{
				PreConfig: snapshot,
				Config:    config(false),
				Check: resource.ComposeAggregateTestCheckFunc(
					testAccCheckLicenseHolders(mock, "cloudCX2", append(slices.Clone(users), stranger)...),
					requestsSince(mockapi.RoutePostOrganization, 3),
					requestsSince(mockapi.RouteGetUsers, 0),
				),
			},
			{
				// Authoritative: the holder outside the 250 is found on the third page and removed.
				PreConfig: snapshot,
				Config:    config(true),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					testAccCheckLicenseHolders(mock, "cloudCX2", users...),
					requestsSince(mockapi.RoutePostOrganization, 1),
					// Additive refresh: the 250 users in batches of 100. Authoritative: every page of 100.
					requestsInThrees(mockapi.RoutePostUsers),
					requestsInThrees(mockapi.RouteGetUsers),
					testAccCheckStateMatchesMock(mock, testAccLicenseAssignment),
				),
			},
			{
				ResourceName:            testAccLicenseAssignment,
				ImportState:             true,
				ImportStateId:           "cloudCX2",
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"authoritative"},
			},
		},
	})
}

// The same (user, license) pair managed by both resources. When they agree, plans are empty;
// destroying one would remove the pair that the other still wants, so the plan refuses it and
// names the fix (a removed block: TestAccOneTruthRemovedBlock_handsPairsOver). When they disagree (authoritative without the user, per-user
// resource with the license), the plan refuses too.
func TestAccLicenseAssignment_bothResources(t *testing.T) {
	t.Parallel()
	mock, url := testAccMock(t, mockapi.Options{Users: 2})
	u1, u2 := mockapi.UserID(1), mockapi.UserID(2)
	perUser := testAccUserLicenseAssignmentConfig_basic(u1, "cloudCX1")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: testAccProviderConfig(url) + perUser + testAccLicenseAssignmentConfig_basic("cloudCX1", u1, u2),
				Check:  testAccCheckLicenseHolders(mock, "cloudCX1", u1, u2),
			},
			{
				// Destroying the per-license resource would take u1's license, which the unchanged
				// per-user resource records as held: the plan refuses and names the fix.
				Config:      testAccProviderConfig(url) + perUser,
				ExpectError: testAccError(`Assignment Removed While Another Resource Keeps It.*user ` + u1 + `, license cloudCX1.*removed block`),
			},
			{
				// They disagree (authoritative without u1, whose unchanged per-user resource holds
				// it): the plan refuses instead of letting every apply undo the other.
				Config:      testAccProviderConfig(url) + perUser + testAccLicenseAssignmentConfig_authoritative(true, u2),
				ExpectError: testAccError(`Assignment Removed While Another Resource Keeps It.*user ` + u1 + `, license cloudCX1: removed by purecloud_license_assignment`),
			},
			{
				// Listing u1 too, they agree.
				Config: testAccProviderConfig(url) + perUser + testAccLicenseAssignmentConfig_authoritative(true, u1, u2),
				Check:  testAccCheckLicenseHolders(mock, "cloudCX1", u1, u2),
			},
		},
	})
}

// Plan-time validation: a malformed user id, an unknown license id; import ids.
func TestAccLicenseAssignment_validation(t *testing.T) {
	t.Parallel()
	_, url := testAccMock(t, mockapi.Options{Users: 1})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      testAccProviderConfig(url) + testAccLicenseAssignmentConfig_basic("cloudCX1", "alice"),
				PlanOnly:    true,
				ExpectError: testAccError(`must be a Genesys Cloud user id`),
			},
			{
				Config:      testAccProviderConfig(url) + testAccLicenseAssignmentConfig_basic("cloudCX9", mockapi.UserID(1)),
				PlanOnly:    true,
				ExpectError: testAccError(`Unknown License ID.*"cloudCX9"`),
			},
			{
				Config:        testAccProviderConfig(url) + testAccLicenseAssignmentConfig_basic("cloudCX1"),
				ResourceName:  testAccLicenseAssignment,
				ImportState:   true,
				ImportStateId: mockapi.UserID(1),
				ExpectError:   testAccError(`Unable to Import License Assignment.*a user id`),
			},
			{
				Config:        testAccProviderConfig(url) + testAccLicenseAssignmentConfig_basic("cloudCX1"),
				ResourceName:  testAccLicenseAssignment,
				ImportState:   true,
				ImportStateId: "cloudCX9",
				ExpectError:   testAccError(`Cannot import non-existent remote object`),
			},
		},
	})
}
