package provider

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
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
)

var (
	_ resource.ResourceWithConfigure   = (*userLicenseAssignmentResource)(nil)
	_ resource.ResourceWithImportState = (*userLicenseAssignmentResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*userLicenseAssignmentResource)(nil)
	_ resource.ResourceWithIdentity    = (*userLicenseAssignmentResource)(nil)
)

// driftRecheckWaits are the pauses before reading a user again when what Genesys Cloud shows
// differs from the state (about 3.5 seconds in all, only for resources that differ).
var driftRecheckWaits = []time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second}

// defaultTimeout bounds each operation when the timeouts block does not say otherwise. Writes
// may wait for a batch, for pacing and for retries after rate limiting.
const defaultTimeout = 20 * time.Minute

type userLicenseAssignmentResource struct {
	data *providerData
}

// NewUserLicenseAssignmentResource returns the purecloud_user_license_assignment resource.
func NewUserLicenseAssignmentResource() resource.Resource {
	return &userLicenseAssignmentResource{}
}

type userLicenseAssignmentModel struct {
	ID         types.String   `tfsdk:"id"`
	UserID     types.String   `tfsdk:"user_id"`
	LicenseIDs types.Set      `tfsdk:"license_ids"`
	Exclusive  types.Bool     `tfsdk:"exclusive"`
	Timeouts   timeouts.Value `tfsdk:"timeouts"`
}

func (r *userLicenseAssignmentResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_user_license_assignment"
}

