package provider

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
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
	_ resource.ResourceWithConfigure      = (*userLicenseAssignmentResource)(nil)
	_ resource.ResourceWithImportState    = (*userLicenseAssignmentResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*userLicenseAssignmentResource)(nil)
	_ resource.ResourceWithValidateConfig = (*userLicenseAssignmentResource)(nil)
	_ resource.ResourceWithIdentity       = (*userLicenseAssignmentResource)(nil)
)

// defaultTimeout bounds each operation when the timeouts block does not say otherwise. Writes
// may wait for a batch, for pacing and for retries after rate limiting; a shared request ends
// at the latest deadline of the writes it carries.
const defaultTimeout = 20 * time.Minute

// privateLastWrite is the private-state key recording when this provider last wrote the user's
// licenses, so that a refresh shortly after can tell a late-showing write from drift.
const privateLastWrite = "last_write"

type userLicenseAssignmentResource struct {
	data *providerData
}

// NewUserLicenseAssignmentResource returns the purecloud_user_license_assignment resource.
func NewUserLicenseAssignmentResource() resource.Resource {
	return &userLicenseAssignmentResource{}
}

type userLicenseAssignmentModel struct {
	ID         types.String        `tfsdk:"id"`
	UserID     types.String        `tfsdk:"user_id"`
	LicenseIDs largeStringSetValue `tfsdk:"license_ids"`
	Exclusive  types.Bool          `tfsdk:"exclusive"`
	Timeouts   timeouts.Value      `tfsdk:"timeouts"`
}

func (r *userLicenseAssignmentResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_user_license_assignment"
}

