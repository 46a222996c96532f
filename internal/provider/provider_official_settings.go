package provider

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/purecloud-terraform/terraform-provider-purecloud/internal/client"
)

// This file holds the settings of the official Genesys Cloud provider (MyPureCloud/genesyscloud)
// that this provider accepts so that a provider block copied from it validates here: aws_region,
// the gateway and proxy blocks (honoured), and the settings of its SDK and token pool (accepted,
// with a plan-time warning naming this provider's equivalent).

// Environment variables of the official provider read inside a gateway or proxy block, as the
// official provider reads them: a field left out of a declared block falls back to its variable;
// without a block the variables do nothing.
const (
	envGatewayHost      = "GENESYSCLOUD_GATEWAY_HOST"
	envGatewayPort      = "GENESYSCLOUD_GATEWAY_PORT"
	envGatewayProtocol  = "GENESYSCLOUD_GATEWAY_PROTOCOL"
	envProxyHost        = "GENESYSCLOUD_PROXY_HOST"
	envProxyPort        = "GENESYSCLOUD_PROXY_PORT"
	envProxyProtocol    = "GENESYSCLOUD_PROXY_PROTOCOL"
	envProxyAuthUser    = "GENESYSCLOUD_PROXY_AUTH_USERNAME"
	envProxyAuthPass    = "GENESYSCLOUD_PROXY_AUTH_PASSWORD"
	gatewayAPIPathName  = "api"
	gatewayAuthPathName = "login"
)

// ignoredSetting is a setting of the official provider that this provider accepts and does not
// use: setting it warns at plan time, naming what to use here instead. Its environment variable
// is not read, because in an environment shared with the official provider it configures that
// provider's SDK.
type ignoredSetting struct {
	name       string
	kind       string // "bool", "string" or "number"
	official   string // what it does in the official provider
	env        string // the official provider's variable, which this provider does not read
	equivalent string // what to use in this provider instead
}

// ignoredSettings are the official provider's settings that this provider accepts without using.
var ignoredSettings = []ignoredSetting{
	{"sdk_debug", "bool", "writes the Genesys Cloud SDK's HTTP trace to a file", "GENESYSCLOUD_SDK_DEBUG",
		"set the environment variable `TF_LOG_PROVIDER_PURECLOUD_HTTP=DEBUG` (with `TF_LOG_PATH` to write a file) " +
			"to log every request, response status and token request of this provider, with secrets masked"},
	{"sdk_debug_format", "string", "chooses `Text` or `Json` for the SDK trace", "GENESYSCLOUD_SDK_DEBUG_FORMAT",
		"set `TF_LOG_PROVIDER_PURECLOUD_HTTP=DEBUG`; `TF_LOG=JSON` makes Terraform write its log, this " +
			"provider's included, as JSON"},
	{"sdk_debug_file_path", "string", "names the SDK trace file", "GENESYSCLOUD_SDK_DEBUG_FILE_PATH",
		"set `TF_LOG_PATH` (with `TF_LOG_PROVIDER_PURECLOUD_HTTP=DEBUG`)"},
	{"sdk_client_pool_debug", "bool", "logs the SDK client pool", "GENESYSCLOUD_SDK_CLIENT_POOL_DEBUG",
		"set `TF_LOG_PROVIDER_PURECLOUD_HTTP=DEBUG`, which logs every token request"},
	{"log_stack_traces", "bool", "writes a panic's stack trace to a file instead of crashing",
		"GENESYSCLOUD_LOG_STACK_TRACES",
		"none: this provider does not recover from a crash, and Terraform prints a provider crash with its " +
			"stack trace (`TF_LOG_PATH` keeps it in a file)"},
	{"log_stack_traces_file_path", "string", "names the stack trace file", "GENESYSCLOUD_LOG_STACK_TRACES_FILE_PATH",
		"none (see `log_stack_traces`)"},
	{"token_acquire_timeout", "string", "bounds the wait for a free SDK client of the token pool",
		"GENESYSCLOUD_TOKEN_ACQUIRE_TIMEOUT",
		"`request_timeout`, which bounds every request, token requests included; requests never wait for a " +
			"free token here (the tokens of `token_pool_size` are used in turn)"},
	{"token_init_timeout", "string", "bounds the creation of the token pool", "GENESYSCLOUD_TOKEN_INIT_TIMEOUT",
		"`request_timeout` (tokens are requested when first needed, each bounded like any request)"},
	{"custom_retry_timeout", "string", "retries reads that answer 404 after a create",
		"GENESYSCLOUD_CUSTOM_RETRY_TIMEOUT", "`read_after_write_tolerance`"},
	{"max_concurrent_pages", "number", "reads pages of a listing in parallel", "GENESYSCLOUD_MAX_CONCURRENT_PAGES",
		"none: this provider reads the pages of `getLicenseUsers` one after another, paced by " +
			"`max_requests_per_minute`"},
}

