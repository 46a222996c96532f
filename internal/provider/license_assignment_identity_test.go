package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/purecloud-terraform/terraform-provider-purecloud/internal/mockapi"
)

// Create records the identity {license_id}, and the three ways of importing find the same
// resource: `terraform import`, an import block with id, and an import block with identity.
func TestAccLicenseAssignmentIdentity_importKinds(t *testing.T) {
	t.Parallel()
	mock, url := testAccMock(t, mockapi.Options{Users: 2})
	config := testAccProviderConfig(url) + testAccLicenseAssignmentConfig_basic("wallboardUser", mockapi.UserID(1), mockapi.UserID(2))
	noop := resource.ImportPlanChecks{PreApply: []plancheck.PlanCheck{
		plancheck.ExpectResourceAction(testAccLicenseAssignment, plancheck.ResourceActionNoop),
	}}
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)},
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckLicenseHolders(mock, "wallboardUser"),
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectIdentity(testAccLicenseAssignment, map[string]knownvalue.Check{
						"license_id": knownvalue.StringExact("wallboardUser"),
					}),
					statecheck.ExpectIdentityValueMatchesState(testAccLicenseAssignment, tfjsonpath.New("license_id")),
					statecheck.ExpectIdentityValueMatchesStateAtPath(testAccLicenseAssignment, tfjsonpath.New("license_id"), tfjsonpath.New("id")),
				},
			},
			{
				ResourceName:      testAccLicenseAssignment,
				ImportState:       true,
				ImportStateKind:   resource.ImportCommandWithID,
				ImportStateId:     "wallboardUser",
				ImportStateVerify: true,
			},
			{
				Config:           config,
				ResourceName:     testAccLicenseAssignment,
				ImportState:      true,
				ImportStateKind:  resource.ImportBlockWithID,
				ImportPlanChecks: noop,
			},
			{
				Config:           config,
				ResourceName:     testAccLicenseAssignment,
				ImportState:      true,
				ImportStateKind:  resource.ImportBlockWithResourceIdentity,
				ImportPlanChecks: noop,
			},
		},
	})
}
