package provider

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/purecloud-terraform/terraform-provider-purecloud/internal/client"
)

// configReader resolves provider settings: the configuration value first, then the
// environment variable, collecting one attribute error per bad or unknown value.
type configReader struct {
	getenv func(string) string
	diags  diag.Diagnostics
}

// str returns the configured string, or the environment variable when the attribute is null.
func (r *configReader) str(v types.String, attr, env string) string {
	if v.IsUnknown() {
		r.unknown(attr, env)
		return ""
	}
	if !v.IsNull() {
		return v.ValueString()
	}
	if env == "" {
		return ""
	}
	return strings.TrimSpace(r.getenv(env))
}

// integer returns the configured number, the environment variable's, or def.
func (r *configReader) integer(v types.Number, attr, env string, def, lo, hi int64) int64 {
	if v.IsUnknown() {
		r.unknown(attr, env)
		return def
	}
	if !v.IsNull() {
		n, ok := wholeNumberIn(v.ValueBigFloat(), lo, hi)
		if !ok {
			// The attribute's validator reports this at validation time already.
			r.diags.AddAttributeError(path.Root(attr), summaryInvalidValue,
				fmt.Sprintf("Attribute %s value must be a whole number between %d and %d, got: %s.",
					attr, lo, hi, v.ValueBigFloat().Text('g', -1)))
			return def
		}
		return n
	}
	if env == "" {
		return def
	}
	raw := strings.TrimSpace(r.getenv(env))
	if raw == "" {
		return def
	}
	n, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || n < lo || n > hi {
		r.diags.AddAttributeError(path.Root(attr), summaryInvalidEnvValue(env),
			fmt.Sprintf("The environment variable %s is %q, but %s must be a whole number between %d and %d. "+
				"Fix or unset the variable, or set %s in the provider block.", env, raw, attr, lo, hi, attr))
		return def
	}
	return n
}

// duration returns the configured Go duration, the environment variable's, or def. A value from
// the environment, which no attribute validator saw, is checked against dv here.
func (r *configReader) duration(v types.String, attr, env string, def time.Duration, dv durationValidator) time.Duration {
	s := r.str(v, attr, env)
	if s == "" {
		return def
	}
	d, err := time.ParseDuration(s)
	if v.IsNull() && (err != nil || d < 0 || (d == 0 && !dv.allowZero) || d > dv.max) {
		r.diags.AddAttributeError(path.Root(attr), summaryInvalidEnvValue(env),
			fmt.Sprintf("The environment variable %s is %q, but for %s the %s. Fix or unset the variable, or set "+
				"%s in the provider block.", env, s, attr, dv.Description(context.Background()), attr))
		return def
	}
	if err != nil {
		// The attribute validator reports the details at validation time.
		return def
	}
	return d
}

// boolean returns the configured bool, the environment variable's (true or false), or def.
func (r *configReader) boolean(v types.Bool, attr, env string, def bool) bool {
	if v.IsUnknown() {
		r.unknown(attr, env)
		return def
	}
	if !v.IsNull() {
		return v.ValueBool()
	}
	raw := ""
	if env != "" {
		raw = strings.TrimSpace(r.getenv(env))
	}
	if raw == "" {
		return def
	}
	b, err := strconv.ParseBool(raw)
	if err != nil {
		r.diags.AddAttributeError(path.Root(attr), summaryInvalidEnvValue(env),
			fmt.Sprintf("The environment variable %s is %q, but %s must be true or false. Fix or unset the "+
				"variable, or set %s in the provider block.", env, raw, attr, attr))
		return def
	}
	return b
}

func (r *configReader) unknown(attr, env string) {
	detail := fmt.Sprintf("The provider cannot be configured because %s is not known until apply. "+
		"Use a value known at plan time", attr)
	if env != "" {
		detail += ", or unset it and use the " + env + " environment variable"
	}
	r.diags.AddAttributeError(path.Root(attr), summaryUnknownValue(attr), detail+".")
}

