package provider

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/purecloud-terraform/terraform-provider-purecloud/internal/client"
)

// The getting-started guide lists every region the provider accepts, with its API host, so the
// table cannot fall behind the client's region list.
func TestGettingStartedGuide_listsEveryRegion(t *testing.T) {
	t.Parallel()
	guide, err := os.ReadFile(filepath.Join("..", "..", "templates", "guides", "getting-started.md.tmpl"))
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range client.RegionKeys() {
		row := "`" + key + "` | `api." + client.Regions[key] + "`"
		if !strings.Contains(string(guide), row) {
			t.Errorf("the getting-started guide has no row %q for region %s", row, key)
		}
	}
}
