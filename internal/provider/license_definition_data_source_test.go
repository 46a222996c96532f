package provider

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/purecloud-terraform/terraform-provider-purecloud/internal/mockapi"
)

func TestAccLicenseDefinitionDataSource_basic(t *testing.T) {
	t.Parallel()
	_, url := testAccMock(t, mockapi.Options{})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: testAccProviderConfig(url) + testAccLicenseDefinitionDataSourceConfig_id(mockapi.LicenseGC2WEMUpgrade),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.purecloud_license_definition.test", tfjsonpath.New("id"),
					knownvalue.StringExact(mockapi.LicenseGC2WEMUpgrade)),
				statecheck.ExpectKnownValue("data.purecloud_license_definition.test", tfjsonpath.New("description"),
					knownvalue.StringRegexp(regexp.MustCompile(`WEM`))),
				statecheck.ExpectKnownValue("data.purecloud_license_definition.test", tfjsonpath.New("prerequisite_ids"),
					knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact(mockapi.LicenseCloudCX2)})),
				statecheck.ExpectKnownValue("data.purecloud_license_definition.test", tfjsonpath.New("permission_ids"),
					knownvalue.ListPartial(map[int]knownvalue.Check{0: knownvalue.StringExact("quality:calibration:view")})),
				statecheck.ExpectKnownValue("data.purecloud_license_definition.test", tfjsonpath.New("comprised_license_ids"),
					knownvalue.ListSizeExact(0)),
			},
		}},
	})
}

func TestAccLicenseDefinitionDataSource_comprises(t *testing.T) {
	t.Parallel()
	_, url := testAccMock(t, mockapi.Options{})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: testAccProviderConfig(url) + testAccLicenseDefinitionDataSourceConfig_id(mockapi.LicenseCloudCX2),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.purecloud_license_definition.test", tfjsonpath.New("comprised_license_ids"),
					knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact(mockapi.LicenseCloudCX1)})),
				statecheck.ExpectKnownValue("data.purecloud_license_definition.test", tfjsonpath.New("prerequisite_ids"),
					knownvalue.ListSizeExact(0)),
			},
		}},
	})
}

func TestAccLicenseDefinitionDataSource_errors(t *testing.T) {
	t.Parallel()
	_, url := testAccMock(t, mockapi.Options{})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				// An unknown id names itself and lists the valid ids.
				Config:      testAccProviderConfig(url) + testAccLicenseDefinitionDataSourceConfig_id("cloudCX9"),
				ExpectError: testAccError(`Unknown License ID.*"cloudCX9".*cloudCX1, cloudCX2`),
			},
			{
				Config:      testAccProviderConfig(url) + testAccLicenseDefinitionDataSourceConfig_id(""),
				ExpectError: testAccError(`Attribute id string length must be at least 1`),
			},
		},
	})
}
