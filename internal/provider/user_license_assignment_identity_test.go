package provider

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	tfresource "github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/purecloud-terraform/terraform-provider-purecloud/internal/mockapi"
)

// Create records the identity, and all three ways of importing find the same assignment:
// `terraform import`, an import block with id, and an import block with identity.
func TestAccUserLicenseAssignmentIdentity_importKinds(t *testing.T) {
	t.Parallel()
	mock, url := testAccMock(t, mockapi.Options{Users: 2})
	user := mockapi.UserID(2)
	config := testAccProviderConfig(url) + testAccUserLicenseAssignmentConfig_basic(user, "cloudCX1", "wallboardUser")
	noop := tfresource.ImportPlanChecks{PreApply: []plancheck.PlanCheck{
		plancheck.ExpectResourceAction(testAccAssignment, plancheck.ResourceActionNoop),
	}}

	tfresource.Test(t, tfresource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)},
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckUserHolds(mock, user),
		Steps: []tfresource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectIdentity(testAccAssignment, map[string]knownvalue.Check{
						"user_id": knownvalue.StringExact(user),
					}),
					statecheck.ExpectIdentityValueMatchesState(testAccAssignment, tfjsonpath.New("user_id")),
					statecheck.ExpectIdentityValueMatchesStateAtPath(testAccAssignment, tfjsonpath.New("user_id"), tfjsonpath.New("id")),
				},
			},
			{
				ResourceName:      testAccAssignment,
				ImportState:       true,
				ImportStateKind:   tfresource.ImportCommandWithID,
				ImportStateId:     user,
				ImportStateVerify: true,
			},
			{
				Config:           config,
				ResourceName:     testAccAssignment,
				ImportState:      true,
				ImportStateKind:  tfresource.ImportBlockWithID,
				ImportPlanChecks: noop,
			},
			{
				Config:           config,
				ResourceName:     testAccAssignment,
				ImportState:      true,
				ImportStateKind:  tfresource.ImportBlockWithResourceIdentity,
				ImportPlanChecks: noop,
			},
			{
				// A refresh keeps the identity, and the plan stays empty.
				Config: config,
				ConfigPlanChecks: tfresource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectIdentityValue(testAccAssignment, tfjsonpath.New("user_id"), knownvalue.StringExact(user)),
				},
			},
		},
	})
}

// An import block with an identity imports a user Terraform has never managed: license_ids
// becomes everything the user holds, and the plan proposes no change to Genesys Cloud.
func TestAccUserLicenseAssignmentIdentity_importBlock(t *testing.T) {
	t.Parallel()
	mock, url := testAccMock(t, mockapi.Options{Users: 3})
	user := mockapi.UserID(3)
	mock.SetUserLicenses(user, []string{"cloudCX2", "gc2WEMupgrade"})
	config := testAccProviderConfig(url) + fmt.Sprintf(`
import {
  to       = purecloud_user_license_assignment.test
  identity = { user_id = %q }
}
`, user) + testAccUserLicenseAssignmentConfig_basic(user, "cloudCX2", "gc2WEMupgrade")

	tfresource.Test(t, tfresource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)},
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []tfresource.TestStep{
			{
				Config: config,
				ConfigPlanChecks: tfresource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(testAccAssignment, plancheck.ResourceActionNoop),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectIdentity(testAccAssignment, map[string]knownvalue.Check{
						"user_id": knownvalue.StringExact(user),
					}),
					statecheck.ExpectKnownValue(testAccAssignment, tfjsonpath.New("license_ids"), knownvalue.SetExact([]knownvalue.Check{
						knownvalue.StringExact("cloudCX2"), knownvalue.StringExact("gc2WEMupgrade"),
					})),
					statecheck.ExpectKnownValue(testAccAssignment, tfjsonpath.New("exclusive"), knownvalue.Bool(false)),
				},
				Check: tfresource.ComposeAggregateTestCheckFunc(
					testAccCheckUserHolds(mock, user, "cloudCX2", "gc2WEMupgrade"),
					testAccCheckRequests(mock, routeOrganization, 0),
				),
			},
		},
	})
}

