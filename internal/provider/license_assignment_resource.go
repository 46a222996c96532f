package provider

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/purecloud-terraform/terraform-provider-purecloud/internal/client"
	"github.com/purecloud-terraform/terraform-provider-purecloud/internal/wait"
)

var (
	_ resource.ResourceWithConfigure      = (*licenseAssignmentResource)(nil)
	_ resource.ResourceWithImportState    = (*licenseAssignmentResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*licenseAssignmentResource)(nil)
	_ resource.ResourceWithValidateConfig = (*licenseAssignmentResource)(nil)
	_ resource.ResourceWithIdentity       = (*licenseAssignmentResource)(nil)
)

// licenseAssignmentResource is purecloud_license_assignment: one license and the users who hold
// it. It shares the client, the batcher and the write path (writeChanges, settle, decide) with
// purecloud_user_license_assignment; only the direction of the set differs.
type licenseAssignmentResource struct {
	data *providerData
}

// NewLicenseAssignmentResource returns the purecloud_license_assignment resource.
func NewLicenseAssignmentResource() resource.Resource {
	return &licenseAssignmentResource{}
}

type licenseAssignmentModel struct {
	ID            types.String        `tfsdk:"id"`
	LicenseID     types.String        `tfsdk:"license_id"`
	UserIDs       largeStringSetValue `tfsdk:"user_ids"`
	Authoritative types.Bool          `tfsdk:"authoritative"`
	Timeouts      timeouts.Value      `tfsdk:"timeouts"`
}

func (r *licenseAssignmentResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_license_assignment"
}

func (r *licenseAssignmentResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Assigns one Genesys Cloud license to a set of users: one resource per license, for " +
			"organizations where thousands of users hold the same license. Create, update and destroy send " +
			"`postLicenseOrganization` (`POST /api/v2/license/organization`) requests of at most `max_batch_users` " +
			"users each, through the same batcher as `purecloud_user_license_assignment`; 1,000 users are about ten " +
			"requests.\n\n" +
			"By default (`authoritative = false`) the resource manages only the listed users' hold on the license: " +
			"refresh reads those users with `postLicenseUsers` (`POST /api/v2/license/users`, in batches of " +
			"`max_batch_users`), so a listed user who lost the license outside Terraform shows as drift and other " +
			"holders are ignored. With `authoritative = true` exactly `user_ids` hold the license: refresh lists " +
			"every holder with `getLicenseUsers` (`GET /api/v2/license/users`, every page), a holder added outside " +
			"Terraform shows as drift, and create and update remove the license from holders not listed.\n\n" +
			"The state records what Genesys Cloud really holds: a change whose result is not the success word is " +
			"settled by reading its user back, and only changes that were not applied fail the apply, each named " +
			"with its user and the API's word. A user deleted from Genesys Cloud leaves `user_ids` at the next " +
			"refresh, with a warning. An update or destroy that partly fails records the truth. A create that " +
			"partly fails records nothing, as `purecloud_user_license_assignment` does: recording it would make " +
			"Terraform taint it, and the next apply would first destroy it, removing the license from every user " +
			"just given it. The error says how many users (and which) were given the license; the next apply " +
			"creates the resource again, which adds the license to the listed users once more (adding a held " +
			"license changes nothing, and costs the same few requests).\n\n" +
			"Do not manage the same (user, license) pair with this resource and `purecloud_user_license_assignment` " +
			"at once: when their configurations differ they undo each other at every apply. Choose one style per " +
			"license. Two instances of this resource with the same `license_id` under one provider configuration " +
			"fail the plan when either is `authoritative` or both list a user, and warn otherwise.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The license id; also the import id.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"license_id": schema.StringAttribute{
				MarkdownDescription: "Id of the license, such as `cloudCX2` (see `purecloud_license_definitions`). " +
					"An id the organization does not have fails the plan. Changing it replaces the resource: the old " +
					"license is removed from the users in state and the new one assigned.",
				Required:      true,
				Validators:    []validator.String{licenseIDValidator()},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"user_ids": schema.SetAttribute{
				MarkdownDescription: "Ids (UUIDs) of the Genesys Cloud users who must hold the license, such as " +
					"`genesyscloud_user.alice.id` or ids read from a CSV file with `csvdecode`. May be empty. Each " +
					"user must hold the license's prerequisites (`prerequisite_ids` of its definition).",
				ElementType: types.StringType,
				CustomType:  newLargeStringSetType(),
				Required:    true,
				Validators:  []validator.Set{setvalidator.ValueStringsAre(userIDValidator())},
			},
			"authoritative": schema.BoolAttribute{
				MarkdownDescription: "When `true`, exactly `user_ids` hold the license: create and update remove it " +
					"from every other holder (the plan lists them), and a holder added outside Terraform shows as " +
					"drift. Refresh then lists every holder of the license (`getLicenseUsers`, one request per 100 " +
					"users of the organization). Leave it `false` (the default) when other tools or auto-licensing " +
					"also assign this license. Destroy always removes the license only from the users in state.",
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(false),
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true, Read: true, Update: true, Delete: true}),
		},
	}
}