func (r *userLicenseAssignmentResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Assigns Genesys Cloud licenses to one user. Create, update and destroy send " +
			"`postLicenseOrganization` (`POST /api/v2/license/organization`) requests, batched together with " +
			"those of other instances of this resource (see the provider's `batch_window`); refresh reads " +
			"`getLicenseUser` (`GET /api/v2/license/users/{userId}`).\n\n" +
			"By default the resource manages only the licenses in `license_ids`: licenses the user holds for " +
			"other reasons (for example assigned automatically from roles) are left alone, and a managed " +
			"license removed outside Terraform shows as drift. With `exclusive = true` the user must hold " +
			"exactly `license_ids`: any other license is removed, and one added outside Terraform shows as drift.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The user id; also the import id.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"user_id": schema.StringAttribute{
				MarkdownDescription: "Id (a UUID) of the Genesys Cloud user, such as `genesyscloud_user.alice.id`. " +
					"Changing it replaces the resource: the licenses are removed from the old user and assigned " +
					"to the new one.",
				Required:      true,
				Validators:    []validator.String{userIDValidator()},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"license_ids": schema.SetAttribute{
				MarkdownDescription: "Ids of the licenses the user must hold, such as `cloudCX2` (see " +
					"`purecloud_license_definitions`). At least one. Ids the organization does not have fail " +
					"the plan. A license's prerequisites (`prerequisite_ids` of its definition) must be held " +
					"too or be listed here.",
				ElementType: types.StringType,
				Required:    true,
				Validators: []validator.Set{
					setvalidator.SizeAtLeast(1),
					setvalidator.ValueStringsAre(stringvalidator.LengthAtLeast(1)),
				},
			},
			"exclusive": schema.BoolAttribute{
				MarkdownDescription: "When `true`, the user holds only `license_ids`: licenses outside it are " +
					"removed on create and update, and licenses added outside Terraform show as drift. Leave it " +
					"`false` (the default) when Genesys Cloud auto-licensing or other tools also assign licenses " +
					"to this user. Destroy always removes only the licenses in state.",
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

func (r *userLicenseAssignmentResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// ModifyPlan fails the plan when license_ids names a license the organization does not have.
func (r *userLicenseAssignmentResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || r.data == nil {
		return
	}
	var plan userLicenseAssignmentModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() || plan.LicenseIDs.IsUnknown() {
		return
	}
	wanted := setStrings(ctx, plan.LicenseIDs, &resp.Diagnostics)
	if resp.Diagnostics.HasError() || slices.Contains(wanted, "") {
		return
	}
	valid, err := r.data.knownLicenseIDs(ctx)
	if errors.Is(err, client.ErrAuthentication) {
		// Wrong credentials would fail every write: say so now rather than at apply.
		addAPIError(&resp.Diagnostics, summaryAuthenticate, "Genesys Cloud refused the provider's credentials "+
			"while listing license definitions to check license_ids. Check oauthclient_id and oauthclient_secret "+
			"(or access_token) and the region.", err)
		return
	}
	if err != nil {
		resp.Diagnostics.AddAttributeWarning(path.Root("license_ids"), "Unable to Check License IDs",
			"The license definitions could not be listed, so license_ids was not checked at plan time; an "+
				"unknown id will fail at apply instead. The OAuth client needs authorization:license:view or "+
				"authorization:grant:add.\n\n"+apiErrorDetail(err))
		return
	}
	var unknown []string
	for _, id := range wanted {
		if _, found := slices.BinarySearch(valid, id); !found {
			unknown = append(unknown, id)
		}
	}
	if len(unknown) > 0 {
		addUnknownLicenseError(&resp.Diagnostics, path.Root("license_ids"), unknown, valid)
	}
}

func (r *userLicenseAssignmentResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan userLicenseAssignmentModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, diags := plan.Timeouts.Create(ctx, defaultTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, done := r.startWrite(ctx, timeout)
	defer done()

	userID := plan.UserID.ValueString()
	wanted := setStrings(ctx, plan.LicenseIDs, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}

	// Non-exclusive: the resource starts out managing nothing. Exclusive: it takes over
	// everything the user holds, so what is not wanted is removed.
	var before, removes []string
	if plan.Exclusive.ValueBool() {
		held, ok := r.heldLicenses(ctx, userID, summaryAssign, &resp.Diagnostics)
		if !ok {
			return
		}
		before = held
		removes = difference(held, wanted)
	}
	adds := difference(wanted, before)

	after, ok := r.write(ctx, userID, plan.Exclusive.ValueBool(), before, adds, removes, summaryAssign, &resp.Diagnostics)
	if !ok && len(after) == 0 {
		// Nothing is known to be assigned: leave no state behind, so the next apply creates again.
		return
	}
	plan.ID = types.StringValue(userID)
	plan.LicenseIDs = stringSet(ctx, after, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	setUserLicenseAssignmentIdentity(ctx, resp.Identity, userID, &resp.Diagnostics)
}

func (r *userLicenseAssignmentResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state userLicenseAssignmentModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// First, so that a state written by a Terraform without identities gets one even when the
	// user is gone (the framework wants an identity after Read, also when it removes the resource).
	setUserLicenseAssignmentIdentity(ctx, resp.Identity, state.UserID.ValueString(), &resp.Diagnostics)
	timeout, diags := state.Timeouts.Read(ctx, defaultTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	userID := state.UserID.ValueString()
	imported := state.LicenseIDs.IsNull()
	recorded := setStrings(ctx, state.LicenseIDs, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	// Imported (license_ids unknown yet) or exclusive: everything the user holds. Otherwise
	// only the managed licenses the user still holds, so a removal outside Terraform is drift
	// and licenses from elsewhere are ignored.
	observe := func(held []string) []string {
		if imported || state.Exclusive.ValueBool() {
			return held
		}
		return intersection(recorded, held)
	}

	var current []string
	for attempt := 0; ; attempt++ {
		user, err := r.data.client.GetLicenseUser(ctx, userID)
		if errors.Is(err, client.ErrNotFound) {
			resp.Diagnostics.AddWarning("User No Longer Exists",
				fmt.Sprintf("Genesys Cloud has no user with id %q any more, so purecloud_user_license_assignment "+
					"for it was removed from the state. The next plan proposes to create it again; remove it from "+
					"the configuration if the user was deleted on purpose.", userID))
			resp.State.RemoveResource(ctx)
			return
		}
		if err != nil {
			addAPIError(&resp.Diagnostics, summaryReadUser, fmt.Sprintf("Reading the licenses of user %q failed.", userID), err)
			return
		}
		current = observe(licenseIDsOf(user))
		// Genesys Cloud may show a write a little later than it answers it, so a difference from
		// the state right after an apply can be this provider's own change not visible yet. Look
		// again a few times before reporting it as drift.
		if imported || slices.Equal(current, recorded) || attempt == len(driftRecheckWaits) {
			break
		}
		tflog.Debug(ctx, "User licenses differ from the state; reading again before reporting drift",
			map[string]any{"user_id": userID, "state": recorded, "read": current, "attempt": attempt + 1})
		if !sleepCtx(ctx, driftRecheckWaits[attempt]) {
			break
		}
	}
	state.LicenseIDs = stringSet(ctx, current, &resp.Diagnostics)
	if state.Exclusive.IsNull() {
		state.Exclusive = types.BoolValue(false)
	}
	state.ID = types.StringValue(userID)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *userLicenseAssignmentResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state userLicenseAssignmentModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// A Terraform without identities (before 1.12) plans none, and the framework wants one back.
	setUserLicenseAssignmentIdentity(ctx, resp.Identity, plan.UserID.ValueString(), &resp.Diagnostics)
	timeout, diags := plan.Timeouts.Update(ctx, defaultTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, done := r.startWrite(ctx, timeout)
	defer done()

	userID := plan.UserID.ValueString()
	wanted := setStrings(ctx, plan.LicenseIDs, &resp.Diagnostics)
	before := setStrings(ctx, state.LicenseIDs, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	exclusive := plan.Exclusive.ValueBool()
	if exclusive && !state.Exclusive.ValueBool() {
		// Becoming exclusive: the state knows only the managed licenses; the rest must go too.
		held, ok := r.heldLicenses(ctx, userID, summaryUpdate, &resp.Diagnostics)
		if !ok {
			return
		}
		before = held
	}

	after, _ := r.write(ctx, userID, exclusive, before, difference(wanted, before), difference(before, wanted),
		summaryUpdate, &resp.Diagnostics)
	plan.ID = types.StringValue(userID)
	plan.LicenseIDs = stringSet(ctx, after, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *userLicenseAssignmentResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state userLicenseAssignmentModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, diags := state.Timeouts.Delete(ctx, defaultTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, done := r.startWrite(ctx, timeout)
	defer done()

	userID := state.UserID.ValueString()
	managed := setStrings(ctx, state.LicenseIDs, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	after, ok := r.write(ctx, userID, false, managed, nil, managed, summaryUnassign, &resp.Diagnostics)
	if ok {
		return // the framework removes the resource from state
	}
	// Keep in state exactly the licenses that could not be removed, so destroy can be retried.
	state.LicenseIDs = stringSet(ctx, after, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *userLicenseAssignmentResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	userID, ok := importedUserID(ctx, req, &resp.Diagnostics)
	if !ok {
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), userID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("user_id"), userID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("exclusive"), false)...)
	setUserLicenseAssignmentIdentity(ctx, resp.Identity, userID, &resp.Diagnostics)
}

// startWrite bounds a write by its timeout and tells the batcher that it is in flight, so that a
// batch can leave as soon as every write in flight is waiting for it.
func (r *userLicenseAssignmentResource) startWrite(ctx context.Context, timeout time.Duration) (context.Context, func()) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	endWrite := r.data.client.BeginWrite()
	return ctx, func() {
		endWrite()
		cancel()
	}
}

// heldLicenses reads every license the user holds; a missing user is an error naming it.
func (r *userLicenseAssignmentResource) heldLicenses(ctx context.Context, userID, summary string, diags *diag.Diagnostics) ([]string, bool) {
	user, err := r.data.client.GetLicenseUser(ctx, userID)
	if errors.Is(err, client.ErrNotFound) {
		diags.AddAttributeError(path.Root("user_id"), summaryUserNotFound,
			fmt.Sprintf("Genesys Cloud has no user with id %q. Check user_id.", userID))
		return nil, false
	}
	if err != nil {
		addAPIError(diags, summary, fmt.Sprintf("Reading the licenses user %q holds failed.", userID), err)
		return nil, false
	}
	return licenseIDsOf(user), true
}

// write sends the additions and removals for one user through the client's batcher and returns
// the licenses the resource holds afterwards (starting from before), as true on the server as
// can be known. Every change that did not succeed becomes part of one error diagnostic; ok is
// false when there was any.
func (r *userLicenseAssignmentResource) write(ctx context.Context, userID string, exclusive bool, before, adds, removes []string, summary string, diags *diag.Diagnostics) (after []string, ok bool) {
	if len(adds) == 0 && len(removes) == 0 {
		return before, true
	}
	changes := make([]client.LicenseChange, 0, len(adds)+len(removes))
	for _, id := range adds {
		changes = append(changes, client.LicenseChange{UserID: userID, LicenseID: id, Op: client.OpAdd})
	}
	for _, id := range removes {
		changes = append(changes, client.LicenseChange{UserID: userID, LicenseID: id, Op: client.OpRemove})
	}
	tflog.Debug(ctx, "Changing user licenses", map[string]any{"user_id": userID, "add": adds, "remove": removes})

	statuses, err := r.data.client.ApplyLicenseChanges(ctx, changes)
	if err != nil {
		// The request failed as a whole, perhaps after the server applied it: ask what is true.
		addAPIError(diags, summary, fmt.Sprintf("Changing the licenses of user %q failed (add %s; remove %s). "+
			"The state now records what Genesys Cloud reports the user holds; apply again to retry.",
			userID, listOrNone(adds), listOrNone(removes)), err)
		return r.recover(ctx, userID, exclusive, before, adds), false
	}

	held := map[string]bool{}
	for _, id := range before {
		held[id] = true
	}
	var failures []string
	for i, ch := range changes {
		st := statuses[i]
		switch {
		case st.Succeeded() && ch.Op == client.OpAdd:
			held[ch.LicenseID] = true
		case ch.Op == client.OpRemove && (st.Succeeded() || removalMoot(st.Result)):
			delete(held, ch.LicenseID)
		default:
			failures = append(failures, fmt.Sprintf("  - user %s, license %s (%s): %s", userID, ch.LicenseID, opWord(ch.Op), resultOrNone(st.Result)))
		}
	}
	after = make([]string, 0, len(held))
	for id := range held {
		after = append(after, id)
	}
	slices.Sort(after)
	if len(failures) > 0 {
		diags.AddAttributeError(path.Root("license_ids"), summary,
			fmt.Sprintf("Genesys Cloud refused %d of %d license changes:\n%s\n\nThe changes that succeeded are "+
				"recorded in the state, so the next plan shows only what is left. Results such as "+
				"PrerequisiteMissing name a license whose prerequisite must be assigned first; "+
				"UserNotFound and LicenseNotFound name ids Genesys Cloud does not know.",
				len(failures), len(changes), strings.Join(failures, "\n")))
		return after, false
	}
	return after, true
}

// recover works out what the resource holds after a failed request by reading the user: the
// licenses it managed or tried to add that the user now holds (everything held, when exclusive).
// When even that read fails, the prior licenses are kept: every change is idempotent, so the next
// apply repeats what is uncertain.
func (r *userLicenseAssignmentResource) recover(ctx context.Context, userID string, exclusive bool, before, adds []string) []string {
	user, err := r.data.client.GetLicenseUser(context.WithoutCancel(ctx), userID)
	if err != nil {
		tflog.Warn(ctx, "Could not read the user after a failed license change; keeping the prior state",
			map[string]any{"user_id": userID, "error": err.Error()})
		return before
	}
	held := licenseIDsOf(user)
	if exclusive {
		return held
	}
	return intersection(union(before, adds), held)
}

// sleepCtx waits for d, or less if ctx ends first; it reports whether the whole wait passed.
func sleepCtx(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// removalMoot tells whether a failed removal leaves nothing to remove: the user or the license is gone.
func removalMoot(result string) bool {
	return strings.EqualFold(result, "UserNotFound") || strings.EqualFold(result, "LicenseNotFound")
}

func opWord(op client.ChangeOp) string {
	if op == client.OpAdd {
		return "add"
	}
	return "remove"
}

func resultOrNone(result string) string {
	if result == "" {
		return "(no result returned)"
	}
	return result
}

func listOrNone(ids []string) string {
	if len(ids) == 0 {
		return "none"
	}
	return strings.Join(ids, ", ")
}

// licenseIDsOf returns the ids of the licenses a user holds, sorted and each once.
func licenseIDsOf(user *client.LicenseUser) []string {
	ids := user.LicenseIDs()
	slices.Sort(ids)
	return slices.Compact(ids)
}
