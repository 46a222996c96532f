package provider

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	fwresource "github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/purecloud-terraform/terraform-provider-purecloud/internal/client"
	"github.com/purecloud-terraform/terraform-provider-purecloud/internal/mockapi"
)

const testAccAssignment = "purecloud_user_license_assignment.test"

const routeOrganization = "POST /api/v2/license/organization"

func TestAccUserLicenseAssignment_basic(t *testing.T) {
	t.Parallel()
	mock, url := testAccMock(t, mockapi.Options{Users: 3})
	user := mockapi.UserID(1)

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		// Destroy removes the managed licenses and leaves the one assigned elsewhere.
		CheckDestroy: testAccCheckUserHolds(mock, user, "collaborate"),
		Steps: []resource.TestStep{
			{
				Config: testAccProviderConfig(url) + testAccUserLicenseAssignmentConfig_basic(user, "cloudCX1", "wallboardUser"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testAccAssignment, tfjsonpath.New("id"), knownvalue.StringExact(user)),
					statecheck.ExpectKnownValue(testAccAssignment, tfjsonpath.New("user_id"), knownvalue.StringExact(user)),
					statecheck.ExpectKnownValue(testAccAssignment, tfjsonpath.New("exclusive"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(testAccAssignment, tfjsonpath.New("license_ids"), knownvalue.SetExact([]knownvalue.Check{
						knownvalue.StringExact("cloudCX1"), knownvalue.StringExact("wallboardUser"),
					})),
				},
				Check: testAccCheckUserHolds(mock, user, "cloudCX1", "wallboardUser"),
			},
			{
				ResourceName:      testAccAssignment,
				ImportState:       true,
				ImportStateId:     user,
				ImportStateVerify: true,
			},
			{
				// A license from elsewhere (auto-licensing, another tool) arrives; the update must not touch it.
				PreConfig: func() { mock.SetUserLicenses(user, []string{"cloudCX1", "collaborate", "wallboardUser"}) },
				Config:    testAccProviderConfig(url) + testAccUserLicenseAssignmentConfig_basic(user, "cloudCX2", "wallboardUser"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(testAccAssignment, plancheck.ResourceActionUpdate),
						testAccExpectLicenseChange(testAccAssignment,
							[]string{"cloudCX1", "wallboardUser"}, []string{"cloudCX2", "wallboardUser"}),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testAccAssignment, tfjsonpath.New("license_ids"), knownvalue.SetExact([]knownvalue.Check{
						knownvalue.StringExact("cloudCX2"), knownvalue.StringExact("wallboardUser"),
					})),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					testAccCheckUserHolds(mock, user, "cloudCX2", "collaborate", "wallboardUser"),
					// The update is one request holding both the addition and the removal.
					testAccCheckRequests(mock, routeOrganization, 2),
				),
			},
		},
	})
}

// Licenses the user holds before the resource exists, and that it does not list, are left alone
// by create and destroy.
func TestAccUserLicenseAssignment_unmanagedLicensesUntouched(t *testing.T) {
	t.Parallel()
	mock, url := testAccMock(t, mockapi.Options{Users: 1})
	user := mockapi.UserID(1)
	mock.SetUserLicenses(user, []string{"collaborate", "communicate"})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckUserHolds(mock, user, "collaborate", "communicate"),
		Steps: []resource.TestStep{{
			Config: testAccProviderConfig(url) + testAccUserLicenseAssignmentConfig_basic(user, "cloudCX1"),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(testAccAssignment, tfjsonpath.New("license_ids"),
					knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact("cloudCX1")})),
			},
			Check: testAccCheckUserHolds(mock, user, "cloudCX1", "collaborate", "communicate"),
		}},
	})
}

