package provider

import (
	"fmt"
	"slices"
	"strings"

	"github.com/purecloud-terraform/terraform-provider-purecloud/internal/apiops"
)

// apiUse is what one resource, data source or list resource of the provider calls: the API
// operations (SDK names, from internal/apiops) of its reads (plan, refresh, import, query) and
// of its writes (apply). The permissions tables of the getting-started guide are rendered from
// this and internal/apiops, and TestDocs_permissionTables keeps them equal.
type apiUse struct {
	kind, name    string
	reads, writes []string
}

// apiUsage lists every resource, data source and list resource with the operations it calls.
var apiUsage = []apiUse{
	{kind: "resource", name: "purecloud_user_license_assignment",
		// getLicenseDefinitions: the plan-time check of license ids; getLicenseUsers: the
		// organization listing of a large refresh (listing.go).
		reads:  []string{"getLicenseDefinitions", "getLicenseUser", "postLicenseUsers", "getLicenseUsers"},
		writes: []string{"postLicenseOrganization", "getLicenseUser", "postLicenseUsers"}},
	{kind: "resource", name: "purecloud_license_assignment",
		// getLicenseUsers: every holder, when authoritative.
		reads:  []string{"getLicenseDefinitions", "postLicenseUsers", "getLicenseUser", "getLicenseUsers"},
		writes: []string{"postLicenseOrganization", "postLicenseUsers", "getLicenseUser", "getLicenseUsers"}},
	{kind: "list resource", name: "purecloud_user_license_assignment",
		reads: []string{"getLicenseUsers", "postLicenseUsers"}},
	{kind: "data source", name: "purecloud_license_definition", reads: []string{"getLicenseDefinition"}},
	{kind: "data source", name: "purecloud_license_definitions",
		reads: []string{"getLicenseDefinitions", "getLicenseDefinition"}},
	{kind: "data source", name: "purecloud_user_licenses", reads: []string{"getLicenseUser", "postLicenseUsers"}},
	{kind: "data source", name: "purecloud_license_users", reads: []string{"getLicenseUsers", "postLicenseUsers"}},
	{kind: "data source", name: "purecloud_inferred_licenses", reads: []string{"postLicenseInfer"}},
	{kind: "data source", name: "purecloud_users_by_email", reads: []string{"postUsersSearch"}},
}

// permissionsNeeded says which permissions calling every operation in ops needs: one permission
// that every operation accepts when there is one, else each operation's alternatives.
func permissionsNeeded(ops []string) string {
	var lists [][]string
	for _, name := range ops {
		if p := apiops.Permissions(name); len(p) > 0 && !slices.ContainsFunc(lists, func(l []string) bool {
			return slices.Equal(l, p)
		}) {
			lists = append(lists, p)
		}
	}
	if len(lists) == 0 {
		return "none listed"
	}
	alternatives := func(l []string) string {
		quoted := make([]string, len(l))
		for i, p := range l {
			quoted[i] = "`" + p + "`"
		}
		return strings.Join(quoted, " or ")
	}
	var common []string
	for _, p := range lists[0] {
		if !slices.ContainsFunc(lists, func(l []string) bool { return !slices.Contains(l, p) }) {
			common = append(common, p)
		}
	}
	if len(common) > 0 {
		return alternatives(common)
	}
	parts := make([]string, len(lists))
	for i, l := range lists {
		parts[i] = "(" + alternatives(l) + ")"
	}
	return strings.Join(parts, " and ")
}

// operationsTable renders the table of API operations the provider calls.
func operationsTable() string {
	used := map[string]bool{}
	for _, u := range apiUsage {
		for _, op := range append(slices.Clone(u.reads), u.writes...) {
			used[op] = true
		}
	}
	var b strings.Builder
	b.WriteString("| Operation | Request | Permissions (any one) |\n|---|---|---|\n")
	for _, o := range apiops.All() {
		if !used[o.Name] {
			continue
		}
		perms := "none listed"
		if len(o.Permissions) > 0 {
			perms = permissionsNeeded([]string{o.Name})
		}
		fmt.Fprintf(&b, "| `%s` | `%s %s` | %s |\n", o.Name, o.Method, o.Path, perms)
	}
	return b.String()
}

// usageTable renders, per resource, data source and list resource, what plan and apply call and
// need.
func usageTable() string {
	var b strings.Builder
	b.WriteString("| Type | Name | Plan, refresh, import, query | Apply |\n|---|---|---|---|\n")
	code := func(ops []string) string {
		out := make([]string, len(ops))
		for i, op := range ops {
			out[i] = "`" + op + "`"
		}
		return strings.Join(out, ", ")
	}
	for _, u := range apiUsage {
		apply := "—"
		if len(u.writes) > 0 {
			apply = code(u.writes) + ": " + permissionsNeeded(u.writes)
		}
		fmt.Fprintf(&b, "| %s | `%s` | %s: %s | %s |\n", u.kind, u.name, code(u.reads), permissionsNeeded(u.reads), apply)
	}
	return b.String()
}
