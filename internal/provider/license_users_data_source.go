package provider

import (
	"context"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var (
	_ datasource.DataSource              = (*licenseUsersDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*licenseUsersDataSource)(nil)
)

type licenseUsersDataSource struct {
	data *providerData
}

// NewLicenseUsersDataSource returns the purecloud_license_users data source.
func NewLicenseUsersDataSource() datasource.DataSource {
	return &licenseUsersDataSource{}
}

type licenseUsersModel struct {
	UserIDs   types.Set    `tfsdk:"user_ids"`
	LicenseID types.String `tfsdk:"license_id"`
	Users     types.List   `tfsdk:"users"`
}

type licenseUserModel struct {
	UserID     types.String `tfsdk:"user_id"`
	LicenseIDs types.Set    `tfsdk:"license_ids"`
}

var licenseUserAttrTypes = map[string]attr.Type{
	"user_id":     types.StringType,
	"license_ids": types.SetType{ElemType: types.StringType},
}

func (d *licenseUsersDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_license_users"
}

func (d *licenseUsersDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists users with the licenses they hold: the whole organization " +
			"(`getLicenseUsers`, `GET /api/v2/license/users`, every page), or only the users in `user_ids` " +
			"(`postLicenseUsers`, `POST /api/v2/license/users`, in batches of `max_batch_users`). " +
			"Use it to audit who holds a license.",
		Attributes: map[string]schema.Attribute{
			"user_ids": schema.SetAttribute{
				MarkdownDescription: "Only these users. A user id Genesys Cloud does not know is an error naming it.",
				ElementType:         types.StringType,
				Optional:            true,
				Validators: []validator.Set{
					setvalidator.SizeAtLeast(1),
					setvalidator.ValueStringsAre(userIDValidator()),
				},
			},
			"license_id": schema.StringAttribute{
				MarkdownDescription: "Only users holding this license, such as `cloudCX2`. An id the " +
					"organization does not have is an error that lists the valid ids.",
				Optional:   true,
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"users": schema.ListNestedAttribute{
				MarkdownDescription: "The users, sorted by id.",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"user_id": schema.StringAttribute{
						MarkdownDescription: "Id of the user.",
						Computed:            true,
					},
					"license_ids": schema.SetAttribute{
						MarkdownDescription: "Ids of every license the user holds.",
						ElementType:         types.StringType,
						Computed:            true,
					},
				}},
			},
		},
	}
}

func (d *licenseUsersDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *licenseUsersDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg licenseUsersModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}

	licenseFilter := cfg.LicenseID.ValueString()
	if licenseFilter != "" {
		valid, _, err := d.data.knownLicenseIDs(ctx)
		if err != nil {
			addAPIError(&resp.Diagnostics, summaryReadDefinitions, "Listing license definitions to check license_id failed.", err)
			return
		}
		if !slices.Contains(valid, licenseFilter) {
			addUnknownLicenseError(&resp.Diagnostics, path.Root("license_id"), []string{licenseFilter}, valid, nil)
			return
		}
	}

	held := map[string][]string{}
	if cfg.UserIDs.IsNull() {
		users, err := d.data.client.ListLicenseUsers(ctx)
		if err != nil {
			addAPIError(&resp.Diagnostics, summaryReadUsers, "Listing the organization's licensed users failed.", err)
			return
		}
		for _, u := range users {
			held[u.ID] = u.Licenses
		}
	} else {
		var ids []string
		resp.Diagnostics.Append(cfg.UserIDs.ElementsAs(ctx, &ids, false)...)
		if resp.Diagnostics.HasError() {
			return
		}
		got, err := d.data.client.GetLicenseUsersByID(ctx, ids)
		if err != nil {
			addAPIError(&resp.Diagnostics, summaryReadUsers, "Reading the licenses of users "+quoteList(ids)+" failed.", err)
			return
		}
		var missing []string
		for _, id := range ids {
			if _, ok := got[id]; !ok {
				missing = append(missing, id)
			}
		}
		if len(missing) > 0 {
			slices.Sort(missing)
			resp.Diagnostics.AddAttributeError(path.Root("user_ids"), summaryUserNotFound,
				"Genesys Cloud has no user with id "+quoteList(missing)+". Remove the id from user_ids or check "+
					"that it belongs to the OAuth client's organization.")
			return
		}
		held = got
	}

	userIDs := make([]string, 0, len(held))
	for id, licenses := range held {
		if licenseFilter != "" && !slices.Contains(licenses, licenseFilter) {
			continue
		}
		userIDs = append(userIDs, id)
	}
	slices.Sort(userIDs)

	models := make([]licenseUserModel, 0, len(userIDs))
	for _, id := range userIDs {
		licenses := held[id]
		if licenses == nil {
			licenses = []string{}
		}
		set, diags := types.SetValueFrom(ctx, types.StringType, licenses)
		resp.Diagnostics.Append(diags...)
		models = append(models, licenseUserModel{UserID: types.StringValue(id), LicenseIDs: set})
	}
	if resp.Diagnostics.HasError() {
		return
	}
	list, diags := types.ListValueFrom(ctx, types.ObjectType{AttrTypes: licenseUserAttrTypes}, models)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	cfg.Users = list
	resp.Diagnostics.Append(resp.State.Set(ctx, &cfg)...)
}
