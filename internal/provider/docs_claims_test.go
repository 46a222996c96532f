package provider

// Tests that what the README, docs/index.md and the guides state is what the code, the test
// scripts and BENCHMARKS.md say: regions, defaults and environment variables, Terraform version
// ranges, request counts and front-matter descriptions. They read the generated docs/ (and the
// README), so run make generate after changing a template or a schema description.

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

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

// docsFile reads a file of the module; rel is slash-separated.
func docsFile(t *testing.T, rel string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", filepath.FromSlash(rel)))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// docsPages returns the README and every generated page of docs/, by slash-separated path.
func docsPages(t *testing.T) map[string]string {
	t.Helper()
	pages := map[string]string{"README.md": docsFile(t, "README.md")}
	root := filepath.Join("..", "..", "docs")
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".md") {
			return err
		}
		rel, _ := filepath.Rel(filepath.Join("..", ".."), p)
		b, err := os.ReadFile(p)
		pages[filepath.ToSlash(rel)] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) < 10 {
		t.Fatalf("found only %d pages; the checks would prove nothing", len(pages))
	}
	return pages
}

// providerAttributeDescriptions returns the description of every top-level attribute and block
// of the provider schema.
func providerAttributeDescriptions(t *testing.T) map[string]string {
	t.Helper()
	server := providerserver.NewProtocol6(newWithEnv("test", func(string) string { return "" })())()
	schemas, err := server.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, a := range schemas.Provider.Block.Attributes {
		out[a.Name] = a.Description
	}
	for _, b := range schemas.Provider.Block.BlockTypes {
		out[b.TypeName] = b.Block.Description
		for _, a := range b.Block.Attributes {
			out[b.TypeName] += " " + a.Description
		}
		for _, nb := range b.Block.BlockTypes {
			for _, a := range nb.Block.Attributes {
				out[b.TypeName] += " " + a.Description
			}
		}
	}
	return out
}

var (
	describedDefault = regexp.MustCompile("[Dd]efaults to `?([^`;,]+?)`?(?:[.;,]|$)")
	describedEnv     = regexp.MustCompile("`((?:GENESYSCLOUD|PURECLOUD)_[A-Z_]+)`")
	tableRow         = regexp.MustCompile("^\\| `([a-z_]+)`( block)? \\|(.*)$")
	envName          = regexp.MustCompile("(?:GENESYSCLOUD|PURECLOUD)_[A-Z_]+")
)

// cells splits the rest of a Markdown table row into trimmed cells.
func cells(rest string) []string {
	parts := strings.Split(strings.TrimSuffix(strings.TrimSpace(rest), "|"), "|")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	return parts
}

// The settings table of docs/index.md lists every setting of the provider schema that this
// provider uses, with exactly the environment variables and the default its description (the
// code) gives; the settings table of the large-organizations guide states the same defaults.
func TestDocs_settingsDefaultsAndEnvironmentVariables(t *testing.T) {
	t.Parallel()
	descriptions := providerAttributeDescriptions(t)
	ignored := map[string]bool{}
	for _, s := range ignoredSettings {
		ignored[s.name] = true
	}
	index := docsFile(t, "docs/index.md")
	start := strings.Index(index, "## Settings and environment variables")
	if start < 0 {
		t.Fatal("docs/index.md has no section Settings and environment variables")
	}
	section := index[start:]
	section = section[:strings.Index(section[3:], "\n## ")+3]
	listed := map[string]bool{}
	for _, line := range strings.Split(section, "\n") {
		m := tableRow.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		name, c := m[1], cells(m[3])
		desc, ok := descriptions[name]
		if !ok || ignored[name] || len(c) < 2 {
			continue
		}
		listed[name] = true
		tableEnv := envName.FindAllString(c[0], -1)
		var codeEnv []string
		for _, e := range describedEnv.FindAllStringSubmatch(desc, -1) {
			if !strings.Contains(desc, "`"+e[1]+"` (its SDK client pool") && !strings.Contains(desc, e[1]+"` environment variable is not read") {
				codeEnv = append(codeEnv, e[1])
			}
		}
		if name == "proxy" || name == "gateway" {
			// The block's description names the variables of its fields, which the table lists too.
			for _, e := range tableEnv {
				if !strings.Contains(desc, e) && (name != "proxy" || !strings.HasPrefix(e, "GENESYSCLOUD_PROXY_")) {
					t.Errorf("docs/index.md: %s lists %s, which the schema does not name", name, e)
				}
			}
			continue
		}
		slices.Sort(tableEnv)
		slices.Sort(codeEnv)
		codeEnv = slices.Compact(codeEnv)
		if !slices.Equal(tableEnv, codeEnv) {
			t.Errorf("docs/index.md: %s has environment variables %v, the schema says %v", name, tableEnv, codeEnv)
		}
		if d := describedDefault.FindStringSubmatch(desc); d != nil {
			if got := strings.Trim(c[1], "`"); got != d[1] {
				t.Errorf("docs/index.md: %s defaults to %q, the schema says %q", name, got, d[1])
			}
		}
	}
	for name := range descriptions {
		if !ignored[name] && !listed[name] {
			t.Errorf("docs/index.md: the settings table has no row for %s", name)
		}
	}

	guide := docsFile(t, "docs/guides/large-organizations.md")
	checked := 0
	for _, line := range strings.Split(guide, "\n") {
		m := tableRow.FindStringSubmatch(line)
		if m == nil || descriptions[m[1]] == "" {
			continue
		}
		c := cells(m[3])
		d := describedDefault.FindStringSubmatch(descriptions[m[1]])
		if d == nil || len(c) == 0 {
			continue
		}
		checked++
		if got := strings.Trim(c[0], "`"); got != d[1] {
			t.Errorf("large-organizations guide: %s defaults to %q, the schema says %q", m[1], got, d[1])
		}
	}
	if len(listed) < 10 || checked < 4 {
		t.Fatalf("checked %d settings in docs/index.md and %d in the guide; the check would prove nothing", len(listed), checked)
	}
}

