package provider

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/purecloud-terraform/terraform-provider-purecloud/internal/client"
)

// The framework side of the assignment engine: one generic resource whose Configure,
// ValidateConfig, ModifyPlan, Create, Read, Update, Delete and ImportState serve every view.
// A resource embeds assignmentResource[M] with its view and adds Metadata, Schema and
// IdentitySchema; its model type M is mapped to the engine's terms by the view.

// defaultTimeout bounds each operation when the timeouts block does not say otherwise. Writes
// may wait for a batch, for pacing and for retries after rate limiting; a shared request ends
// at the latest deadline of the writes it carries.
const defaultTimeout = 20 * time.Minute

// assignmentResource is the resource of a view. M is its model type; fields maps a model to
// the attributes every view has.
type assignmentResource[M any] struct {
	data   *providerData
	view   assignmentView
	fields func(m *M) modelFields
	// setIdentity records key as the instance's identity (identity may be nil).
	setIdentity func(ctx context.Context, identity *tfsdk.ResourceIdentity, key string, diags *diag.Diagnostics)
	// importKey returns the key an import names, checked.
	importKey func(ctx context.Context, req resource.ImportStateRequest, diags *diag.Diagnostics) (string, bool)
}

// modelFields points at the attributes of a model that every view has.
type modelFields struct {
	id       *types.String
	key      *types.String // user_id, license_id
	members  memberAttr    // license_ids, user_ids
	takesAll *types.Bool   // exclusive, authoritative
	timeouts *timeouts.Value
}

// memberAttr is the attribute holding a view's members, whatever its type.
type memberAttr interface {
	// known returns the known members, sorted, and whether every member is known.
	known() ([]string, bool)
	isNull() bool
	set(ctx context.Context, members []string, diags *diag.Diagnostics)
}

// setMembers is memberAttr for a set of strings.
type setMembers struct{ v *largeStringSetValue }

func (s setMembers) known() ([]string, bool) { return knownStrings(s.v.SetValue) }
func (s setMembers) isNull() bool            { return s.v.IsNull() }
func (s setMembers) set(ctx context.Context, members []string, diags *diag.Diagnostics) {
	*s.v = largeStringSet(ctx, members, diags)
}

// mapMembers is memberAttr for a map from member to a free label (purecloud_license_assignment's
// users): the members are the keys; storing keeps the label each member has in the model (from
// the configuration, or the state), and gives a member found by a refresh an empty one.
type mapMembers struct{ v *types.Map }

func (m mapMembers) known() ([]string, bool) {
	if m.v.IsNull() || m.v.IsUnknown() {
		return nil, false
	}
	out := make([]string, 0, len(m.v.Elements()))
	for k := range m.v.Elements() {
		out = append(out, k)
	}
	slices.Sort(out)
	return out, true
}

func (m mapMembers) isNull() bool { return m.v.IsNull() }

func (m mapMembers) set(_ context.Context, members []string, diags *diag.Diagnostics) {
	old := map[string]attr.Value{}
	if !m.v.IsNull() && !m.v.IsUnknown() {
		old = m.v.Elements()
	}
	elems := make(map[string]attr.Value, len(members))
	for _, id := range members {
		label, ok := old[id].(types.String)
		if !ok || label.IsUnknown() || label.IsNull() {
			label = types.StringValue("")
		}
		elems[id] = label
	}
	v, d := types.MapValue(types.StringType, elems)
	diags.Append(d...)
	*m.v = v
}

// load reads an instance from its model: the assignment (an unknown key is ""), whether every
// part of it is known, whether it was just imported (no members recorded yet), and its timeouts.
func (r *assignmentResource[M]) load(m *M) (a assignment, known, imported bool, tv timeouts.Value) {
	f := r.fields(m)
	ids, allKnown := f.members.known()
	a = assignment{members: ids, takesAll: f.takesAll.ValueBool()}
	if !f.key.IsUnknown() {
		a.key = f.key.ValueString()
	}
	return a, allKnown && !f.key.IsUnknown() && !f.takesAll.IsUnknown(), f.members.isNull(), *f.timeouts
}

// store records in m that key holds members, with the id and defaults filled in.
func (r *assignmentResource[M]) store(ctx context.Context, m *M, key string, members []string, diags *diag.Diagnostics) {
	f := r.fields(m)
	*f.id = types.StringValue(key)
	f.members.set(ctx, members, diags)
	if f.takesAll.IsNull() {
		*f.takesAll = types.BoolValue(false)
	}
}