// An import of a user whose licenses all came from Terraform verifies every attribute.
func TestAccUserLicenseAssignment_importVerify(t *testing.T) {
	t.Parallel()
	_, url := testAccMock(t, mockapi.Options{Users: 2})
	user := mockapi.UserID(2)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: testAccProviderConfig(url) + testAccUserLicenseAssignmentConfig_basic(user, "communicate", "collaborate")},
			{
				ResourceName:      testAccAssignment,
				ImportState:       true,
				ImportStateVerify: true,
			},
			{
				Config:          testAccProviderConfig(url) + testAccUserLicenseAssignmentConfig_basic(user, "communicate", "collaborate"),
				ResourceName:    testAccAssignment,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithID,
				ImportPlanChecks: resource.ImportPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(testAccAssignment, plancheck.ResourceActionNoop)},
				},
			},
			{
				Config:        testAccProviderConfig(url) + testAccUserLicenseAssignmentConfig_basic(user, "communicate"),
				ResourceName:  testAccAssignment,
				ImportState:   true,
				ImportStateId: "not-a-user",
				ExpectError:   testAccError(`Unable to Import License Assignment.*UUID.*"not-a-user"`),
			},
		},
	})
}

func TestAccUserLicenseAssignment_replaceUser(t *testing.T) {
	t.Parallel()
	mock, url := testAccMock(t, mockapi.Options{Users: 3})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: testAccProviderConfig(url) + testAccUserLicenseAssignmentConfig_basic(mockapi.UserID(1), "cloudCX1"),
				Check:  testAccCheckUserHolds(mock, mockapi.UserID(1), "cloudCX1"),
			},
			{
				Config: testAccProviderConfig(url) + testAccUserLicenseAssignmentConfig_basic(mockapi.UserID(3), "cloudCX1"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(testAccAssignment, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				Check: resource.ComposeAggregateTestCheckFunc(
					testAccCheckUserHolds(mock, mockapi.UserID(1)),
					testAccCheckUserHolds(mock, mockapi.UserID(3), "cloudCX1"),
				),
			},
		},
	})
}

func TestAccUserLicenseAssignment_driftRemovedOutOfBand(t *testing.T) {
	t.Parallel()
	mock, url := testAccMock(t, mockapi.Options{Users: 2})
	user := mockapi.UserID(1)
	config := testAccProviderConfig(url) + testAccUserLicenseAssignmentConfig_basic(user, "cloudCX1", "wallboardUser")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: config},
			{
				// Someone removes a managed license in the Genesys Cloud admin UI.
				PreConfig:          func() { mock.SetUserLicenses(user, []string{"cloudCX1"}) },
				Config:             config,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(testAccAssignment, plancheck.ResourceActionUpdate),
					testAccExpectLicenseChange(testAccAssignment, []string{"cloudCX1"}, []string{"cloudCX1", "wallboardUser"}),
				}},
				Check: testAccCheckUserHolds(mock, user, "cloudCX1", "wallboardUser"),
			},
		},
	})
}

func TestAccUserLicenseAssignment_driftAddedOutOfBand(t *testing.T) {
	t.Parallel()
	mock, url := testAccMock(t, mockapi.Options{Users: 2})
	shared, owned := mockapi.UserID(1), mockapi.UserID(2)
	config := testAccProviderConfig(url) + fmt.Sprintf(`
resource "purecloud_user_license_assignment" "shared" {
  user_id     = %q
  license_ids = ["cloudCX1"]
}

resource "purecloud_user_license_assignment" "owned" {
  user_id     = %q
  license_ids = ["cloudCX1"]
  exclusive   = true
}
`, shared, owned)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: config},
			{
				// A license added out of band is ignored without exclusive...
				PreConfig: func() { mock.SetUserLicenses(shared, []string{"cloudCX1", "wallboardUser"}) },
				Config:    config,
				PlanOnly:  true,
			},
			{
				// ...and planned for removal with it.
				PreConfig: func() { mock.SetUserLicenses(owned, []string{"cloudCX1", "wallboardUser"}) },
				Config:    config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("purecloud_user_license_assignment.shared", plancheck.ResourceActionNoop),
					plancheck.ExpectResourceAction("purecloud_user_license_assignment.owned", plancheck.ResourceActionUpdate),
					testAccExpectLicenseChange("purecloud_user_license_assignment.owned",
						[]string{"cloudCX1", "wallboardUser"}, []string{"cloudCX1"}),
				}},
				Check: resource.ComposeAggregateTestCheckFunc(
					testAccCheckUserHolds(mock, shared, "cloudCX1", "wallboardUser"),
					testAccCheckUserHolds(mock, owned, "cloudCX1"),
				),
			},
		},
	})
}

