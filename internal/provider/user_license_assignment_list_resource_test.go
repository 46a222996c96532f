package provider

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/purecloud-terraform/terraform-provider-purecloud/internal/client"
	"github.com/purecloud-terraform/terraform-provider-purecloud/internal/mockapi"
)

// Every filter of the list resource against an organization of five users, two without licenses.
func TestAccUserLicenseAssignmentList_filters(t *testing.T) {
	t.Parallel()
	mock, url := testAccMock(t, mockapi.Options{Users: 5})
	u1, u2, u3, u4, u5 := mockapi.UserID(1), mockapi.UserID(2), mockapi.UserID(3), mockapi.UserID(4), mockapi.UserID(5)
	mock.SetUserLicenses(u1, []string{"wallboardUser", "cloudCX1"})
	mock.SetUserLicenses(u2, []string{"cloudCX2"})
	mock.SetUserLicenses(u4, []string{"collaborate", "cloudCX2"})

	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)},
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: testAccProviderConfig(url)},
			{
				Query: true,
				Config: fmt.Sprintf(`
list "purecloud_user_license_assignment" "all" {
  provider         = purecloud
  include_resource = true
}

list "purecloud_user_license_assignment" "cx2" {
  provider = purecloud
  config {
    license_ids = ["cloudCX2"]
  }
}

list "purecloud_user_license_assignment" "chosen" {
  provider = purecloud
  config {
    user_ids           = [%q, %q]
    include_unlicensed = true
  }
}

list "purecloud_user_license_assignment" "everyone" {
  provider = purecloud
  config {
    include_unlicensed = true
  }
}
`, u3, u1),
				QueryResultChecks: []querycheck.QueryResultCheck{
					// No filter: every licensed user, with identity, display name and resource.
					querycheck.ExpectLength("purecloud_user_license_assignment.all", 3),
					querycheck.ExpectIdentity("purecloud_user_license_assignment.all", map[string]knownvalue.Check{"user_id": knownvalue.StringExact(u1)}),
					querycheck.ExpectIdentity("purecloud_user_license_assignment.all", map[string]knownvalue.Check{"user_id": knownvalue.StringExact(u2)}),
					querycheck.ExpectIdentity("purecloud_user_license_assignment.all", map[string]knownvalue.Check{"user_id": knownvalue.StringExact(u4)}),
					querycheck.ExpectNoIdentity("purecloud_user_license_assignment.all", map[string]knownvalue.Check{"user_id": knownvalue.StringExact(u3)}),
					querycheck.ExpectResourceDisplayName("purecloud_user_license_assignment.all", testAccListUser(u1),
						knownvalue.StringExact(u1+" (cloudCX1, wallboardUser)")),
					querycheck.ExpectResourceKnownValues("purecloud_user_license_assignment.all", testAccListUser(u4), []querycheck.KnownValueCheck{
						{Path: tfjsonpath.New("id"), KnownValue: knownvalue.StringExact(u4)},
						{Path: tfjsonpath.New("user_id"), KnownValue: knownvalue.StringExact(u4)},
						{Path: tfjsonpath.New("license_ids"), KnownValue: knownvalue.SetExact([]knownvalue.Check{
							knownvalue.StringExact("cloudCX2"), knownvalue.StringExact("collaborate"),
						})},
						{Path: tfjsonpath.New("exclusive"), KnownValue: knownvalue.Bool(false)},
						{Path: tfjsonpath.New("timeouts"), KnownValue: knownvalue.Null()},
					}),
					// license_ids: users holding any of them.
					querycheck.ExpectLength("purecloud_user_license_assignment.cx2", 2),
					querycheck.ExpectIdentity("purecloud_user_license_assignment.cx2", map[string]knownvalue.Check{"user_id": knownvalue.StringExact(u2)}),
					querycheck.ExpectIdentity("purecloud_user_license_assignment.cx2", map[string]knownvalue.Check{"user_id": knownvalue.StringExact(u4)}),
					// user_ids: only those, in id order, the unlicensed one included on request.
					querycheck.ExpectLength("purecloud_user_license_assignment.chosen", 2),
					querycheck.ExpectResourceDisplayName("purecloud_user_license_assignment.chosen", testAccListUser(u3),
						knownvalue.StringExact(u3+" (no licenses)")),
					querycheck.ExpectIdentity("purecloud_user_license_assignment.chosen", map[string]knownvalue.Check{"user_id": knownvalue.StringExact(u1)}),
					// include_unlicensed: every user.
					querycheck.ExpectLength("purecloud_user_license_assignment.everyone", 5),
					querycheck.ExpectIdentity("purecloud_user_license_assignment.everyone", map[string]knownvalue.Check{"user_id": knownvalue.StringExact(u5)}),
				},
			},
		},
	})
}

