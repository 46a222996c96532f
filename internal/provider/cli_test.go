package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// Helpers of the tests that run the Terraform CLI themselves, as a user does, instead of through
// resource.Test: the provider is a binary built by the test and found through dev_overrides.

// testAccDevOverrides builds the provider into dir/plugins and writes dir/terraformrc, a CLI
// configuration whose dev_overrides point Terraform and OpenTofu at it; it returns the path of
// that configuration.
func testAccDevOverrides(t *testing.T, dir string) string {
	t.Helper()
	plugins := filepath.Join(dir, "plugins")
	if err := os.MkdirAll(plugins, 0o755); err != nil {
		t.Fatal(err)
	}
	build := exec.CommandContext(t.Context(), "go", "build", "-o", filepath.Join(plugins, "terraform-provider-purecloud"), ".")
	build.Dir = testAccModuleRoot(t)
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the provider: %v\n%s", err, out)
	}
	rc := filepath.Join(dir, "terraformrc")
	testAccWriteFile(t, rc, fmt.Sprintf(`provider_installation {
  dev_overrides {
    "registry.terraform.io/purecloud-terraform/purecloud" = %q
    "registry.opentofu.org/purecloud-terraform/purecloud" = %q
  }
  direct {}
}
`, plugins, plugins))
	return rc
}

// testAccTerraformAtLeast returns the CLI of the acceptance tests (TF_ACC_TERRAFORM_PATH) and
// skips the test when it is older than min, as tfversion.SkipBelow does for resource.Test.
// Like resource.Test, it skips unless TF_ACC is set.
func testAccTerraformAtLeast(t *testing.T, minimum *version.Version) string {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("Acceptance tests skipped unless env 'TF_ACC' set")
	}
	tf := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if tf == "" {
		t.Fatal("TF_ACC_TERRAFORM_PATH must name the Terraform CLI (make testacc sets it)")
	}
	v, err := version.NewVersion(testAccTerraformVersion(t, tf))
	if err != nil {
		t.Fatalf("parsing the version of %s: %v", tf, err)
	}
	var resp tfversion.CheckTerraformVersionResponse
	tfversion.SkipBelow(minimum).CheckTerraformVersion(t.Context(),
		tfversion.CheckTerraformVersionRequest{TerraformVersion: v.Core()}, &resp)
	if resp.Error != nil {
		t.Fatal(resp.Error)
	}
	if resp.Skip != "" {
		t.Skip(resp.Skip)
	}
	return tf
}

// testAccTerraformVersion is the version a Terraform CLI reports, such as "1.14.9-dev".
func testAccTerraformVersion(t *testing.T, tf string) string {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), tf, "version", "-json")
	cmd.Env = append(testAccCleanEnv(), "CHECKPOINT_DISABLE=1", "TF_CLI_CONFIG_FILE="+os.DevNull)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s version: %v", tf, err)
	}
	var v struct {
		Version string `json:"terraform_version"`
	}
	if err := json.Unmarshal(out, &v); err != nil || v.Version == "" {
		t.Fatalf("%s version -json printed %q: %v", tf, out, err)
	}
	return v.Version
}

// testAccTerraformRunner returns a function that runs the CLI in dir with the given CLI
// configuration and extra environment (KEY=value), fails the test unless it exits with
// wantCode, and returns its output.
func testAccTerraformRunner(t *testing.T, tf, dir, rc string, env ...string) func(wantCode int, args ...string) string {
	return func(wantCode int, args ...string) string {
		t.Helper()
		code, stdout, stderr := testAccTerraformExec(t, tf, dir, rc, env, args...)
		if code != wantCode {
			t.Fatalf("terraform %s exited %d, want %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), code,
				wantCode, testAccTail(stdout, 40), stderr)
		}
		return stdout
	}
}

// testAccTerraformExec runs the CLI in dir with the given CLI configuration and extra
// environment, and returns its exit code and output.
func testAccTerraformExec(t *testing.T, tf, dir, rc string, env []string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, tf, args...)
	cmd.Dir = dir
	cmd.Env = append(testAccCleanEnv(), "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1", "TF_CLI_CONFIG_FILE="+rc)
	cmd.Env = append(cmd.Env, env...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) {
		code = exitErr.ExitCode()
	} else if err != nil {
		t.Fatalf("terraform %s: %v", strings.Join(args, " "), err)
	}
	return code, out.String(), errOut.String()
}

// testAccCleanEnv is the test's environment without anything that could point Terraform or the
// provider elsewhere: no TF_* settings and no GENESYSCLOUD_* credentials.
func testAccCleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "TF_") || strings.HasPrefix(kv, "GENESYSCLOUD_") {
			continue
		}
		env = append(env, kv)
	}
	return env
}

// testAccQueryFound reads the JSON lines of `terraform query -json` and returns the display
// name of each user found, by user id. Error diagnostics fail the test.
func testAccQueryFound(t *testing.T, out string) map[string]string {
	t.Helper()
	found := map[string]string{}
	for line := range strings.SplitSeq(out, "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		var msg struct {
			Type       string `json:"type"`
			Diagnostic *struct {
				Severity, Summary, Detail string
			} `json:"diagnostic"`
			Found *struct {
				DisplayName string            `json:"display_name"`
				Identity    map[string]string `json:"identity"`
			} `json:"list_resource_found"`
		}
		if err := json.Unmarshal([]byte(line), &msg); err != nil {
			t.Fatalf("terraform query -json printed a line that is not JSON: %q", line)
		}
		if msg.Diagnostic != nil && msg.Diagnostic.Severity == "error" {
			t.Fatalf("terraform query: %s: %s", msg.Diagnostic.Summary, msg.Diagnostic.Detail)
		}
		if msg.Found != nil {
			found[msg.Found.Identity["user_id"]] = msg.Found.DisplayName
		}
	}
	return found
}

// testAccModuleRoot is the directory of the provider's go.mod.
func testAccModuleRoot(t *testing.T) string {
	t.Helper()
	out, err := exec.CommandContext(t.Context(), "go", "env", "GOMOD").Output()
	if err != nil || strings.TrimSpace(string(out)) == "" || strings.TrimSpace(string(out)) == os.DevNull {
		t.Fatalf("finding the module root with go env GOMOD: %v (%q)", err, out)
	}
	return filepath.Dir(strings.TrimSpace(string(out)))
}

func testAccWriteFile(t *testing.T, name, content string) {
	t.Helper()
	if err := os.WriteFile(name, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

// testAccHead and testAccTail keep failure messages short.
func testAccHead(b []byte, lines int) string {
	all := strings.Split(string(b), "\n")
	return strings.Join(all[:min(lines, len(all))], "\n")
}

func testAccTail(s string, lines int) string {
	all := strings.Split(s, "\n")
	return strings.Join(all[max(0, len(all)-lines):], "\n")
}
