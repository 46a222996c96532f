package client

import (
	"context"
	"regexp"
	"strings"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// logSubsystem is the tflog subsystem of the HTTP traffic. Its level follows TF_LOG_PROVIDER,
// or TF_LOG_PROVIDER_PURECLOUD_HTTP when set.
const (
	logSubsystem      = "purecloud_http"
	logSubsystemLevel = "TF_LOG_PROVIDER_PURECLOUD_HTTP"
)

// maskedFieldKeys are log field keys whose values are always masked.
var maskedFieldKeys = []string{
	"Authorization", "authorization", "access_token", "accessToken", "token",
	"client_secret", "clientSecret", "oauthclient_secret", "password",
}

// bearerRE matches a bearer credential wherever it might appear in a message or field.
var bearerRE = regexp.MustCompile(`(?i)bearer\s+[A-Za-z0-9._~+/=-]+`)

// logCtx returns ctx with the HTTP subsystem logger, configured to mask the Authorization
// header, tokens and the client secret. Without a Terraform logger in ctx (plain unit tests,
// background work started without one) tflog is a no-op and so is this.
func (c *Client) logCtx(ctx context.Context) context.Context {
	ctx = tflog.NewSubsystem(ctx, logSubsystem, tflog.WithLevelFromEnv(logSubsystemLevel))
	ctx = tflog.SubsystemMaskFieldValuesWithFieldKeys(ctx, logSubsystem, maskedFieldKeys...)
	ctx = tflog.SubsystemMaskAllFieldValuesRegexes(ctx, logSubsystem, bearerRE)
	ctx = tflog.SubsystemMaskMessageRegexes(ctx, logSubsystem, bearerRE)
	if secrets := c.secrets(); len(secrets) > 0 {
		ctx = tflog.SubsystemMaskAllFieldValuesStrings(ctx, logSubsystem, secrets...)
		ctx = tflog.SubsystemMaskMessageStrings(ctx, logSubsystem, secrets...)
	}
	return ctx
}

// secrets returns the client secret, the static token and the tokens currently in use.
func (c *Client) secrets() []string {
	var out []string
	if c.cfg.ClientSecret != "" {
		out = append(out, c.cfg.ClientSecret)
	}
	if c.cfg.AccessToken != "" {
		out = append(out, c.cfg.AccessToken)
	}
	for _, s := range c.slots {
		if t := s.currentToken(); t != "" && t != c.cfg.AccessToken {
			out = append(out, t)
		}
	}
	return out
}

// scrub removes secrets from text copied out of a response (error messages, body snippets).
func (c *Client) scrub(s string) string {
	for _, secret := range c.secrets() {
		s = strings.ReplaceAll(s, secret, "***")
	}
	return bearerRE.ReplaceAllString(s, "Bearer ***")
}