// Paging: 250 licensed users over three pages of getLicenseUsers, all found; with a limit,
// the listing reads only the pages it needs.
func TestAccUserLicenseAssignmentList_pagesAndLimit(t *testing.T) {
	t.Parallel()
	seed := map[string][]string{}
	for i := 1; i <= 250; i++ {
		seed[mockapi.UserID(i)] = []string{"cloudCX1"}
	}
	// Reset before each query zeroes the request counters and keeps the seeded licenses.
	mock, url := testAccMock(t, mockapi.Options{Users: 250, UserLicenses: seed})
	listBlock := func(limit int) string {
		return fmt.Sprintf(`
list "purecloud_user_license_assignment" "all" {
  provider = purecloud
  limit    = %d
}
`, limit)
	}

	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)},
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: testAccProviderConfig(url)},
			{
				PreConfig: mock.Reset,
				Query:     true,
				Config:    listBlock(1000),
				QueryResultChecks: []querycheck.QueryResultCheck{
					querycheck.ExpectLength("purecloud_user_license_assignment.all", 250),
					querycheck.ExpectIdentity("purecloud_user_license_assignment.all", map[string]knownvalue.Check{"user_id": knownvalue.StringExact(mockapi.UserID(1))}),
					querycheck.ExpectIdentity("purecloud_user_license_assignment.all", map[string]knownvalue.Check{"user_id": knownvalue.StringExact(mockapi.UserID(250))}),
					testAccQueryRequests(mock, mockapi.RouteGetUsers, 3),
				},
			},
			{
				// The first 100 users fill the first page exactly: the listing stops there without
				// asking for the second page.
				PreConfig: mock.Reset,
				Query:     true,
				Config:    listBlock(100),
				QueryResultChecks: []querycheck.QueryResultCheck{
					querycheck.ExpectLength("purecloud_user_license_assignment.all", 100),
					testAccQueryRequests(mock, mockapi.RouteGetUsers, 1),
				},
			},
		},
	})
}

// Bad filter values are errors that name the attribute, at validation when they are known then
// and when listing otherwise.
func TestAccUserLicenseAssignmentList_errors(t *testing.T) {
	t.Parallel()
	_, url := testAccMock(t, mockapi.Options{Users: 2})
	query := func(config string) string {
		return `
list "purecloud_user_license_assignment" "test" {
  provider = purecloud
  config {
` + config + `
  }
}
`
	}
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)},
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: testAccProviderConfig(url)},
			{
				Query:       true,
				Config:      query(`user_ids = ["not-a-user"]`),
				ExpectError: testAccError(`user_ids.*must be a Genesys Cloud user id, a lower-case UUID`),
			},
			{
				Query:       true,
				Config:      query(`license_ids = ["cloudCX1", "noSuchLicense"]`),
				ExpectError: testAccError(`Unknown License ID.*license_ids.*"noSuchLicense".*Valid license ids are: .*cloudCX1`),
			},
			{
				Query: true,
				Config: query(`
    license_ids        = ["cloudCX1"]
    include_unlicensed = true`),
				ExpectError: testAccError(`Conflicting List Filters.*include_unlicensed.*license_ids`),
			},
			{
				Query:       true,
				Config:      query(fmt.Sprintf(`user_ids = [%q, %q]`, mockapi.UserID(1), mockapi.UserID(9))),
				ExpectError: testAccError(`User Not Found.*"` + mockapi.UserID(9) + `"`),
			},
		},
	})
}

// testAccListUser selects the list result of one user.
func testAccListUser(userID string) queryfilter.QueryFilter {
	return queryfilter.ByResourceIdentity(map[string]knownvalue.Check{"user_id": knownvalue.StringExact(userID)})
}

// testAccQueryRequests is a query check that the mock received route want times.
func testAccQueryRequests(mock *mockapi.Server, route string, want int) querycheck.QueryResultCheck {
	return queryRequestsCheck{mock: mock, route: route, want: want}
}

type queryRequestsCheck struct {
	mock  *mockapi.Server
	route string
	want  int
}

func (c queryRequestsCheck) CheckQuery(_ context.Context, _ querycheck.CheckQueryRequest, resp *querycheck.CheckQueryResponse) {
	if got := c.mock.Stats().Requests[c.route]; got != c.want {
		resp.Error = fmt.Errorf("%s was called %d times, want %d", c.route, got, c.want)
	}
}

