package provider

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/purecloud-terraform/terraform-provider-purecloud/internal/mockapi"
)

// The GitOps guide shows "exactly the plan a reviewer sees" for a change of its CSV file. This
// applies the guide's example against the mock, makes the change shown in the guide's diff, and
// compares the plan with the guide's, so the guide cannot drift from what Terraform prints.
func TestAccGuides_gitopsPlanIsTheGuidesPlan(t *testing.T) {
	t.Parallel()
	tf := testAccTerraformAtLeast(t, tfversion.Version1_6_0)
	_, url := testAccMock(t, mockapi.Options{Users: 3})
	root := testAccModuleRoot(t)
	guide := string(testAccReadFile(t, filepath.Join(root, "templates", "guides", "gitops-from-a-file.md.tmpl")))
	change := testAccFencedBlock(t, guide, "A pull request takes", "diff")
	wantPlan := testAccFencedBlock(t, guide, "and CI posts the plan", "text")

	work := t.TempDir()
	rc := testAccDevOverrides(t, work)
	config := filepath.Join(work, "config")
	if err := os.MkdirAll(config, 0o755); err != nil {
		t.Fatal(err)
	}
	example := filepath.Join(root, "examples", "guides", "gitops-from-a-file")
	testAccWriteFile(t, filepath.Join(config, "main.tf"), string(testAccReadFile(t, filepath.Join(example, "main.tf"))))
	before := string(testAccReadFile(t, filepath.Join(example, "licenses.csv")))
	testAccWriteFile(t, filepath.Join(config, "licenses.csv"), before)

	run := testAccTerraformRunner(t, tf, config, rc, "PURECLOUD_API_URL="+url,
		"GENESYSCLOUD_OAUTHCLIENT_ID="+testClientID, "GENESYSCLOUD_OAUTHCLIENT_SECRET="+testClientSecret)
	run(0, "apply", "-auto-approve", "-input=false", "-no-color")

	// The diff's context and removed lines must be the example file; its context and added lines
	// are the file after the change.
	var old, changed []string
	for _, line := range strings.Split(strings.TrimRight(change, "\n"), "\n") {
		text := line[1:]
		switch line[0] {
		case ' ':
			old, changed = append(old, text), append(changed, text)
		case '-':
			old = append(old, text)
		case '+':
			changed = append(changed, text)
		}
	}
	if strings.Join(old, "\n")+"\n" != before {
		t.Fatalf("the guide's diff does not start from examples/guides/gitops-from-a-file/licenses.csv:\n%s", change)
	}
	testAccWriteFile(t, filepath.Join(config, "licenses.csv"), strings.Join(changed, "\n")+"\n")

	out := run(2, "plan", "-input=false", "-no-color", "-detailed-exitcode")
	start := regexp.MustCompile(`(Terraform|OpenTofu) used the selected providers`).FindStringIndex(out)
	end := regexp.MustCompile(`Plan: .*\n`).FindStringIndex(out)
	if start == nil || end == nil {
		t.Fatalf("no plan in the output:\n%s", out)
	}
	got := out[start[0]:end[1]]
	if testAccNormalizePlan(got) != testAccNormalizePlan(wantPlan) {
		t.Errorf("the plan is not the guide's.\ngot:\n%s\nthe guide shows:\n%s", got, wantPlan)
	}
}

// testAccNormalizePlan makes plans comparable across CLIs: OpenTofu names itself, wraps its
// first sentence elsewhere and explains the update symbol.
func testAccNormalizePlan(plan string) string {
	plan = strings.ReplaceAll(plan, "OpenTofu", "Terraform")
	plan = strings.ReplaceAll(plan, "update in-place (current -> planned)", "update in-place")
	return strings.Join(strings.Fields(plan), " ")
}

// testAccFencedBlock returns the content of the first ```lang block after the text marker.
func testAccFencedBlock(t *testing.T, doc, marker, lang string) string {
	t.Helper()
	i := strings.Index(doc, marker)
	if i < 0 {
		t.Fatalf("no %q in the guide", marker)
	}
	rest := doc[i:]
	open := strings.Index(rest, "```"+lang+"\n")
	if open < 0 {
		t.Fatalf("no ```%s block after %q", lang, marker)
	}
	rest = rest[open+len("```"+lang+"\n"):]
	end := strings.Index(rest, "```")
	if end < 0 {
		t.Fatalf("the ```%s block after %q does not end", lang, marker)
	}
	return rest[:end]
}
