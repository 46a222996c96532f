// Package apiops is the one table of the Genesys Cloud API operations this project knows: the
// SDK name, method and path of each, and the permissions the public API documentation lists for
// it. The client names operations and their missing permissions in its errors from it, the mock
// API enforces the permissions from it, and the provider's documentation tables are checked
// against it (internal/provider/api_usage_test.go).
//
// It holds plain strings only: no wire types, so that internal/mockapi can import it and still
// keep its own JSON structs (see .golangci.yml, mock-isolation).
package apiops

import "slices"

// Permissions the License API and the Users API ask for.
const (
	PermGrantAdd    = "authorization:grant:add"
	PermLicenseView = "authorization:license:view"
	PermUserView    = "directory:user:view"
)

// Operation is one API operation.
type Operation struct {
	// Name is the operation's name in the official SDKs, such as getLicenseUser.
	Name string
	// Method and Path as the API documents them; Path has {placeholders}.
	Method, Path string
	// Permissions are those the API documentation lists, any one of them sufficing; nil when it
	// lists none.
	Permissions []string
	// Note qualifies the operation (deprecated, preview, removed), or is empty.
	Note string
}

// Route is "METHOD /path", the form of the mock's route keys.
func (o Operation) Route() string { return o.Method + " " + o.Path }

var (
	grant       = []string{PermGrantAdd}
	grantOrView = []string{PermGrantAdd, PermLicenseView}
)

// operations is the table, in the order of the API documentation
// (Genesys Cloud Platform API reference, License section; then the Users API routes).
var operations = []Operation{
	// License API.
	{Name: "getLicenseDefinition", Method: "GET", Path: "/api/v2/license/definitions/{licenseId}", Permissions: grantOrView},
	{Name: "getLicenseDefinitions", Method: "GET", Path: "/api/v2/license/definitions", Permissions: grantOrView},
	{Name: "getLicenseToggle", Method: "GET", Path: "/api/v2/license/toggles/{featureName}", Note: "deprecated"},
	{Name: "postLicenseToggle", Method: "POST", Path: "/api/v2/license/toggles/{featureName}", Note: "deprecated"},
	{Name: "getLicenseUser", Method: "GET", Path: "/api/v2/license/users/{userId}", Permissions: grantOrView},
	{Name: "getLicenseUsers", Method: "GET", Path: "/api/v2/license/users"},
	{Name: "postLicenseInfer", Method: "POST", Path: "/api/v2/license/infer"},
	{Name: "postLicenseOrganization", Method: "POST", Path: "/api/v2/license/organization", Permissions: grant},
	{Name: "postLicenseUsers", Method: "POST", Path: "/api/v2/license/users", Permissions: grantOrView},
	{Name: "getLicenseOrganization", Method: "GET", Path: "/api/v2/license/organization", Note: "removed from the live API in 2019"},
	{Name: "postLicenseInferPermissions", Method: "POST", Path: "/api/v2/license/infer/permissions", Permissions: grantOrView, Note: "preview"},

	// Users API (the purecloud_users_by_email data source).
	{Name: "postUsersSearch", Method: "POST", Path: "/api/v2/users/search", Permissions: []string{PermUserView}},
}

// All returns every operation, in the table's order.
func All() []Operation {
	out := make([]Operation, len(operations))
	for i, o := range operations {
		o.Permissions = slices.Clone(o.Permissions)
		out[i] = o
	}
	return out
}

// ByName returns the operation with the SDK name name.
func ByName(name string) (Operation, bool) {
	for _, o := range All() {
		if o.Name == name {
			return o, true
		}
	}
	return Operation{}, false
}

// ByRoute returns the operation whose Route is route ("GET /api/v2/license/users/{userId}").
func ByRoute(route string) (Operation, bool) {
	for _, o := range All() {
		if o.Route() == route {
			return o, true
		}
	}
	return Operation{}, false
}

// Permissions returns the permissions the operation named name needs, any one of them
// sufficing; nil when the documentation lists none or the name is unknown.
func Permissions(name string) []string {
	o, _ := ByName(name)
	return o.Permissions
}
