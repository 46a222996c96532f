package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/purecloud-terraform/terraform-provider-purecloud/internal/mockapi"
)

func TestAccLicenseDefinitionsDataSource_all(t *testing.T) {
	t.Parallel()
	mock, url := testAccMock(t, mockapi.Options{})
	ids := mock.LicenseIDs()
	checks := make([]knownvalue.Check, len(ids))
	for i, id := range ids {
		checks[i] = knownvalue.ObjectPartial(map[string]knownvalue.Check{"id": knownvalue.StringExact(id)})
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: testAccProviderConfig(url) + `
data "purecloud_license_definitions" "all" {}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				// Every definition, sorted by id.
				statecheck.ExpectKnownValue("data.purecloud_license_definitions.all", tfjsonpath.New("definitions"),
					knownvalue.ListExact(checks)),
				// The list endpoint omits permissions; the data source fills them in.
				statecheck.ExpectKnownValue("data.purecloud_license_definitions.all",
					tfjsonpath.New("definitions").AtSliceIndex(0).AtMapKey("permission_ids"), knownvalue.NotNull()),
			},
		}},
	})
}

func TestAccLicenseDefinitionsDataSource_filters(t *testing.T) {
	t.Parallel()
	_, url := testAccMock(t, mockapi.Options{})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: testAccProviderConfig(url) + `
data "purecloud_license_definitions" "bad" {
  ids = ["cloudCX2", "noSuchLicense"]
}
`,
				ExpectError: testAccError(`Unknown License ID.*"noSuchLicense".*Valid license ids are: cloudCX1`),
			},
			{
				Config: testAccProviderConfig(url) + `
data "purecloud_license_definitions" "bad" {
  ids = []
}
`,
				ExpectError: testAccError(`Attribute ids set must contain at least 1 elements`),
			},
			{
				Config: testAccProviderConfig(url) + `
data "purecloud_license_definitions" "by_id" {
  ids = ["wallboardUser", "cloudCX2"]
}

data "purecloud_license_definitions" "wem" {
  description_contains = "workforce ENGAGEMENT"
}

data "purecloud_license_definitions" "both" {
  ids                  = ["cloudCX2", "cloudCX3", "gc2WEMupgrade"]
  description_contains = "wem add-on"
}
`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.purecloud_license_definitions.by_id", tfjsonpath.New("definitions"),
						knownvalue.ListExact([]knownvalue.Check{
							knownvalue.ObjectPartial(map[string]knownvalue.Check{
								"id":                    knownvalue.StringExact("cloudCX2"),
								"comprised_license_ids": knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("cloudCX1")}),
							}),
							knownvalue.ObjectPartial(map[string]knownvalue.Check{
								"id":             knownvalue.StringExact("wallboardUser"),
								"permission_ids": knownvalue.ListSizeExact(2),
							}),
						})),
					statecheck.ExpectKnownValue("data.purecloud_license_definitions.wem", tfjsonpath.New("definitions"),
						knownvalue.ListExact([]knownvalue.Check{
							knownvalue.ObjectPartial(map[string]knownvalue.Check{"id": knownvalue.StringExact("cloudCX3")}),
							knownvalue.ObjectPartial(map[string]knownvalue.Check{"id": knownvalue.StringExact("gc1WEMupgrade")}),
							knownvalue.ObjectPartial(map[string]knownvalue.Check{"id": knownvalue.StringExact("gc2WEMupgrade")}),
						})),
					statecheck.ExpectKnownValue("data.purecloud_license_definitions.both", tfjsonpath.New("definitions"),
						knownvalue.ListExact([]knownvalue.Check{
							knownvalue.ObjectPartial(map[string]knownvalue.Check{"id": knownvalue.StringExact("gc2WEMupgrade")}),
						})),
				},
			},
		},
	})
}