// oneTruthDescription ends both resources' descriptions: what one apply promises across them.
const oneTruthDescription = "Both resource styles share one engine, and within one apply no instance removes a " +
	"(user, license) pair that another instance of either style adds, keeps or records as held: a replacement " +
	"with `create_before_destroy`, a move between the two styles, or a rename without a `moved` block leaves " +
	"the pair held (with the default destroy-then-create replacement it is unheld for the moment between the " +
	"two calls). A planned removal of a pair that an instance not changing in this apply records as held fails " +
	"the plan, naming the pairs: hand them over with a `removed` block with `lifecycle { destroy = false }` " +
	"(Terraform 1.7 and later). Every pair an apply removes shows in the plan, in the diff or in a warning " +
	"(`exclusive` and `authoritative` name what they take). After an import, an additive instance leaves " +
	"assigned, unmanaged, what the import found and the configuration does not list."

// assignmentCommon holds the attributes every view's model has besides its key, members and flag.
type assignmentCommon struct {
	ID       types.String   `tfsdk:"id"`
	Timeouts timeouts.Value `tfsdk:"timeouts"`
}

// assignmentSchemaParts is what a view's schema says of its own attributes.
type assignmentSchemaParts struct {
	description  string
	idNote       string           // "The user id", what id holds
	key          string           // the key attribute's description
	keyValidator validator.String // the key attribute's validator
	members      schema.Attribute // the members attribute
	takesAll     string           // the flag's description
}

// assignmentSchema builds a view's schema: its key (replacing the resource when it changes), its
// members, its flag (default false), the id and the timeouts.
func assignmentSchema(ctx context.Context, n viewNames, p assignmentSchemaParts) schema.Schema {
	return schema.Schema{
		MarkdownDescription: p.description,
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: p.idNote + "; also the import id.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			n.keyAttr: schema.StringAttribute{
				MarkdownDescription: p.key,
				Required:            true,
				Validators:          []validator.String{p.keyValidator},
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			n.membersAttr: p.members,
			n.takesAll: schema.BoolAttribute{
				MarkdownDescription: p.takesAll,
				Optional:            true,
				Computed:            true,
				Default:             booldefault.StaticBool(false),
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true, Read: true, Update: true, Delete: true}),
		},
	}
}

// stringSetAttribute is a required members attribute: a set of strings that stays fast at
// thousands of elements (see string_set_type.go).
func stringSetAttribute(description string, validators ...validator.Set) schema.SetAttribute {
	return schema.SetAttribute{
		MarkdownDescription: description,
		ElementType:         types.StringType,
		CustomType:          newLargeStringSetType(),
		Required:            true,
		Validators:          validators,
	}
}

// Metadata names the resource after its view.
func (r *assignmentResource[M]) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + strings.TrimPrefix(r.view.names().resource, "purecloud")
}

func (r *assignmentResource[M]) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// ValidateConfig refuses timeouts of zero or less at validation time.
func (r *assignmentResource[M]) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	validateTimeouts(ctx, req.Config, &resp.Diagnostics)
}

// ModifyPlan runs the engine's plan-time checks (see planAssignment), destroys included.
func (r *assignmentResource[M]) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if r.data == nil {
		return
	}
	var prior *assignment
	if !req.State.Raw.IsNull() {
		var state M
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
		if resp.Diagnostics.HasError() {
			return
		}
		p, _, _, _ := r.load(&state)
		p.adopted = adoptedMembers(ctx, req.Private)
		prior = &p
	}
	if req.Plan.Raw.IsNull() {
		r.data.planAssignment(ctx, r.view, prior, nil, true, req.Private, resp.Private, &resp.Diagnostics)
		return
	}
	var plan M
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	want, known, _, _ := r.load(&plan)
	r.data.planAssignment(ctx, r.view, prior, &want, known, req.Private, resp.Private, &resp.Diagnostics)
}