// An identity that is not a user id fails the import as an id would, naming the expected format.
func TestAccUserLicenseAssignmentIdentity_invalid(t *testing.T) {
	t.Parallel()
	_, url := testAccMock(t, mockapi.Options{Users: 1})
	user := mockapi.UserID(1)
	tfresource.Test(t, tfresource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)},
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []tfresource.TestStep{
			{
				Config: testAccProviderConfig(url) + `
import {
  to       = purecloud_user_license_assignment.test
  identity = { user_id = "alice@example.com" }
}
` + testAccUserLicenseAssignmentConfig_basic(user, "cloudCX1"),
				ExpectError: testAccError(`Unable to Import License Assignment.*identity's user_id must be the Genesys Cloud user id \(a lower-case UUID such as 00000000-0000-4000-8000-000000000001\), got "alice@example.com"`),
			},
		},
	})
}

// importedUserID without Terraform: every way an import names a user, and every way it can be wrong.
func TestImportedUserID(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	user := mockapi.UserID(7)
	idSchema := userLicenseAssignmentIdentitySchema()
	identity := func(v any) *tfsdk.ResourceIdentity {
		typ := idSchema.Type().TerraformType(ctx)
		return &tfsdk.ResourceIdentity{Schema: idSchema, Raw: tftypes.NewValue(typ, map[string]tftypes.Value{
			"user_id": tftypes.NewValue(tftypes.String, v),
		})}
	}
	tests := []struct {
		name    string
		req     resource.ImportStateRequest
		want    string
		wantErr string
	}{
		{name: "id", req: resource.ImportStateRequest{ID: user}, want: user},
		{name: "identity", req: resource.ImportStateRequest{Identity: identity(user)}, want: user},
		{name: "id wins over identity", req: resource.ImportStateRequest{ID: user, Identity: identity("x")}, want: user},
		{name: "bad id", req: resource.ImportStateRequest{ID: "not-a-user"}, wantErr: `import id must be the Genesys Cloud user id (a lower-case UUID such as 00000000-0000-4000-8000-000000000001), got "not-a-user"`},
		{name: "bad identity", req: resource.ImportStateRequest{Identity: identity("bob")}, wantErr: `identity's user_id must be the Genesys Cloud user id (a lower-case UUID such as 00000000-0000-4000-8000-000000000001), got "bob"`},
		{name: "null identity value", req: resource.ImportStateRequest{Identity: identity(nil)}, wantErr: "got no value"},
		{name: "unknown identity value", req: resource.ImportStateRequest{Identity: identity(tftypes.UnknownValue)}, wantErr: "got a value not known until apply"},
		{name: "neither", req: resource.ImportStateRequest{}, wantErr: "neither an id nor an identity"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var diags diag.Diagnostics
			got, ok := importedUserID(ctx, tt.req, &diags)
			if tt.wantErr == "" {
				if !ok || got != tt.want || diags.HasError() {
					t.Fatalf("got %q, %v, %v; want %q", got, ok, diags, tt.want)
				}
				return
			}
			if ok || !diags.HasError() {
				t.Fatalf("got %q, no error; want an error containing %q", got, tt.wantErr)
			}
			errs := diags.Errors()
			if len(errs) != 1 || errs[0].Summary() != summaryImport || !strings.Contains(errs[0].Detail(), tt.wantErr) {
				t.Fatalf("got %v; want one %q error containing %q", errs, summaryImport, tt.wantErr)
			}
		})
	}
}

// setUserLicenseAssignmentIdentity writes the user id into the identity, and leaves a nil one alone.
func TestSetUserLicenseAssignmentIdentity(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	idSchema := userLicenseAssignmentIdentitySchema()
	identity := &tfsdk.ResourceIdentity{Schema: idSchema, Raw: tftypes.NewValue(idSchema.Type().TerraformType(ctx), nil)}
	var diags diag.Diagnostics
	setUserLicenseAssignmentIdentity(ctx, identity, mockapi.UserID(4), &diags)
	setUserLicenseAssignmentIdentity(ctx, nil, mockapi.UserID(4), &diags)
	if diags.HasError() {
		t.Fatal(diags)
	}
	var got userLicenseAssignmentIdentityModel
	if d := identity.Get(ctx, &got); d.HasError() {
		t.Fatal(d)
	}
	if got.UserID.ValueString() != mockapi.UserID(4) {
		t.Fatalf("identity user_id = %s, want %s", got.UserID, mockapi.UserID(4))
	}
}
