package mockapi

import (
	"slices"
	"strings"
	"testing"

	"github.com/purecloud-terraform/terraform-provider-purecloud/internal/apiops"
)

// Every API route of the mock is an operation of the one table (internal/apiops), and requires
// exactly the permissions the table lists.
func TestRoutesFollowTheOperationsTable(t *testing.T) {
	t.Parallel()
	for _, c := range apiCalls() {
		o, ok := apiops.ByRoute(c.route)
		if !ok {
			t.Errorf("route %s is not in internal/apiops", c.route)
			continue
		}
		if got := RoutePermissions(c.route); !slices.Equal(got, o.Permissions) {
			t.Errorf("%s: the mock requires %v, the table lists %v", c.route, got, o.Permissions)
		}
	}
	// Every License API operation of the table is one of the mock's routes.
	served := map[string]bool{}
	for _, c := range apiCalls() {
		served[c.route] = true
	}
	for _, o := range apiops.All() {
		if strings.HasPrefix(o.Path, "/api/v2/license/") && !served[o.Route()] {
			t.Errorf("%s (%s) is in internal/apiops but not among the mock's routes", o.Name, o.Route())
		}
	}
}
