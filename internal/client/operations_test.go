package client

import (
	"regexp"
	"slices"
	"testing"

	"github.com/purecloud-terraform/terraform-provider-purecloud/internal/apiops"
)

// The client names every operation of the one table (internal/apiops) by its SDK name, and the
// permissions its 403 errors list are the table's.
func TestOperationNamesAndPermissionsFollowTheTable(t *testing.T) {
	t.Parallel()
	placeholder := regexp.MustCompile(`\{[^}]+\}`)
	for _, o := range apiops.All() {
		path := placeholder.ReplaceAllString(o.Path, "x")
		if got := operationName(o.Method, path+"?pageSize=1"); got != o.Name {
			t.Errorf("%s %s: the client names it %q, the table %q", o.Method, path, got, o.Name)
		}
		if got := operationPermissions(o.Name); !slices.Equal(got, o.Permissions) {
			t.Errorf("%s: the client lists %v, the table %v", o.Name, got, o.Permissions)
		}
	}
}
