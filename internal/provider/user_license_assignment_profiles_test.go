package provider

import (
	"fmt"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/purecloud-terraform/terraform-provider-purecloud/internal/mockapi"
)

// The resource's core suite (create, import, update, drift both ways, partial failure, exclusive
// mode, destroy) runs against every behaviour profile of the mock: every plausible answer to what
// the License API leaves undocumented. Adding a profile to mockapi adds its run here. Every step
// ends with the state equal to the mock's truth.
func TestAccUserLicenseAssignment_profiles(t *testing.T) {
	t.Parallel()
	for _, name := range mockapi.ProfileNames() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			profile, err := mockapi.NamedProfile(name)
			if err != nil {
				t.Fatal(err)
			}
			testAccProfileSuite(t, profile)
		})
	}
}

func testAccProfileSuite(t *testing.T, profile mockapi.Profile) {
	mock, url := testAccMock(t, mockapi.Options{Users: 3, Faults: mockapi.Faults{Profile: profile}})
	plain, excl, other := mockapi.UserID(1), mockapi.UserID(2), mockapi.UserID(3)
	mock.SetUserLicenses(excl, []string{"collaborate"})
	mock.SetUserLicenses(other, []string{"communicate"})
	config := func(plainLicenses, exclLicenses []string) string {
		return testAccProviderConfig(url) + fmt.Sprintf(`
resource "purecloud_user_license_assignment" "plain" {
  user_id     = %q
  license_ids = [%s]
}

resource "purecloud_user_license_assignment" "excl" {
  user_id     = %q
  license_ids = [%s]
  exclusive   = true
}
`, plain, hclStrings(plainLicenses), excl, hclStrings(exclLicenses))
	}
	const plainAddr, exclAddr = "purecloud_user_license_assignment.plain", "purecloud_user_license_assignment.excl"
	truth := testAccCheckStateMatchesMock(mock, plainAddr, exclAddr)
	// Reads may show a write late under some profiles; an import right after a write must wait.
	settle := func() { time.Sleep(profile.ReadAfterWriteDelay) }
	noSeat := func() {
		f := mock.Faults()
		f.ItemFailures = map[string]string{plain + "/collaborate": mockapi.ResultNoSeatsAvailable}
		mock.SetFaults(f)
	}
	clearFaults := func() { mock.SetFaults(mockapi.Faults{Profile: profile}) }

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy: resource.ComposeAggregateTestCheckFunc(
			testAccCheckUserHolds(mock, plain),
			testAccCheckUserHolds(mock, excl),
			testAccCheckUserHolds(mock, other, "communicate"),
		),
		Steps: []resource.TestStep{
			{
				Config: config([]string{"cloudCX1", "wallboardUser"}, []string{"cloudCX2"}),
				Check: resource.ComposeAggregateTestCheckFunc(truth,
					testAccCheckUserHolds(mock, plain, "cloudCX1", "wallboardUser"),
					testAccCheckUserHolds(mock, excl, "cloudCX2"), // exclusive: collaborate removed
				),
			},
			{
				PreConfig:         settle,
				ResourceName:      plainAddr,
				ImportState:       true,
				ImportStateId:     plain,
				ImportStateVerify: true,
			},
			{
				// Update: one addition and one removal in one request.
				Config: config([]string{"cloudCX1", "communicate"}, []string{"cloudCX2"}),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(plainAddr, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeAggregateTestCheckFunc(truth, testAccCheckUserHolds(mock, plain, "cloudCX1", "communicate")),
			},
			{
				// Drift both ways: a managed license removed, a license added to the exclusive user.
				PreConfig: func() {
					mock.SetUserLicenses(plain, []string{"cloudCX1"})
					mock.SetUserLicenses(excl, []string{"cloudCX2", "wallboardUser"})
				},
				Config:             config([]string{"cloudCX1", "communicate"}, []string{"cloudCX2"}),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
			{
				Config: config([]string{"cloudCX1", "communicate"}, []string{"cloudCX2"}),
				Check: resource.ComposeAggregateTestCheckFunc(truth,
					testAccCheckUserHolds(mock, plain, "cloudCX1", "communicate"),
					testAccCheckUserHolds(mock, excl, "cloudCX2"),
				),
			},
			{
				// A refused seat fails only its pair; the state records what is true.
				PreConfig:   noSeat,
				Config:      config([]string{"cloudCX1", "collaborate", "wallboardUser"}, []string{"cloudCX2"}),
				ExpectError: testAccError(`did not apply 1 of 3 license changes.*license collaborate \(add\)`),
			},
			{
				PreConfig: clearFaults,
				Config:    config([]string{"cloudCX1", "collaborate", "wallboardUser"}, []string{"cloudCX2"}),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					testAccExpectLicenseChange(plainAddr,
						[]string{"cloudCX1", "wallboardUser"}, []string{"cloudCX1", "collaborate", "wallboardUser"}),
				}},
				Check: resource.ComposeAggregateTestCheckFunc(truth,
					testAccCheckUserHolds(mock, plain, "cloudCX1", "collaborate", "wallboardUser")),
			},
		},
	})
}

