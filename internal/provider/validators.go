package provider

import (
	"context"
	"fmt"
	"math/big"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/purecloud-terraform/terraform-provider-purecloud/internal/client"
)

// userIDPattern matches Genesys Cloud user ids, which are UUIDs in lower case. An id in upper
// case names the same user, but Terraform compares set elements, state and configuration
// exactly, so the provider accepts one spelling only: otherwise one user could travel as two.
var userIDPattern = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// userIDHint suggests the fix for a value that is almost a user id: white space around it, or
// upper-case letters. It returns "" when the value is not close to a user id.
func userIDHint(raw string) string {
	trimmed := strings.TrimSpace(raw)
	lower := strings.ToLower(trimmed)
	switch {
	case !userIDPattern.MatchString(lower):
		return ""
	case trimmed != raw && lower != trimmed:
		return fmt.Sprintf(" Remove the white space around the id and write it in lower case: did you mean %q? (In a "+
			"configuration built from a file, use lower(trimspace(...)).)", lower)
	case trimmed != raw:
		return " Remove the white space around the id."
	}
	return fmt.Sprintf(" Genesys Cloud user ids are lower case: did you mean %q? (In a configuration built from a "+
		"file, use lower(...).)", lower)
}

// userIDValidator rejects anything that is not shaped like a Genesys Cloud user id.
func userIDValidator() validator.String { return userIDCheck{} }

type userIDCheck struct{}

func (userIDCheck) Description(context.Context) string {
	return "must be a Genesys Cloud user id, a lower-case UUID such as 00000000-0000-4000-8000-000000000001 " +
		"(for example genesyscloud_user.<name>.id)"
}

func (v userIDCheck) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v userIDCheck) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	raw := req.ConfigValue.ValueString()
	if userIDPattern.MatchString(raw) {
		return
	}
	// The value is quoted so that control characters and spaces show instead of acting.
	detail := fmt.Sprintf("Attribute %s %s, got: %s.", req.Path, v.Description(ctx), strconv.QuoteToASCII(raw))
	detail += userIDHint(raw)
	resp.Diagnostics.AddAttributeError(req.Path, summaryInvalidUserID, detail)
}

// licenseIDValidator rejects what can never be a license id: an empty string, white space at
// either end, or a control character. Whether the organization has the id is checked at plan
// time against its license definitions (providerData.checkLicenseIDs), which also works when
// the definitions cannot be listed.
func licenseIDValidator() validator.String { return licenseIDCheck{} }

type licenseIDCheck struct{}

func (licenseIDCheck) Description(context.Context) string {
	return "must be a license id such as cloudCX2: not empty, without white space at either end and " +
		"without control characters"
}

func (v licenseIDCheck) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v licenseIDCheck) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	raw := req.ConfigValue.ValueString()
	trimmed := strings.TrimSpace(raw)
	if raw != "" && trimmed == raw && strings.IndexFunc(raw, unicode.IsControl) < 0 {
		return
	}
	detail := fmt.Sprintf("Attribute %s %s, got: %s.", req.Path, v.Description(ctx), strconv.QuoteToASCII(raw))
	if trimmed != raw && trimmed != "" && strings.IndexFunc(trimmed, unicode.IsControl) < 0 {
		detail += fmt.Sprintf(" Did you mean %q?", trimmed)
	}
	resp.Diagnostics.AddAttributeError(req.Path, summaryInvalidLicenseID, detail)
}

// durationValidator accepts Go duration strings such as "500ms" or "2m" from min (0 or more;
// positive when allowZero is false) to max.
type durationValidator struct {
	allowZero bool
	max       time.Duration
}

var _ validator.String = durationValidator{}

func (v durationValidator) Description(context.Context) string {
	if v.allowZero {
		return fmt.Sprintf("value must be a Go duration from 0s to %s, such as 0s, 500ms or 2s", shortDuration(v.max))
	}
	return fmt.Sprintf("value must be a Go duration greater than 0s and at most %s, such as 500ms, 30s or 2m",
		shortDuration(v.max))
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
	if err == nil && (d > 0 || (v.allowZero && d == 0)) && d <= v.max {
		return
	}
	resp.Diagnostics.AddAttributeError(req.Path, summaryInvalidDuration,
		fmt.Sprintf("%s is %s, but the %s.", req.Path, strconv.QuoteToASCII(raw), v.Description(ctx)))
}

// shortDuration writes d without zero units: 1h rather than 1h0m0s.
func shortDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = s[:len(s)-2]
	}
	if strings.HasSuffix(s, "h0m") {
		s = s[:len(s)-2]
	}
	return s
}

// wholeNumberValidator accepts whole numbers from lo to hi. The integer settings are number
// attributes checked here rather than Int64 attributes: the framework converts an Int64 before
// any validator runs, and answers 1.5 or 1e30 with a conversion error that blames the provider
// and does not name the valid range.
type wholeNumberValidator struct {
	lo, hi int64
}

var _ validator.Number = wholeNumberValidator{}

func (v wholeNumberValidator) Description(context.Context) string {
	return fmt.Sprintf("value must be a whole number between %d and %d", v.lo, v.hi)
}

