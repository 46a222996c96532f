package provider

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/purecloud-terraform/terraform-provider-purecloud/internal/client"
)

var (
	_ list.ListResource                   = (*userLicenseAssignmentListResource)(nil)
	_ list.ListResourceWithConfigure      = (*userLicenseAssignmentListResource)(nil)
	_ list.ListResourceWithValidateConfig = (*userLicenseAssignmentListResource)(nil)
)

// userLicenseAssignmentListResource lists the license assignments of an organization for
// `terraform query` (Terraform 1.14 and later): one result per user, with the identity and,
// on request, the full state of a purecloud_user_license_assignment that adopts the user's
// licenses as they are.
type userLicenseAssignmentListResource struct {
	data *providerData
}

// NewUserLicenseAssignmentListResource returns the purecloud_user_license_assignment list resource.
func NewUserLicenseAssignmentListResource() list.ListResource {
	return &userLicenseAssignmentListResource{}
}

type userLicenseAssignmentListModel struct {
	LicenseIDs        types.List `tfsdk:"license_ids"`
	UserIDs           types.List `tfsdk:"user_ids"`
	IncludeUnlicensed types.Bool `tfsdk:"include_unlicensed"`
}

// listFilter is the list block's configuration once checked.
type listFilter struct {
	licenseIDs        []string // sorted; empty: any license
	userIDs           []string // sorted; empty: every user
	includeUnlicensed bool
}

// matches tells whether a user holding licenses (sorted) is listed.
func (f listFilter) matches(licenses []string) bool {
	if len(licenses) == 0 {
		return f.includeUnlicensed
	}
	if len(f.licenseIDs) == 0 {
		return true
	}
	for _, id := range licenses {
		if _, found := slices.BinarySearch(f.licenseIDs, id); found {
			return true
		}
	}
	return false
}

func (r *userLicenseAssignmentListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_user_license_assignment"
}

func (r *userLicenseAssignmentListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the users of the organization with the licenses they hold, one " +
			"`purecloud_user_license_assignment` per user, for `terraform query` (Terraform 1.14 and later). " +
			"Every user is read from `getLicenseUsers` (`GET /api/v2/license/users`), page after page, and " +
			"the walk stops as soon as Terraform has the results it asked for (the list block's `limit`, " +
			"100 unless set); with `user_ids`, only those users are read, with `postLicenseUsers` " +
			"(`POST /api/v2/license/users`).\n\n" +
			"Each result is named by the user id and the license ids the user holds, and carries the " +
			"resource identity (`user_id`). With `include_resource = true`, and always with " +
			"`terraform query -generate-config-out`, it also carries the resource as an import would " +
			"record it: `license_ids` is every license the user holds and `exclusive` is `false`, so " +
			"applying the generated configuration imports the assignments without changing any license.",
		Attributes: map[string]schema.Attribute{
			"license_ids": schema.ListAttribute{
				MarkdownDescription: "Only users holding at least one of these licenses, such as `cloudCX2`. " +
					"Ids the organization does not have are an error that lists the valid ones. Unset or empty: " +
					"users holding any license.",
				ElementType: types.StringType,
				Optional:    true,
				Validators: []validator.List{
					listvalidator.ValueStringsAre(stringvalidator.LengthAtLeast(1)),
				},
			},
			"user_ids": schema.ListAttribute{
				MarkdownDescription: "Only these users, given by their Genesys Cloud user ids (UUIDs). A user " +
					"id Genesys Cloud does not know is an error naming it. Unset or empty: every user of the " +
					"organization. The other filters still apply.",
				ElementType: types.StringType,
				Optional:    true,
				Validators: []validator.List{
					listvalidator.ValueStringsAre(userIDValidator()),
				},
			},
			"include_unlicensed": schema.BoolAttribute{
				MarkdownDescription: "When `true`, users who hold no license are listed too (their " +
					"`license_ids` is empty, which a `purecloud_user_license_assignment` does not accept: give " +
					"them a license or drop them from generated configuration). Cannot be combined with " +
					"`license_ids`. Defaults to `false`.",
				Optional: true,
			},
		},
	}
}