func (s ignoredSetting) description() string {
	return fmt.Sprintf("Accepted so that a provider block copied from the official Genesys Cloud provider "+
		"validates, and not used: there it %s. Setting it here warns at plan time. This provider's equivalent: "+
		"%s. The official provider's `%s` environment variable is not read.", s.official, s.equivalent, s.env)
}

func (s ignoredSetting) attribute() schema.Attribute {
	switch s.kind {
	case "bool":
		return schema.BoolAttribute{Optional: true, MarkdownDescription: s.description()}
	case "number":
		return schema.NumberAttribute{Optional: true, MarkdownDescription: s.description()}
	}
	return schema.StringAttribute{Optional: true, MarkdownDescription: s.description()}
}

// officialAttributes are the official provider's attributes that are not also this provider's
// own (oauthclient_id, oauthclient_secret, access_token and token_pool_size are).
func officialAttributes() map[string]schema.Attribute {
	out := map[string]schema.Attribute{
		"aws_region": schema.StringAttribute{
			MarkdownDescription: "The official Genesys Cloud provider's name for `region`, accepted so that its " +
				"provider blocks work here unchanged: the same values, case-insensitive, and the same `" + envRegion +
				"` fallback. Setting both `region` and `aws_region` to different regions is an error.",
			Optional:   true,
			Validators: []validator.String{stringvalidator.OneOfCaseInsensitive(client.RegionKeys()...)},
		},
	}
	for _, s := range ignoredSettings {
		out[s.name] = s.attribute()
	}
	return out
}