// scriptVersion reads the default version a test script builds, such as v1.6.6.
func scriptVersion(t *testing.T, script, variable string) string {
	t.Helper()
	m := regexp.MustCompile(regexp.QuoteMeta(variable) + `:-v([0-9.]+)\}`).FindStringSubmatch(docsFile(t, script))
	if m == nil {
		t.Fatalf("%s sets no default %s", script, variable)
	}
	return m[1]
}

// The Terraform versions the docs name agree with the CLIs the tests run: the oldest is the one
// scripts/terraform-bin.sh builds for make testacc CLI=oldest, the newest the one
// scripts/terraform-latest-bin.sh builds, OpenTofu the one scripts/tofu-bin.sh builds. No page
// says a version older than the oldest works, and the README and CHANGELOG name the same tested
// versions.
func TestDocs_terraformVersionsMatchTheTestedCLIs(t *testing.T) {
	t.Parallel()
	oldest := scriptVersion(t, "scripts/terraform-bin.sh", "TERRAFORM_BUILD_VERSION")
	newest := scriptVersion(t, "scripts/terraform-latest-bin.sh", "TERRAFORM_LATEST_VERSION")
	tofu := scriptVersion(t, "scripts/tofu-bin.sh", "TOFU_BUILD_VERSION")
	minor := func(v string) int {
		parts := strings.Split(v, ".")
		n, err := strconv.Atoi(parts[1])
		if err != nil {
			t.Fatalf("version %q", v)
		}
		return n
	}
	oldestMinor := minor(oldest)
	oldestShort := strings.Join(strings.Split(oldest, ".")[:2], ".")

	readme := docsFile(t, "README.md")
	if !strings.Contains(readme, "Terraform "+oldestShort+" and later") {
		t.Errorf("README.md does not say Terraform %s and later (the oldest tested, %s)", oldestShort, oldest)
	}
	changelog := docsFile(t, "CHANGELOG.md")
	for _, v := range []string{oldest, newest, tofu} {
		if !strings.Contains(readme, v) {
			t.Errorf("README.md does not name %s, a version the tests run", v)
		}
	}
	tested := regexp.MustCompile(`(?m)^\* Tested with .*$`).FindAllString(changelog, -1)
	if len(tested) == 0 {
		t.Error("CHANGELOG.md has no line starting with \"* Tested with\"")
	}
	for _, line := range tested {
		for _, v := range []string{oldest, newest, tofu} {
			if !strings.Contains(line, v) {
				t.Errorf("CHANGELOG.md %q does not name %s, which the README names", line, v)
			}
		}
	}

	mention := regexp.MustCompile(`Terraform v?1\.(\d+)(?:\.\d+)?`)
	pages := docsPages(t)
	pages["CHANGELOG.md"] = changelog
	for name, text := range pages {
		for i, line := range strings.Split(text, "\n") {
			for _, m := range mention.FindAllStringSubmatch(line, -1) {
				if n, _ := strconv.Atoi(m[1]); n < oldestMinor {
					t.Errorf("%s:%d names %q, older than the oldest Terraform the tests run (%s)", name, i+1, m[0], oldest)
				}
			}
		}
	}
}

// benchmarkRow is a row of a table of BENCHMARKS.md, by column name.
type benchmarkRow map[string]string