func (r *userLicenseAssignmentListResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// ValidateListResourceConfig checks the combination of filters (each attribute's own validators
// check its values).
func (r *userLicenseAssignmentListResource) ValidateListResourceConfig(ctx context.Context, req list.ValidateConfigRequest, resp *list.ValidateConfigResponse) {
	var cfg userLicenseAssignmentListModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	checkListFilterCombination(cfg, &resp.Diagnostics)
}

func (r *userLicenseAssignmentListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var diags diag.Diagnostics
	filter := r.filter(ctx, req, &diags)
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	stream.Results = func(push func(list.ListResult) bool) {
		var sent int64
		emit := func(userID string, licenses []string) bool {
			if !filter.matches(licenses) {
				return true
			}
			if !push(userLicenseAssignmentListResult(ctx, req, userID, licenses)) {
				return false
			}
			sent++
			return req.Limit <= 0 || sent < req.Limit
		}
		var walkDiags diag.Diagnostics
		if len(filter.userIDs) > 0 {
			r.walkUsers(ctx, filter.userIDs, emit, &walkDiags)
		} else {
			r.walkOrganization(ctx, emit, &walkDiags)
		}
		if len(walkDiags) > 0 {
			push(list.ListResult{Diagnostics: walkDiags})
		}
	}
}

// filter reads and checks the list block's configuration: values that were unknown when the
// configuration was validated are checked here, and license ids against the organization's
// license definitions.
func (r *userLicenseAssignmentListResource) filter(ctx context.Context, req list.ListRequest, diags *diag.Diagnostics) listFilter {
	var cfg userLicenseAssignmentListModel
	diags.Append(req.Config.Get(ctx, &cfg)...)
	if diags.HasError() {
		return listFilter{}
	}
	if r.data == nil {
		diags.AddError(summaryNotConfigured, "The purecloud provider was not configured before listing "+
			"license assignments. This is a bug in the provider or in Terraform; please report it.")
		return listFilter{}
	}
	checkListFilterCombination(cfg, diags)
	f := listFilter{
		licenseIDs:        listStrings(ctx, cfg.LicenseIDs, diags),
		userIDs:           listStrings(ctx, cfg.UserIDs, diags),
		includeUnlicensed: cfg.IncludeUnlicensed.ValueBool(),
	}
	if diags.HasError() {
		return listFilter{}
	}
	var badUsers []string
	for _, id := range f.userIDs {
		if !userIDPattern.MatchString(id) {
			badUsers = append(badUsers, id)
		}
	}
	if len(badUsers) > 0 {
		diags.AddAttributeError(path.Root("user_ids"), summaryInvalidUserID,
			fmt.Sprintf("user_ids contains %s, which is not a Genesys Cloud user id. User ids are %s, for example "+
				"genesyscloud_user.<name>.id.", quoteList(badUsers), userIDFormat))
	}
	if slices.Contains(f.licenseIDs, "") {
		diags.AddAttributeError(path.Root("license_ids"), summaryInvalidLicenseID,
			"license_ids contains an empty string. Remove it, or list license ids such as cloudCX2.")
	}
	if diags.HasError() || len(f.licenseIDs) == 0 {
		return f
	}
	valid, _, err := r.data.knownLicenseIDs(ctx)
	if err != nil {
		addAPIError(diags, summaryReadDefinitions, "Listing license definitions to check license_ids failed.", err)
		return f
	}
	var unknown []string
	for _, id := range f.licenseIDs {
		if _, found := slices.BinarySearch(valid, id); !found {
			unknown = append(unknown, id)
		}
	}
	if len(unknown) > 0 {
		diags.AddAttributeError(path.Root("license_ids"), summaryUnknownLicense,
			"license_ids filters on a license the organization does not have. "+unknownLicenseDetail(unknown, valid))
	}
	return f
}

// checkListFilterCombination refuses include_unlicensed together with license_ids: users without
// licenses never hold one of the listed licenses.
func checkListFilterCombination(cfg userLicenseAssignmentListModel, diags *diag.Diagnostics) {
	if cfg.IncludeUnlicensed.ValueBool() && !cfg.LicenseIDs.IsNull() && !cfg.LicenseIDs.IsUnknown() && len(cfg.LicenseIDs.Elements()) > 0 {
		diags.AddAttributeError(path.Root("include_unlicensed"), summaryConflictingFilters,
			"include_unlicensed = true lists users who hold no license, but license_ids lists only users holding "+
				"one of its licenses. Remove license_ids to list every user, or remove include_unlicensed.")
	}
}

// walkOrganization pages through getLicenseUsers (client.WalkLicenseUsers decides where the
// pages end) and hands each user to emit, until the last page or until emit returns false. A
// user seen on two pages (moved while paging) is handed once.
func (r *userLicenseAssignmentListResource) walkOrganization(ctx context.Context, emit func(string, []string) bool, diags *diag.Diagnostics) {
	seen := map[string]bool{}
	err := r.data.client.WalkLicenseUsers(ctx, func(users []client.UserLicenses) bool {
		for _, u := range users {
			if seen[u.ID] {
				continue
			}
			seen[u.ID] = true
			if !emit(u.ID, sortedUnique(u.Licenses)) {
				return false
			}
		}
		return true
	})
	if err != nil {
		addAPIError(diags, summaryReadUsers, "Reading the organization's users (getLicenseUsers) failed.", err)
	}
}

// walkUsers reads the given users (postLicenseUsers, in batches) and hands each to emit in
// user id order, until emit returns false. A user Genesys Cloud does not know is an error.
func (r *userLicenseAssignmentListResource) walkUsers(ctx context.Context, userIDs []string, emit func(string, []string) bool, diags *diag.Diagnostics) {
	held, err := r.data.client.GetLicenseUsersByID(ctx, userIDs)
	if err != nil {
		addAPIError(diags, summaryReadUsers, "Reading the licenses of users "+quoteList(userIDs)+" failed.", err)
		return
	}
	var missing []string
	for _, id := range userIDs {
		licenses, ok := held[id]
		if !ok {
			missing = append(missing, id)
			continue
		}
		if !emit(id, sortedUnique(licenses)) {
			return
		}
	}
	if len(missing) > 0 {
		diags.AddAttributeError(path.Root("user_ids"), summaryUserNotFound,
			"Genesys Cloud has no user with id "+quoteList(missing)+". Remove the id from user_ids or check "+
				"that it belongs to the OAuth client's organization.")
	}
}

// userLicenseAssignmentListResult is one listed user: display name, identity and, when asked
// for, the state an import of the user would record.
func userLicenseAssignmentListResult(ctx context.Context, req list.ListRequest, userID string, licenses []string) list.ListResult {
	result := req.NewListResult(ctx)
	result.DisplayName = userLicenseAssignmentDisplayName(userID, licenses)
	setUserLicenseAssignmentIdentity(ctx, result.Identity, userID, &result.Diagnostics)
	if req.IncludeResource {
		d := &result.Diagnostics
		d.Append(result.Resource.SetAttribute(ctx, path.Root("id"), userID)...)
		d.Append(result.Resource.SetAttribute(ctx, path.Root("user_id"), userID)...)
		d.Append(result.Resource.SetAttribute(ctx, path.Root("license_ids"), largeStringSet(ctx, licenses, d))...)
		d.Append(result.Resource.SetAttribute(ctx, path.Root("exclusive"), false)...)
	}
	return result
}

// userLicenseAssignmentDisplayName is "<user id> (<license>, <license>)".
func userLicenseAssignmentDisplayName(userID string, licenses []string) string {
	if len(licenses) == 0 {
		return userID + " (no licenses)"
	}
	return userID + " (" + strings.Join(licenses, ", ") + ")"
}

// listStrings returns the elements of a known list of strings, sorted and each once.
func listStrings(ctx context.Context, l types.List, diags *diag.Diagnostics) []string {
	if l.IsNull() || l.IsUnknown() {
		return nil
	}
	var out []string
	diags.Append(l.ElementsAs(ctx, &out, false)...)
	return sortedUnique(out)
}