// officialBlocks are the official provider's gateway and proxy blocks.
func officialBlocks() map[string]schema.Block {
	auth := func(what string, userEnv, passEnv string) schema.SetNestedBlock {
		fallback := func(env string) string {
			if env == "" {
				return ""
			}
			return " Falls back to `" + env + "`."
		}
		return schema.SetNestedBlock{
			MarkdownDescription: "Credentials for the " + what + ".",
			NestedObject: schema.NestedBlockObject{Attributes: map[string]schema.Attribute{
				"username": schema.StringAttribute{Optional: true,
					MarkdownDescription: "User name for the " + what + "." + fallback(userEnv)},
				"password": schema.StringAttribute{Optional: true, Sensitive: true,
					MarkdownDescription: "Password for the " + what + "; never logged." + fallback(passEnv)},
			}},
			Validators: []validator.Set{setvalidator.SizeAtMost(1)},
		}
	}
	gatewayAuth := auth("gateway", "", "")
	gatewayAuth.MarkdownDescription = "Accepted as the official provider accepts it, and not used: this provider " +
		"sends only its OAuth token to a gateway. Setting it warns at plan time."
	return map[string]schema.Block{
		"gateway": schema.SetNestedBlock{
			MarkdownDescription: "A gateway in front of Genesys Cloud, as in the official provider: requests go to " +
				"`protocol://host:port` followed by the `path_value` of the `path_params` named `api`, and token " +
				"requests to the same host followed by the one named `login`. Overrides `region`; conflicts with " +
				"`api_url` and `login_url`, which express the same in one URL each. At most one block. Fields left " +
				"out fall back to the official provider's `" + envGatewayHost + "`, `" + envGatewayPort + "` and `" +
				envGatewayProtocol + "` variables.",
			NestedObject: schema.NestedBlockObject{
				Attributes: map[string]schema.Attribute{
					"host": schema.StringAttribute{Optional: true,
						MarkdownDescription: "Host name of the gateway. Falls back to `" + envGatewayHost + "`."},
					"port": schema.StringAttribute{Optional: true,
						MarkdownDescription: "Port of the gateway; by default that of the protocol. Falls back to `" +
							envGatewayPort + "`."},
					"protocol": schema.StringAttribute{Optional: true,
						MarkdownDescription: "Protocol of the gateway: `https` (the default) or `http`, which is " +
							"accepted only for a loopback host. Falls back to `" + envGatewayProtocol + "`."},
				},
				Blocks: map[string]schema.Block{
					"auth": gatewayAuth,
					"path_params": schema.SetNestedBlock{
						MarkdownDescription: "Path prefixes of the gateway: `path_name = \"api\"` for API requests " +
							"and `path_name = \"login\"` for token requests. Other names are ignored with a warning.",
						NestedObject: schema.NestedBlockObject{Attributes: map[string]schema.Attribute{
							"path_name":  schema.StringAttribute{Required: true, MarkdownDescription: "Either `api` or `login`."},
							"path_value": schema.StringAttribute{Required: true, MarkdownDescription: "The path prefix, such as `/genesys/api`."},
						}},
					},
				},
			},
			Validators: []validator.Set{setvalidator.SizeAtMost(1)},
		},
		"proxy": schema.SetNestedBlock{
			MarkdownDescription: "An HTTP proxy for every request of this provider, token requests included, as in " +
				"the official provider. Without this block the `HTTPS_PROXY`, `HTTP_PROXY` and `NO_PROXY` " +
				"environment variables apply. At most one block. Fields left out fall back to the official " +
				"provider's `GENESYSCLOUD_PROXY_*` variables.",
			NestedObject: schema.NestedBlockObject{
				Attributes: map[string]schema.Attribute{
					"host": schema.StringAttribute{Optional: true,
						MarkdownDescription: "Host name of the proxy. Falls back to `" + envProxyHost + "`."},
					"port": schema.StringAttribute{Optional: true,
						MarkdownDescription: "Port of the proxy; by default that of the protocol. Falls back to `" +
							envProxyPort + "`."},
					"protocol": schema.StringAttribute{Optional: true,
						MarkdownDescription: "Protocol the provider talks to the proxy with: `http` (the default) or " +
							"`https`. " +
							"Falls back to `" + envProxyProtocol + "`."},
				},
				Blocks: map[string]schema.Block{"auth": auth("proxy", envProxyAuthUser, envProxyAuthPass)},
			},
			Validators: []validator.Set{setvalidator.SizeAtMost(1)},
		},
	}
}

type authModel struct {
	Username types.String `tfsdk:"username"`
	Password types.String `tfsdk:"password"`
}

type pathParamModel struct {
	PathName  types.String `tfsdk:"path_name"`
	PathValue types.String `tfsdk:"path_value"`
}

type gatewayModel struct {
	Host       types.String     `tfsdk:"host"`
	Port       types.String     `tfsdk:"port"`
	Protocol   types.String     `tfsdk:"protocol"`
	Auth       []authModel      `tfsdk:"auth"`
	PathParams []pathParamModel `tfsdk:"path_params"`
}

type proxyModel struct {
	Host     types.String `tfsdk:"host"`
	Port     types.String `tfsdk:"port"`
	Protocol types.String `tfsdk:"protocol"`
	Auth     []authModel  `tfsdk:"auth"`
}

