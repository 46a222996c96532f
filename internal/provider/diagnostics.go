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

// Diagnostic summaries, kept in one place so that every error of a kind reads the same: code
// outside this file names a summary by its constant, never by a literal.
const (
	summaryReadDefinitions          = "Unable to Read License Definitions"
	summaryReadDefinition           = "Unable to Read License Definition"
	summaryReadUser                 = "Unable to Read User Licenses"
	summaryReadUsers                = "Unable to Read License Users"
	summaryInfer                    = "Unable to Infer Licenses"
	summaryAssign                   = "Unable to Assign Licenses"
	summaryUpdate                   = "Unable to Update License Assignment"
	summaryUnassign                 = "Unable to Remove Licenses"
	summaryImport                   = "Unable to Import License Assignment"
	summaryUnknownLicense           = "Unknown License ID"
	summaryAuthenticate             = "Unable to Authenticate with Genesys Cloud"
	summaryUserNotFound             = "User Not Found"
	summaryReadAssignment           = "Unable to Read License Assignment"
	summaryInvalidUserID            = "Invalid User ID"
	summaryInvalidLicenseID         = "Invalid License ID"
	summaryInvalidDuration          = "Invalid Duration"
	summaryInvalidValue             = "Invalid Attribute Value"
	summaryInvalidURL               = "Invalid URL"
	summaryInvalidTimeout           = "Invalid Timeout"
	summaryProviderDataType         = "Unexpected Provider Data Type"
	summaryUncheckedLicenseIDs      = "Unable to Check License IDs"
	summarySetValidation            = "Set Type Validation Error"
	summaryDuplicateSetElement      = "Duplicate Set Element"
	summaryNotConfigured            = "Provider Not Configured"
	summaryConflictingFilters       = "Conflicting List Filters"
	summaryPairRemovedWhileKept     = "Assignment Removed While Another Resource Keeps It"
	summaryPairHandedOver           = "Removal Skipped: Another Resource Keeps the Assignment"
	summaryPairWishes               = "Conflicting License Assignments"
	summaryLoginURLWithoutAPIURL    = "Login URL Without API URL"
	summaryConflictingCredentials   = "Conflicting Credentials"
	summaryMissingCredentials       = "Missing Genesys Cloud Credentials"
	summaryMissingClientSecret      = "Missing OAuth Client Secret"
	summaryMissingClientID          = "Missing OAuth Client ID"
	summaryInvalidEndpoint          = "Invalid Genesys Cloud Endpoint"
	summaryOfficialSettingUnused    = "Setting of the Official Provider Not Used"
	summaryGatewayCredentialsUnused = "Gateway Credentials Not Used"
	summaryGatewayPathsUnused       = "Gateway Path Parameters Not Used"
	summaryConflictingRegions       = "Conflicting Regions"
	summaryConflictingEndpoints     = "Conflicting Endpoints"
	summaryMissingGatewayHost       = "Missing Gateway Host"
	summaryMissingProxyHost         = "Missing Proxy Host"
	summaryInvalidProxyProtocol     = "Invalid Proxy Protocol"
	summaryInvalidProxyHost         = "Invalid Proxy Host"
	summaryRemovals                 = "Unlisted Assignments Will Be Removed"
	summaryRemovalsUnknown          = "Unable to Read Current Assignments"
	summaryCreateClient             = "Unable to Create Genesys Cloud Client"
	summaryLookUpUsers              = "Unable to Look Up Users by Email"
	summaryEmailUnmatched           = "Emails Without a User"
	summaryEmailAmbiguous           = "Email Matches Several Users"
	summaryInvalidEmail             = "Invalid Email"
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

// addWriteError reports a write that was not wholly applied, on the attribute at p.
func addWriteError(diags *diag.Diagnostics, p path.Path, summary string, out writeOutcome, closing string) {
	detail := out.failureDetail(closing)
	if out.err != nil {
		detail += "\n\n" + apiErrorDetail(out.err)
	}
	diags.AddAttributeError(p, summary, detail)
}

// title returns s with its first letter in upper case.
func title(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// addRemovalsWarning says which members an apply removes because the instance takes everything
// (exclusive, authoritative) and does not list them: the diff of the members attribute does not
// show them.
func addRemovalsWarning(diags *diag.Diagnostics, n viewNames, key string, losing []string) {
	diags.AddAttributeWarning(path.Root(n.takesAll), summaryRemovals,
		fmt.Sprintf("%s = true: the apply removes these %d %ss from %s %s, as %s does not list them: %s.",
			n.takesAll, len(losing), n.memberNoun, strings.ToLower(n.keyNoun), key, n.membersAttr, listIDs(losing)))
}

// addRemovalsUnknownWarning says that the plan could not read what an apply that takes
// everything will remove.
func addRemovalsUnknownWarning(diags *diag.Diagnostics, n viewNames, key string, err error) {
	diags.AddAttributeWarning(path.Root(n.takesAll), summaryRemovalsUnknown,
		fmt.Sprintf("The %ss of %s %s could not be read, so the plan cannot show which the apply removes: with "+
			"%s = true it removes every %s not in %s.\n\n%s", n.memberNoun, strings.ToLower(n.keyNoun), key,
			n.takesAll, n.memberNoun, n.membersAttr, apiErrorDetail(err)))
}

// addUnmanagedWarning says which members stay assigned, unmanaged, when an instance stops
// taking everything, or after an import (adopted) does not list everything the import found.
func addUnmanagedWarning(diags *diag.Diagnostics, n viewNames, key string, kept []string, adopted bool) {
	if adopted {
		diags.AddAttributeWarning(path.Root(n.membersAttr), "Imported "+title(n.memberNoun)+"s Left Unmanaged",
			fmt.Sprintf("The import of %s %s found %d %ss that %s does not list (%s). This apply does not remove them "+
				"(%s = false manages only what it lists): they stay assigned and are no longer managed by Terraform. "+
				"To remove them, remove them in Genesys Cloud, or set %s = true.", strings.ToLower(n.keyNoun), key,
				len(kept), n.memberNoun, n.membersAttr, listIDs(kept), n.takesAll, n.takesAll))
		return
	}
	diags.AddAttributeWarning(path.Root(n.takesAll), title(n.memberNoun)+"s Left Unmanaged",
		fmt.Sprintf("%s is turning off for %s %s, so the %d %ss outside %s (%s) stay assigned and are no longer "+
			"managed by Terraform. To remove them, remove them from %s while %s is still true, or remove them in "+
			"Genesys Cloud.", n.takesAll, strings.ToLower(n.keyNoun), key, len(kept), n.memberNoun, n.membersAttr,
			listIDs(kept), n.membersAttr, n.takesAll))
}

// addKeyGoneWarning says that a refresh found the instance's key deleted from Genesys Cloud.
func addKeyGoneWarning(diags *diag.Diagnostics, n viewNames, key string) {
	diags.AddWarning(n.keyNoun+" No Longer Exists",
		fmt.Sprintf("Genesys Cloud has no %s with id %q any more. %s for it stays in the state as it was (it "+
			"holds nothing), so that the plan stays empty and no apply tries to assign it again; remove it from the "+
			"configuration when the %s was deleted on purpose (its destroy then removes nothing).",
			strings.ToLower(n.keyNoun), key, n.resource, strings.ToLower(n.keyNoun)))
}

// addMembersGoneWarning says that a refresh found members deleted from Genesys Cloud.
func addMembersGoneWarning(diags *diag.Diagnostics, n viewNames, key string, gone []string) {
	diags.AddWarning(title(n.memberNoun)+"s No Longer Exist",
		fmt.Sprintf("Genesys Cloud has no %ss with ids %s any more. They stay in %s of %s for %s %s as they were "+
			"(they hold nothing), so that the plan stays empty and no apply tries to assign them again; remove them "+
			"from %s when they were deleted on purpose.",
			n.memberNoun, listIDs(gone), n.membersAttr, n.resource, strings.ToLower(n.keyNoun), key, n.membersAttr))
}

// addKeyNotFoundError says that a write's key does not exist in Genesys Cloud.
func addKeyNotFoundError(diags *diag.Diagnostics, n viewNames, key string) {
	diags.AddAttributeError(path.Root(n.keyAttr), n.keyNoun+" Not Found",
		fmt.Sprintf("Genesys Cloud has no %s with id %q. Check %s.", strings.ToLower(n.keyNoun), key, n.keyAttr))
}

// addDuplicateDiagnostic reports that key is planned by two instances: an error when they
// cannot both hold (one takes everything, or both manage some of the same ids), a warning when
// they manage different ids and neither removes what it does not list.
func addDuplicateDiagnostic(diags *diag.Diagnostics, n viewNames, key string, mine, other planClaim) {
	detail := fmt.Sprintf("%s %s is the %s of more than one %s of this provider configuration. The other one "+
		"has %s = [%s] and %s = %t; this one has %s = [%s] and %s = %t.", n.keyNoun, key, n.keyAttr, n.resource,
		n.membersAttr, listIDs(other.ids), n.takesAll, other.takesAll,
		n.membersAttr, listIDs(mine.ids), n.takesAll, mine.takesAll)
	shared := intersection(mine.ids, other.ids)
	switch {
	case mine.takesAll || other.takesAll:
		diags.AddAttributeError(path.Root(n.keyAttr), summaryConflictingInstances(n.resource),
			detail+fmt.Sprintf(" With %s = true one of them removes what the other assigns, at every apply. %s",
				n.takesAll, n.fix))
	case len(shared) > 0:
		diags.AddAttributeError(path.Root(n.keyAttr), summaryConflictingInstances(n.resource),
			detail+fmt.Sprintf(" Both manage %s, so destroying either, or removing them from its %s, removes "+
				"them although the other still lists them. %s", listIDs(shared), n.membersAttr, n.fix))
	default:
		diags.AddAttributeWarning(path.Root(n.keyAttr), summaryDuplicateInstances(n.resource),
			detail+" They manage different ids, which works, but the split is easy to break: "+
				"a later change that lists an id in both, or sets "+n.takesAll+", makes them undo each other. "+n.fix)
	}
}

// summaryInvalidEnvValue is the summary of a malformed setting from environment variable env.
func summaryInvalidEnvValue(env string) string { return "Invalid " + env + " Value" }

// summaryUnknownValue is the summary of a setting not known until apply.
func summaryUnknownValue(attr string) string { return "Unknown " + attr + " Value" }

// summaryConflictingInstances is the summary of two instances of one resource type that cannot both hold.
func summaryConflictingInstances(resource string) string { return "Conflicting " + resource }

// summaryDuplicateInstances is the summary of two instances of one resource type that manage one key.
func summaryDuplicateInstances(resource string) string { return "Duplicate " + resource }
