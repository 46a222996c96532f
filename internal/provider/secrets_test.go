package provider

import (
	"context"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

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

// secretName is the rule for attributes that hold a secret: a string whose name says secret,
// token, password, credential or key. A number or bool with such a name is a setting about the
// secret (token_pool_size), not the secret itself, and so is a duration (token_acquire_timeout).
var secretName = regexp.MustCompile(`(?i)secret|token|passw|credential|private_key|api_key`)

// settingAboutASecret matches names that say secret and are durations about it.
var settingAboutASecret = regexp.MustCompile(`(?i)_timeout$`)

// insecureName matches settings that would weaken TLS; the provider must have none.
var insecureName = regexp.MustCompile(`(?i)insecure|skip_?verify|skip_?tls|tls|ca_?cert|certificate|verify`)

// Every attribute of every schema the provider serves that holds a secret is Sensitive, and no
// setting anywhere can turn TLS verification off. Plain http:// to a host that is not loopback
// is refused: see the api_url and login_url rows of TestAccBadInput_planErrors and
// TestAccProvider_configErrors, and TestResolveEndpoints in internal/client.
func TestProviderSchemas_secretsAreSensitive(t *testing.T) {
	t.Parallel()
	server := providerserver.NewProtocol6(newWithEnv("test", func(string) string { return "" })())()
	schemas, err := server.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	testDiagnosticsEmpty(t, schemas.Diagnostics)

	var secrets []string
	check := func(where string, a *tfprotov6.SchemaAttribute) {
		if insecureName.MatchString(a.Name) {
			t.Errorf("%s: a setting named like a TLS switch; the provider must not offer one", where)
		}
		isString := a.Type != nil && a.Type.Is(tftypes.String)
		if !secretName.MatchString(a.Name) || !isString || settingAboutASecret.MatchString(a.Name) {
			return
		}
		secrets = append(secrets, where)
		if !a.Sensitive {
			t.Errorf("%s holds a secret but is not Sensitive", where)
		}
	}
	walkAttributes("provider", schemas.Provider, check)
	for kind, byName := range map[string]map[string]*tfprotov6.Schema{
		"resource": schemas.ResourceSchemas, "data source": schemas.DataSourceSchemas,
		"list resource": schemas.ListResourceSchemas, "ephemeral resource": schemas.EphemeralResourceSchemas,
	} {
		for name, s := range byName {
			walkAttributes(kind+" "+name, s, check)
		}
	}
	// The rule must have found the secrets the provider is known to hold, or it proves nothing.
	for _, want := range []string{"provider attribute oauthclient_secret", "provider attribute access_token",
		"provider block proxy block auth attribute password", "provider block gateway block auth attribute password"} {
		if !slices.Contains(secrets, want) {
			t.Errorf("the walk did not find %s as a secret; found %v", want, secrets)
		}
	}
}

// No code of this module turns TLS verification off, and nothing has changed the default
// transport the client clones.
func TestNoTLSVerificationBypass(t *testing.T) {
	t.Parallel()
	root := testAccModuleRoot(t)
	scanned := 0
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "bin" || d.Name() == ".git" || d.Name() == "tools") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		scanned++
		if strings.Contains(string(b), "InsecureSkipVerify") {
			t.Errorf("%s mentions InsecureSkipVerify", p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if scanned < 20 {
		t.Fatalf("scanned only %d Go files under %s; the check would prove nothing", scanned, root)
	}
	if tr, ok := http.DefaultTransport.(*http.Transport); ok && tr.TLSClientConfig != nil && tr.TLSClientConfig.InsecureSkipVerify {
		t.Error("http.DefaultTransport skips TLS verification")
	}
}

// walkAttributes calls check for every attribute of s, in nested attributes and blocks too.
func walkAttributes(where string, s *tfprotov6.Schema, check func(string, *tfprotov6.SchemaAttribute)) {
	if s == nil || s.Block == nil {
		return
	}
	var block func(string, *tfprotov6.SchemaBlock)
	var attribute func(string, *tfprotov6.SchemaAttribute)
	attribute = func(where string, a *tfprotov6.SchemaAttribute) {
		check(where, a)
		if a.NestedType != nil {
			for _, n := range a.NestedType.Attributes {
				attribute(where+"."+n.Name, n)
			}
		}
	}
	block = func(where string, b *tfprotov6.SchemaBlock) {
		for _, a := range b.Attributes {
			attribute(where+" attribute "+a.Name, a)
		}
		for _, nb := range b.BlockTypes {
			block(where+" block "+nb.TypeName, nb.Block)
		}
	}
	block(where, s.Block)
}