// ignoredSettingWarnings warns about each official setting that is set and not used here.
func ignoredSettingWarnings(ctx context.Context, cfg providerModel, diags *diag.Diagnostics) {
	set := map[string]bool{}
	for name, v := range map[string]interface {
		IsNull() bool
		IsUnknown() bool
	}{
		"sdk_debug": cfg.SDKDebug, "sdk_debug_format": cfg.SDKDebugFormat, "sdk_debug_file_path": cfg.SDKDebugFilePath,
		"sdk_client_pool_debug": cfg.SDKClientPoolDebug, "log_stack_traces": cfg.LogStackTraces,
		"log_stack_traces_file_path": cfg.LogStackTracesFilePath, "token_acquire_timeout": cfg.TokenAcquireTimeout,
		"token_init_timeout": cfg.TokenInitTimeout, "custom_retry_timeout": cfg.CustomRetryTimeout,
		"max_concurrent_pages": cfg.MaxConcurrentPages,
	} {
		set[name] = !v.IsNull()
	}
	// false is the official default of every bool setting: it asks for nothing, so it is not worth a warning.
	for name, b := range map[string]types.Bool{"sdk_debug": cfg.SDKDebug, "sdk_client_pool_debug": cfg.SDKClientPoolDebug,
		"log_stack_traces": cfg.LogStackTraces} {
		if !b.IsNull() && !b.IsUnknown() && !b.ValueBool() {
			set[name] = false
		}
	}
	for _, s := range ignoredSettings {
		if set[s.name] {
			diags.AddAttributeWarning(path.Root(s.name), summaryOfficialSettingUnused,
				fmt.Sprintf("%s is a setting of the official Genesys Cloud provider, where it %s. The purecloud "+
					"provider accepts it so that the block validates, and ignores it. Instead: %s.",
					s.name, s.official, strings.ReplaceAll(s.equivalent, "`", "")))
		}
	}
	var gateways []gatewayModel
	if !cfg.Gateway.IsNull() && !cfg.Gateway.IsUnknown() {
		if d := cfg.Gateway.ElementsAs(ctx, &gateways, false); d.HasError() {
			return
		}
	}
	for _, g := range gateways {
		if len(g.Auth) > 0 {
			diags.AddAttributeWarning(path.Root("gateway"), summaryGatewayCredentialsUnused,
				"gateway.auth is accepted as the official Genesys Cloud provider accepts it, but the purecloud "+
					"provider sends only its OAuth token to the gateway. Remove the auth block, or configure the "+
					"gateway to accept the token.")
		}
		var other []string
		for _, p := range g.PathParams {
			if n := p.PathName.ValueString(); !p.PathName.IsUnknown() && n != gatewayAPIPathName && n != gatewayAuthPathName {
				other = append(other, fmt.Sprintf("%q", n))
			}
		}
		if len(other) > 0 {
			sort.Strings(other)
			diags.AddAttributeWarning(path.Root("gateway"), summaryGatewayPathsUnused,
				"gateway.path_params named "+strings.Join(other, ", ")+" are ignored: the purecloud provider uses "+
					"only the path named \"api\" (API requests) and the one named \"login\" (token requests).")
		}
	}
}

// resolveRegion merges region and aws_region: either may be set, or both to the same region.
func (r *configReader) resolveRegion(cfg providerModel) string {
	region := r.str(cfg.Region, "region", envRegion)
	aws := r.str(cfg.AWSRegion, "aws_region", "")
	if aws == "" {
		return region
	}
	if !cfg.Region.IsNull() && !strings.EqualFold(strings.TrimSpace(region), strings.TrimSpace(aws)) {
		r.diags.AddAttributeError(path.Root("aws_region"), summaryConflictingRegions,
			fmt.Sprintf("region is %q and aws_region is %q. aws_region is the official Genesys Cloud provider's "+
				"name for region; set one of them, or both to the same region.", region, aws))
	}
	return aws
}