// ValidateConfig refuses timeouts of zero or less at validation time.
func (r *licenseAssignmentResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	validateTimeouts(ctx, req.Config, &resp.Diagnostics)
}

func (r *licenseAssignmentResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// ModifyPlan fails the plan when license_id is a license the organization does not have. When
// the apply will remove the license from holders that the plan's user_ids diff does not show
// (creating an authoritative resource, or turning authoritative on), it lists them in a warning;
// when turning authoritative off leaves holders unmanaged, it says so.
func (r *licenseAssignmentResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || r.data == nil {
		return
	}
	var plan licenseAssignmentModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() || plan.LicenseID.IsUnknown() {
		return
	}
	licenseID := plan.LicenseID.ValueString()
	r.data.checkLicenseIDs(ctx, path.Root("license_id"), []string{licenseID}, &resp.Diagnostics)
	if resp.Diagnostics.HasError() || plan.Authoritative.IsUnknown() {
		return
	}
	wanted, allKnown := knownStrings(plan.UserIDs.SetValue)
	if !allKnown {
		return
	}
	mine := planClaim{token: planToken(ctx, req.Private, resp.Private, &resp.Diagnostics), ids: wanted,
		takesAll: plan.Authoritative.ValueBool()}
	if other, dup := r.data.claim("license "+licenseID, mine); dup {
		addDuplicateDiagnostic(&resp.Diagnostics, duplicateLicenseNames, licenseID, mine, other)
		if resp.Diagnostics.HasError() {
			return
		}
	}
	var state licenseAssignmentModel
	if !req.State.Raw.IsNull() {
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	}
	wasAuthoritative := state.Authoritative.ValueBool()
	switch {
	case plan.Authoritative.ValueBool() && !wasAuthoritative:
		holders, err := r.holders(ctx, licenseID)
		if err != nil {
			resp.Diagnostics.AddAttributeWarning(path.Root("authoritative"), "Unable to List License Holders",
				fmt.Sprintf("The holders of license %s could not be listed, so the plan cannot show who will lose it. "+
					"The apply removes it from every holder not in user_ids.\n\n%s", licenseID, apiErrorDetail(err)))
			return
		}
		if losing := difference(holders, wanted); len(losing) > 0 {
			resp.Diagnostics.AddAttributeWarning(path.Root("authoritative"), "Users Will Lose the License",
				fmt.Sprintf("authoritative = true: the apply removes license %s from %d users who hold it and are not "+
					"in user_ids: %s.", licenseID, len(losing), listIDs(losing)))
		}
	case !plan.Authoritative.ValueBool() && wasAuthoritative:
		if kept := difference(setStrings(ctx, state.UserIDs.SetValue, &resp.Diagnostics), wanted); len(kept) > 0 {
			resp.Diagnostics.AddAttributeWarning(path.Root("authoritative"), "Users Left Unmanaged",
				fmt.Sprintf("authoritative is turning off for license %s, so the %d holders outside user_ids (%s) keep "+
					"it and are no longer managed by Terraform. To remove it from them, remove them from user_ids "+
					"while authoritative is still true, or remove it in Genesys Cloud.", licenseID, len(kept), listIDs(kept)))
		}
	}
}

var duplicateLicenseNames = duplicateNames{
	resource: "purecloud_license_assignment", keyAttr: "license_id", keyNoun: "License", idsAttr: "user_ids",
	takesAll: "authoritative",
	fix:      "Manage each license with one purecloud_license_assignment: merge the user_ids of both into one.",
}

func (r *licenseAssignmentResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	plan, ctx, done, ok := r.beginWrite(ctx, req.Plan, timeouts.Value.Create, &resp.Diagnostics)
	if !ok {
		return
	}
	defer done()
	licenseID := plan.LicenseID.ValueString()
	wanted := setStrings(ctx, plan.UserIDs.SetValue, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	// Additive: the resource starts out managing nothing. Authoritative: it takes over every
	// holder, so holders not listed lose the license.
	var before, removes []string
	if plan.Authoritative.ValueBool() {
		held, err := r.holders(ctx, licenseID)
		if err != nil {
			addAPIError(&resp.Diagnostics, summaryAssign, fmt.Sprintf("Listing the holders of license %s failed.", licenseID), err)
			return
		}
		before, removes = held, difference(held, wanted)
	}
	out := r.write(ctx, licenseID, before, difference(wanted, before), removes)
	if !out.ok() {
		// As for purecloud_user_license_assignment: a recorded, partly created resource would be
		// tainted, and replacing it would first remove the license from every user in it.
		addWriteError(&resp.Diagnostics, path.Root("user_ids"), summaryAssign, out, licenseCreateFailureClosing(licenseID, out))
		return
	}
	plan.ID = types.StringValue(licenseID)
	plan.UserIDs = largeStringSet(ctx, out.after, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	recordWrite(ctx, resp.Private, &resp.Diagnostics)
	setLicenseAssignmentIdentity(ctx, resp.Identity, licenseID, &resp.Diagnostics)
}

// licenseCreateFailureClosing explains what a create that was not wholly applied leaves behind.
func licenseCreateFailureClosing(licenseID string, out writeOutcome) string {
	s := "Nothing is recorded in the state, so that the next apply does not replace the resource (which would " +
		"first remove the license from every user in it): it creates the resource again, adding the license to " +
		"the listed users once more (users who hold it keep it)."
	if len(out.assigned) > 0 {
		s += fmt.Sprintf(" This apply assigned license %s to %d users: %s.", licenseID, len(out.assigned), listIDs(out.assigned))
	}
	if len(out.possibly) > 0 {
		s += fmt.Sprintf(" %d users may also hold it (the outcome is unknown): %s.", len(out.possibly), listIDs(out.possibly))
	}
	if len(out.assigned)+len(out.possibly) > 0 {
		s += " If you drop this resource from the configuration instead, they keep the license: import the " +
			"resource and destroy it, or remove it in Genesys Cloud."
	}
	return s
}

func (r *licenseAssignmentResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state licenseAssignmentModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	licenseID := state.LicenseID.ValueString()
	setLicenseAssignmentIdentity(ctx, resp.Identity, licenseID, &resp.Diagnostics)
	timeout, diags := state.Timeouts.Read(ctx, defaultTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	imported := state.UserIDs.IsNull()
	if imported && !r.licenseExists(ctx, licenseID) {
		resp.State.RemoveResource(ctx) // Terraform reports that there is nothing to import
		return
	}
	recorded := setStrings(ctx, state.UserIDs.SetValue, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	everyHolder := imported || state.Authoritative.ValueBool()
	wroteAt := lastWrite(ctx, req.Private)

	var current, gone []string
	for attempt := 0; ; attempt++ {
		var err error
		if everyHolder {
			current, err = r.holders(ctx, licenseID)
		} else {
			current, gone, err = r.managedHolders(ctx, licenseID, recorded)
		}
		if err != nil {
			addAPIError(&resp.Diagnostics, summaryReadUsers, fmt.Sprintf("Reading the users of license %s failed.", licenseID), err)
			return
		}
		// As for purecloud_user_license_assignment: a difference shortly after this provider's
		// own write may be that write not visible yet; any other difference is drift at once.
		if imported || slices.Equal(current, recorded) || wroteAt.IsZero() ||
			time.Since(wroteAt) >= r.data.readAfterWriteTolerance {
			break
		}
		tflog.Debug(ctx, "License holders differ from the state shortly after a write; reading again before reporting drift",
			map[string]any{"license_id": licenseID, "state": len(recorded), "read": len(current), "attempt": attempt + 1})
		if !wait.Sleep(ctx, recheckWait(attempt)) {
			break
		}
	}
	if len(gone) > 0 {
		resp.Diagnostics.AddWarning("Users No Longer Exist",
			fmt.Sprintf("Genesys Cloud has no users with ids %s any more, so they were removed from user_ids of "+
				"purecloud_license_assignment for license %s. The next plan proposes to assign the license to them "+
				"again; remove them from user_ids if they were deleted on purpose.", listIDs(gone), licenseID))
	}
	state.ID = types.StringValue(licenseID)
	state.UserIDs = largeStringSet(ctx, current, &resp.Diagnostics)
	if state.Authoritative.IsNull() {
		state.Authoritative = types.BoolValue(false)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *licenseAssignmentResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	plan, ctx, done, ok := r.beginWrite(ctx, req.Plan, timeouts.Value.Update, &resp.Diagnostics)
	if !ok {
		return
	}
	defer done()
	licenseID := plan.LicenseID.ValueString()
	// A Terraform without identities (before 1.12) plans none, and the framework wants one back.
	setLicenseAssignmentIdentity(ctx, resp.Identity, licenseID, &resp.Diagnostics)
	var state licenseAssignmentModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	wanted := setStrings(ctx, plan.UserIDs.SetValue, &resp.Diagnostics)
	before := setStrings(ctx, state.UserIDs.SetValue, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	authoritative := plan.Authoritative.ValueBool()
	switch {
	case authoritative && !state.Authoritative.ValueBool():
		// Becoming authoritative: the state knows only the managed users; every other holder goes too.
		held, err := r.holders(ctx, licenseID)
		if err != nil {
			addAPIError(&resp.Diagnostics, summaryUpdate, fmt.Sprintf("Listing the holders of license %s failed.", licenseID), err)
			return
		}
		before = held
	case !authoritative && state.Authoritative.ValueBool():
		// No longer authoritative: holders outside user_ids are simply no longer managed.
		before = intersection(before, wanted)
	}

	out := r.write(ctx, licenseID, before, difference(wanted, before), difference(before, wanted))
	plan.ID = types.StringValue(licenseID)
	plan.UserIDs = largeStringSet(ctx, out.after, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	recordWrite(ctx, resp.Private, &resp.Diagnostics)
	if !out.ok() {
		addWriteError(&resp.Diagnostics, path.Root("user_ids"), summaryUpdate, out, "The state records which users "+
			"Genesys Cloud shows holding the license (a user whose change has an unknown outcome is kept, and the "+
			"next refresh settles it), so the next plan shows what is left; apply again to retry.")
	}
}

func (r *licenseAssignmentResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	state, ctx, done, ok := r.beginWrite(ctx, req.State, timeouts.Value.Delete, &resp.Diagnostics)
	if !ok {
		return
	}
	defer done()
	managed := setStrings(ctx, state.UserIDs.SetValue, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	licenseID := state.LicenseID.ValueString()
	out := r.write(ctx, licenseID, managed, nil, managed)
	if out.ok() {
		return // the framework removes the resource from state
	}
	// Keep in state exactly the users who may still hold the license, so destroy can be retried.
	state.UserIDs = largeStringSet(ctx, out.after, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
	addWriteError(&resp.Diagnostics, path.Root("user_ids"), summaryUnassign, out, "The state keeps the users who "+
		"may still hold the license; run destroy again to retry.")
}

func (r *licenseAssignmentResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	licenseID, ok := importedLicenseID(ctx, req, &resp.Diagnostics)
	if !ok {
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), licenseID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("license_id"), licenseID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("authoritative"), false)...)
	setLicenseAssignmentIdentity(ctx, resp.Identity, licenseID, &resp.Diagnostics)
}

// beginWrite reads the model from the plan or the state and starts the write (see startWrite).
func (r *licenseAssignmentResource) beginWrite(ctx context.Context, from modelGetter,
	timeout func(timeouts.Value, context.Context, time.Duration) (time.Duration, diag.Diagnostics),
	diags *diag.Diagnostics) (m licenseAssignmentModel, wctx context.Context, done func(), ok bool) {
	diags.Append(from.Get(ctx, &m)...)
	if diags.HasError() {
		return m, ctx, nil, false
	}
	wctx, done, ok = r.data.startWrite(ctx, m.Timeouts, timeout, diags)
	return m, wctx, done, ok
}

// write sends one license's changes for many users as one call to the shared batcher, which
// splits them into requests of at most max_batch_users users, and settles the outcome with one
// read-back of the users whose result is open (see writeChanges).
func (r *licenseAssignmentResource) write(ctx context.Context, licenseID string, before, adds, removes []string) writeOutcome {
	changes := make([]client.LicenseChange, 0, len(adds)+len(removes))
	for _, id := range adds {
		changes = append(changes, client.LicenseChange{UserID: id, LicenseID: licenseID, Op: client.OpAdd})
	}
	for _, id := range removes {
		changes = append(changes, client.LicenseChange{UserID: id, LicenseID: licenseID, Op: client.OpRemove})
	}
	if len(changes) > 0 {
		tflog.Debug(ctx, "Changing license holders", map[string]any{"license_id": licenseID, "add": len(adds), "remove": len(removes)})
	}
	return r.data.writeChanges(ctx, changes, before, userOf)
}

// holders lists every user holding the license: every page of getLicenseUsers, filtered.
func (r *licenseAssignmentResource) holders(ctx context.Context, licenseID string) ([]string, error) {
	var out []string
	err := r.data.client.WalkLicenseUsers(ctx, func(users []client.UserLicenses) bool {
		for _, u := range users {
			if slices.Contains(u.Licenses, licenseID) {
				out = append(out, u.ID)
			}
		}
		return true
	})
	if err != nil {
		return nil, err
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// managedHolders reads the given users (batched postLicenseUsers requests) and returns those
// holding the license, and those that no longer exist.
func (r *licenseAssignmentResource) managedHolders(ctx context.Context, licenseID string, users []string) (holding, gone []string, err error) {
	holding = []string{}
	for id, read := range r.data.client.ReadUsers(ctx, users) {
		switch {
		case errors.Is(read.Err, client.ErrNotFound):
			gone = append(gone, id)
		case read.Err != nil:
			return nil, nil, read.Err
		default:
			if _, found := slices.BinarySearch(read.LicenseIDs, licenseID); found {
				holding = append(holding, id)
			}
		}
	}
	slices.Sort(holding)
	slices.Sort(gone)
	return holding, gone, nil
}

// licenseExists reports whether the organization has the license; when the definitions cannot
// be listed it assumes so (the listing's error is reported by the plan).
func (r *licenseAssignmentResource) licenseExists(ctx context.Context, licenseID string) bool {
	valid, _, err := r.data.knownLicenseIDs(ctx)
	if err != nil {
		return true
	}
	_, found := slices.BinarySearch(valid, licenseID)
	return found
}
