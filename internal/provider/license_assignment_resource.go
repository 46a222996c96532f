package provider

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/purecloud-terraform/terraform-provider-purecloud/internal/client"
)

// licenseView is what purecloud_license_assignment means: the users it lists hold one license;
// authoritative means nobody else holds it.
type licenseView struct{ pairPerMember }

var licenseViewPairs = pairPerMember{keyIsLicense: true, n: viewNames{
	resource: "purecloud_license_assignment", keyAttr: "license_id", keyNoun: "License",
	membersAttr: "users", memberNoun: "user", takesAll: "authoritative",
	fix: "Manage each license with one purecloud_license_assignment: merge the users of both into one.",
}}

// readAll lists every holder of the license: every page of getLicenseUsers, filtered. A license
// the organization does not have is gone; when the definitions cannot be listed it is assumed
// to exist (the plan reports the listing's error).
func (licenseView) readAll(ctx context.Context, d *providerData, license string, _ client.Freshness) ([]string, error) {
	if valid, _, err := d.knownLicenseIDs(ctx); err == nil {
		if _, found := slices.BinarySearch(valid, license); !found {
			return nil, fmt.Errorf("license %s: %w", license, client.ErrNotFound)
		}
	}
	var out []string
	err := d.client.WalkLicenseUsers(ctx, func(users []client.UserLicenses) bool {
		for _, u := range users {
			if slices.Contains(u.Licenses, license) {
				out = append(out, u.ID)
			}
		}
		return true
	})
	if err != nil {
		return nil, err
	}
	return sortedUnique(out), nil
}

// readListed reads the managed users (batched postLicenseUsers requests) and returns those
// holding the license, and those that no longer exist.
func (licenseView) readListed(ctx context.Context, d *providerData, license string, users []string, f client.Freshness) (holding, gone []string, err error) {
	holding = []string{}
	for id, read := range d.client.ReadLicenses(ctx, users, f) {
		switch {
		case errors.Is(read.Err, client.ErrNotFound):
			gone = append(gone, id)
		case read.Err != nil:
			return nil, nil, read.Err
		default:
			if _, found := slices.BinarySearch(read.LicenseIDs, license); found {
				holding = append(holding, id)
			}
		}
	}
	slices.Sort(holding)
	slices.Sort(gone)
	return holding, gone, nil
}

// licenseIDsIn: the plan checks the license, once known.
func (licenseView) licenseIDsIn(a assignment) (string, []string) {
	if a.key == "" {
		return "license_id", nil
	}
	return "license_id", []string{a.key}
}

func (licenseView) describe(license string, users []string) string {
	return fmt.Sprintf("license %s to %d users: %s", license, len(users), listIDs(users))
}

// licenseAssignmentResource is purecloud_license_assignment: the view of the assignment engine
// whose key is a license and whose members are the users who hold it.
type licenseAssignmentResource struct {
	assignmentResource[licenseAssignmentModel]
}

// NewLicenseAssignmentResource returns the purecloud_license_assignment resource.
func NewLicenseAssignmentResource() resource.Resource {
	return &licenseAssignmentResource{assignmentResource[licenseAssignmentModel]{
		view: licenseView{licenseViewPairs}, fields: licenseFields, setIdentity: setLicenseAssignmentIdentity, importKey: importedLicenseID,
	}}
}

func (r *licenseAssignmentResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = assignmentSchema(ctx, r.view.names(), assignmentSchemaParts{
		keyValidator: licenseIDValidator(),
		description: "Assigns one Genesys Cloud license to a set of users: one resource per license, for " +
			"organizations where thousands of users hold the same license. Create, update and destroy send " +
			"`postLicenseOrganization` (`POST /api/v2/license/organization`) requests of at most `max_batch_users` " +
			"users each, through the same batcher as `purecloud_user_license_assignment`; 1,000 users are about ten " +
			"requests.\n\n" +
			"By default (`authoritative = false`) the resource manages only the listed users' hold on the license: " +
			"refresh reads those users with `postLicenseUsers` (`POST /api/v2/license/users`, in batches of " +
			"`max_batch_users`), so a listed user who lost the license outside Terraform shows as drift and other " +
			"holders are ignored. With `authoritative = true` exactly the `users` hold the license: refresh lists " +
			"every holder with `getLicenseUsers` (`GET /api/v2/license/users`, every page), a holder added outside " +
			"Terraform shows as drift, and create and update remove the license from holders not listed.\n\n" +
			"The state records what Genesys Cloud really holds: a change whose result is not the success word is " +
			"settled by reading its user back, and only changes that were not applied fail the apply, each named " +
			"with its user and the API's word. A user deleted from Genesys Cloud stays in `users` with a warning " +
			"(it holds nothing; remove it from the configuration when the configuration catches up). An update or destroy that partly fails records the truth. A create that " +
			"partly fails records nothing, as `purecloud_user_license_assignment` does: recording it would make " +
			"Terraform taint it, and the next apply would first destroy it, removing the license from every user " +
			"just given it. The error says how many users (and which) were given the license; the next apply " +
			"creates the resource again, which adds the license to the listed users once more (adding a held " +
			"license changes nothing, and costs the same few requests).\n\n" +
			"Two instances of this resource with the same `license_id` under one provider configuration " +
			"fail the plan when either is `authoritative` or both list a user, and warn otherwise.\n\n" + oneTruthDescription,
		idNote: "The license id",
		key: "Id of the license, such as `cloudCX2` (see `purecloud_license_definitions`). " +
			"An id the organization does not have fails the plan (when the license definitions cannot be listed, " +
			"the plan warns and the apply fails instead). Changing it replaces the resource: the old " +
			"license is removed from the users in state and the new one assigned.",
		members: schema.MapAttribute{
			MarkdownDescription: "The Genesys Cloud users who must hold the license: a map from each user's id (a " +
				"lower-case UUID, such as `genesyscloud_user.alice.id` or an id read from a CSV file with `csvdecode`) to " +
				"a free label that only Terraform sees, such as the person's email: the plan then reads " +
				"`+ \"…id…\" = \"ana@example.com\"`. The label is never sent to Genesys Cloud, and changing only a label " +
				"sends nothing. A user listed twice in the source fails the plan (`Duplicate object key`). May be " +
				"empty. Each user must hold the license's prerequisites (`prerequisite_ids` of its definition). A map " +
				"rather than a set keeps Terraform's own work linear in the number of users (see the notes below).",
			ElementType: types.StringType,
			Required:    true,
			Validators:  []validator.Map{mapvalidator.KeysAre(userIDValidator())},
		},
		takesAll: "When `true`, exactly the `users` hold the license: create and update remove it " +
			"from every other holder (the plan lists them), and a holder added outside Terraform shows as " +
			"drift. Refresh then lists every holder of the license (`getLicenseUsers`, one request per 100 " +
			"users of the organization). Leave it `false` (the default) when other tools or auto-licensing " +
			"also assign this license. Destroy always removes the license only from the users in state.",
	})
}

func licenseFields(m *licenseAssignmentModel) modelFields {
	return modelFields{id: &m.ID, key: &m.LicenseID, members: mapMembers{&m.Users}, takesAll: &m.Authoritative, timeouts: &m.Timeouts}
}

type licenseAssignmentModel struct {
	assignmentCommon
	LicenseID     types.String `tfsdk:"license_id"`
	Users         types.Map    `tfsdk:"users"`
	Authoritative types.Bool   `tfsdk:"authoritative"`
}