// Which users each combination of filters lists.
func TestUserLicenseAssignmentListFilter_matches(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		filter   listFilter
		licenses []string
		want     bool
	}{
		{"licensed, no filter", listFilter{}, []string{"cloudCX1"}, true},
		{"unlicensed, no filter", listFilter{}, nil, false},
		{"unlicensed, include_unlicensed", listFilter{includeUnlicensed: true}, nil, true},
		{"holds one of license_ids", listFilter{licenseIDs: []string{"cloudCX2", "wallboardUser"}}, []string{"cloudCX1", "wallboardUser"}, true},
		{"holds none of license_ids", listFilter{licenseIDs: []string{"cloudCX2"}}, []string{"cloudCX1", "wallboardUser"}, false},
	}
	for _, tt := range tests {
		if got := tt.filter.matches(tt.licenses); got != tt.want {
			t.Errorf("%s: matches(%v) = %v, want %v", tt.name, tt.licenses, got, tt.want)
		}
	}
	if got := userLicenseAssignmentDisplayName(mockapi.UserID(1), []string{"cloudCX1", "wallboardUser"}); got != mockapi.UserID(1)+" (cloudCX1, wallboardUser)" {
		t.Errorf("display name %q", got)
	}
}

// Values that were unknown when Terraform validated the list block (from variables) are checked
// when listing, with errors naming the attribute.
func TestUserLicenseAssignmentList_filterChecksValues(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	_, url := mockapi.NewTestServer(t, mockapi.Options{Users: 1})
	c, err := client.New(ctx, client.Config{ClientID: testClientID, ClientSecret: testClientSecret, APIURL: url})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	r := &userLicenseAssignmentListResource{data: newProviderData(c, 0)}
	var schemaResp list.ListResourceSchemaResponse
	r.ListResourceConfigSchema(ctx, list.ListResourceSchemaRequest{}, &schemaResp)
	strs := func(items ...string) tftypes.Value {
		vals := make([]tftypes.Value, len(items))
		for i, s := range items {
			vals[i] = tftypes.NewValue(tftypes.String, s)
		}
		return tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, vals)
	}
	null := tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, nil)
	config := func(licenses, users tftypes.Value, unlicensed bool) tfsdk.Config {
		typ := schemaResp.Schema.Type().TerraformType(ctx)
		return tfsdk.Config{Schema: schemaResp.Schema, Raw: tftypes.NewValue(typ, map[string]tftypes.Value{
			"license_ids":        licenses,
			"user_ids":           users,
			"include_unlicensed": tftypes.NewValue(tftypes.Bool, unlicensed),
		})}
	}
	tests := []struct {
		name    string
		config  tfsdk.Config
		attr    string
		summary string
		detail  string
	}{
		{"malformed user id", config(null, strs(mockapi.UserID(1), "bob"), false), "user_ids", "Invalid User ID", `user_ids contains "bob"`},
		{"empty license id", config(strs(""), null, false), "license_ids", "Invalid License ID", "license_ids contains an empty string"},
		{"unknown license id", config(strs("cloudCX1", "cloudcx2"), null, false), "license_ids", summaryUnknownLicense, `license_ids filters on a license the organization does not have. The organization has no license definition with id "cloudcx2"`},
		{"conflicting filters", config(strs("cloudCX1"), null, true), "include_unlicensed", "Conflicting List Filters", "Remove license_ids"},
	}
	for _, tt := range tests {
		var diags diag.Diagnostics
		r.filter(ctx, list.ListRequest{Config: tt.config}, &diags)
		errs := diags.Errors()
		if len(errs) != 1 {
			t.Errorf("%s: want one error, got %v", tt.name, diags)
			continue
		}
		withPath, ok := errs[0].(diag.DiagnosticWithPath)
		if !ok || !withPath.Path().Equal(path.Root(tt.attr)) || errs[0].Summary() != tt.summary || !strings.Contains(errs[0].Detail(), tt.detail) {
			t.Errorf("%s: want %q on %s containing %q, got %v", tt.name, tt.summary, tt.attr, tt.detail, errs[0])
		}
	}

	var diags diag.Diagnostics
	f := r.filter(ctx, list.ListRequest{Config: config(strs("wallboardUser", "cloudCX1", "cloudCX1"), null, false)}, &diags)
	if diags.HasError() || !slices.Equal(f.licenseIDs, []string{"cloudCX1", "wallboardUser"}) {
		t.Errorf("valid filter: got %+v, %v", f, diags)
	}
}
