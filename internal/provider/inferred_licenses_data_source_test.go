package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/purecloud-terraform/terraform-provider-purecloud/internal/mockapi"
)

func TestAccInferredLicensesDataSource_basic(t *testing.T) {
	t.Parallel()
	mock, url := testAccMock(t, mockapi.Options{})
	mock.AddRole("team-lead", []string{"collaborate", "wallboardUser"})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				// A user without roles (role_ids computed by another provider, empty): no licenses,
				// no request, no error.
				Config: testAccProviderConfig(url) + `
resource "terraform_data" "user_roles" {
  input = []
}

data "purecloud_inferred_licenses" "test" {
  role_ids = terraform_data.user_roles.output
}
`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.purecloud_inferred_licenses.test", tfjsonpath.New("license_ids"),
						knownvalue.SetSizeExact(0)),
				},
				Check: testAccCheckRequests(mock, mockapi.RoutePostInfer, 0),
			},
			{
				Config: testAccProviderConfig(url) + `
data "purecloud_inferred_licenses" "test" {
  role_ids = [""]
}
`,
				ExpectError: testAccError(`role_ids.*string length must be at least 1`),
			},
			{
				Config: testAccProviderConfig(url) + `
data "purecloud_inferred_licenses" "test" {
  role_ids = ["` + mockapi.RoleSupervisor + `", "team-lead", "no-such-role"]
}

data "purecloud_inferred_licenses" "none" {
  role_ids = ["` + mockapi.RoleMasterAdmin + `"]
}
`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.purecloud_inferred_licenses.test", tfjsonpath.New("license_ids"),
						knownvalue.SetExact([]knownvalue.Check{
							knownvalue.StringExact("cloudCX3"),
							knownvalue.StringExact("collaborate"),
							knownvalue.StringExact("wallboardUser"),
						})),
					statecheck.ExpectKnownValue("data.purecloud_inferred_licenses.none", tfjsonpath.New("license_ids"),
						knownvalue.SetSizeExact(0)),
				},
			},
		},
	})
}
