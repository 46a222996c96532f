package provider

import (
	"context"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/purecloud-terraform/terraform-provider-purecloud/internal/client"
)

var (
	_ datasource.DataSource              = (*licenseDefinitionsDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*licenseDefinitionsDataSource)(nil)
)

type licenseDefinitionsDataSource struct {
	data *providerData
}

// NewLicenseDefinitionsDataSource returns the purecloud_license_definitions data source.
func NewLicenseDefinitionsDataSource() datasource.DataSource {
	return &licenseDefinitionsDataSource{}
}

type licenseDefinitionsModel struct {
	IDs                 types.Set    `tfsdk:"ids"`
	DescriptionContains types.String `tfsdk:"description_contains"`
	Definitions         types.List   `tfsdk:"definitions"`
}

func (d *licenseDefinitionsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_license_definitions"
}

func (d *licenseDefinitionsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := licenseDefinitionAttributes()
	attrs["id"] = schema.StringAttribute{
		MarkdownDescription: "Id of the license definition, such as `cloudCX2`.",
		Computed:            true,
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the license definitions of the Genesys Cloud organization " +
			"(`getLicenseDefinitions`, `GET /api/v2/license/definitions`), optionally filtered. The list " +
			"endpoint omits permissions, so the permissions of each returned definition are read with " +
			"`getLicenseDefinition`.",
		Attributes: map[string]schema.Attribute{
			"ids": schema.SetAttribute{
				MarkdownDescription: "Only return definitions with these ids. An id the organization does not " +
					"have is an error that lists the valid ids.",
				ElementType: types.StringType,
				Optional:    true,
				Validators: []validator.Set{
					setvalidator.SizeAtLeast(1),
					setvalidator.ValueStringsAre(stringvalidator.LengthAtLeast(1)),
				},
			},
			"description_contains": schema.StringAttribute{
				MarkdownDescription: "Only return definitions whose description contains this text, ignoring case.",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"definitions": schema.ListNestedAttribute{
				MarkdownDescription: "The matching license definitions, sorted by id.",
				Computed:            true,
				NestedObject:        schema.NestedAttributeObject{Attributes: attrs},
			},
		},
	}
}

func (d *licenseDefinitionsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *licenseDefinitionsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg licenseDefinitionsModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	var wanted []string
	if !cfg.IDs.IsNull() {
		resp.Diagnostics.Append(cfg.IDs.ElementsAs(ctx, &wanted, false)...)
		if resp.Diagnostics.HasError() {
			return
		}
	}
	contains := strings.ToLower(cfg.DescriptionContains.ValueString())

	defs, err := d.data.client.ListLicenseDefinitions(ctx)
	if err != nil {
		addAPIError(&resp.Diagnostics, summaryReadDefinitions, "Listing the organization's license definitions failed.", err)
		return
	}
	byID := make(map[string]client.LicenseDefinition, len(defs))
	all := make([]string, 0, len(defs))
	for _, def := range defs {
		byID[def.ID] = def
		all = append(all, def.ID)
	}
	slices.Sort(all)

	var unknown []string
	for _, id := range wanted {
		if _, ok := byID[id]; !ok {
			unknown = append(unknown, id)
		}
	}
	if len(unknown) > 0 {
		slices.Sort(unknown)
		addUnknownLicenseError(&resp.Diagnostics, path.Root("ids"), unknown, all, nil)
		return
	}

	selected := make([]client.LicenseDefinition, 0, len(all))
	for _, id := range all {
		def := byID[id]
		if len(wanted) > 0 && !slices.Contains(wanted, id) {
			continue
		}
		if contains != "" && !strings.Contains(strings.ToLower(def.Description), contains) {
			continue
		}
		if def.Permissions == nil {
			full, err := d.data.client.GetLicenseDefinition(ctx, id)
			if err != nil {
				addAPIError(&resp.Diagnostics, summaryReadDefinition, "Reading the permissions of license definition \""+id+"\" failed.", err)
				return
			}
			def = *full
		}
		selected = append(selected, def)
	}

	models := make([]licenseDefinitionModel, 0, len(selected))
	for _, def := range selected {
		m, diags := licenseDefinitionFromAPI(ctx, def)
		resp.Diagnostics.Append(diags...)
		models = append(models, m)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	list, diags := types.ListValueFrom(ctx, types.ObjectType{AttrTypes: licenseDefinitionAttrTypes}, models)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	cfg.Definitions = list
	resp.Diagnostics.Append(resp.State.Set(ctx, &cfg)...)
}
