package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/go-version"

	"github.com/purecloud-terraform/terraform-provider-purecloud/internal/mockapi"
)

// An apply, a refresh and a destroy with TF_LOG=trace, run through the CLI as a user runs them:
// neither the OAuth client secret nor any access token the mock issued appears in Terraform's
// output, its trace log (which carries the provider's own logs) or the state file.
func TestAccSecrets_neverInLogsOrState(t *testing.T) {
	t.Parallel()
	tf := testAccTerraformAtLeast(t, version.Must(version.NewVersion("1.0.0")))
	const secret = "s3cret-9f8e7d6c5b4a-do-not-leak"
	mock, url := testAccMock(t, mockapi.Options{Users: 2, ClientSecret: secret})
	dir := t.TempDir()
	rc := testAccDevOverrides(t, dir)
	work := filepath.Join(dir, "work")
	if err := os.MkdirAll(work, 0o755); err != nil {
		t.Fatal(err)
	}
	testAccWriteFile(t, filepath.Join(work, "main.tf"), fmt.Sprintf(`
terraform {
  required_providers {
    purecloud = { source = "purecloud-terraform/purecloud" }
  }
}

provider "purecloud" {
  api_url        = %q
  oauthclient_id = %q
}

resource "purecloud_user_license_assignment" "test" {
  user_id     = %q
  license_ids = ["cloudCX1", "wallboardUser"]
}
`, url, testClientID, mockapi.UserID(1)))
	logPath := filepath.Join(dir, "trace.log")
	run := testAccTerraformRunner(t, tf, work, rc,
		"TF_LOG=trace", "TF_LOG_PATH="+logPath, "GENESYSCLOUD_OAUTHCLIENT_SECRET="+secret)

	var output strings.Builder
	output.WriteString(run(0, "apply", "-auto-approve", "-input=false", "-no-color"))
	mock.RevokeTokens() // the refresh and destroy need a new token: two tokens to look for
	output.WriteString(run(0, "apply", "-refresh-only", "-auto-approve", "-input=false", "-no-color"))
	state, err := os.ReadFile(filepath.Join(work, "terraform.tfstate"))
	if err != nil {
		t.Fatal(err)
	}
	output.WriteString(run(0, "destroy", "-auto-approve", "-input=false", "-no-color"))
	log, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatal(err)
	}

	tokens := mock.IssuedTokens()
	if len(tokens) < 2 {
		t.Fatalf("the mock issued %d tokens, want at least 2", len(tokens))
	}
	// The check must be able to fail: the trace log holds the provider's HTTP logs.
	if !strings.Contains(string(log), "purecloud_http") || !strings.Contains(string(log), "/api/v2/license/organization") {
		t.Fatalf("the trace log has no provider HTTP logs (%d bytes); the test would prove nothing", len(log))
	}
	for name, text := range map[string]string{"output": output.String(), "trace log": string(log), "state": string(state)} {
		if strings.Contains(text, secret) {
			t.Errorf("the client secret appears in the %s", name)
		}
		for _, tok := range tokens {
			if strings.Contains(text, tok) {
				t.Errorf("access token %s… appears in the %s", tok[:6], name)
			}
		}
	}
	fmt.Printf("FIGURES %s: %d bytes of trace log, %d bytes of state and %d of output checked for the secret and %d issued tokens: 0 found\n",
		t.Name(), len(log), len(state), output.Len(), len(tokens))
}
