package provider

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/purecloud-terraform/terraform-provider-purecloud/internal/client"
)

// Diagnostic summaries, kept in one place so that every error of a kind reads the same.
const (
	summaryReadDefinitions = "Unable to Read License Definitions"
	summaryReadDefinition  = "Unable to Read License Definition"
	summaryReadUser        = "Unable to Read User Licenses"
	summaryReadUsers       = "Unable to Read License Users"
	summaryInfer           = "Unable to Infer Licenses"
	summaryAssign          = "Unable to Assign Licenses"
	summaryUpdate          = "Unable to Update License Assignment"
	summaryUnassign        = "Unable to Remove Licenses"
	summaryImport          = "Unable to Import License Assignment"
	summaryUnknownLicense  = "Unknown License ID"
	summaryAuthenticate    = "Unable to Authenticate with Genesys Cloud"
	summaryUserNotFound    = "User Not Found"
	summaryLookUpUsers     = "Unable to Look Up Users by Email"
	summaryEmailUnmatched  = "Emails Without a User"
	summaryEmailAmbiguous  = "Email Matches Several Users"
)

// apiErrorDetail describes err for a diagnostic: the API's status, code, message and correlation
// id when it is an API error, the error text otherwise. The client never puts secrets in errors.
func apiErrorDetail(err error) string {
	var apiErr *client.APIError
	if errors.As(err, &apiErr) {
		s := fmt.Sprintf("Genesys Cloud answered %d", apiErr.StatusCode)
		if apiErr.Code != "" {
			s += " " + apiErr.Code
		}
		if apiErr.Message != "" {
			s += ": " + apiErr.Message
		}
		if apiErr.CorrelationID != "" {
			s += " (correlation id " + apiErr.CorrelationID + ")"
		}
		s += "."
		if apiErr.StatusCode == http.StatusForbidden && len(apiErr.RequiredPermissions) > 0 {
			s += fmt.Sprintf(" The OAuth client lacks a permission that %s needs: grant its role %s.",
				apiErr.Operation, strings.Join(apiErr.RequiredPermissions, " or "))
		}
		return s
	}
	return err.Error()
}

// addAPIError adds an error diagnostic whose detail is what went wrong in a sentence, then the
// API error.
func addAPIError(diags *diag.Diagnostics, summary, what string, err error) {
	diags.AddError(summary, what+"\n\n"+apiErrorDetail(err))
}

// unknownLicenseDetail explains which license ids are unknown and lists the valid ones.
func unknownLicenseDetail(unknown, valid []string) string {
	return unknownLicenseDetailListed(unknown, valid, nil)
}

// unknownLicenseDetailListed is unknownLicenseDetail for ids given together with listed: an
// unknown id that differs from a valid one only in case or surrounding white space gets a "did
// you mean", which says so when the valid one is listed too.
func unknownLicenseDetailListed(unknown, valid, listed []string) string {
	noun := "id"
	if len(unknown) > 1 {
		noun = "ids"
	}
	s := fmt.Sprintf("The organization has no license definition with %s %s.", noun, quoteListShort(unknown))
	hints := 0
	for _, id := range unknown {
		match := closeLicenseID(id, valid)
		if match == "" {
			continue
		}
		if hints++; hints > maxListed {
			break
		}
		s += fmt.Sprintf(" %q: did you mean %q?", id, match)
		if slices.Contains(listed, match) {
			s += fmt.Sprintf(" %q is listed too, so remove %q.", match, id)
		}
	}
	return s + fmt.Sprintf(" Valid license ids are: %s. License ids are case-sensitive; the "+
		"purecloud_license_definitions data source lists them with their descriptions.", strings.Join(valid, ", "))
}

// closeLicenseID returns the valid id that id differs from only in case or in white space at
// either end, or "".
func closeLicenseID(id string, valid []string) string {
	trimmed := strings.TrimSpace(id)
	for _, v := range valid {
		if v != id && strings.EqualFold(v, trimmed) {
			return v
		}
	}
	return ""
}

// quoteListShort quotes the first maxListed items and counts the rest.
func quoteListShort(items []string) string {
	if len(items) <= maxListed {
		return quoteList(items)
	}
	return fmt.Sprintf("%s and %d more", quoteList(items[:maxListed]), len(items)-maxListed)
}

func addUnknownLicenseError(diags *diag.Diagnostics, p path.Path, unknown, valid, listed []string) {
	diags.AddAttributeError(p, summaryUnknownLicense, unknownLicenseDetailListed(unknown, valid, listed))
}

func quoteList(items []string) string {
	q := make([]string, len(items))
	for i, s := range items {
		q[i] = strconv.QuoteToASCII(s)
	}
	return strings.Join(q, ", ")
}
