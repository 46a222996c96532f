package provider

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/purecloud-terraform/terraform-provider-purecloud/internal/client"
)

var (
	_ datasource.DataSource              = (*licenseDefinitionDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*licenseDefinitionDataSource)(nil)
)

type licenseDefinitionDataSource struct {
	data *providerData
}

// NewLicenseDefinitionDataSource returns the purecloud_license_definition data source.
func NewLicenseDefinitionDataSource() datasource.DataSource {
	return &licenseDefinitionDataSource{}
}

// licenseDefinitionModel is one license definition, as both definition data sources expose it.
type licenseDefinitionModel struct {
	ID                  types.String `tfsdk:"id"`
	Description         types.String `tfsdk:"description"`
	PermissionIDs       types.List   `tfsdk:"permission_ids"`
	PrerequisiteIDs     types.List   `tfsdk:"prerequisite_ids"`
	ComprisedLicenseIDs types.List   `tfsdk:"comprised_license_ids"`
}

var licenseDefinitionAttrTypes = map[string]attr.Type{
	"id":                    types.StringType,
	"description":           types.StringType,
	"permission_ids":        types.ListType{ElemType: types.StringType},
	"prerequisite_ids":      types.ListType{ElemType: types.StringType},
	"comprised_license_ids": types.ListType{ElemType: types.StringType},
}

// licenseDefinitionFromAPI converts a definition; every list is sorted so that plans are stable.
func licenseDefinitionFromAPI(ctx context.Context, def client.LicenseDefinition) (licenseDefinitionModel, diag.Diagnostics) {
	var diags diag.Diagnostics
	var perms []string
	if def.Permissions != nil {
		perms = def.Permissions.IDs
	}
	prereqs := make([]string, 0, len(def.Prerequisites))
	for _, p := range def.Prerequisites {
		prereqs = append(prereqs, p.ID)
	}
	comprised := make([]string, 0, len(def.Comprises))
	for _, c := range def.Comprises {
		comprised = append(comprised, c.ID)
	}
	m := licenseDefinitionModel{
		ID:          types.StringValue(def.ID),
		Description: types.StringValue(def.Description),
	}
	var d diag.Diagnostics
	m.PermissionIDs, d = sortedStringList(ctx, perms)
	diags.Append(d...)
	m.PrerequisiteIDs, d = sortedStringList(ctx, prereqs)
	diags.Append(d...)
	m.ComprisedLicenseIDs, d = sortedStringList(ctx, comprised)
	diags.Append(d...)
	return m, diags
}

func sortedStringList(ctx context.Context, items []string) (types.List, diag.Diagnostics) {
	s := slices.Clone(items)
	if s == nil {
		s = []string{}
	}
	slices.Sort(s)
	return types.ListValueFrom(ctx, types.StringType, s)
}

// licenseDefinitionAttributes describes the computed attributes of one definition.
func licenseDefinitionAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"description": schema.StringAttribute{
			MarkdownDescription: "Human-readable description of the license.",
			Computed:            true,
		},
		"permission_ids": schema.ListAttribute{
			MarkdownDescription: "Permissions the license grants, such as `directory:user:view`, sorted.",
			ElementType:         types.StringType,
			Computed:            true,
		},
		"prerequisite_ids": schema.ListAttribute{
			MarkdownDescription: "Ids of the licenses a user must hold before this one can be assigned, sorted.",
			ElementType:         types.StringType,
			Computed:            true,
		},
		"comprised_license_ids": schema.ListAttribute{
			MarkdownDescription: "Ids of the licenses this license comprises (bundles), sorted.",
			ElementType:         types.StringType,
			Computed:            true,
		},
	}
}

func (d *licenseDefinitionDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_license_definition"
}

func (d *licenseDefinitionDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := licenseDefinitionAttributes()
	attrs["id"] = schema.StringAttribute{
		MarkdownDescription: "Id of the license definition, such as `cloudCX2` or `communicate`. Ids are short, " +
			"case-sensitive slugs, not UUIDs; `purecloud_license_definitions` lists them.",
		Required:   true,
		Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads one Genesys Cloud license definition by id (`getLicenseDefinition`, " +
			"`GET /api/v2/license/definitions/{licenseId}`): its description, the permissions it grants, " +
			"the licenses it requires and the licenses it comprises.",
		Attributes: attrs,
	}
}

func (d *licenseDefinitionDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *licenseDefinitionDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg licenseDefinitionModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := cfg.ID.ValueString()
	def, err := d.data.client.GetLicenseDefinition(ctx, id)
	if errors.Is(err, client.ErrNotFound) {
		detail := fmt.Sprintf("The organization has no license definition with id %q.", id)
		if valid, _, listErr := d.data.knownLicenseIDs(ctx); listErr == nil {
			detail = unknownLicenseDetail([]string{id}, valid)
		}
		resp.Diagnostics.AddAttributeError(path.Root("id"), summaryUnknownLicense, detail)
		return
	}
	if err != nil {
		addAPIError(&resp.Diagnostics, summaryReadDefinition, fmt.Sprintf("Reading license definition %q failed.", id), err)
		return
	}
	state, diags := licenseDefinitionFromAPI(ctx, *def)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}