func TestAccUserLicenseAssignment_exclusive(t *testing.T) {
	t.Parallel()
	mock, url := testAccMock(t, mockapi.Options{Users: 2})
	user := mockapi.UserID(1)
	mock.SetUserLicenses(user, []string{"collaborate", "wallboardUser"})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		// Destroy removes what the resource holds and nothing else it never saw.
		CheckDestroy: testAccCheckUserHolds(mock, user),
		Steps: []resource.TestStep{
			{
				Config: testAccProviderConfig(url) + testAccUserLicenseAssignmentConfig_exclusive(user, true, "wallboardUser", "cloudCX1"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testAccAssignment, tfjsonpath.New("exclusive"), knownvalue.Bool(true)),
				},
				Check: testAccCheckUserHolds(mock, user, "cloudCX1", "wallboardUser"),
			},
			{
				// Turning exclusive off keeps the licenses; turning it on again removes strangers.
				Config: testAccProviderConfig(url) + testAccUserLicenseAssignmentConfig_exclusive(user, false, "wallboardUser", "cloudCX1"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(testAccAssignment, plancheck.ResourceActionUpdate),
				}},
				Check: testAccCheckUserHolds(mock, user, "cloudCX1", "wallboardUser"),
			},
			{
				PreConfig: func() { mock.SetUserLicenses(user, []string{"cloudCX1", "communicate", "wallboardUser"}) },
				Config:    testAccProviderConfig(url) + testAccUserLicenseAssignmentConfig_exclusive(user, true, "wallboardUser", "cloudCX1"),
				Check:     testAccCheckUserHolds(mock, user, "cloudCX1", "wallboardUser"),
			},
		},
	})
}

// Offboarding: a user deleted outside Terraform stays in the state (the refresh warns), so the
// plan is empty instead of proposing to assign the licenses again at every run; removing it
// from the configuration destroys it without error.
func TestAccUserLicenseAssignment_userDeletedOutOfBand(t *testing.T) {
	t.Parallel()
	mock, url := testAccMock(t, mockapi.Options{Users: 2})
	user := mockapi.UserID(2)
	config := testAccProviderConfig(url) + testAccUserLicenseAssignmentConfig_basic(user, "cloudCX1")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: config},
			{
				PreConfig: func() { mock.DeleteUser(user) },
				Config:    config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(testAccAssignment, plancheck.ResourceActionNoop),
				}},
			},
			{
				Config: testAccProviderConfig(url),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(testAccAssignment, plancheck.ResourceActionDestroy),
				}},
			},
		},
	})
}

