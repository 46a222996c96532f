package provider

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/purecloud-terraform/terraform-provider-purecloud/internal/apiops"
)

// Markers around the generated permissions tables in templates/guides/getting-started.md.tmpl.
const (
	permissionsBegin = "<!-- BEGIN permissions tables: generated from internal/apiops and internal/provider/api_usage.go; " +
		"PURECLOUD_UPDATE_DOCS=1 go test ./internal/provider -run TestDocs_permissionTables rewrites them -->\n"
	permissionsEnd = "<!-- END permissions tables -->\n"
)

func permissionTables() string {
	return "API operations the provider calls, with the permissions the API documentation lists for each:\n\n" +
		operationsTable() + "\nWhat each resource, data source and list resource calls, and the permissions it needs:\n\n" +
		usageTable()
}

// The getting-started guide's permissions tables are the ones rendered from the one table of
// operations (internal/apiops) and apiUsage, in the template and in the generated page.
// PURECLOUD_UPDATE_DOCS=1 rewrites the template's tables; run make generate afterwards.
func TestDocs_permissionTables(t *testing.T) {
	t.Parallel()
	root := testAccModuleRoot(t)
	want := permissionTables()
	tmpl := filepath.Join(root, "templates", "guides", "getting-started.md.tmpl")
	if os.Getenv("PURECLOUD_UPDATE_DOCS") == "1" {
		b, err := os.ReadFile(tmpl)
		if err != nil {
			t.Fatal(err)
		}
		s := string(b)
		i, j := strings.Index(s, permissionsBegin), strings.Index(s, permissionsEnd)
		if i < 0 || j < i {
			t.Fatalf("%s has no permissions markers", tmpl)
		}
		s = s[:i+len(permissionsBegin)] + want + s[j:]
		if err := os.WriteFile(tmpl, []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range []string{tmpl, filepath.Join(root, "docs", "guides", "getting-started.md")} {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		s := string(b)
		i, j := strings.Index(s, permissionsBegin), strings.Index(s, permissionsEnd)
		if i < 0 || j < i {
			t.Errorf("%s has no permissions markers", p)
			continue
		}
		if got := s[i+len(permissionsBegin) : j]; got != want {
			t.Errorf("%s: the permissions tables differ from the code; run PURECLOUD_UPDATE_DOCS=1 go test "+
				"./internal/provider -run TestDocs_permissionTables and make generate. Want:\n%s", p, want)
		}
	}
}

// apiUsage names only operations of internal/apiops, and has a row for every resource, data
// source and list resource the provider serves.
func TestAPIUsage_coversTheProvider(t *testing.T) {
	t.Parallel()
	rows := map[string]bool{}
	for _, u := range apiUsage {
		rows[u.kind+" "+u.name] = true
		if len(u.reads) == 0 {
			t.Errorf("%s %s: no reads", u.kind, u.name)
		}
		for _, op := range append(append([]string{}, u.reads...), u.writes...) {
			if _, ok := apiops.ByName(op); !ok {
				t.Errorf("%s %s: operation %q is not in internal/apiops", u.kind, u.name, op)
			}
		}
	}
	server := providerserver.NewProtocol6(newWithEnv("test", func(string) string { return "" })())()
	schemas, err := server.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	for kind, byName := range map[string]map[string]*tfprotov6.Schema{
		"resource": schemas.ResourceSchemas, "data source": schemas.DataSourceSchemas,
		"list resource": schemas.ListResourceSchemas,
	} {
		for name := range byName {
			if !rows[kind+" "+name] {
				t.Errorf("%s %s has no row in apiUsage (api_usage.go)", kind, name)
			}
		}
	}
}
