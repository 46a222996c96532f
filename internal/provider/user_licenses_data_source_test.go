package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/purecloud-terraform/terraform-provider-purecloud/internal/mockapi"
)

func TestAccUserLicensesDataSource_basic(t *testing.T) {
	t.Parallel()
	mock, url := testAccMock(t, mockapi.Options{Users: 3})
	mock.SetUserLicenses(mockapi.UserID(2), []string{"cloudCX2", "wallboardUser"})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: testAccProviderConfig(url) + testAccUserLicensesDataSourceConfig_user(mockapi.UserID(2)) +
				`
data "purecloud_user_licenses" "none" {
  user_id = "` + mockapi.UserID(3) + `"
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.purecloud_user_licenses.test", tfjsonpath.New("license_ids"),
					knownvalue.SetExact([]knownvalue.Check{
						knownvalue.StringExact("cloudCX2"), knownvalue.StringExact("wallboardUser"),
					})),
				statecheck.ExpectKnownValue("data.purecloud_user_licenses.none", tfjsonpath.New("license_ids"),
					knownvalue.SetSizeExact(0)),
			},
		}},
	})
}

func TestAccUserLicensesDataSource_errors(t *testing.T) {
	t.Parallel()
	_, url := testAccMock(t, mockapi.Options{Users: 3})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      testAccProviderConfig(url) + testAccUserLicensesDataSourceConfig_user(mockapi.UserID(99)),
				ExpectError: testAccError(`User Not Found.*00000000-0000-4000-8000-000000000099`),
			},
			{
				Config:      testAccProviderConfig(url) + testAccUserLicensesDataSourceConfig_user("alice"),
				ExpectError: testAccError(`Attribute user_id must be a Genesys Cloud user id`),
			},
		},
	})
}

func testAccUserLicensesDataSourceConfig_user(id string) string {
	return `
data "purecloud_user_licenses" "test" {
  user_id = "` + id + `"
}
`
}