// One resource of 20 applied together names a user that does not exist, under the profile
// where the API refuses such a batch as a whole: the other 19 are created, the apply fails
// with one error naming that user, and the next plan proposes only that resource.
func TestAccUserLicenseAssignment_oneBadUserAmongTwenty(t *testing.T) {
	t.Parallel()
	profile, err := mockapi.NamedProfile("unknown-ids-reject-request")
	if err != nil {
		t.Fatal(err)
	}
	mock, url := testAccMock(t, mockapi.Options{Users: 19, Faults: mockapi.Faults{Profile: profile}})
	const bad = "99999999-9999-4999-8999-999999999999"
	users := append(mock.UserIDs(), bad)
	config := testAccProviderConfig(url, `batch_window = "2s"`) + fmt.Sprintf(`
locals {
  users = [%s]
}

resource "purecloud_user_license_assignment" "test" {
  count       = length(local.users)
  user_id     = local.users[count.index]
  license_ids = ["cloudCX1"]
}
`, hclStrings(users))
	badAddr := "purecloud_user_license_assignment.test[19]"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      config,
				ExpectError: testAccError(`Unable to Assign Licenses.*user ` + bad + `, license cloudCX1 \(add\)`),
				Check:       testAccCheckEveryUserHolds(mock, users[:19], "cloudCX1"),
			},
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(badAddr, plancheck.ResourceActionCreate),
					testAccExpectChangedResources(1),
				}},
				ExpectError: testAccError(`Unable to Assign Licenses.*user ` + bad),
			},
		},
	})
	if n := mock.Stats().Requests[routeOrganization]; n > 20 {
		t.Errorf("%d postLicenseOrganization requests for 20 resources over two applies: the bisection is not bounded", n)
	}
}

// A create whose timeout passes while its batch is on its way still records what the server
// did: the request was applied, answered late (after the caller's grace), and the read-back
// finds the licenses.
func TestAccUserLicenseAssignment_createTimesOutAfterSending(t *testing.T) {
	t.Parallel()
	mock, url := testAccMock(t, mockapi.Options{Users: 1, Faults: mockapi.Faults{
		ResponseDelay: map[string]time.Duration{mockapi.RoutePostOrganization: 14 * time.Second},
	}})
	user := mockapi.UserID(1)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			PreConfig: func() {},
			Config: testAccProviderConfig(url) + fmt.Sprintf(`
resource "purecloud_user_license_assignment" "test" {
  user_id     = %q
  license_ids = ["cloudCX1", "wallboardUser"]
  timeouts {
    create = "2s"
  }
}
`, user),
			Check: resource.ComposeAggregateTestCheckFunc(
				testAccCheckUserHolds(mock, user, "cloudCX1", "wallboardUser"),
				testAccCheckStateMatchesMock(mock, testAccAssignment),
				func(*terraform.State) error { mock.SetFaults(mockapi.Faults{}); return nil },
			),
		}},
	})
}

// An OAuth client without authorization:grant:add fails the apply with an error naming it.
func TestAccUserLicenseAssignment_missingPermission(t *testing.T) {
	t.Parallel()
	_, url := testAccMock(t, mockapi.Options{Users: 1, Permissions: []string{"authorization:license:view"}})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: testAccProviderConfig(url) + testAccUserLicenseAssignmentConfig_basic(mockapi.UserID(1), "cloudCX1"),
			ExpectError: testAccError(`Genesys Cloud answered 403.*postLicenseOrganization needs: grant its role ` +
				`authorization:grant:add`),
		}},
	})
}

// A write that Genesys Cloud applied but whose answer the provider never saw (a 503 after the
// change, or a connection dropped after it; no retries) is settled by reading the users back:
// the apply succeeds and the state records the licenses.
func TestAccUserLicenseAssignment_appliedButAnswerLost(t *testing.T) {
	t.Parallel()
	for name, fail := range map[string]*mockapi.FailNext{
		"503 after apply":     {Count: 1, Status: 503, Route: mockapi.RoutePostOrganization, AfterApply: true},
		"dropped after apply": {Count: 1, Drop: true, Route: mockapi.RoutePostOrganization, AfterApply: true},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			mock, url := testAccMock(t, mockapi.Options{Users: 1, Faults: mockapi.Faults{FailNext: fail}})
			user := mockapi.UserID(1)
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				CheckDestroy:             testAccCheckUserHolds(mock, user),
				Steps: []resource.TestStep{{
					Config: testAccProviderConfig(url, "max_retries = 0") + testAccUserLicenseAssignmentConfig_basic(user, "cloudCX1", "wallboardUser"),
					Check: resource.ComposeAggregateTestCheckFunc(
						testAccCheckUserHolds(mock, user, "cloudCX1", "wallboardUser"),
						testAccCheckStateMatchesMock(mock, testAccAssignment),
						func(*terraform.State) error {
							if st := mock.Stats(); st.FaultsInjected != 1 || st.Applied[mockapi.RoutePostOrganization] != 1 {
								return fmt.Errorf("faults injected %d, writes applied %d; want 1 and 1 (the write was not retried)",
									st.FaultsInjected, st.Applied[mockapi.RoutePostOrganization])
							}
							return nil
						},
					),
				}},
			})
		})
	}
}