func (v wholeNumberValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v wholeNumberValidator) ValidateNumber(ctx context.Context, req validator.NumberRequest, resp *validator.NumberResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	f := req.ConfigValue.ValueBigFloat()
	if _, ok := wholeNumberIn(f, v.lo, v.hi); ok {
		return
	}
	resp.Diagnostics.AddAttributeError(req.Path, summaryInvalidValue,
		fmt.Sprintf("Attribute %s %s, got: %s.", req.Path, v.Description(ctx), f.Text('g', -1)))
}

// wholeNumberIn returns f as an int64 when it is a whole number from lo to hi.
func wholeNumberIn(f *big.Float, lo, hi int64) (int64, bool) {
	if f == nil || !f.IsInt() {
		return 0, false
	}
	n, acc := f.Int64()
	if acc != big.Exact || n < lo || n > hi {
		return 0, false
	}
	return n, true
}

// urlValidator accepts absolute https URLs with a host, an optional path (kept as the prefix of
// every request, for gateways) and nothing else; http only for loopback hosts. A URL with
// user:password@ is never repeated in the error, as it may hold a password.
type urlValidator struct{}

var _ validator.String = urlValidator{}

func (urlValidator) Description(context.Context) string {
	return "value must be an absolute https:// URL such as https://api.mypurecloud.com, optionally with a path " +
		"prefix such as https://gateway.example.com/genesys, and without user:password@, query or fragment " +
		"(http:// only for loopback hosts such as 127.0.0.1 or localhost)"
}

func (v urlValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v urlValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	raw := req.ConfigValue.ValueString()
	shown := strconv.QuoteToASCII(raw)
	if strings.Contains(raw, "@") {
		shown = "a URL not shown here because it contains '@' (user:password@ may hold a password)"
	}
	u, err := url.Parse(raw)
	var problem string
	switch {
	case err != nil:
		problem = "it cannot be parsed"
	case u.Scheme != "https" && u.Scheme != "http":
		problem = "it does not start with https://"
	case u.Host == "" || u.Hostname() == "":
		problem = "it has no host"
	case u.User != nil:
		problem = "it holds user:password@; set credentials with oauthclient_id and oauthclient_secret or access_token instead"
	case u.RawQuery != "" || u.ForceQuery:
		problem = "it has a query (?…)"
	case u.Fragment != "" || strings.Contains(raw, "#"):
		problem = "it has a fragment (#…)"
	case u.Scheme == "http" && !client.IsLoopbackHost(u.Hostname()):
		problem = "plain http:// is refused for a host that is not loopback, as the token would cross the network unencrypted"
	default:
		return
	}
	resp.Diagnostics.AddAttributeError(req.Path, summaryInvalidURL,
		fmt.Sprintf("%s is %s, but %s: the %s.", req.Path, shown, problem, v.Description(ctx)))
}

// validateTimeouts refuses a timeouts value of zero or less, which the timeouts block accepts
// (any Go duration parses) but which would end the operation before it starts, at apply.
// Values that do not parse are reported by the block's own validator.
func validateTimeouts(ctx context.Context, cfg tfsdk.Config, diags *diag.Diagnostics) {
	var tv timeouts.Value
	if d := cfg.GetAttribute(ctx, path.Root("timeouts"), &tv); d.HasError() || tv.IsNull() || tv.IsUnknown() {
		return
	}
	for name, v := range tv.Attributes() {
		s, ok := v.(types.String)
		if !ok || s.IsNull() || s.IsUnknown() {
			continue
		}
		d, err := time.ParseDuration(s.ValueString())
		if err != nil || d > 0 {
			continue
		}
		diags.AddAttributeError(path.Root("timeouts").AtName(name), summaryInvalidTimeout,
			fmt.Sprintf("timeouts.%s is %s, but it must be a positive Go duration such as 30s, 20m or 1h; "+
				"leave it unset for the default of %s.", name, strconv.QuoteToASCII(s.ValueString()), shortDuration(defaultTimeout)))
	}
}

// emailValidator rejects what cannot be an email address: no "@" or more than one, nothing
// before or after it, white space or control characters anywhere. Whether a user has the email
// is what purecloud_users_by_email looks up.
func emailValidator() validator.String { return emailCheck{} }

type emailCheck struct{}

func (emailCheck) Description(context.Context) string {
	return "must be an email address such as alice@example.com: one @ with text on both sides, " +
		"no white space"
}

func (v emailCheck) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v emailCheck) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	raw := req.ConfigValue.ValueString()
	if validEmail(raw) {
		return
	}
	detail := fmt.Sprintf("Attribute %s %s, got: %s.", req.Path, v.Description(ctx), strconv.QuoteToASCII(raw))
	if trimmed := strings.TrimSpace(raw); trimmed != raw && validEmail(trimmed) {
		detail += " Remove the white space around the email, for example with trimspace()."
	}
	resp.Diagnostics.AddAttributeError(req.Path, summaryInvalidEmail, detail)
}

func validEmail(s string) bool {
	local, domain, ok := strings.Cut(s, "@")
	return ok && local != "" && domain != "" && !strings.Contains(domain, "@") &&
		strings.IndexFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) < 0
}
