// Package provider implements the purecloud Terraform provider on terraform-plugin-framework.
//
// Data flows one way: Terraform → this package → internal/client → HTTP. Nothing here builds
// URLs or reads status codes.
package provider

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/purecloud-terraform/terraform-provider-purecloud/internal/client"
)

var (
	_ provider.Provider                   = (*purecloudProvider)(nil)
	_ provider.ProviderWithValidateConfig = (*purecloudProvider)(nil)
	_ provider.ProviderWithListResources  = (*purecloudProvider)(nil)
)

// Environment variables read when the matching attribute is not set. Credentials and the region
// use the official Genesys Cloud provider's names, so one set of credentials serves both. Every
// other setting has a PURECLOUD_ name: the official provider has no such setting, or its variable
// means something else there (GENESYSCLOUD_TOKEN_POOL_SIZE sizes its SDK client pool, default 10).
const (
	envClientID      = "GENESYSCLOUD_OAUTHCLIENT_ID"
	envClientSecret  = "GENESYSCLOUD_OAUTHCLIENT_SECRET"
	envAccessToken   = "GENESYSCLOUD_ACCESS_TOKEN"
	envRegion        = "GENESYSCLOUD_REGION"
	envAPIURL        = "PURECLOUD_API_URL"
	envLoginURL      = "PURECLOUD_LOGIN_URL"
	envTokenPoolSize = "PURECLOUD_TOKEN_POOL_SIZE"
	envMaxRPM        = "PURECLOUD_MAX_REQUESTS_PER_MINUTE"
	envMaxRetries    = "PURECLOUD_MAX_RETRIES"
	envReqTimeout    = "PURECLOUD_REQUEST_TIMEOUT"
	envBatchWindow   = "PURECLOUD_BATCH_WINDOW"
	envMaxBatchUsers = "PURECLOUD_MAX_BATCH_USERS"
	envReadBatching  = "PURECLOUD_READ_BATCHING"
	envReadAfterTol  = "PURECLOUD_READ_AFTER_WRITE_TOLERANCE"

	// officialEnvTokenPoolSize is the official provider's pool size variable, deliberately not read.
	officialEnvTokenPoolSize = "GENESYSCLOUD_TOKEN_POOL_SIZE"
)

// Defaults applied in Configure; provider schemas cannot carry defaults themselves.
const (
	defaultRegion               = "us-east-1"
	defaultTokenPoolSize        = 1
	maxTokenPoolSize            = 50
	defaultMaxRequestsPerMinute = 280
	maxMaxRequestsPerMinute     = 1_000_000
	defaultMaxRetries           = 5
	maxMaxRetries               = 20
	defaultRequestTimeout       = 60 * time.Second
	maxRequestTimeout           = time.Hour
	maxBatchWindow              = time.Minute
	defaultBatchWindow          = time.Second
	defaultMaxBatchUsers        = 100
	maxMaxBatchUsers            = 1000
	defaultReadAfterWriteTol    = 15 * time.Second
	maxReadAfterWriteTol        = 10 * time.Minute
)

type purecloudProvider struct {
	version string
	// getenv looks up environment variables; tests replace it so that parallel tests can
	// exercise the environment fallbacks without t.Setenv.
	getenv func(string) string
}