func (r *userLicenseAssignmentResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Assigns Genesys Cloud licenses to one user. Create, update and destroy send " +
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
			"or in different Terraform configurations are not compared.",
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
					"`purecloud_license_definitions`). At least one. Ids are case-sensitive; ids the organization does " +
					"not have fail the plan, naming the valid id when only the case or surrounding white space differs. A license's prerequisites (`prerequisite_ids` of its definition) must be held " +
					"too or be listed here.",
				ElementType: types.StringType,
				CustomType:  newLargeStringSetType(),
				Required:    true,
				Validators: []validator.Set{
					setvalidator.SizeAtLeast(1),
					setvalidator.ValueStringsAre(licenseIDValidator()),
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

// ValidateConfig refuses timeouts of zero or less at validation time.
func (r *userLicenseAssignmentResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	validateTimeouts(ctx, req.Config, &resp.Diagnostics)
}

func (r *userLicenseAssignmentResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// ModifyPlan fails the plan when license_ids names a license the organization does not have,
// and warns when turning exclusive off leaves licenses assigned but no longer managed.
func (r *userLicenseAssignmentResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || r.data == nil {
		return
	}
	var plan userLicenseAssignmentModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() || plan.LicenseIDs.IsUnknown() {
		return
	}
	wanted, allKnown := knownStrings(plan.LicenseIDs.SetValue)
	if !req.State.Raw.IsNull() {
		var state userLicenseAssignmentModel
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
		if state.Exclusive.ValueBool() && !plan.Exclusive.IsUnknown() && !plan.Exclusive.ValueBool() && allKnown {
			if kept := difference(setStrings(ctx, state.LicenseIDs.SetValue, &resp.Diagnostics), wanted); len(kept) > 0 {
				resp.Diagnostics.AddAttributeWarning(path.Root("exclusive"), "Licenses Left Unmanaged",
					fmt.Sprintf("exclusive is turning off for user %s, so the licenses it holds outside license_ids "+
						"(%s) stay assigned and are no longer managed by Terraform. To remove them, remove them from "+
						"license_ids while exclusive is still true, or remove them in Genesys Cloud.",
						plan.UserID.ValueString(), strings.Join(kept, ", ")))
			}
		}
	}
	if slices.Contains(wanted, "") {
		return
	}
	r.data.checkLicenseIDs(ctx, path.Root("license_ids"), wanted, &resp.Diagnostics)
	if !plan.UserID.IsUnknown() && !plan.Exclusive.IsUnknown() && allKnown {
		mine := planClaim{token: planToken(ctx, req.Private, resp.Private, &resp.Diagnostics), ids: wanted,
			takesAll: plan.Exclusive.ValueBool()}
		if other, dup := r.data.claim("user "+plan.UserID.ValueString(), mine); dup {
			addDuplicateDiagnostic(&resp.Diagnostics, duplicateUserNames, plan.UserID.ValueString(), mine, other)
		}
	}
}

var duplicateUserNames = duplicateNames{
	resource: "purecloud_user_license_assignment", keyAttr: "user_id", keyNoun: "User", idsAttr: "license_ids",
	takesAll: "exclusive",
	fix:      "Manage each user with one purecloud_user_license_assignment: merge the license_ids of both into one.",
}

func (r *userLicenseAssignmentResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	plan, ctx, done, ok := r.beginWrite(ctx, req.Plan, timeouts.Value.Create, &resp.Diagnostics)
	if !ok {
		return
	}
	defer done()
	userID := plan.UserID.ValueString()
	wanted := setStrings(ctx, plan.LicenseIDs.SetValue, &resp.Diagnostics)
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
	out := r.write(ctx, licenseWrite{userID: userID, before: before, adds: difference(wanted, before), removes: removes})
	if !out.ok() {
		// Recording a partly created resource would make Terraform taint it, and the next apply
		// would destroy it first, removing licenses it had just assigned. Record nothing instead:
		// the next apply creates it again, and adding a held license changes nothing.
		addWriteError(&resp.Diagnostics, path.Root("license_ids"), summaryAssign, out, createFailureClosing(userID, out))
		return
	}
	plan.ID = types.StringValue(userID)
	plan.LicenseIDs = largeStringSet(ctx, out.after, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	if out.total > 0 {
		recordWrite(ctx, resp.Private, &resp.Diagnostics)
	}
	setUserLicenseAssignmentIdentity(ctx, resp.Identity, userID, &resp.Diagnostics)
}

// createFailureClosing explains what a create that was not wholly applied leaves behind.
func createFailureClosing(userID string, out writeOutcome) string {
	s := "Nothing is recorded in the state, so that the next apply does not replace the resource (which " +
		"would first remove licenses it has just assigned): it creates the resource again, assigning what is " +
		"missing and keeping what is held."
	if len(out.assigned) > 0 {
		s += fmt.Sprintf(" This apply assigned %s to user %s.", strings.Join(out.assigned, ", "), userID)
	}
	if len(out.possibly) > 0 {
		s += fmt.Sprintf(" User %s may also hold %s (the outcome is unknown).", userID, strings.Join(out.possibly, ", "))
	}
	if len(out.assigned)+len(out.possibly) > 0 {
		s += " If you drop this resource from the configuration instead, those licenses stay assigned: import " +
			"the resource and destroy it, or remove them in Genesys Cloud."
	}
	return s
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
	recorded := setStrings(ctx, state.LicenseIDs.SetValue, &resp.Diagnostics)
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
	wroteAt := lastWrite(ctx, req.Private)

	var current []string
	for attempt := 0; ; attempt++ {
		// The first read may be answered from a listing of the organization taken during this
		// refresh (when that costs fewer requests, see client.RefreshUserLicenseIDs); a re-read
		// after a recent write always asks Genesys Cloud.
		read := r.data.client.RefreshUserLicenseIDs
		if attempt > 0 {
			read = r.data.client.UserLicenseIDs
		}
		held, err := read(ctx, userID)
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
		current = observe(held)
		// Genesys Cloud may show a write a little later than it answers it, so a difference
		// shortly after this provider wrote the user can be that write not visible yet. Only then
		// is the user read again; any other difference is drift, reported at once.
		if imported || slices.Equal(current, recorded) || wroteAt.IsZero() ||
			time.Since(wroteAt) >= r.data.readAfterWriteTolerance {
			break
		}
		tflog.Debug(ctx, "User licenses differ from the state shortly after a write; reading again before reporting drift",
			map[string]any{"user_id": userID, "state": recorded, "read": current, "attempt": attempt + 1})
		if !wait.Sleep(ctx, recheckWait(attempt)) {
			break
		}
	}
	state.LicenseIDs = largeStringSet(ctx, current, &resp.Diagnostics)
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
	plan, ctx, done, ok := r.beginWrite(ctx, req.Plan, timeouts.Value.Update, &resp.Diagnostics)
	if !ok {
		return
	}
	// A Terraform without identities (before 1.12) plans none, and the framework wants one back.
	setUserLicenseAssignmentIdentity(ctx, resp.Identity, plan.UserID.ValueString(), &resp.Diagnostics)
	defer done()
	var state userLicenseAssignmentModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	userID := plan.UserID.ValueString()
	wanted := setStrings(ctx, plan.LicenseIDs.SetValue, &resp.Diagnostics)
	before := setStrings(ctx, state.LicenseIDs.SetValue, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	exclusive := plan.Exclusive.ValueBool()
	switch {
	case exclusive && !state.Exclusive.ValueBool():
		// Becoming exclusive: the state knows only the managed licenses; the rest must go too.
		held, ok := r.heldLicenses(ctx, userID, summaryUpdate, &resp.Diagnostics)
		if !ok {
			return
		}
		before = held
	case !exclusive && state.Exclusive.ValueBool():
		// No longer exclusive: the state held everything; licenses outside license_ids are simply
		// no longer managed, and nothing is removed for that reason.
		before = intersection(before, wanted)
	}

	out := r.write(ctx, licenseWrite{userID: userID, before: before, adds: difference(wanted, before),
		removes: difference(before, wanted)})
	plan.ID = types.StringValue(userID)
	plan.LicenseIDs = largeStringSet(ctx, out.after, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	if out.total > 0 {
		recordWrite(ctx, resp.Private, &resp.Diagnostics)
	}
	if !out.ok() {
		addWriteError(&resp.Diagnostics, path.Root("license_ids"), summaryUpdate, out, "The state records what Genesys Cloud shows the user "+
			"holds (a license whose change has an unknown outcome is kept, and the next refresh settles it), so "+
			"the next plan shows what is left; apply again to retry.")
	}
}

func (r *userLicenseAssignmentResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	state, ctx, done, ok := r.beginWrite(ctx, req.State, timeouts.Value.Delete, &resp.Diagnostics)
	if !ok {
		return
	}
	defer done()
	managed := setStrings(ctx, state.LicenseIDs.SetValue, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	userID := state.UserID.ValueString()
	out := r.write(ctx, licenseWrite{userID: userID, before: managed, removes: managed})
	if out.ok() {
		return // the framework removes the resource from state
	}
	// Keep in state exactly the licenses that may still be held, so destroy can be retried.
	state.LicenseIDs = largeStringSet(ctx, out.after, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
	addWriteError(&resp.Diagnostics, path.Root("license_ids"), summaryUnassign, out, "The state keeps the licenses that may still be "+
		"assigned; run destroy again to retry.")
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

// modelGetter is a plan or a state.
type modelGetter interface {
	Get(ctx context.Context, target any) diag.Diagnostics
}

// beginWrite is the preamble of Create, Update and Delete: it reads the model from the plan or
// the state, bounds the write by its timeout (timeout is timeouts.Value.Create, .Update or
// .Delete), and tells the batcher a write is in flight, so that a batch can leave as soon as
// every write in flight is waiting for it. Call done when the write ends.
func (r *userLicenseAssignmentResource) beginWrite(ctx context.Context, from modelGetter,
	timeout func(timeouts.Value, context.Context, time.Duration) (time.Duration, diag.Diagnostics),
	diags *diag.Diagnostics) (m userLicenseAssignmentModel, wctx context.Context, done func(), ok bool) {
	diags.Append(from.Get(ctx, &m)...)
	if diags.HasError() {
		return m, ctx, nil, false
	}
	wctx, done, ok = r.data.startWrite(ctx, m.Timeouts, timeout, diags)
	return m, wctx, done, ok
}

// heldLicenses reads every license the user holds; a missing user is an error naming it.
func (r *userLicenseAssignmentResource) heldLicenses(ctx context.Context, userID, summary string, diags *diag.Diagnostics) ([]string, bool) {
	held, err := r.data.client.UserLicenseIDs(ctx, userID)
	if errors.Is(err, client.ErrNotFound) {
		diags.AddAttributeError(path.Root("user_id"), summaryUserNotFound,
			fmt.Sprintf("Genesys Cloud has no user with id %q. Check user_id.", userID))
		return nil, false
	}
	if err != nil {
		addAPIError(diags, summary, fmt.Sprintf("Reading the licenses user %q holds failed.", userID), err)
		return nil, false
	}
	return held, true
}

// licenseWrite is one user's license changes, starting from the licenses the resource holds.
type licenseWrite struct {
	userID        string
	before        []string
	adds, removes []string
}

// write sends one user's changes through the shared write path (see writeChanges).
func (r *userLicenseAssignmentResource) write(ctx context.Context, w licenseWrite) writeOutcome {
	changes := make([]client.LicenseChange, 0, len(w.adds)+len(w.removes))
	for _, id := range w.adds {
		changes = append(changes, client.LicenseChange{UserID: w.userID, LicenseID: id, Op: client.OpAdd})
	}
	for _, id := range w.removes {
		changes = append(changes, client.LicenseChange{UserID: w.userID, LicenseID: id, Op: client.OpRemove})
	}
	if len(changes) > 0 {
		tflog.Debug(ctx, "Changing user licenses", map[string]any{"user_id": w.userID, "add": w.adds, "remove": w.removes})
	}
	return r.data.writeChanges(ctx, changes, w.before, licenseOf)
}

// addWriteError reports a write that was not wholly applied, on the attribute at p.
func addWriteError(diags *diag.Diagnostics, p path.Path, summary string, out writeOutcome, closing string) {
	detail := out.failureDetail(closing)
	if out.err != nil {
		detail += "\n\n" + apiErrorDetail(out.err)
	}
	diags.AddAttributeError(p, summary, detail)
}

// recordWrite notes in the private state when this provider wrote the user's licenses.
func recordWrite(ctx context.Context, private privateSetter, diags *diag.Diagnostics) {
	v, _ := json.Marshal(time.Now().UTC().Format(time.RFC3339Nano))
	diags.Append(private.SetKey(ctx, privateLastWrite, v)...)
}

// lastWrite returns when this provider last wrote the user's licenses, or zero.
func lastWrite(ctx context.Context, private privateGetter) time.Time {
	raw, diags := private.GetKey(ctx, privateLastWrite)
	if diags.HasError() || len(raw) == 0 {
		return time.Time{}
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}
	}
	return t
}

type privateSetter interface {
	SetKey(ctx context.Context, key string, value []byte) diag.Diagnostics
}

type privateGetter interface {
	GetKey(ctx context.Context, key string) ([]byte, diag.Diagnostics)
}

// knownStrings returns the known elements of a set of strings, sorted, and whether every
// element is known (an element may stay unknown until apply, such as another resource's output).
func knownStrings(s types.Set) ([]string, bool) {
	if s.IsNull() || s.IsUnknown() {
		return nil, false
	}
	out := make([]string, 0, len(s.Elements()))
	all := true
	for _, e := range s.Elements() {
		str, ok := e.(types.String)
		if !ok || str.IsUnknown() || str.IsNull() {
			all = false
			continue
		}
		out = append(out, str.ValueString())
	}
	slices.Sort(out)
	return out, all
}
