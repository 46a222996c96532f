package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// The resource identity of purecloud_user_license_assignment (Terraform 1.12 and later): the
// user id, which names at most one assignment per organization and never changes for the life
// of the resource. Terraform stores it beside the state; `import` blocks may give it instead of
// an id, and the list resource of the same name reports it for every user it finds.

// userIDFormat describes a valid user id in error messages.
const userIDFormat = "a lower-case UUID such as 00000000-0000-4000-8000-000000000001"

// userLicenseAssignmentIdentityModel is the identity object.
type userLicenseAssignmentIdentityModel struct {
	UserID types.String `tfsdk:"user_id"`
}

// IdentitySchema declares the identity: one attribute, user_id, required when importing by it.
func (r *userLicenseAssignmentResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = userLicenseAssignmentIdentitySchema()
}

func userLicenseAssignmentIdentitySchema() identityschema.Schema {
	return identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"user_id": identityschema.StringAttribute{
				Description: "Id (a UUID) of the Genesys Cloud user whose licenses the resource manages, " +
					"the same value as the resource's user_id and id.",
				RequiredForImport: true,
			},
		},
	}
}

// setUserLicenseAssignmentIdentity records userID as the identity of the resource. identity is
// the Identity field of a Create, Read or ImportState response; it is nil only when the
// resource has no identity schema, which this one always has, so nil is ignored.
func setUserLicenseAssignmentIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, userID string, diags *diag.Diagnostics) {
	if identity == nil || userID == "" {
		return
	}
	diags.Append(identity.Set(ctx, userLicenseAssignmentIdentityModel{UserID: types.StringValue(userID)})...)
}

// importedUserID returns the user id an import names, from `terraform import` or an `import`
// block's id, or from an `import` block's identity, and checks that it is shaped like a user
// id. Both ways fail with the same explanation of the expected format.
func importedUserID(ctx context.Context, req resource.ImportStateRequest, diags *diag.Diagnostics) (string, bool) {
	if req.ID != "" {
		if !userIDPattern.MatchString(req.ID) {
			diags.AddError(summaryImport, fmt.Sprintf("The import id must be the Genesys Cloud user id (%s), got %q.%s",
				userIDFormat, req.ID, userIDHint(req.ID)))
			return "", false
		}
		return req.ID, true
	}
	if req.Identity == nil {
		diags.AddError(summaryImport, "The import gave neither an id nor an identity. Import with the Genesys "+
			"Cloud user id as the id, or with identity = { user_id = \"...\" } in an import block.")
		return "", false
	}
	var identity userLicenseAssignmentIdentityModel
	diags.Append(req.Identity.Get(ctx, &identity)...)
	if diags.HasError() {
		return "", false
	}
	userID := identity.UserID.ValueString()
	if identity.UserID.IsNull() || identity.UserID.IsUnknown() || !userIDPattern.MatchString(userID) {
		diags.AddError(summaryImport,
			fmt.Sprintf("The identity's user_id must be the Genesys Cloud user id (%s), got %s.%s",
				userIDFormat, identityValueText(identity.UserID), userIDHint(userID)))
		return "", false
	}
	return userID, true
}

// identityValueText quotes a known value and names a null or unknown one, for error messages.
func identityValueText(v types.String) string {
	switch {
	case v.IsNull():
		return "no value"
	case v.IsUnknown():
		return "a value not known until apply"
	}
	return fmt.Sprintf("%q", v.ValueString())
}