// benchmarkTables parses every table of BENCHMARKS.md; generated holds the rows of the section
// make bench-scale writes (the latest scale run).
func benchmarkTables(t *testing.T) (all []benchmarkRow, generated []benchmarkRow) {
	t.Helper()
	text := docsFile(t, "BENCHMARKS.md")
	var header []string
	inGenerated := false
	for _, line := range strings.Split(text, "\n") {
		switch {
		case strings.Contains(line, "BEGIN GENERATED"):
			inGenerated = true
		case strings.Contains(line, "END GENERATED"):
			inGenerated = false
		}
		if !strings.HasPrefix(line, "|") {
			header = nil
			continue
		}
		c := cells(strings.TrimPrefix(line, "|"))
		switch {
		case header == nil:
			header = c
		case strings.HasPrefix(c[0], "---") || strings.HasPrefix(c[0], ":--") || strings.HasPrefix(c[0], "--"):
		default:
			row := benchmarkRow{}
			for i, h := range header {
				if i < len(c) {
					row[h] = c[i]
				}
			}
			all = append(all, row)
			if inGenerated {
				generated = append(generated, row)
			}
		}
	}
	return all, generated
}

var (
	requestClaim = regexp.MustCompile(`(\d[\d,]*) (?:write |read |API )?requests?\b( per| a minute| at \d)?`)
	endpointPart = regexp.MustCompile(`([A-Za-z]+) (\d+)`)
)

// Every number of requests the README or a page of docs/ states is one BENCHMARKS.md measured:
// a request total or a count per endpoint of one of its tables. The claims that quote the latest
// scale run are checked against that run's own row. Rates ("300 requests per minute", "1,000
// requests at 280 a minute") are not counts and are skipped.
func TestDocs_requestCountsMatchBenchmarks(t *testing.T) {
	t.Parallel()
	all, generated := benchmarkTables(t)
	measured := map[string]bool{}
	for _, row := range all {
		for col, v := range row {
			switch {
			case col == "requests" || col == "all requests" || strings.HasPrefix(col, "post") || strings.HasPrefix(col, "get") || col == "token":
				measured[v] = true
			case col == "by endpoint":
				for _, m := range endpointPart.FindAllStringSubmatch(v, -1) {
					measured[m[2]] = true
				}
			}
		}
	}
	if len(measured) < 20 || len(generated) < 10 {
		t.Fatalf("read %d measured counts and %d generated rows from BENCHMARKS.md; the check would prove nothing", len(measured), len(generated))
	}
	claims := 0
	for name, text := range docsPages(t) {
		for i, line := range strings.Split(text, "\n") {
			for _, m := range requestClaim.FindAllStringSubmatch(line, -1) {
				if m[2] != "" || strings.Contains(line, "allows "+m[1]) {
					continue // a rate, not a count
				}
				claims++
				if n := strings.ReplaceAll(m[1], ",", ""); !measured[n] {
					t.Errorf("%s:%d says %q, a number of requests BENCHMARKS.md does not show", name, i+1, m[0])
				}
			}
		}
	}

	latest := func(n, phase, column string) string {
		for _, row := range generated {
			if row["mode"] == "defaults" && row["N"] == n && row["phase"] == phase {
				return row[column]
			}
		}
		t.Fatalf("BENCHMARKS.md's generated table has no defaults row for N = %s, %s", n, phase)
		return ""
	}
	// Claims that quote the latest scale run: (page, pattern with the number as its group, N, phase).
	quoted := []struct{ page, pattern, n, phase string }{
		{"docs/guides/drift-detection-in-ci.md", `a drift check of\s+1,000 users in an organization of 2,100 took (\d+) requests`, "1000", "drift (plan)"},
		{"docs/guides/large-organizations.md", `here (\d+) requests for 1,000 users`, "1000", "plan (no change)"},
		{"docs/guides/large-organizations.md", `\| create \| [\d.]+ s \| [\d.]+ s, (\d+) requests`, "1000", "create"},
		{"docs/guides/large-organizations.md", `\| no-change plan \| [\d.]+ s \| [\d.]+ s, (\d+) requests`, "1000", "plan (no change)"},
		{"docs/guides/large-organizations.md", `\| drift check \(50 users changed\) \| [\d.]+ s \| [\d.]+ s, (\d+) requests`, "1000", "drift (plan)"},
		{"docs/guides/large-organizations.md", `\| destroy \| [\d.]+ s \| [\d.]+ s, (\d+) requests`, "1000", "destroy"},
		{"README.md", `1,000 users were created with (\d+) requests`, "1000", "create"},
	}
	pages := docsPages(t)
	for _, q := range quoted {
		m := regexp.MustCompile(q.pattern).FindStringSubmatch(pages[q.page])
		if m == nil {
			t.Errorf("%s no longer says %s; update this test with the claim that replaced it", q.page, q.pattern)
			continue
		}
		if want := latest(q.n, q.phase, "all requests"); m[1] != want {
			t.Errorf("%s says %s requests for N = %s, %s; BENCHMARKS.md's latest run measured %s", q.page, m[1], q.n, q.phase, want)
		}
	}
	if claims < 10 {
		t.Fatalf("found %d request counts in the docs; the check would prove nothing", claims)
	}
}

