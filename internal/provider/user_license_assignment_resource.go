package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/purecloud-terraform/terraform-provider-purecloud/internal/client"
)

// userLicenseAssignmentResource is purecloud_user_license_assignment: the view of the
// assignment engine whose key is a user and whose members are the licenses it manages.
type userLicenseAssignmentResource struct {
	assignmentResource[userLicenseAssignmentModel]
}

// NewUserLicenseAssignmentResource returns the purecloud_user_license_assignment resource.
func NewUserLicenseAssignmentResource() resource.Resource {
	return &userLicenseAssignmentResource{assignmentResource[userLicenseAssignmentModel]{
		view: userView{userViewPairs}, fields: userFields, setIdentity: setUserLicenseAssignmentIdentity, importKey: importedUserID,
	}}
}

type userLicenseAssignmentModel struct {
	assignmentCommon
	UserID     types.String        `tfsdk:"user_id"`
	LicenseIDs largeStringSetValue `tfsdk:"license_ids"`
	Exclusive  types.Bool          `tfsdk:"exclusive"`
}

func (r *userLicenseAssignmentResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = assignmentSchema(ctx, r.view.names(), assignmentSchemaParts{
		description: "Assigns Genesys Cloud licenses to one user. Create, update and destroy send " +
			"`postLicenseOrganization` (`POST /api/v2/license/organization`) requests, batched together with " +
			"those of other instances of this resource (see the provider's `batch_window`); refresh reads the " +
			"user's licenses, batched with other refreshes into `postLicenseUsers` (`POST /api/v2/license/users`) " +
			"or alone with `getLicenseUser` (`GET /api/v2/license/users/{userId}`; see `read_batching`).\n\n" +
			"The state records what Genesys Cloud really holds: a change whose result is not the success word is " +
			"settled by reading the user back, and only changes that were not applied fail the apply. A create " +
			"that is only partly applied records nothing (so that the next apply does not replace the resource, " +
			"which would remove licenses just assigned): its error lists what was assigned, and the next apply " +
			"assigns the rest.\n\n" +
			"By default the resource manages only the licenses in `license_ids`: licenses the user holds for " +
			"other reasons (for example assigned automatically from roles) are left alone, and a managed " +
			"license removed outside Terraform shows as drift. With `exclusive = true` the user must hold " +
			"exactly `license_ids`: any other license is removed, and one added outside Terraform shows as drift.\n\n" +
			"Manage each user with one instance. Two instances with the same `user_id` under one provider " +
			"configuration fail the plan when either is `exclusive` or both list a license, as they would undo each " +
			"other at every apply, and the plan warns when they manage different licenses. Terraform does not tell " +
			"a provider the address of other resources, so the message is on the instance planned second and " +
			"describes the other by its `license_ids`. Instances under different provider configurations (aliases) " +
			"or in different Terraform configurations are not compared. A user deleted from Genesys Cloud stays in " +
			"the state with a warning (it holds nothing; remove it from the configuration when the configuration " +
			"catches up).\n\n" + oneTruthDescription,
		idNote: "The user id",
		key: "Id (a lower-case UUID) of the Genesys Cloud user, such as `genesyscloud_user.alice.id`. " +
			"Changing it replaces the resource: the licenses are removed from the old user and assigned " +
			"to the new one.",
		keyValidator: userIDValidator(),
		members: stringSetAttribute("Ids of the licenses the user must hold, such as `cloudCX2` (see "+
			"`purecloud_license_definitions`). At least one. Ids are case-sensitive; ids the organization does "+
			"not have fail the plan, naming the valid id when only the case or surrounding white space differs "+
			"(when the license definitions cannot be listed, the plan warns and such an id fails at apply). A license's prerequisites (`prerequisite_ids` of its definition) must be held "+
			"too or be listed here.",
			setvalidator.SizeAtLeast(1), setvalidator.ValueStringsAre(licenseIDValidator())),
		takesAll: "When `true`, the user holds only `license_ids`: licenses outside it are " +
			"removed on create and update, and licenses added outside Terraform show as drift. Leave it " +
			"`false` (the default) when Genesys Cloud auto-licensing or other tools also assign licenses " +
			"to this user. Destroy always removes only the licenses in state.",
	})
}

// userView is what purecloud_user_license_assignment means: one user holds the licenses it
// lists; exclusive means the user holds nothing else.
type userView struct{ pairPerMember }

// readAll reads every license the user holds.
func (userView) readAll(ctx context.Context, d *providerData, user string, f client.Freshness) ([]string, error) {
	r := d.client.ReadLicenses(ctx, []string{user}, f)[user]
	return r.LicenseIDs, r.Err
}

// readListed reads which of the managed licenses the user still holds.
func (v userView) readListed(ctx context.Context, d *providerData, user string, licenses []string, f client.Freshness) ([]string, []string, error) {
	held, err := v.readAll(ctx, d, user, f)
	return intersection(licenses, held), nil, err
}

// licenseIDsIn: the plan checks every listed license.
func (userView) licenseIDsIn(a assignment) (string, []string) { return "license_ids", a.members }

func (userView) describe(user string, licenses []string) string {
	return listIDs(licenses) + " to user " + user
}

func userFields(m *userLicenseAssignmentModel) modelFields {
	return modelFields{id: &m.ID, key: &m.UserID, members: setMembers{&m.LicenseIDs}, takesAll: &m.Exclusive, timeouts: &m.Timeouts}
}

// userViewPairs names purecloud_user_license_assignment's parts: the key is the user.
var userViewPairs = pairPerMember{keyIsLicense: false, n: viewNames{
	resource: "purecloud_user_license_assignment", keyAttr: "user_id", keyNoun: "User",
	membersAttr: "license_ids", memberNoun: "license", takesAll: "exclusive",
	fix: "Manage each user with one purecloud_user_license_assignment: merge the license_ids of both into one.",
}}