// resolveGateway turns a gateway block into the API and login URLs it stands for; ok is false
// when there is no gateway block.
func (r *configReader) resolveGateway(ctx context.Context, cfg providerModel) (apiURL, loginURL string, ok bool) {
	if cfg.Gateway.IsNull() {
		return "", "", false
	}
	if cfg.Gateway.IsUnknown() {
		r.unknown("gateway", "")
		return "", "", false
	}
	var gateways []gatewayModel
	if d := cfg.Gateway.ElementsAs(ctx, &gateways, false); d.HasError() {
		r.diags.Append(d...)
		return "", "", false
	}
	if len(gateways) == 0 {
		return "", "", false
	}
	g := gateways[0]
	if !cfg.APIURL.IsNull() || !cfg.LoginURL.IsNull() {
		attr := "api_url"
		if cfg.APIURL.IsNull() {
			attr = "login_url"
		}
		r.diags.AddAttributeError(path.Root("gateway"), summaryConflictingEndpoints,
			fmt.Sprintf("Both a gateway block and %s are set. They say the same thing (where requests go): keep "+
				"the gateway block, or remove it and set api_url and login_url.", attr))
		return "", "", false
	}
	host := r.str(g.Host, "gateway.host", envGatewayHost)
	port := r.str(g.Port, "gateway.port", envGatewayPort)
	protocol := strings.ToLower(r.str(g.Protocol, "gateway.protocol", envGatewayProtocol))
	if protocol == "" {
		protocol = "https"
	}
	if host == "" {
		r.diags.AddAttributeError(path.Root("gateway"), summaryMissingGatewayHost,
			"The gateway block has no host. Set gateway.host or the "+envGatewayHost+" environment variable.")
		return "", "", false
	}
	base := protocol + "://" + host
	defaultPort := map[string]string{"https": "443", "http": "80"}[protocol]
	if port != "" && port != defaultPort {
		base = protocol + "://" + net.JoinHostPort(host, port)
	}
	prefix := map[string]string{}
	for _, p := range g.PathParams {
		v := strings.Trim(p.PathValue.ValueString(), "/")
		if v != "" {
			v = "/" + v
		}
		prefix[p.PathName.ValueString()] = v
	}
	return base + prefix[gatewayAPIPathName], base + prefix[gatewayAuthPathName], true
}

// resolveProxy turns a proxy block into the proxy URL; nil when there is none, in which case the
// HTTPS_PROXY, HTTP_PROXY and NO_PROXY environment variables apply.
func (r *configReader) resolveProxy(ctx context.Context, cfg providerModel) *url.URL {
	if cfg.Proxy.IsNull() {
		return nil
	}
	if cfg.Proxy.IsUnknown() {
		r.unknown("proxy", "")
		return nil
	}
	var proxies []proxyModel
	if d := cfg.Proxy.ElementsAs(ctx, &proxies, false); d.HasError() {
		r.diags.Append(d...)
		return nil
	}
	if len(proxies) == 0 {
		return nil
	}
	p := proxies[0]
	host := r.str(p.Host, "proxy.host", envProxyHost)
	port := r.str(p.Port, "proxy.port", envProxyPort)
	protocol := strings.ToLower(r.str(p.Protocol, "proxy.protocol", envProxyProtocol))
	if protocol == "" {
		protocol = "http"
	}
	switch {
	case host == "":
		r.diags.AddAttributeError(path.Root("proxy"), summaryMissingProxyHost,
			"The proxy block has no host. Set proxy.host or the "+envProxyHost+" environment variable.")
		return nil
	case protocol != "http" && protocol != "https":
		r.diags.AddAttributeError(path.Root("proxy"), summaryInvalidProxyProtocol,
			fmt.Sprintf("proxy.protocol is %q, but it must be http or https.", protocol))
		return nil
	case strings.ContainsAny(host, "/@?#") || strings.ContainsAny(port, "/@?#:"):
		r.diags.AddAttributeError(path.Root("proxy"), summaryInvalidProxyHost,
			"proxy.host must be a host name or IP address and proxy.port a port number, without a scheme, "+
				"path or credentials (put those in proxy.protocol and proxy.auth).")
		return nil
	}
	u := &url.URL{Scheme: protocol, Host: host}
	if port != "" {
		u.Host = net.JoinHostPort(host, port)
	}
	user := ""
	pass := ""
	if len(p.Auth) > 0 {
		user = r.str(p.Auth[0].Username, "proxy.auth.username", envProxyAuthUser)
		pass = r.str(p.Auth[0].Password, "proxy.auth.password", envProxyAuthPass)
	}
	if user != "" || pass != "" {
		u.User = url.UserPassword(user, pass)
	}
	return u
}