type providerModel struct {
	OAuthClientID        types.String `tfsdk:"oauthclient_id"`
	OAuthClientSecret    types.String `tfsdk:"oauthclient_secret"`
	AccessToken          types.String `tfsdk:"access_token"`
	Region               types.String `tfsdk:"region"`
	APIURL               types.String `tfsdk:"api_url"`
	LoginURL             types.String `tfsdk:"login_url"`
	TokenPoolSize        types.Number `tfsdk:"token_pool_size"`
	MaxRequestsPerMinute types.Number `tfsdk:"max_requests_per_minute"`
	MaxRetries           types.Number `tfsdk:"max_retries"`
	RequestTimeout       types.String `tfsdk:"request_timeout"`
	BatchWindow          types.String `tfsdk:"batch_window"`
	MaxBatchUsers        types.Number `tfsdk:"max_batch_users"`
	ReadBatching         types.Bool   `tfsdk:"read_batching"`
	ReadAfterWriteTol    types.String `tfsdk:"read_after_write_tolerance"`

	// Settings of the official Genesys Cloud provider (provider_official_settings.go).
	AWSRegion              types.String `tfsdk:"aws_region"`
	Gateway                types.Set    `tfsdk:"gateway"`
	Proxy                  types.Set    `tfsdk:"proxy"`
	SDKDebug               types.Bool   `tfsdk:"sdk_debug"`
	SDKDebugFormat         types.String `tfsdk:"sdk_debug_format"`
	SDKDebugFilePath       types.String `tfsdk:"sdk_debug_file_path"`
	SDKClientPoolDebug     types.Bool   `tfsdk:"sdk_client_pool_debug"`
	LogStackTraces         types.Bool   `tfsdk:"log_stack_traces"`
	LogStackTracesFilePath types.String `tfsdk:"log_stack_traces_file_path"`
	TokenAcquireTimeout    types.String `tfsdk:"token_acquire_timeout"`
	TokenInitTimeout       types.String `tfsdk:"token_init_timeout"`
	CustomRetryTimeout     types.String `tfsdk:"custom_retry_timeout"`
	MaxConcurrentPages     types.Number `tfsdk:"max_concurrent_pages"`
}

// New returns a constructor for the provider, as providerserver.Serve expects.
func New(version string) func() provider.Provider {
	return newWithEnv(version, os.Getenv)
}

func newWithEnv(version string, getenv func(string) string) func() provider.Provider {
	return func() provider.Provider {
		return &purecloudProvider{version: version, getenv: getenv}
	}
}

func (p *purecloudProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "purecloud"
	resp.Version = p.version
}