func TestAccUserLicenseAssignment_partialFailure(t *testing.T) {
	t.Parallel()
	mock, url := testAccMock(t, mockapi.Options{Users: 2})
	user := mockapi.UserID(1)
	full := testAccProviderConfig(url) + testAccUserLicenseAssignmentConfig_basic(user, "cloudCX2", "collaborate", "wallboardUser")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckUserHolds(mock, user),
		Steps: []resource.TestStep{
			{Config: testAccProviderConfig(url) + testAccUserLicenseAssignmentConfig_basic(user, "cloudCX1", "wallboardUser")},
			{
				// cloudCX1 → cloudCX2 and the new collaborate: the collaborate seat is refused.
				PreConfig: func() {
					mock.SetFaults(mockapi.Faults{ItemFailures: map[string]string{user + "/collaborate": "NoSeatsAvailable"}})
				},
				Config:      full,
				ExpectError: testAccError(`Unable to Update License Assignment.*did not apply 1 of 3.*user 00000000-0000-4000-8000-000000000001, license collaborate \(add\): NoSeatsAvailable`),
			},
			{
				// The state holds what is true: cloudCX2 added, cloudCX1 removed, collaborate not added,
				// so the plan is exactly the remainder.
				PreConfig: func() {
					if got, _ := mock.UserLicenses(user); !slices.Equal(got, []string{"cloudCX2", "wallboardUser"}) {
						t.Errorf("after the partial failure the user holds %v, want [cloudCX2 wallboardUser]", got)
					}
					mock.SetFaults(mockapi.Faults{})
				},
				Config: full,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(testAccAssignment, plancheck.ResourceActionUpdate),
					testAccExpectLicenseChange(testAccAssignment,
						[]string{"cloudCX2", "wallboardUser"}, []string{"cloudCX2", "collaborate", "wallboardUser"}),
				}},
				Check: testAccCheckUserHolds(mock, user, "cloudCX2", "collaborate", "wallboardUser"),
			},
		},
	})
}

// A create that partly fails records nothing, so that Terraform does not taint it: the error
// names what was assigned, the next plan creates the resource again (no destroy, which would
// remove the license just assigned), and the next apply converges.
func TestAccUserLicenseAssignment_partialFailureOnCreate(t *testing.T) {
	t.Parallel()
	mock, url := testAccMock(t, mockapi.Options{Users: 2})
	user := mockapi.UserID(2)
	config := testAccProviderConfig(url) + testAccUserLicenseAssignmentConfig_basic(user, "communicate", "gc2WEMupgrade")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckUserHolds(mock, user, "cloudCX2"),
		Steps: []resource.TestStep{
			{
				// gc2WEMupgrade needs cloudCX2, which the user does not hold yet.
				Config: config,
				ExpectError: testAccError(`license gc2WEMupgrade \(add\): PrerequisiteMissing.*Nothing is recorded in the state.*` +
					`This apply assigned communicate to user ` + user),
			},
			{
				PreConfig: func() {
					if got, _ := mock.UserLicenses(user); !slices.Equal(got, []string{"communicate"}) {
						t.Errorf("after the partial failure the user holds %v, want [communicate]", got)
					}
					mock.SetUserLicenses(user, []string{"cloudCX2", "communicate"})
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(testAccAssignment, plancheck.ResourceActionCreate),
				}},
				Check: testAccCheckUserHolds(mock, user, "cloudCX2", "communicate", "gc2WEMupgrade"),
			},
		},
	})
}

func TestAccUserLicenseAssignment_badInput(t *testing.T) {
	t.Parallel()
	_, url := testAccMock(t, mockapi.Options{Users: 1})
	user := mockapi.UserID(1)
	cases := []struct {
		name, config, want string
	}{
		{"malformed user id", testAccUserLicenseAssignmentConfig_basic("alice@example.com", "cloudCX1"),
			`(?s)Attribute user_id must be a Genesys Cloud user id`},
		{"empty set", fmt.Sprintf(`
resource "purecloud_user_license_assignment" "test" {
  user_id     = %q
  license_ids = []
}
`, user), `Attribute license_ids set must contain at least 1 elements`},
		{"empty string", testAccUserLicenseAssignmentConfig_basic(user, "cloudCX1", ""),
			`(?s)Attribute license_ids\[Value\(""\)\] must be a license id`},
		{"unknown license id", testAccUserLicenseAssignmentConfig_basic(user, "cloudCX1", "CloudCX9", "nope"),
			`(?s)Unknown License ID.*"CloudCX9", "nope".*Valid license ids are: cloudCX1, cloudCX2`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:      testAccProviderConfig(url) + tc.config,
					PlanOnly:    true,
					ExpectError: testAccError(tc.want),
				}},
			})
		})
	}
}

