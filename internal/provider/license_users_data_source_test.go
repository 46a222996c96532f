package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/purecloud-terraform/terraform-provider-purecloud/internal/mockapi"
)

// The whole organization spans several pages of getLicenseUsers (100 users a page).
func TestAccLicenseUsersDataSource_allPages(t *testing.T) {
	t.Parallel()
	const users = 230
	mock, url := testAccMock(t, mockapi.Options{Users: users})
	for i := 1; i <= users; i += 7 {
		mock.SetUserLicenses(mockapi.UserID(i), []string{"communicate"})
	}
	mock.SetUserLicenses(mockapi.UserID(229), []string{"cloudCX1", "wallboardUser"})
	holders := 0
	for i := 1; i <= users; i += 7 {
		holders++
	}

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: testAccProviderConfig(url) + `
data "purecloud_license_users" "all" {}

data "purecloud_license_users" "communicate" {
  license_id = "communicate"
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.purecloud_license_users.all", tfjsonpath.New("users"),
					knownvalue.ListSizeExact(users)),
				statecheck.ExpectKnownValue("data.purecloud_license_users.all",
					tfjsonpath.New("users").AtSliceIndex(228), knownvalue.ObjectExact(map[string]knownvalue.Check{
						"user_id": knownvalue.StringExact(mockapi.UserID(229)),
						"license_ids": knownvalue.SetExact([]knownvalue.Check{
							knownvalue.StringExact("cloudCX1"), knownvalue.StringExact("wallboardUser"),
						}),
					})),
				statecheck.ExpectKnownValue("data.purecloud_license_users.communicate", tfjsonpath.New("users"),
					knownvalue.ListSizeExact(holders)),
			},
			Check: func(*terraform.State) error {
				// Two data sources, three pages each.
				if got := mock.Stats().Requests["GET /api/v2/license/users"]; got < 6 {
					return fmt.Errorf("getLicenseUsers was called %d times, want at least 6 (3 pages, twice)", got)
				}
				return nil
			},
		}},
	})
}

func TestAccLicenseUsersDataSource_byID(t *testing.T) {
	t.Parallel()
	mock, url := testAccMock(t, mockapi.Options{Users: 5})
	mock.SetUserLicenses(mockapi.UserID(1), []string{"cloudCX2"})
	mock.SetUserLicenses(mockapi.UserID(4), []string{"cloudCX2", "wallboardUser"})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: testAccProviderConfig(url) + fmt.Sprintf(`
data "purecloud_license_users" "missing" {
  user_ids = [%q, %q]
}
`, mockapi.UserID(1), mockapi.UserID(77)),
				ExpectError: testAccError(`User Not Found.*00000000-0000-4000-8000-000000000077`),
			},
			{
				Config: testAccProviderConfig(url) + `
data "purecloud_license_users" "bad_license" {
  license_id = "cloudcx2"
}
`,
				ExpectError: testAccError(`Unknown License ID.*"cloudcx2".*case-sensitive`),
			},
			{
				Config: testAccProviderConfig(url) + `
data "purecloud_license_users" "bad_user" {
  user_ids = ["bob"]
}
`,
				ExpectError: testAccError(`must be a Genesys Cloud user id`),
			},
			{
				Config: testAccProviderConfig(url) + fmt.Sprintf(`
data "purecloud_license_users" "some" {
  user_ids = [%q, %q, %q]
}

data "purecloud_license_users" "wallboard" {
  user_ids   = [%[1]q, %[2]q, %[3]q]
  license_id = "wallboardUser"
}
`, mockapi.UserID(4), mockapi.UserID(1), mockapi.UserID(2)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.purecloud_license_users.some", tfjsonpath.New("users"),
						knownvalue.ListExact([]knownvalue.Check{
							knownvalue.ObjectExact(map[string]knownvalue.Check{
								"user_id":     knownvalue.StringExact(mockapi.UserID(1)),
								"license_ids": knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact("cloudCX2")}),
							}),
							knownvalue.ObjectExact(map[string]knownvalue.Check{
								"user_id":     knownvalue.StringExact(mockapi.UserID(2)),
								"license_ids": knownvalue.SetSizeExact(0),
							}),
							knownvalue.ObjectExact(map[string]knownvalue.Check{
								"user_id": knownvalue.StringExact(mockapi.UserID(4)),
								"license_ids": knownvalue.SetExact([]knownvalue.Check{
									knownvalue.StringExact("cloudCX2"), knownvalue.StringExact("wallboardUser"),
								}),
							}),
						})),
					statecheck.ExpectKnownValue("data.purecloud_license_users.wallboard", tfjsonpath.New("users"),
						knownvalue.ListExact([]knownvalue.Check{
							knownvalue.ObjectPartial(map[string]knownvalue.Check{"user_id": knownvalue.StringExact(mockapi.UserID(4))}),
						})),
				},
			},
		},
	})
}