func (p *purecloudProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	regions := strings.Join(client.RegionKeys(), "`, `")
	resp.Schema = schema.Schema{
		MarkdownDescription: "The `purecloud` provider manages Genesys Cloud (formerly PureCloud) license " +
			"assignments through the public License API. Authenticate either with an OAuth client that has the " +
			"client-credentials grant (`oauthclient_id` and `oauthclient_secret`) or with an existing `access_token`. " +
			"Every setting can also come from the environment variable named in its description: the official " +
			"Genesys Cloud provider's names for the credentials, the region and the gateway and proxy blocks, and " +
			"`PURECLOUD_` names for this provider's own settings. The official provider's other settings are " +
			"accepted, so that its provider block works here, and warn at plan time.",
		Blocks: officialBlocks(),
		Attributes: map[string]schema.Attribute{
			"oauthclient_id": schema.StringAttribute{
				MarkdownDescription: "Client id of a Genesys Cloud OAuth client with the client-credentials grant. " +
					"Falls back to `" + envClientID + "`. Required together with `oauthclient_secret` unless " +
					"`access_token` is set.",
				Optional:   true,
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"oauthclient_secret": schema.StringAttribute{
				MarkdownDescription: "Secret of the OAuth client named by `oauthclient_id`. Falls back to `" +
					envClientSecret + "`. Never logged.",
				Optional:   true,
				Sensitive:  true,
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"access_token": schema.StringAttribute{
				MarkdownDescription: "An existing bearer token to use instead of client credentials; it is not " +
					"renewed, so it must outlive the run. Falls back to `" + envAccessToken + "`. Conflicts with " +
					"`oauthclient_id` and `oauthclient_secret`. Never logged.",
				Optional:  true,
				Sensitive: true,
				Validators: []validator.String{
					stringvalidator.LengthAtLeast(1),
					stringvalidator.ConflictsWith(path.MatchRoot("oauthclient_id"), path.MatchRoot("oauthclient_secret")),
				},
			},
			"region": schema.StringAttribute{
				MarkdownDescription: "Genesys Cloud region of the organization, case-insensitive. One of `" + regions +
					"`. Falls back to `" + envRegion + "`; defaults to `" + defaultRegion + "`. Ignored when " +
					"`api_url` or a `gateway` block is set. `aws_region` is the same setting under the official " +
					"provider's name.",
				Optional:   true,
				Validators: []validator.String{stringvalidator.OneOfCaseInsensitive(client.RegionKeys()...)},
			},
			"api_url": schema.StringAttribute{
				MarkdownDescription: "Base URL of the Genesys Cloud API, such as `https://api.mypurecloud.de`; " +
					"overrides `region` (for gateways and tests). A path, such as `https://gateway.example.com/genesys`, " +
					"prefixes every request; `user:password@`, a query and a fragment are refused. Plain `http://` is " +
					"accepted only for loopback hosts. Falls back to `" + envAPIURL + "`.",
				Optional:   true,
				Validators: []validator.String{urlValidator{}},
			},
			"login_url": schema.StringAttribute{
				MarkdownDescription: "Base URL of the OAuth login service. Falls back to `" + envLoginURL + "`; " +
					"by default it is derived from the API URL by replacing its leading `api.` with `login.`.",
				Optional:   true,
				Validators: []validator.String{urlValidator{}},
			},
			"token_pool_size": schema.NumberAttribute{
				MarkdownDescription: fmt.Sprintf("Number of access tokens requested from the same OAuth client "+
					"and used in turn. Genesys Cloud limits requests per token, so a larger pool raises "+
					"throughput for large configurations; each token costs a token request in every run that "+
					"uses it. Between 1 and %d; falls back to `%s`; defaults to %d. The official provider's `%s` "+
					"(its SDK client pool, default 10) is not read, so that a value exported for it does not "+
					"make this provider request that many tokens. Has no effect with `access_token`.",
					maxTokenPoolSize, envTokenPoolSize, defaultTokenPoolSize, officialEnvTokenPoolSize),
				Optional:   true,
				Validators: []validator.Number{wholeNumberValidator{1, maxTokenPoolSize}},
			},
			"max_requests_per_minute": schema.NumberAttribute{
				MarkdownDescription: fmt.Sprintf("Client-side pacing of requests per token and minute, kept "+
					"below the API's limit of 300 so that a run is not throttled. Between 1 and %d; falls back to "+
					"`%s`; defaults to %d.", maxMaxRequestsPerMinute, envMaxRPM, defaultMaxRequestsPerMinute),
				Optional:   true,
				Validators: []validator.Number{wholeNumberValidator{1, maxMaxRequestsPerMinute}},
			},
			"max_retries": schema.NumberAttribute{
				MarkdownDescription: fmt.Sprintf("How many times a request is retried after a 429 (honouring "+
					"`Retry-After`), a 5xx other than 501, or a connection error, with exponential backoff. "+
					"Between 0 and %d; falls back to `%s`; defaults to %d.", maxMaxRetries, envMaxRetries, defaultMaxRetries),
				Optional:   true,
				Validators: []validator.Number{wholeNumberValidator{0, maxMaxRetries}},
			},
			"request_timeout": schema.StringAttribute{
				MarkdownDescription: "Time limit of one HTTP attempt, as a Go duration such as `30s` or `2m`. " +
					"More than `0s` and at most `1h`; falls back to `" + envReqTimeout + "`; defaults to `60s`.",
				Optional:   true,
				Validators: []validator.String{durationValidator{allowZero: false, max: maxRequestTimeout}},
			},
			"batch_window": schema.StringAttribute{
				MarkdownDescription: "How long a license change waits for changes of other " +
					"`purecloud_user_license_assignment` resources to join the same `postLicenseOrganization` " +
					"request, as a Go duration. A batch leaves earlier once it holds as many users as the most " +
					"writes Terraform ran at once so far (its `-parallelism`, in effect), or once every write in " +
					"progress is waiting and no other arrived for 300 ms. Batches of different users are sent " +
					"side by side. `0s` sends every resource's changes on their own. At most `1m`; falls back to `" +
					envBatchWindow + "`; defaults to `1s`.",
				Optional:   true,
				Validators: []validator.String{durationValidator{allowZero: true, max: maxBatchWindow}},
			},
			"max_batch_users": schema.NumberAttribute{
				MarkdownDescription: fmt.Sprintf("Largest number of distinct user ids in one "+
					"`postLicenseOrganization` request; larger batches are split. The API does not document its "+
					"limit. Between 1 and %d; falls back to `%s`; defaults to %d.", maxMaxBatchUsers, envMaxBatchUsers,
					defaultMaxBatchUsers),
				Optional:   true,
				Validators: []validator.Number{wholeNumberValidator{1, maxMaxBatchUsers}},
			},
			"read_batching": schema.BoolAttribute{
				MarkdownDescription: "Whether refreshes of `purecloud_user_license_assignment` resources that run " +
					"at the same time are read together, up to `max_batch_users` users per `postLicenseUsers` " +
					"request, instead of one `getLicenseUser` request each. A lone refresh always uses " +
					"`getLicenseUser`. If `postLicenseUsers` is refused (403) or answers in a shape the provider " +
					"does not recognise, the provider logs it once and reads users one by one. When a refresh reads " +
					"so many users that listing the whole organization (`getLicenseUsers`, 100 users a page) costs " +
					"no more requests than the batched reads already sent, the provider lists it once and answers " +
					"the remaining refreshes from that listing; a user this provider has written to, and every " +
					"re-read after a write, still asks Genesys Cloud. `false` turns both off: one `getLicenseUser` " +
					"request per refresh. Falls back to `" + envReadBatching + "` (`true` or `false`); defaults to `true`.",
				Optional: true,
			},
			"read_after_write_tolerance": schema.StringAttribute{
				MarkdownDescription: "How long after this provider changed a user's licenses a refresh that finds " +
					"them different from the state keeps reading the user again (0.25 s apart, doubling up to 2 s) " +
					"before reporting the difference as drift, because Genesys Cloud may show a write a little " +
					"late. A difference on a user not written that recently is reported at once. The same wait " +
					"applies when a change's result is missing and reading the user back does not show it yet. " +
					"A Go duration from `0s` (never wait) to `10m`; falls back to `" + envReadAfterTol + "`; defaults to `15s`.",
				Optional:   true,
				Validators: []validator.String{durationValidator{allowZero: true, max: maxReadAfterWriteTol}},
			},
		},
	}
	for name, a := range officialAttributes() {
		resp.Schema.Attributes[name] = a
	}
}

// ValidateConfig checks what the attribute validators cannot see alone: the combination of
// settings that the endpoints depend on. Values from the environment are checked in Configure.
func (p *purecloudProvider) ValidateConfig(ctx context.Context, req provider.ValidateConfigRequest, resp *provider.ValidateConfigResponse) {
	var cfg providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ignoredSettingWarnings(ctx, cfg, &resp.Diagnostics)
	if cfg.APIURL.IsUnknown() || cfg.LoginURL.IsUnknown() || cfg.Region.IsUnknown() {
		return
	}
	if cfg.APIURL.IsNull() && !cfg.LoginURL.IsNull() && cfg.Gateway.IsNull() {
		resp.Diagnostics.AddAttributeWarning(path.Root("login_url"), summaryLoginURLWithoutAPIURL,
			"login_url is set but api_url is not, so the API URL comes from the region while tokens come from "+
				"login_url. Set api_url too unless this split is intended.")
	}
}

func (p *purecloudProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var cfg providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}

	clientCfg, diags := p.clientConfig(cfg)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}

	r := &configReader{getenv: p.getenv}
	tolerance := r.duration(cfg.ReadAfterWriteTol, "read_after_write_tolerance", envReadAfterTol,
		defaultReadAfterWriteTol, durationValidator{allowZero: true, max: maxReadAfterWriteTol})
	if resp.Diagnostics.Append(r.diags...); resp.Diagnostics.HasError() {
		return
	}
	clientCfg.ReadAfterWriteTolerance = tolerance
	c, err := client.New(ctx, clientCfg)
	if err != nil {
		resp.Diagnostics.AddError(summaryCreateClient, err.Error())
		return
	}
	data := newProviderData(c, tolerance)
	resp.DataSourceData = data
	resp.ResourceData = data
	resp.ListResourceData = data
}

func (p *purecloudProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		NewUserLicenseAssignmentResource,
		NewLicenseAssignmentResource,
	}
}

// ListResources are the resources `terraform query` can list (Terraform 1.14 and later).
func (p *purecloudProvider) ListResources(context.Context) []func() list.ListResource {
	return []func() list.ListResource{
		NewUserLicenseAssignmentListResource,
	}
}

func (p *purecloudProvider) DataSources(context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		NewLicenseDefinitionDataSource,
		NewLicenseDefinitionsDataSource,
		NewUserLicensesDataSource,
		NewLicenseUsersDataSource,
		NewInferredLicensesDataSource,
		NewUsersByEmailDataSource,
	}
}
