package provider

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/purecloud-terraform/terraform-provider-purecloud/internal/client"
)

var (
	_ datasource.DataSource              = (*userLicensesDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*userLicensesDataSource)(nil)
)

type userLicensesDataSource struct {
	data *providerData
}

// NewUserLicensesDataSource returns the purecloud_user_licenses data source.
func NewUserLicensesDataSource() datasource.DataSource {
	return &userLicensesDataSource{}
}

type userLicensesModel struct {
	UserID     types.String `tfsdk:"user_id"`
	LicenseIDs types.Set    `tfsdk:"license_ids"`
}

func (d *userLicensesDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_user_licenses"
}

func (d *userLicensesDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads the licenses one Genesys Cloud user holds (`getLicenseUser`, " +
			"`GET /api/v2/license/users/{userId}`), whether Terraform assigned them or not.",
		Attributes: map[string]schema.Attribute{
			"user_id": schema.StringAttribute{
				MarkdownDescription: "Id (a UUID) of the Genesys Cloud user, such as `genesyscloud_user.alice.id`.",
				Required:            true,
				Validators:          []validator.String{userIDValidator()},
			},
			"license_ids": schema.SetAttribute{
				MarkdownDescription: "Ids of every license the user holds.",
				ElementType:         types.StringType,
				Computed:            true,
			},
		},
	}
}

func (d *userLicensesDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *userLicensesDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg userLicensesModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	userID := cfg.UserID.ValueString()
	read := d.data.client.ReadLicenses(ctx, []string{userID}, client.Fresh)[userID]
	held, err := read.LicenseIDs, read.Err
	if errors.Is(err, client.ErrNotFound) {
		resp.Diagnostics.AddAttributeError(path.Root("user_id"), summaryUserNotFound,
			fmt.Sprintf("Genesys Cloud has no user with id %q. Check the id, and that the OAuth client's "+
				"organization is the user's.", userID))
		return
	}
	if err != nil {
		addAPIError(&resp.Diagnostics, summaryReadUser, fmt.Sprintf("Reading the licenses of user %q failed.", userID), err)
		return
	}
	set, diags := types.SetValueFrom(ctx, types.StringType, held)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	cfg.LicenseIDs = set
	resp.Diagnostics.Append(resp.State.Set(ctx, &cfg)...)
}
