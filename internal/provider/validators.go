package provider

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// userIDPattern matches Genesys Cloud user ids, which are UUIDs.
var userIDPattern = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// userIDValidator rejects anything that is not shaped like a Genesys Cloud user id.
func userIDValidator() validator.String {
	return stringvalidator.RegexMatches(userIDPattern,
		"must be a Genesys Cloud user id, a UUID such as 00000000-0000-4000-8000-000000000001 "+
			"(for example genesyscloud_user.<name>.id)")
}

// durationValidator accepts Go duration strings such as "500ms" or "2m".
type durationValidator struct {
	allowZero bool
}

var _ validator.String = durationValidator{}

func (v durationValidator) Description(context.Context) string {
	if v.allowZero {
		return "value must be a Go duration of zero or more, such as 0s, 500ms or 2m"
	}
	return "value must be a positive Go duration, such as 500ms, 30s or 2m"
}

func (v durationValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v durationValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	raw := req.ConfigValue.ValueString()
	d, err := time.ParseDuration(raw)
	if err == nil && (d > 0 || (v.allowZero && d == 0)) {
		return
	}
	resp.Diagnostics.AddAttributeError(req.Path, "Invalid Duration",
		fmt.Sprintf("%s is %q, but the %s.", req.Path, raw, v.Description(ctx)))
}

// urlValidator accepts absolute http(s) URLs with a host and nothing after the path.
type urlValidator struct{}

var _ validator.String = urlValidator{}

func (urlValidator) Description(context.Context) string {
	return "value must be an absolute https:// URL such as https://api.mypurecloud.com (http:// only for loopback hosts)"
}

func (v urlValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v urlValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	raw := req.ConfigValue.ValueString()
	u, err := url.Parse(raw)
	if err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" && u.RawQuery == "" && u.Fragment == "" {
		return
	}
	resp.Diagnostics.AddAttributeError(req.Path, "Invalid URL",
		fmt.Sprintf("%s is %q, but the %s.", req.Path, raw, v.Description(ctx)))
}