func (r *assignmentResource[M]) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	plan, want, ctx, done, ok := r.beginWrite(ctx, req.Plan, timeouts.Value.Create, &resp.Diagnostics)
	if !ok {
		return
	}
	defer done()
	before, ok := r.heldBefore(ctx, nil, want, summaryAssign, &resp.Diagnostics)
	if !ok {
		return
	}
	out := r.data.writeAssignment(ctx, r.view, want.key, before, want.members)
	if !out.ok() {
		// Recording a partly created instance would make Terraform taint it, and the next apply
		// would destroy it first, removing what it has just assigned. Record nothing instead:
		// the next apply creates it again, and adding a held pair changes nothing.
		addWriteError(&resp.Diagnostics, membersPath(r.view.names()), summaryAssign, out, r.createFailureClosing(want.key, out))
		return
	}
	r.record(ctx, &resp.State, resp.Private, plan, want.key, out, &resp.Diagnostics)
	r.setIdentity(ctx, resp.Identity, want.key, &resp.Diagnostics)
}

func (r *assignmentResource[M]) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state M
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	rec, _, imported, tv := r.load(&state)
	// First, so that a state written by a Terraform without identities gets one even when the
	// key is gone (the framework wants an identity after Read, also when it removes the resource).
	r.setIdentity(ctx, resp.Identity, rec.key, &resp.Diagnostics)
	timeout, diags := tv.Read(ctx, defaultTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	n := r.view.names()
	now, err := r.data.refresh(ctx, r.view, rec, imported, lastWrite(ctx, req.Private))
	switch {
	case err != nil:
		addAPIError(&resp.Diagnostics, summaryReadAssignment,
			fmt.Sprintf("Reading the %ss of %s %q failed.", n.memberNoun, strings.ToLower(n.keyNoun), rec.key), err)
		return
	case now.keyGone && imported:
		resp.State.RemoveResource(ctx) // Terraform reports that there is nothing to import
		return
	case now.keyGone:
		addKeyGoneWarning(&resp.Diagnostics, n, rec.key)
	case len(now.gone) > 0:
		addMembersGoneWarning(&resp.Diagnostics, n, rec.key, now.gone)
	}
	if imported {
		// An additive instance will not remove what the import found and the configuration does
		// not list (see letGo); the first write after the import forgets this.
		setAdoptedMembers(ctx, resp.Private, now.members, &resp.Diagnostics)
	}
	r.store(ctx, &state, rec.key, now.members, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *assignmentResource[M]) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	plan, want, ctx, done, ok := r.beginWrite(ctx, req.Plan, timeouts.Value.Update, &resp.Diagnostics)
	if !ok {
		return
	}
	defer done()
	// A Terraform without identities (before 1.12) plans none, and the framework wants one back.
	r.setIdentity(ctx, resp.Identity, want.key, &resp.Diagnostics)
	var state M
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	prior, _, _, _ := r.load(&state)
	prior.adopted = adoptedMembers(ctx, req.Private)
	before, ok := r.heldBefore(ctx, &prior, want, summaryUpdate, &resp.Diagnostics)
	if !ok {
		return
	}
	out := r.data.writeAssignment(ctx, r.view, want.key, before, want.members)
	r.record(ctx, &resp.State, resp.Private, plan, want.key, out, &resp.Diagnostics)
	if !out.ok() {
		addWriteError(&resp.Diagnostics, membersPath(r.view.names()), summaryUpdate, out, r.doneSoFar(want.key, out)+
			"The state records what Genesys Cloud shows (a pair whose change has an unknown outcome is kept, and the "+
			"next refresh settles it), so the next plan shows what is left; apply again to retry.")
	}
}

func (r *assignmentResource[M]) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	state, rec, ctx, done, ok := r.beginWrite(ctx, req.State, timeouts.Value.Delete, &resp.Diagnostics)
	if !ok {
		return
	}
	defer done()
	// Destroy removes exactly what the state records, and nothing else.
	out := r.data.writeAssignment(ctx, r.view, rec.key, rec.members, nil)
	if out.ok() {
		return // the framework removes the resource from state
	}
	// Keep in state exactly what may still be held, so that destroy can be retried.
	n := r.view.names()
	r.store(ctx, &state, rec.key, out.after, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
	addWriteError(&resp.Diagnostics, membersPath(n), summaryUnassign, out, fmt.Sprintf("The state keeps the %ss "+
		"that may still be assigned; run destroy again to retry.", n.memberNoun))
}

// ImportState records the key; the refresh that follows reads everything it has.
func (r *assignmentResource[M]) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	key, ok := r.importKey(ctx, req, &resp.Diagnostics)
	if !ok {
		return
	}
	n := r.view.names()
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), key)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(n.keyAttr), key)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(n.takesAll), false)...)
	r.setIdentity(ctx, resp.Identity, key, &resp.Diagnostics)
}

