package main

import (
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/purecloud-terraform/terraform-provider-purecloud/internal/mockapi"
)

func TestParseFlags(t *testing.T) {
	t.Parallel()
	o, err := parseFlags([]string{"-n", "100", "-modes", "per-operation, defaults", "-phases", "drift,create"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{modeFloor, modeDefaults, modePerOperation}; !slices.Equal(o.modes, want) {
		t.Errorf("modes = %q, want %q (the floor first, then in the usual order)", o.modes, want)
	}
	if want := []string{phaseCreate, phaseDrift}; !slices.Equal(o.phases, want) {
		t.Errorf("phases = %q, want %q", o.phases, want)
	}

	o, err = parseFlags([]string{"-smoke"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if o.n != 20 || o.floor || !slices.Equal(o.modes, []string{modeDefaults, modePerOperation}) || len(o.phases) != len(allPhaseNames) {
		t.Errorf("-smoke: n %d, floor %v, modes %q, phases %q", o.n, o.floor, o.modes, o.phases)
	}

	o, err = parseFlags([]string{"-n", "400", "-growth"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(o.growth, []int{2000}) {
		t.Errorf("-growth at N=400: sizes %v, want [2000]", o.growth)
	}

	for _, bad := range [][]string{{"-modes", "fast"}, {"-phases", "import"}, {"-n", "0"}, {"-growth", "-growth-n", "x"}, {"extra"}} {
		if _, err := parseFlags(bad, io.Discard); err == nil {
			t.Errorf("parseFlags(%q) accepted", bad)
		}
	}
}

func TestCommandLine(t *testing.T) {
	t.Parallel()
	got := commandLine([]string{"-n", "100", "-phases", "", "-terraform", "/a b/terraform"})
	if want := `go run ./scripts/benchscale -n 100 -phases '' -terraform '/a b/terraform'`; got != want {
		t.Errorf("commandLine = %s, want %s", got, want)
	}
}

func TestUserSets(t *testing.T) {
	t.Parallel()
	if got := countUsers(1000, updatedUser); got != 100 {
		t.Errorf("updated users of 1000: %d, want 100", got)
	}
	if got := countUsers(1000, driftedUser); got != 50 {
		t.Errorf("drifted users of 1000: %d, want 50", got)
	}
	for i := 1; i <= 1000; i++ {
		if updatedUser(i) && driftedUser(i) {
			t.Fatalf("user %d is both updated and drifted", i)
		}
	}
}

func TestConfigurations(t *testing.T) {
	t.Parallel()
	users := usersTF(20, true)
	for _, want := range []string{`"` + mockapi.UserID(20) + `",`, `licenses_updated = ["cloudCX2", "wallboardUser"]`} {
		if !strings.Contains(users, want) {
			t.Errorf("users.tf lacks %s:\n%s", want, users)
		}
	}
	_, updated, _ := strings.Cut(users, "updated_user_ids")
	if strings.Count(updated, "00000000-") != 2 {
		t.Errorf("users.tf should list users 1 and 11 as updated:\n%s", users)
	}
	if _, updated, _ := strings.Cut(usersTF(20, false), "updated_user_ids"); strings.Contains(updated, "00000000-") {
		t.Errorf("before the update phase, no user is listed as updated:\n%s", updated)
	}

	per := mainTF(modeByName(modePerOperation), "", 0)
	for _, want := range []string{`batch_window  = "0s"`, "read_batching = false", `for_each    = toset(local.user_ids)`} {
		if !strings.Contains(per, want) {
			t.Errorf("per-operation main.tf lacks %s:\n%s", want, per)
		}
	}
	if def := mainTF(modeByName(modeDefaults), "1s", 0); !strings.Contains(def, `read_after_write_tolerance = "1s"`) {
		t.Errorf("the tolerance is not set:\n%s", def)
	}
	if floor := mainTF(modeByName(modeFloor), "1s", 0); !strings.Contains(floor, `resource "terraform_data" "user"`) || strings.Contains(floor, "purecloud") {
		t.Errorf("the floor must use terraform_data alone:\n%s", floor)
	}
}

func TestDiffStats(t *testing.T) {
	t.Parallel()
	before := mockapi.Stats{Requests: map[string]int{mockapi.RouteToken: 2, mockapi.RoutePostOrganization: 5}, RateLimited: 1}
	after := mockapi.Stats{Requests: map[string]int{
		mockapi.RouteToken: 3, mockapi.RoutePostOrganization: 9, mockapi.RouteGetUser: 2,
		mockapi.RouteGetDefinitions: 1, mockapi.RoutePostUsers: 4, mockapi.RouteGetUsers: 1,
	}, RateLimited: 4}
	cols, total, limited := diffStats(before, after)
	want := map[string]int{colToken: 1, colPostOrganization: 4, colGetUser: 2, colOther: 1, colPostUsers: 4, colGetUsers: 1}
	for c, n := range want {
		if cols[c] != n {
			t.Errorf("%s = %d, want %d", c, cols[c], n)
		}
	}
	if total != 13 || limited != 3 {
		t.Errorf("total %d, 429s %d; want 13 and 3", total, limited)
	}
}

func TestPeakRSS(t *testing.T) {
	t.Parallel()
	file := filepath.Join(t.TempDir(), "create.rss")
	if v, err := peakRSS(file); v != 0 || err != nil {
		t.Errorf("missing file: %d, %v", v, err)
	}
	for _, line := range []string{"21716", "29676", "25796"} {
		if err := appendLine(file, line); err != nil {
			t.Fatal(err)
		}
	}
	if v, err := peakRSS(file); v != 29676 || err != nil {
		t.Errorf("peak %d, %v; want 29676", v, err)
	}
}

func TestReplaceSection(t *testing.T) {
	t.Parallel()
	doc := []byte("# Title\n\nHand-written.\n\n" + sectionBegin + "\nold\n" + sectionEnd + "\n\nAfter.\n")
	got := string(replaceSection(doc, sectionBegin, "new table\n"))
	want := "# Title\n\nHand-written.\n\n" + sectionBegin + "\n\nnew table\n\n" + sectionEnd + "\n\nAfter.\n"
	if got != want {
		t.Errorf("replaced:\n%s\nwant:\n%s", got, want)
	}
	if again := string(replaceSection([]byte(got), sectionBegin, "new table")); again != want {
		t.Errorf("replacing twice changed the document:\n%s", again)
	}
	if got := string(replaceSection([]byte("# Title\n"), sectionBegin, "table")); got != "# Title\n\n"+sectionBegin+"\n\ntable\n\n"+sectionEnd+"\n" {
		t.Errorf("appended:\n%s", got)
	}

	file := filepath.Join(t.TempDir(), "BENCHMARKS.md")
	if err := writeSection(file, sectionBegin, "table"); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(b), benchmarksSkeleton) || !strings.Contains(string(b), "\ntable\n") {
		t.Errorf("a new file starts with the skeleton and holds the section:\n%s", b)
	}
}

// The repository's BENCHMARKS.md has the generated section, so that a run replaces it and
// leaves the hand-written text above it alone.
func TestBenchmarksFileHasSection(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile(filepath.Join("..", "..", "BENCHMARKS.md"))
	if err != nil {
		t.Fatal(err)
	}
	i, j := strings.Index(string(b), sectionBegin), strings.Index(string(b), sectionEnd)
	if i < 0 || j < i {
		t.Errorf("BENCHMARKS.md lacks the markers %q and %q", sectionBegin, sectionEnd)
	}
}

func TestTargets(t *testing.T) {
	t.Parallel()
	res := func(mode, phase string, wall float64, total, writes, limited int, rssKB int64) result {
		return result{
			resource: resourceUser, mode: mode, n: 1000, phase: phase, reported: true, wall: time.Duration(wall * float64(time.Second)),
			counted: mode != modeFloor, requests: map[string]int{colPostOrganization: writes}, total: total,
			rateLimited: limited, rssKB: rssKB,
		}
	}
	r := report{o: options{n: 1000, resources: []string{resourceUser}}, results: []result{
		res(modeFloor, phaseCreate, 66, 0, 0, 0, 0),
		res(modeFloor, phasePlan, 31, 0, 0, 0, 0),
		res(modeDefaults, phaseCreate, 70, 30, 20, 0, 60*1024),
		res(modeDefaults, phasePlan, 45, 15, 0, 0, 50*1024),
		res(modePerOperation, phaseCreate, 250, 1004, 1000, 0, 40*1024),
		res(modePerOperation, phasePlan, 220, 1002, 0, 2, 250*1024),
	}}
	got := map[string]bool{}
	for _, tg := range r.targets() {
		got[tg.name] = tg.pass
	}
	want := map[string]bool{
		"defaults create ≤ 1.2× floor":                                      true,
		"defaults create ≤ 0.11·N postLicenseOrganization (≤ 110)":          true,
		"defaults plan (no change) ≤ 1.3× floor":                            false, // 45/31 = 1.45
		"defaults create: ≥ 8× fewer requests than per-operation":           true,
		"defaults create: ≥ 3× faster than per-operation":                   true,
		"defaults plan (no change): ≥ 8× fewer requests than per-operation": true,
		"defaults plan (no change): ≥ 3× faster than per-operation":         true,
		"defaults: no 429s":                          true,
		"defaults: provider peak RSS < 200 MiB":      true,
		"per-operation: no 429s":                     false,
		"per-operation: provider peak RSS < 200 MiB": false,
	}
	for name, pass := range want {
		if p, ok := got[name]; !ok || p != pass {
			t.Errorf("target %q: present %v, pass %v; want pass %v", name, ok, p, pass)
		}
	}
	if len(got) != len(want) {
		t.Errorf("targets %v, want only %v", got, want)
	}

	md := r.markdown()
	if !strings.Contains(md, "| defaults | 1000 | create | 70.0 | 1.06 | 20 |") {
		t.Errorf("the table lacks the defaults create row with its ratio to the floor:\n%s", md)
	}
	if fails := r.smokeFailures(); len(fails) != 0 {
		t.Errorf("smoke failures %q, want none", fails)
	}
	r.results[2].total = 2000
	if fails := r.smokeFailures(); len(fails) != 1 || !strings.Contains(fails[0], "create") {
		t.Errorf("smoke failures %q, want one for create", fails)
	}

	// A phase that was not correct is shown as such and counts for no target.
	r.results[2].failed = true
	if md := r.markdown(); !strings.Contains(md, "| defaults | 1000 | create **FAILED** |") {
		t.Errorf("the failed phase is not marked:\n%s", md)
	}
	for _, tg := range r.targets() {
		if strings.HasPrefix(tg.name, "defaults create") {
			t.Errorf("target %q counts a failed phase", tg.name)
		}
	}
}

func TestHolderDiffLines(t *testing.T) {
	t.Parallel()
	out := `  ~ resource "purecloud_license_assignment" "license" {
        id            = "cloudCX2"
      ~ user_ids      = [
          + "00000000-0000-4000-8000-000000000004",
            # (40 unchanged elements hidden)
        ]
        # (2 unchanged attributes hidden)
    }
  ~ resource "terraform_data" "license" {
      ~ input  = {
          - "a" = "b" -> null
        }
      ~ output = [
          - "x",
        ] -> (known after apply)
    }
`
	if got := holderDiffLines(out); got != 4+3 {
		t.Errorf("holderDiffLines = %d, want 7", got)
	}
}

func TestLicenseConfigurations(t *testing.T) {
	t.Parallel()
	one, err := licenseMainTF(modeByName(modeDefaults), resourceShape, 1, "1s", 10)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`resource "purecloud_license_assignment" "license" {`, "users      = local.holders", "token_pool_size = 10", `read_after_write_tolerance = "1s"`} {
		if !strings.Contains(one, want) {
			t.Errorf("one resource: main.tf lacks %s:\n%s", want, one)
		}
	}
	split, err := licenseMainTF(modeByName(modeDefaults), resourceShape, 4, "", 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"for_each = local.parts", "% 4 == p", "users      = each.value", "u => v if"} {
		if !strings.Contains(split, want) {
			t.Errorf("four parts: main.tf lacks %s:\n%s", want, split)
		}
	}
	for shape, want := range map[string]string{shapeSet: "toset(", shapeList: "tolist(", shapeMap: "tomap(", shapeMapObject: "tomap("} {
		floor, err := licenseMainTF(modeByName(modeFloor), shape, 1, "", 0)
		if err != nil || !strings.Contains(floor, "input = "+want) || strings.Contains(floor, "purecloud") {
			t.Errorf("floor %s: %v\n%s", shape, err, floor)
		}
	}
	if !strings.Contains(holdersLiteral(shapeMap, []int{7}), `"`+mockapi.UserID(7)+`" = "user-7@example.com"`) {
		t.Errorf("map literal: %s", holdersLiteral(shapeMap, []int{7}))
	}
	if len(driftedUsers(10000)) != 50 || driftedUsers(10000)[49] != 10000 || len(driftedUsers(20)) != 5 {
		t.Errorf("drifted users: %v", driftedUsers(20))
	}
	for i := 1; i <= 100; i++ {
		if p := partOf(mockapi.UserID(i), 4); p < 0 || p > 3 {
			t.Fatalf("partOf = %d", p)
		}
	}
}

func TestSections(t *testing.T) {
	t.Parallel()
	license := sectionBeginFor([]string{resourceLicense})
	if sectionBeginFor([]string{resourceUser}) != sectionBegin || license == sectionBegin {
		t.Fatalf("section markers: %q", license)
	}
	doc := replaceSection([]byte("# T\n\n"+sectionBegin+"\nuser\n"+sectionEnd+"\n"), license, "license 1")
	doc = replaceSection(doc, license, "license 2")
	got := string(doc)
	if !strings.Contains(got, "\nuser\n") || !strings.Contains(got, "license 2") || strings.Contains(got, "license 1") {
		t.Errorf("two sections:\n%s", got)
	}
}