// clientConfig turns the provider block and the environment into a client configuration,
// reporting every missing, conflicting or malformed setting as an attribute error.
func (p *purecloudProvider) clientConfig(cfg providerModel) (client.Config, diag.Diagnostics) {
	r := &configReader{getenv: p.getenv}
	out := client.Config{
		ClientID:     r.str(cfg.OAuthClientID, "oauthclient_id", envClientID),
		ClientSecret: r.str(cfg.OAuthClientSecret, "oauthclient_secret", envClientSecret),
		AccessToken:  r.str(cfg.AccessToken, "access_token", envAccessToken),
		Region:       r.resolveRegion(cfg),
		APIURL:       r.str(cfg.APIURL, "api_url", envAPIURL),
		LoginURL:     r.str(cfg.LoginURL, "login_url", envLoginURL),
		TokenPoolSize: int(r.integer(cfg.TokenPoolSize, "token_pool_size", envTokenPoolSize,
			defaultTokenPoolSize, 1, maxTokenPoolSize)),
		MaxRequestsPerMinute: int(r.integer(cfg.MaxRequestsPerMinute, "max_requests_per_minute", envMaxRPM,
			defaultMaxRequestsPerMinute, 1, maxMaxRequestsPerMinute)),
		MaxRetries: int(r.integer(cfg.MaxRetries, "max_retries", envMaxRetries, defaultMaxRetries, 0, maxMaxRetries)),
		RequestTimeout: r.duration(cfg.RequestTimeout, "request_timeout", envReqTimeout, defaultRequestTimeout,
			durationValidator{allowZero: false, max: maxRequestTimeout}),
		BatchWindow: r.duration(cfg.BatchWindow, "batch_window", envBatchWindow, defaultBatchWindow,
			durationValidator{allowZero: true, max: maxBatchWindow}),
		MaxBatchUsers: int(r.integer(cfg.MaxBatchUsers, "max_batch_users", envMaxBatchUsers, defaultMaxBatchUsers,
			1, maxMaxBatchUsers)),
		ReadBatching: r.boolean(cfg.ReadBatching, "read_batching", envReadBatching, true),
		UserAgent:    "terraform-provider-purecloud/" + p.version,
	}
	api, login, fromGateway := r.resolveGateway(context.Background(), cfg)
	if fromGateway {
		// A gateway in the provider block wins over PURECLOUD_API_URL and PURECLOUD_LOGIN_URL.
		out.APIURL, out.LoginURL = api, login
	}
	if proxy := r.resolveProxy(context.Background(), cfg); proxy != nil {
		out.HTTPTransport = client.ProxyTransport(proxy)
	}
	if r.diags.HasError() {
		return out, r.diags
	}
	if out.MaxRetries == 0 {
		out.MaxRetries = -1 // the client reads 0 as "default"; the user asked for no retries
	}
	if out.Region == "" {
		out.Region = defaultRegion
	}

	hasClient := out.ClientID != "" || out.ClientSecret != ""
	switch {
	case out.AccessToken != "" && hasClient:
		r.diags.AddAttributeError(path.Root("access_token"), summaryConflictingCredentials,
			"Both an access token and OAuth client credentials are configured (in the provider block or through "+
				envAccessToken+", "+envClientID+" and "+envClientSecret+"). Use one: remove access_token, "+
				"or remove oauthclient_id and oauthclient_secret.")
	case out.AccessToken != "":
		// A static token needs nothing else.
	case out.ClientID == "" && out.ClientSecret == "":
		r.diags.AddAttributeError(path.Root("oauthclient_id"), summaryMissingCredentials,
			"The provider needs credentials. Set oauthclient_id and oauthclient_secret (or the "+envClientID+
				" and "+envClientSecret+" environment variables) for an OAuth client with the client-credentials "+
				"grant, or set access_token ("+envAccessToken+").")
	case out.ClientSecret == "":
		r.diags.AddAttributeError(path.Root("oauthclient_secret"), summaryMissingClientSecret,
			"oauthclient_id is set but oauthclient_secret is not. Set oauthclient_secret or the "+
				envClientSecret+" environment variable.")
	case out.ClientID == "":
		r.diags.AddAttributeError(path.Root("oauthclient_id"), summaryMissingClientID,
			"oauthclient_secret is set but oauthclient_id is not. Set oauthclient_id or the "+
				envClientID+" environment variable.")
	}

	// Check the API endpoint (from api_url or region) first, then the login URL on its own, so that
	// each error lands on the attribute to fix.
	apiOnly := out
	apiOnly.LoginURL = ""
	if _, _, err := client.ResolveEndpoints(apiOnly); err != nil {
		switch {
		case fromGateway:
			r.endpointError("gateway", envGatewayHost, err)
		case out.APIURL == "":
			r.endpointError("region", envRegion, err)
		default:
			r.endpointError("api_url", envAPIURL, err)
		}
	} else if _, _, err := client.ResolveEndpoints(out); err != nil {
		if fromGateway {
			r.endpointError("gateway", envGatewayHost, err)
		} else {
			r.endpointError("login_url", envLoginURL, err)
		}
	}
	return out, r.diags
}

// endpointError reports an API or login endpoint that cannot be used. The value may come from
// the environment, where no attribute validator saw it, so the detail names both; the client's
// error never repeats a URL holding credentials.
func (r *configReader) endpointError(attr, env string, err error) {
	detail := fmt.Sprintf("%s (from the provider block or the %s environment variable) cannot be used: %s.",
		attr, env, err)
	if attr != "region" {
		detail += " The " + urlValidator{}.Description(context.Background()) + "."
	}
	r.diags.AddAttributeError(path.Root(attr), summaryInvalidEndpoint, detail)
}
