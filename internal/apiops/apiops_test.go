package apiops

import (
	"strings"
	"testing"
)

// Names and routes are unique, and the two operations the API documents without a permission
// have none here (the docs must not claim one for them).
func TestTable(t *testing.T) {
	t.Parallel()
	names, routes := map[string]bool{}, map[string]bool{}
	for _, o := range All() {
		if names[o.Name] || routes[o.Route()] {
			t.Errorf("%s (%s) appears twice", o.Name, o.Route())
		}
		names[o.Name], routes[o.Route()] = true, true
		if !strings.HasPrefix(o.Path, "/api/v2/") {
			t.Errorf("%s: path %q", o.Name, o.Path)
		}
	}
	for _, name := range []string{"getLicenseUsers", "postLicenseInfer"} {
		if p := Permissions(name); p != nil {
			t.Errorf("%s lists %v; the API documentation lists no permission", name, p)
		}
	}
	if p := Permissions("postLicenseOrganization"); len(p) != 1 || p[0] != PermGrantAdd {
		t.Errorf("postLicenseOrganization: %v", p)
	}
	o, ok := ByRoute("GET /api/v2/license/users/{userId}")
	if !ok || o.Name != "getLicenseUser" {
		t.Errorf("ByRoute: %+v %v", o, ok)
	}
}