// Thirty assignments applied with Terraform's default parallelism share a few batched requests.
func TestAccUserLicenseAssignment_batching(t *testing.T) {
	t.Parallel()
	const users = 30
	cases := []struct {
		name        string
		extra       string
		mockMax     int // users the mock accepts per request; 0 for its default
		maxRequests int
		minRequests int
	}{
		{"default window", "", 0, 5, 1},
		{"batching off", `batch_window = "0s"`, 0, users, users},
		// The mock refuses requests with more than 4 users, so the apply succeeds only if
		// max_batch_users reaches the batcher.
		{"small batches", `max_batch_users = 4`, 4, users, (users + 3) / 4},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			mock, url := testAccMock(t, mockapi.Options{Users: users, MaxBatchUsers: tc.mockMax})
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				CheckDestroy: func(*terraform.State) error {
					for i := 1; i <= users; i++ {
						if got, _ := mock.UserLicenses(mockapi.UserID(i)); len(got) != 0 {
							return fmt.Errorf("user %d still holds %v after destroy", i, got)
						}
					}
					return nil
				},
				Steps: []resource.TestStep{{
					Config: testAccProviderConfig(url, tc.extra) + fmt.Sprintf(`
resource "purecloud_user_license_assignment" "team" {
  count       = %d
  user_id     = format("00000000-0000-4000-8000-%%012d", count.index + 1)
  license_ids = count.index %% 2 == 0 ? ["cloudCX1"] : ["cloudCX1", "wallboardUser"]
}
`, users),
					Check: func(*terraform.State) error {
						got := mock.Stats().Requests[routeOrganization]
						t.Logf("%s: %d users assigned with %d postLicenseOrganization requests", tc.name, users, got)
						if got < tc.minRequests || got > tc.maxRequests {
							return fmt.Errorf("%d postLicenseOrganization requests, want between %d and %d", got, tc.minRequests, tc.maxRequests)
						}
						for i := 1; i <= users; i++ {
							want := []string{"cloudCX1"}
							if i%2 == 0 {
								want = append(want, "wallboardUser")
							}
							if held, _ := mock.UserLicenses(mockapi.UserID(i)); !slices.Equal(held, want) {
								return fmt.Errorf("user %d holds %v, want %v", i, held, want)
							}
						}
						return nil
					},
				}},
			})
		})
	}
}

// Wrong credentials fail the plan of a resource, not only its apply.
func TestAccUserLicenseAssignment_badCredentialsFailPlan(t *testing.T) {
	t.Parallel()
	_, url := testAccMock(t, mockapi.Options{Users: 1})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`
provider "purecloud" {
  api_url            = %q
  oauthclient_id     = "someone-else"
  oauthclient_secret = "not-the-secret"
}
`, url) + testAccUserLicenseAssignmentConfig_basic(mockapi.UserID(1), "cloudCX1"),
			PlanOnly:    true,
			ExpectError: testAccError(`Unable to Authenticate with Genesys Cloud.*"someone-else"`),
		}},
	})
}

