package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var (
	_ datasource.DataSource              = (*inferredLicensesDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*inferredLicensesDataSource)(nil)
)

type inferredLicensesDataSource struct {
	data *providerData
}

// NewInferredLicensesDataSource returns the purecloud_inferred_licenses data source.
func NewInferredLicensesDataSource() datasource.DataSource {
	return &inferredLicensesDataSource{}
}

type inferredLicensesModel struct {
	RoleIDs    types.Set `tfsdk:"role_ids"`
	LicenseIDs types.Set `tfsdk:"license_ids"`
}

func (d *inferredLicensesDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_inferred_licenses"
}

func (d *inferredLicensesDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Returns the licenses that a set of roles implies (`postLicenseInfer`, " +
			"`POST /api/v2/license/infer`). Genesys Cloud assigns such licenses automatically when " +
			"auto-licensing is on; use this to see what a role grant will bring before managing licenses " +
			"with `purecloud_user_license_assignment`.",
		Attributes: map[string]schema.Attribute{
			"role_ids": schema.SetAttribute{
				MarkdownDescription: "Ids of Genesys Cloud authorization roles, such as `genesyscloud_auth_role.agent.id`. " +
					"Roles the organization does not have contribute nothing. An empty set (for example the roles " +
					"of a user who has none) gives an empty `license_ids` without asking Genesys Cloud.",
				ElementType: types.StringType,
				Required:    true,
				Validators: []validator.Set{
					setvalidator.ValueStringsAre(stringvalidator.LengthAtLeast(1)),
				},
			},
			"license_ids": schema.SetAttribute{
				MarkdownDescription: "Ids of the licenses the roles imply together.",
				ElementType:         types.StringType,
				Computed:            true,
			},
		},
	}
}

func (d *inferredLicensesDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *inferredLicensesDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg inferredLicensesModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	var roles []string
	resp.Diagnostics.Append(cfg.RoleIDs.ElementsAs(ctx, &roles, false)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// No roles imply no licenses: nothing to ask.
	var ids []string
	if len(roles) > 0 {
		var err error
		ids, err = d.data.client.InferLicenses(ctx, roles)
		if err != nil {
			addAPIError(&resp.Diagnostics, summaryInfer, "Inferring the licenses of roles "+quoteList(roles)+" failed.", err)
			return
		}
	}
	if ids == nil {
		ids = []string{}
	}
	set, diags := types.SetValueFrom(ctx, types.StringType, ids)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	cfg.LicenseIDs = set
	resp.Diagnostics.Append(resp.State.Set(ctx, &cfg)...)
}