// modelGetter is a plan or a state.
type modelGetter interface {
	Get(ctx context.Context, target any) diag.Diagnostics
}

// beginWrite is the preamble of Create, Update and Delete: it reads the model from the plan or
// the state, bounds the write by its timeout (timeouts.Value.Create, .Update or .Delete), and
// tells the batcher a write is in flight (see startWrite). Call done when the write ends.
func (r *assignmentResource[M]) beginWrite(ctx context.Context, from modelGetter,
	timeout func(timeouts.Value, context.Context, time.Duration) (time.Duration, diag.Diagnostics),
	diags *diag.Diagnostics) (m M, a assignment, wctx context.Context, done func(), ok bool) {
	diags.Append(from.Get(ctx, &m)...)
	if diags.HasError() {
		return m, a, ctx, nil, false
	}
	a, _, _, tv := r.load(&m)
	wctx, done, ok = r.data.startWrite(ctx, tv, timeout, diags)
	return m, a, wctx, done, ok
}

// heldBefore is the engine's heldBefore with its errors reported: a missing key names the
// key's attribute.
func (r *assignmentResource[M]) heldBefore(ctx context.Context, prior *assignment, want assignment, summary string, diags *diag.Diagnostics) ([]string, bool) {
	before, err := r.data.heldBefore(ctx, r.view, prior, want)
	n := r.view.names()
	switch {
	case errors.Is(err, client.ErrNotFound):
		addKeyNotFoundError(diags, n, want.key)
		return nil, false
	case err != nil:
		addAPIError(diags, summary, fmt.Sprintf("Reading the %ss of %s %q failed.", n.memberNoun,
			strings.ToLower(n.keyNoun), want.key), err)
		return nil, false
	}
	return before, true
}

// record saves what a write left: the members held afterwards, and when this provider wrote.
func (r *assignmentResource[M]) record(ctx context.Context, state *tfsdk.State, private privateSetter, m M, key string,
	out writeOutcome, diags *diag.Diagnostics) {
	r.store(ctx, &m, key, out.after, diags)
	diags.Append(state.Set(ctx, &m)...)
	if out.total > 0 {
		recordWrite(ctx, private, diags)
	}
	setAdoptedMembers(ctx, private, nil, diags)
}

// doneSoFar says what a write that was not wholly applied did: what it assigned, removed, and
// may have assigned.
func (r *assignmentResource[M]) doneSoFar(key string, out writeOutcome) string {
	var s string
	if len(out.assigned) > 0 {
		s += "This apply assigned " + r.view.describe(key, out.assigned) + ". "
	}
	if len(out.removed) > 0 {
		s += "It removed " + r.view.describe(key, out.removed) + ". "
	}
	if len(out.possibly) > 0 {
		s += "It may also have assigned " + r.view.describe(key, out.possibly) + " (the outcome is unknown). "
	}
	return s
}

// createFailureClosing explains what a create that was not wholly applied leaves behind.
func (r *assignmentResource[M]) createFailureClosing(key string, out writeOutcome) string {
	s := "Nothing is recorded in the state, so that the next apply does not replace the resource (which " +
		"would first remove what it has just assigned): it creates the resource again, assigning what is " +
		"missing and keeping what is held. " + r.doneSoFar(key, out)
	if len(out.assigned)+len(out.possibly) > 0 {
		s += "If you drop this resource from the configuration instead, those stay assigned: import the " +
			"resource and destroy it, or remove them in Genesys Cloud."
	}
	return strings.TrimSpace(s)
}

var (
	_ resource.ResourceWithConfigure      = (*userLicenseAssignmentResource)(nil)
	_ resource.ResourceWithImportState    = (*userLicenseAssignmentResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*userLicenseAssignmentResource)(nil)
	_ resource.ResourceWithValidateConfig = (*userLicenseAssignmentResource)(nil)
	_ resource.ResourceWithIdentity       = (*userLicenseAssignmentResource)(nil)
	_ resource.ResourceWithConfigure      = (*licenseAssignmentResource)(nil)
	_ resource.ResourceWithImportState    = (*licenseAssignmentResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*licenseAssignmentResource)(nil)
	_ resource.ResourceWithValidateConfig = (*licenseAssignmentResource)(nil)
	_ resource.ResourceWithIdentity       = (*licenseAssignmentResource)(nil)
)