// A request that fails as a whole, after the client's retries, leaves the state as Genesys Cloud
// reports it, and the next apply converges. Transient failures within the retry budget are
// invisible to the user.
func TestAccUserLicenseAssignment_requestFailure(t *testing.T) {
	t.Parallel()
	mock, url := testAccMock(t, mockapi.Options{Users: 2})
	user := mockapi.UserID(1)
	noRetries := testAccProviderConfig(url, `max_retries = 0`)
	failWrites := func(n, status int) func() {
		return func() {
			mock.SetFaults(mockapi.Faults{FailNext: &mockapi.FailNext{Count: n, Status: status, Route: routeOrganization}})
		}
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckUserHolds(mock, user),
		Steps: []resource.TestStep{
			{
				// Nothing was assigned, so nothing is recorded: the next apply creates again.
				PreConfig:   failWrites(1, 500),
				Config:      noRetries + testAccUserLicenseAssignmentConfig_basic(user, "cloudCX1"),
				ExpectError: testAccError(`Unable to Assign Licenses.*Genesys Cloud answered 500 internal.server.error`),
			},
			{
				PreConfig: func() { mock.SetFaults(mockapi.Faults{}) },
				Config:    noRetries + testAccUserLicenseAssignmentConfig_basic(user, "cloudCX1"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(testAccAssignment, plancheck.ResourceActionCreate),
				}},
				Check: testAccCheckUserHolds(mock, user, "cloudCX1"),
			},
			{
				PreConfig:   failWrites(1, 503),
				Config:      noRetries + testAccUserLicenseAssignmentConfig_basic(user, "cloudCX2"),
				ExpectError: testAccError(`Unable to Update License Assignment.*503 service.unavailable`),
			},
			{
				// The failed update changed nothing, and the state says so.
				PreConfig: func() { mock.SetFaults(mockapi.Faults{}) },
				Config:    noRetries + testAccUserLicenseAssignmentConfig_basic(user, "cloudCX2"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					testAccExpectLicenseChange(testAccAssignment, []string{"cloudCX1"}, []string{"cloudCX2"}),
				}},
				Check: testAccCheckUserHolds(mock, user, "cloudCX2"),
			},
			{
				// With retries, two 503s in a row are absorbed.
				PreConfig: failWrites(2, 503),
				Config:    testAccProviderConfig(url) + testAccUserLicenseAssignmentConfig_basic(user, "cloudCX2", "wallboardUser"),
				Check:     testAccCheckUserHolds(mock, user, "cloudCX2", "wallboardUser"),
			},
		},
	})
}

// Genesys Cloud may show a write later than it answers it. The refresh right after an apply
// (which the test framework runs to check for an empty plan) must not report the provider's own
// change as drift.
// With the default read_after_write_tolerance, a write Genesys Cloud shows 2 s late is not
// reported as drift by the refresh that follows the apply.
func TestAccUserLicenseAssignment_readAfterWriteDelay(t *testing.T) {
	t.Parallel()
	mock, url := testAccMock(t, mockapi.Options{Users: 2, Faults: mockapi.Faults{VisibilityDelay: 2 * time.Second}})
	user := mockapi.UserID(1)
	config := func(licenses ...string) string {
		// null: the provider's default tolerance, not the tests' shorter one.
		return testAccProviderConfig(url, "read_after_write_tolerance = null") +
			testAccUserLicenseAssignmentConfig_basic(user, licenses...)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckUserHolds(mock, user),
		Steps: []resource.TestStep{
			{
				Config: config("cloudCX1", "wallboardUser"),
				Check:  testAccCheckUserHolds(mock, user, "cloudCX1", "wallboardUser"),
			},
			{
				Config: config("cloudCX2"),
				Check:  testAccCheckUserHolds(mock, user, "cloudCX2"),
			},
		},
	})
}

// read_after_write_tolerance = "0s" never waits: a write shown late reads as drift right after
// the apply (and is gone once Genesys Cloud shows it).
func TestAccUserLicenseAssignment_readAfterWriteToleranceZero(t *testing.T) {
	t.Parallel()
	mock, url := testAccMock(t, mockapi.Options{Users: 1, Faults: mockapi.Faults{VisibilityDelay: 3 * time.Second}})
	user := mockapi.UserID(1)
	config := testAccProviderConfig(url, `read_after_write_tolerance = "0s"`) +
		testAccUserLicenseAssignmentConfig_basic(user, "cloudCX1")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:             config,
				Check:              testAccCheckUserHolds(mock, user, "cloudCX1"),
				ExpectNonEmptyPlan: true, // the refresh after apply saw the old licenses
			},
			{
				PreConfig: func() { time.Sleep(3 * time.Second) },
				Config:    config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
		},
	})
}

// A license id known only at apply (another resource's output) does not break the plan-time
// check, and is assigned.
func TestAccUserLicenseAssignment_licenseIDUnknownUntilApply(t *testing.T) {
	t.Parallel()
	mock, url := testAccMock(t, mockapi.Options{Users: 1})
	user := mockapi.UserID(1)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckUserHolds(mock, user),
		Steps: []resource.TestStep{{
			Config: testAccProviderConfig(url) + fmt.Sprintf(`
resource "terraform_data" "license" {
  input = "wallboardUser"
}

resource "purecloud_user_license_assignment" "test" {
  user_id     = %q
  license_ids = ["cloudCX1", terraform_data.license.output]
}
`, user),
			Check: testAccCheckUserHolds(mock, user, "cloudCX1", "wallboardUser"),
		}},
	})
}