// Every generated page's front matter describes it in one short sentence: the registry's index
// shows it, and the long description stays in the page (and the schema).
func TestDocs_shortFrontMatterDescriptions(t *testing.T) {
	t.Parallel()
	front := regexp.MustCompile(`(?s)^---\n.*?description: \|-\n((?:  .*\n)+)---`)
	for name, text := range docsPages(t) {
		if !strings.HasPrefix(name, "docs/resources/") && !strings.HasPrefix(name, "docs/data-sources/") &&
			!strings.HasPrefix(name, "docs/list-resources/") {
			continue
		}
		m := front.FindStringSubmatch(text)
		if m == nil {
			t.Errorf("%s has no front-matter description", name)
			continue
		}
		d := strings.TrimSpace(m[1])
		if strings.Contains(d, "\n") || len(d) > 160 || strings.Count(d, ". ") > 0 {
			t.Errorf("%s: the front-matter description is not one short sentence (%d characters): %q", name, len(d), d)
		}
	}
}

// Every provider an example's required_providers block names carries a version constraint, as a
// user's configuration should: the examples are what users copy, and the docs show them.
func TestDocs_examplesPinTheProviderVersion(t *testing.T) {
	t.Parallel()
	entry := regexp.MustCompile(`(?s)(\w+)\s*=\s*\{([^{}]*)\}`)
	checked := 0
	err := filepath.WalkDir(filepath.Join("..", "..", "examples"), func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".tf") {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		text := string(b)
		i := strings.Index(text, "required_providers {")
		if i < 0 {
			return nil
		}
		block := text[i+len("required_providers {"):]
		// The block ends at the first line holding only a closing brace at its own indentation.
		if j := strings.Index(block, "\n  }"); j >= 0 {
			block = block[:j]
		}
		for _, m := range entry.FindAllStringSubmatch(block, -1) {
			checked++
			if !regexp.MustCompile(`(?m)^\s*version\s*=`).MatchString(m[2]) {
				t.Errorf("%s: required_providers entry %s has no version constraint", p, m[1])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 5 {
		t.Fatalf("checked %d required_providers entries; the check would prove nothing", checked)
	}
}

// Every `make target VAR=value` the project's Markdown names is a target of the GNUmakefile, and
// every variable it sets is one the GNUmakefile reads, so that renaming or folding a target
// cannot leave a command in the docs that make refuses or silently ignores.
func TestDocs_makeCommandsExist(t *testing.T) {
	t.Parallel()
	makefile := docsFile(t, "GNUmakefile")
	targets := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^([a-z][a-z-]*):`).FindAllStringSubmatch(makefile, -1) {
		targets[m[1]] = true
	}
	var files []string
	for _, pattern := range []string{"*.md", "docs/*.md", "docs/*/*.md", "templates/*.tmpl", "templates/*/*.tmpl", "examples/*/*.md"} {
		matches, err := filepath.Glob(filepath.Join("..", "..", filepath.FromSlash(pattern)))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, matches...)
	}
	command := regexp.MustCompile("`make ([a-z][a-z-]*)((?: [A-Z_]+=[^ `]*)*)[^`]*`")
	variable := regexp.MustCompile(`([A-Z_]+)=`)
	checked := 0
	for _, f := range files {
		text, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range command.FindAllStringSubmatch(string(text), -1) {
			checked++
			if !targets[m[1]] {
				t.Errorf("%s names %q, but the GNUmakefile has no target %s", f, m[0], m[1])
			}
			for _, v := range variable.FindAllStringSubmatch(m[2], -1) {
				if !regexp.MustCompile(`(?m)^(export )?` + v[1] + `\s*[?:]?=|\$\(` + v[1] + `\)`).MatchString(makefile) {
					t.Errorf("%s names %q, but the GNUmakefile does not read %s", f, m[0], v[1])
				}
			}
		}
	}
	if checked < 10 {
		t.Errorf("found only %d make commands in the Markdown; the pattern no longer matches how the docs write them", checked)
	}
}
