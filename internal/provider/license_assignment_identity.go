package provider

import (
	"context"
	"fmt"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// The resource identity of purecloud_license_assignment (Terraform 1.12 and later): the license
// id, which names at most one such resource per organization and never changes for the life of
// the resource (changing license_id replaces it).

// licenseIDPattern matches what a license id can be: no white space and no slash (ids such as
// cloudCX2 or wallboardUser are path segments of the License API).
var licenseIDPattern = regexp.MustCompile(`^[^\s/]+$`)

// licenseAssignmentIdentityModel is the identity object.
type licenseAssignmentIdentityModel struct {
	LicenseID types.String `tfsdk:"license_id"`
}

// IdentitySchema declares the identity: one attribute, license_id, required when importing by it.
func (r *licenseAssignmentResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"license_id": identityschema.StringAttribute{
				Description: "Id of the Genesys Cloud license whose holders the resource manages, such as " +
					"cloudCX2, the same value as the resource's license_id and id.",
				RequiredForImport: true,
			},
		},
	}
}

// setLicenseAssignmentIdentity records licenseID as the identity of the resource; a nil identity
// (no identity schema) is ignored.
func setLicenseAssignmentIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, licenseID string, diags *diag.Diagnostics) {
	if identity == nil || licenseID == "" {
		return
	}
	diags.Append(identity.Set(ctx, licenseAssignmentIdentityModel{LicenseID: types.StringValue(licenseID)})...)
}

// importedLicenseID returns the license id an import names, from `terraform import` or an
// `import` block's id, or from an `import` block's identity. A user id is refused with a pointer
// to purecloud_user_license_assignment, which is imported by user id.
func importedLicenseID(ctx context.Context, req resource.ImportStateRequest, diags *diag.Diagnostics) (string, bool) {
	check := func(id, what string) bool {
		switch {
		case userIDPattern.MatchString(id):
			diags.AddError(summaryImport, fmt.Sprintf("%s must be a license id such as cloudCX2, got %q, which is "+
				"a user id. purecloud_license_assignment is imported by license id; purecloud_user_license_assignment "+
				"is imported by user id.", what, id))
		case !licenseIDPattern.MatchString(id):
			diags.AddError(summaryImport, fmt.Sprintf("%s must be a license id such as cloudCX2 (no spaces or "+
				"slashes), got %q.", what, id))
		default:
			return true
		}
		return false
	}
	if req.ID != "" {
		return req.ID, check(req.ID, "The import id")
	}
	if req.Identity == nil {
		diags.AddError(summaryImport, "The import gave neither an id nor an identity. Import with the license id "+
			"as the id, or with identity = { license_id = \"...\" } in an import block.")
		return "", false
	}
	var identity licenseAssignmentIdentityModel
	diags.Append(req.Identity.Get(ctx, &identity)...)
	if diags.HasError() {
		return "", false
	}
	if identity.LicenseID.IsNull() || identity.LicenseID.IsUnknown() {
		diags.AddError(summaryImport, fmt.Sprintf("The identity's license_id must be a license id such as cloudCX2, "+
			"got %s.", identityValueText(identity.LicenseID)))
		return "", false
	}
	id := identity.LicenseID.ValueString()
	return id, check(id, "The identity's license_id")
}