// Turning exclusive off stops managing the licenses outside license_ids; it removes none of
// them.
func TestAccUserLicenseAssignment_exclusiveOffKeepsOtherLicenses(t *testing.T) {
	t.Parallel()
	mock, url := testAccMock(t, mockapi.Options{Users: 1})
	user := mockapi.UserID(1)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckUserHolds(mock, user, "communicate"),
		Steps: []resource.TestStep{
			{
				Config: testAccProviderConfig(url) + testAccUserLicenseAssignmentConfig_exclusive(user, true, "cloudCX1", "wallboardUser"),
				Check:  testAccCheckUserHolds(mock, user, "cloudCX1", "wallboardUser"),
			},
			{
				// communicate arrives from elsewhere; the refresh (exclusive) shows it, and the same
				// apply turns exclusive off.
				PreConfig: func() { mock.SetUserLicenses(user, []string{"cloudCX1", "communicate", "wallboardUser"}) },
				Config:    testAccProviderConfig(url) + testAccUserLicenseAssignmentConfig_exclusive(user, false, "cloudCX1", "wallboardUser"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(testAccAssignment, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testAccAssignment, tfjsonpath.New("license_ids"), knownvalue.SetExact([]knownvalue.Check{
						knownvalue.StringExact("cloudCX1"), knownvalue.StringExact("wallboardUser"),
					})),
				},
				Check: testAccCheckUserHolds(mock, user, "cloudCX1", "communicate", "wallboardUser"),
			},
		},
	})
}

// A refresh of 30 resources reads their users in a few postLicenseUsers requests, not one
// getLicenseUser each.
// TestAccUserLicenseAssignment_refreshListsOrganization: a refresh of 150 resources in an
// organization of 160 users lists the organization (2 getLicenseUsers pages) once its batched
// reads have cost as much, and answers the remaining reads from that listing; the state still
// equals the server, and a change made outside Terraform before the plan is drift.
func TestAccUserLicenseAssignment_refreshListsOrganization(t *testing.T) {
	t.Parallel()
	const users = 150
	mock, url := testAccMock(t, mockapi.Options{Users: 160})
	config := testAccUserLicenseAssignmentConfig_team(url, users)
	addrs := make([]string, users)
	for i := range addrs {
		addrs[i] = fmt.Sprintf("purecloud_user_license_assignment.team.%d", i)
	}
	var before mockapi.Stats
	// perRefresh checks the read requests since before against the number of refreshes,
	// counted by the token each provider process fetches for them.
	perRefresh := func(*terraform.State) error {
		after := mock.Stats()
		delta := func(route string) int { return after.Requests[route] - before.Requests[route] }
		refreshes := delta(mockapi.RouteToken)
		batch, single, pages := delta(mockapi.RoutePostUsers), delta(mockapi.RouteGetUser), delta(mockapi.RouteGetUsers)
		t.Logf("%d refreshes of %d resources: %d postLicenseUsers, %d getLicenseUser, %d getLicenseUsers",
			refreshes, users, batch, single, pages)
		if refreshes < 1 || pages < refreshes || batch+single > 9*refreshes {
			return fmt.Errorf("%d refreshes of %d resources took %d postLicenseUsers, %d getLicenseUser and %d "+
				"getLicenseUsers; want the organization listed in each and at most 9 other reads each (batched "+
				"reads alone take 15)", refreshes, users, batch, single, pages)
		}
		return nil
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: config},
			{
				PreConfig:    func() { before = mock.Stats() },
				RefreshState: true,
				Check:        resource.ComposeTestCheckFunc(perRefresh, testAccCheckStateMatchesMock(mock, addrs...)),
			},
			{
				// Changed outside Terraform before the plan: the listing shows it.
				PreConfig: func() {
					mock.SetUserLicenses(mockapi.UserID(140), []string{})
					before = mock.Stats()
				},
				Config:             config,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{testAccExpectChangedResources(1)},
				},
			},
		},
	})
}

