package provider

import (
	"context"
	"fmt"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
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
	_ datasource.DataSource              = (*usersByEmailDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*usersByEmailDataSource)(nil)
)

type usersByEmailDataSource struct {
	data *providerData
}

// NewUsersByEmailDataSource returns the purecloud_users_by_email data source.
func NewUsersByEmailDataSource() datasource.DataSource {
	return &usersByEmailDataSource{}
}

type usersByEmailModel struct {
	Emails          largeStringSetValue `tfsdk:"emails"`
	UserIDs         types.Map           `tfsdk:"user_ids"`
	UnmatchedEmails types.List          `tfsdk:"unmatched_emails"`
	Users           types.Map           `tfsdk:"users"`
}

type userByEmailModel struct {
	ID    types.String `tfsdk:"id"`
	Email types.String `tfsdk:"email"`
	Name  types.String `tfsdk:"name"`
	State types.String `tfsdk:"state"`
}

var userByEmailAttrTypes = map[string]attr.Type{
	"id":    types.StringType,
	"email": types.StringType,
	"name":  types.StringType,
	"state": types.StringType,
}

// maxWarnedEmails is how many unmatched emails the warning names; unmatched_emails has them all.
const maxWarnedEmails = 10

func (d *usersByEmailDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_users_by_email"
}

func (d *usersByEmailDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Looks up many users by email in few requests, so that a list of people " +
			"(an HR export, a CSV of access requests) can drive license assignments. Emails are matched " +
			"case-insensitively with `postUsersSearch` (`POST /api/v2/users/search`, an exact match on " +
			"`email`), 100 emails a request: 1 request for 10 emails, 20 for 2,000, whatever the size of " +
			"the organization. The OAuth client needs `directory:user:view`.\n\n" +
			"An email that matches no user is never dropped silently: it is listed in `unmatched_emails` " +
			"and named in a warning. Whether it fails the plan is the configuration's choice: add a " +
			"`lifecycle { postcondition }` on `unmatched_emails` (see the example), or leave it as a " +
			"warning so that a person who left the company does not block everyone else.\n\n" +
			"Emails are personal data: the emails, and the names of the users found, are saved in the " +
			"Terraform state and shown in plans. Keep the state where such data may be kept.",
		Attributes: map[string]schema.Attribute{
			"emails": schema.SetAttribute{
				MarkdownDescription: "The emails to look up, such as `toset(csvdecode(file(\"people.csv\"))[*].email)`. " +
					"Compared case-insensitively; an empty set looks up nothing.",
				ElementType: types.StringType,
				// Thousands of emails: the framework's own set type validates and compares in
				// quadratic time (see largeStringSetType).
				CustomType: newLargeStringSetType(),
				Required:   true,
				Validators: []validator.Set{
					setvalidator.ValueStringsAre(emailValidator()),
				},
			},
			"user_ids": schema.MapAttribute{
				MarkdownDescription: "Email (as written in `emails`) → id of the user with that email, for " +
					"every email that matched a user. Use it as `user_id` of `purecloud_user_license_assignment` " +
					"or in `user_ids` of `purecloud_license_assignment`.",
				ElementType: types.StringType,
				Computed:    true,
			},
			"unmatched_emails": schema.ListAttribute{
				MarkdownDescription: "The emails of `emails` that match no user, sorted. Empty when every email matched.",
				ElementType:         types.StringType,
				Computed:            true,
			},
			"users": schema.MapNestedAttribute{
				MarkdownDescription: "Email (as written in `emails`) → the user found, for every email that matched.",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"id":    schema.StringAttribute{MarkdownDescription: "Id of the user.", Computed: true},
					"email": schema.StringAttribute{MarkdownDescription: "The user's email as Genesys Cloud stores it (its case may differ).", Computed: true},
					"name":  schema.StringAttribute{MarkdownDescription: "The user's name.", Computed: true},
					"state": schema.StringAttribute{MarkdownDescription: "The user's state: `active` or `inactive`.", Computed: true},
				}},
			},
		},
	}
}

func (d *usersByEmailDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *usersByEmailDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg usersByEmailModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	var emails []string
	resp.Diagnostics.Append(cfg.Emails.ElementsAs(ctx, &emails, false)...)
	if resp.Diagnostics.HasError() {
		return
	}

	found := map[string][]client.User{}
	if len(emails) > 0 {
		var err error
		if found, err = d.data.client.UsersByEmail(ctx, emails); err != nil {
			addAPIError(&resp.Diagnostics, summaryLookUpUsers,
				fmt.Sprintf("Looking up the users of %d emails failed.", len(emails)), err)
			return
		}
	}

	ids := map[string]string{}
	users := map[string]userByEmailModel{}
	unmatched := []string{}
	for _, email := range emails {
		matches := found[email]
		switch len(matches) {
		case 0:
			unmatched = append(unmatched, email)
			continue
		case 1:
		default:
			matchIDs := make([]string, len(matches))
			for i, u := range matches {
				matchIDs[i] = u.ID
			}
			resp.Diagnostics.AddAttributeError(path.Root("emails"), summaryEmailAmbiguous,
				fmt.Sprintf("The email %q belongs to %d users: %s. A license assignment needs one user; "+
					"give each user its own email in Genesys Cloud, or name the user by id.",
					email, len(matches), quoteList(matchIDs)))
			continue
		}
		u := matches[0]
		ids[email] = u.ID
		users[email] = userByEmailModel{
			ID: types.StringValue(u.ID), Email: types.StringValue(u.Email),
			Name: types.StringValue(u.Name), State: types.StringValue(u.State),
		}
	}
	if resp.Diagnostics.HasError() {
		return
	}
	slices.Sort(unmatched)
	if len(unmatched) > 0 {
		resp.Diagnostics.AddAttributeWarning(path.Root("emails"), summaryEmailUnmatched, unmatchedEmailsDetail(unmatched))
	}

	var diags diag.Diagnostics
	cfg.UserIDs, diags = types.MapValueFrom(ctx, types.StringType, ids)
	resp.Diagnostics.Append(diags...)
	cfg.UnmatchedEmails, diags = types.ListValueFrom(ctx, types.StringType, unmatched)
	resp.Diagnostics.Append(diags...)
	cfg.Users, diags = types.MapValueFrom(ctx, types.ObjectType{AttrTypes: userByEmailAttrTypes}, users)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &cfg)...)
}

// unmatchedEmailsDetail names the emails no user has (the first maxWarnedEmails) and says what
// to do about them.
func unmatchedEmailsDetail(unmatched []string) string {
	named := unmatched
	more := ""
	if len(named) > maxWarnedEmails {
		named = named[:maxWarnedEmails]
		more = fmt.Sprintf(" and %d more", len(unmatched)-maxWarnedEmails)
	}
	noun := "email matches"
	if len(unmatched) > 1 {
		noun = "emails match"
	}
	return fmt.Sprintf("%d %s no Genesys Cloud user: %s%s. The data source lists them in unmatched_emails "+
		"and leaves them out of user_ids. Check the spelling, or remove people who have left; to make the plan fail instead, "+
		"add to the data source: lifecycle { postcondition { condition = length(self.unmatched_emails) == 0 "+
		"... } }.", len(unmatched), noun, quoteList(named), more)
}