func TestAccUserLicenseAssignment_refreshBatched(t *testing.T) {
	t.Parallel()
	if os.Getenv("PURECLOUD_TEST_READ_BATCHING") == "false" {
		t.Log("read_batching is off for this run; the test checks the batched refresh with it on")
	}
	const users = 30
	mock, url := testAccMock(t, mockapi.Options{Users: users})
	config := testAccUserLicenseAssignmentConfig_team(url, users)
	var before mockapi.Stats
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: config},
			{
				PreConfig:    func() { before = mock.Stats() },
				RefreshState: true,
				Check: func(*terraform.State) error {
					after := mock.Stats()
					batch := after.Requests[mockapi.RoutePostUsers] - before.Requests[mockapi.RoutePostUsers]
					single := after.Requests[mockapi.RouteGetUser] - before.Requests[mockapi.RouteGetUser]
					t.Logf("a refresh of %d resources: %d postLicenseUsers, %d getLicenseUser", users, batch, single)
					if batch > 5 || single > 2 {
						return fmt.Errorf("a refresh of %d resources took %d postLicenseUsers and %d getLicenseUser "+
							"requests; want at most 5 and 2", users, batch, single)
					}
					return nil
				},
			},
		},
	})
}

// Terraform does not show a test a refresh's warnings, so this calls Read directly: a user deleted
// outside Terraform stays in the state as it was (offboarding), with a warning that names it.
func TestUserLicenseAssignmentRead_deletedUserWarns(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	mock, url := mockapi.NewTestServer(t, mockapi.Options{Users: 1})
	user := mockapi.UserID(1)
	mock.DeleteUser(user)

	c, err := client.New(ctx, client.Config{ClientID: testClientID, ClientSecret: testClientSecret, APIURL: url, ReadBatching: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	r, _ := NewUserLicenseAssignmentResource().(*userLicenseAssignmentResource)
	r.data = newProviderData(c, time.Second)

	var schemaResp fwresource.SchemaResponse
	r.Schema(ctx, fwresource.SchemaRequest{}, &schemaResp)
	objType, ok := schemaResp.Schema.Type().TerraformType(ctx).(tftypes.Object)
	if !ok {
		t.Fatalf("schema type is %T", schemaResp.Schema.Type().TerraformType(ctx))
	}
	prior := tftypes.NewValue(objType, map[string]tftypes.Value{
		"id":          tftypes.NewValue(tftypes.String, user),
		"user_id":     tftypes.NewValue(tftypes.String, user),
		"license_ids": tftypes.NewValue(tftypes.Set{ElementType: tftypes.String}, []tftypes.Value{tftypes.NewValue(tftypes.String, "cloudCX1")}),
		"exclusive":   tftypes.NewValue(tftypes.Bool, false),
		"timeouts":    tftypes.NewValue(objType.AttributeTypes["timeouts"], nil),
	})
	state := tfsdk.State{Schema: schemaResp.Schema, Raw: prior}
	resp := fwresource.ReadResponse{State: state}
	r.Read(ctx, fwresource.ReadRequest{State: state}, &resp)

	if resp.Diagnostics.HasError() {
		t.Fatalf("Read failed: %v", resp.Diagnostics)
	}
	if !resp.State.Raw.Equal(prior) {
		t.Errorf("the state changed: %v, want %v", resp.State.Raw, prior)
	}
	warnings := resp.Diagnostics.Warnings()
	if len(warnings) != 1 || warnings[0].Summary() != "User No Longer Exists" || !strings.Contains(warnings[0].Detail(), user) {
		t.Errorf("want one warning naming user %s, got %v", user, warnings)
	}
}
