package provider

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/hashicorp/go-version"

	"github.com/purecloud-terraform/terraform-provider-purecloud/internal/mockapi"
)

// Applies that stop half-way, and two configurations that share an organization, with the
// Terraform CLI run as a user runs it (the provider is a binary built by the test and found
// through dev_overrides; see cli_test.go). Each test prints one RELIABILITY line of figures.

// interruptUsers is the size of the interrupted applies: one resource per user.
const interruptUsers = 200

// The mock slows every postLicenseOrganization request down, so that an apply of interruptUsers
// resources is still writing when the signal comes: interruptWriteLatency before the write is
// applied, and interruptResponseDelay after it is applied and before it is answered. The signal
// comes interruptSignalDelay after the mock applied the interruptAfterWrites-th write, so inside
// that write's response delay: the server has done it, the provider has not heard yet, and
// Terraform is waiting rather than writing its state file.
const (
	interruptWriteLatency  = 100 * time.Millisecond
	interruptResponseDelay = 400 * time.Millisecond
	interruptSignalDelay   = 100 * time.Millisecond
	// About a quarter of the apply: one request carries the changes of up to ten users at
	// Terraform's default -parallelism.
	interruptAfterWrites = 5
)

// Ctrl-C half-way through a large apply. Terraform stops gracefully: it starts no new operation
// and tells the provider to stop, which cancels the operations in progress. A change still
// waiting for its batch is withdrawn (its create fails and records nothing); a request already
// sent is waited for and recorded. So the state must match the server exactly: every user in the
// state holds what the state says, and no user outside it holds anything. The next plan creates
// exactly the rest, the next apply converges, and no license is assigned twice.
//
// "defaults" runs with the provider's and Terraform's defaults: the ten creates in progress share
// one request, in flight at the signal. "queued" runs 30 creates at once in batches of 5 users,
// of which at most 4 are in flight: at the signal, some creates' changes are still waiting for a
// sender, and are withdrawn.
func TestAccLong_interruptSIGINT(t *testing.T) {
	t.Parallel()
	tf := testAccTerraformAtLeast(t, version.Must(version.NewVersion("1.0.0")))
	for _, tc := range []struct {
		name          string
		provider      []string
		applyArgs     []string
		wantWithdrawn bool
	}{
		{name: "defaults"},
		{name: "queued", provider: []string{"max_batch_users = 5"}, applyArgs: []string{"-parallelism=30"}, wantWithdrawn: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			mock, url := interruptMock(t)
			want := interruptAssignments(1, interruptUsers)
			w := testAccNewWorkspace(t, tf, testAccDevOverrides(t, t.TempDir()), "work")
			w.providerExtra = tc.provider
			w.writeConfig(url, want, nil)

			// A terminal's Ctrl-C signals the whole foreground process group: Terraform and its
			// provider (which ignores it and waits for Terraform's instructions).
			apply := w.applyUntilSignal(mock, syscall.SIGINT, interruptAfterWrites, tc.applyArgs...)
			if apply.exitCode == 0 || !strings.Contains(apply.output, "Interrupt received") {
				t.Fatalf("the interrupted apply exited %d without saying it was interrupted: the signal came too "+
					"late (tune interruptWriteLatency)\n%s", apply.exitCode, testAccTail(apply.output, 30))
			}
			// A withdrawn create fails with the provider's error; Terraform's own error for the
			// operations it never started is "execution halted".
			withdrawn := strings.Count(apply.output, "Error: Unable to Assign Licenses")
			if tc.wantWithdrawn != (withdrawn > 0) {
				t.Errorf("%d creates failed with the provider's error at the interrupt; want some: %t\n%s", withdrawn,
					tc.wantWithdrawn, testAccTail(apply.output, 40))
			}
			recorded := w.state()
			if len(recorded) == 0 || len(recorded) >= interruptUsers {
				t.Fatalf("the interrupted apply recorded %d of %d resources; want some but not all (tune the signal)",
					len(recorded), interruptUsers)
			}

			// The state is the server's truth, and a graceful stop leaves nothing done but unrecorded.
			ahead := interruptCheckStateIsTrue(t, mock, want, recorded)
			if len(ahead) != 0 {
				t.Errorf("users %v hold licenses the interrupted apply did not record; a graceful stop must "+
					"record every write it made", ahead)
			}

			// The plan creates exactly the resources not in the state and touches no other.
			plan := w.planActions(2)
			interruptCheckPlanCreatesRest(t, plan, want, recorded)

			// Applying again converges; nothing is lost or assigned twice.
			w.run(0, "apply", "-auto-approve", "-input=false", "-no-color")
			w.planActions(0)
			stats := interruptCheckConverged(t, mock, want, ahead)

			t.Logf("RELIABILITY scenario=sigint_%s resources=%d writes_before_signal=%d exit_after_signal=%d "+
				"stop_seconds=%.1f creates_withdrawn=%d state_recorded=%d server_ahead=%d plan_after=%d "+
				"changes_applied=%d changes_repeated=%d final_plan=empty",
				tc.name, interruptUsers, apply.writesAtSignal, apply.exitCode, apply.stopTime.Seconds(), withdrawn,
				len(recorded), len(ahead), len(plan), stats.ChangesApplied, stats.ChangesRepeated)
		})
	}
}

// SIGKILL half-way through a large apply: Terraform and the provider die at once, so writes that
// reached the server may be missing from the state. The state must still be true (everything it
// records is held), the next plan must create exactly the resources missing from it, and creating
// a resource whose licenses the server already holds must succeed: adding a held license is a
// no-op, so the re-apply converges.
//
// A first apply of the first 50 users is complete, so that the state the kill leaves behind holds
// something to check besides what the killed apply may have saved.
//
// The kill leaves the local backend's lock information file (.terraform.tfstate.lock.info)
// behind. The lock itself is an operating-system lock on the state file, released when the process
// dies, so the next plan and apply run with locking on, as a user's would; the test proves that
// rather than passing -lock=false. A backend with a remote lock would need terraform force-unlock.
func TestAccLong_interruptSIGKILL(t *testing.T) {
	t.Parallel()
	const first = 50
	tf := testAccTerraformAtLeast(t, version.Must(version.NewVersion("1.0.0")))
	mock, url := interruptMock(t)
	want := interruptAssignments(1, interruptUsers)
	w := testAccNewWorkspace(t, tf, testAccDevOverrides(t, t.TempDir()), "work")
	w.writeConfig(url, interruptAssignments(1, first), nil)
	w.run(0, "apply", "-auto-approve", "-input=false", "-no-color")
	writesBefore := mock.Stats().Applied[mockapi.RoutePostOrganization]

	w.writeConfig(url, want, nil)
	apply := w.applyUntilSignal(mock, syscall.SIGKILL, writesBefore+interruptAfterWrites)
	if apply.exitCode != -1 {
		t.Fatalf("terraform apply exited %d, want killed (-1)\n%s", apply.exitCode, testAccTail(apply.output, 20))
	}
	settled := interruptSettle(t, mock)
	_, lockErr := os.Stat(filepath.Join(w.dir, ".terraform.tfstate.lock.info"))
	lockLeft := lockErr == nil

	// Terraform's local state file is rewritten in place (truncated, then written) after every
	// resource; a kill during such a write would leave it empty. The signal comes while Terraform
	// waits for the provider, so the file must hold at least the first apply.
	recorded := w.state()
	for i := 1; i <= first; i++ {
		if _, ok := recorded[mockapi.UserID(i)]; !ok {
			t.Fatalf("user %d, created by the first apply, is missing from the state after the kill (%d resources "+
				"recorded): was the state file being written?", i, len(recorded))
		}
	}
	ahead := interruptCheckStateIsTrue(t, mock, want, recorded)
	if len(ahead) == 0 {
		t.Fatalf("the kill left no write unrecorded (%d postLicenseOrganization applied at the kill, %d after): "+
			"it should come inside a response delay (tune interruptSignalDelay)", apply.writesAtSignal, settled)
	}

	plan := w.planActions(2)
	interruptCheckPlanCreatesRest(t, plan, want, recorded)

	w.run(0, "apply", "-auto-approve", "-input=false", "-no-color")
	w.planActions(0)
	stats := interruptCheckConverged(t, mock, want, ahead)

	t.Logf("RELIABILITY scenario=sigkill resources=%d writes_before_signal=%d writes_at_settle=%d lock_info_left=%t "+
		"state_recorded=%d server_ahead=%d plan_after=%d changes_applied=%d changes_repeated=%d final_plan=empty",
		interruptUsers, apply.writesAtSignal-writesBefore, settled-writesBefore, lockLeft, len(recorded), len(ahead),
		len(plan), stats.ChangesApplied, stats.ChangesRepeated)
}

// Two working directories (two state files) against one organization, applied at the same time.
// A assigns cloudCX1 to users 1-60 and B wallboardUser to users 41-100, both non-exclusive: each
// manages only its own license, so they agree; each converges and neither plan sees the other's
// license. Then both make user 50 exclusive with their own license: they fight. Each apply takes
// the user back (removing the other's license), and each plan after the other's apply shows
// drift on user 50 alone. Every other user keeps its licenses throughout.
func TestAccTwoWorkspaces_agreeThenFightOverExclusiveUser(t *testing.T) {
	t.Parallel()
	const users, fought = 100, 50
	tf := testAccTerraformAtLeast(t, version.Must(version.NewVersion("1.0.0")))
	mock, url := testAccMock(t, mockapi.Options{Users: users})
	rc := testAccDevOverrides(t, t.TempDir())
	a := testAccNewWorkspace(t, tf, rc, "a")
	b := testAccNewWorkspace(t, tf, rc, "b")
	aWant := interruptSameLicense(1, 60, mockapi.LicenseCloudCX1)
	bWant := interruptSameLicense(41, 100, mockapi.LicenseWallboardUser)
	a.writeConfig(url, aWant, nil)
	b.writeConfig(url, bWant, nil)

	// Both applies at once.
	var wg sync.WaitGroup
	results := make([]cliResult, 2)
	for i, w := range []*cliWorkspace{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = w.exec("apply", "-auto-approve", "-input=false", "-no-color")
		}()
	}
	wg.Wait()
	for i, r := range results {
		if r.code != 0 {
			t.Fatalf("concurrent apply %d exited %d (%v)\n%s", i, r.code, r.err, testAccTail(r.output, 30))
		}
	}
	// Whoever holds what is the union of both configurations.
	expect := func(fightWinner string) map[string][]string {
		out := map[string][]string{}
		for i := 1; i <= users; i++ {
			id := mockapi.UserID(i)
			out[id] = sortedUnique(append(slices.Clone(aWant[id]), bWant[id]...))
		}
		if fightWinner != "" {
			out[mockapi.UserID(fought)] = []string{fightWinner}
		}
		return out
	}
	interruptCheckHeld(t, mock, expect(""), "after both applies")
	a.planActions(0)
	b.planActions(0)
	agreed := mock.Stats()

	// The fight: both make user 50 exclusive, each with its own license.
	exclusive := map[string]bool{mockapi.UserID(fought): true}
	a.writeConfig(url, aWant, exclusive)
	b.writeConfig(url, bWant, exclusive)
	a.run(0, "apply", "-auto-approve", "-input=false", "-no-color")
	interruptCheckHeld(t, mock, expect(mockapi.LicenseCloudCX1), "after A made user 50 exclusive")
	b.run(0, "apply", "-auto-approve", "-input=false", "-no-color")
	interruptCheckHeld(t, mock, expect(mockapi.LicenseWallboardUser), "after B made user 50 exclusive")

	// From here on each side's plan shows drift on user 50 alone, and each apply takes it back.
	const rounds = 2
	drifts := 0
	for range rounds {
		for _, side := range []struct {
			w       *cliWorkspace
			name    string
			license string
		}{{a, "A", mockapi.LicenseCloudCX1}, {b, "B", mockapi.LicenseWallboardUser}} {
			plan := side.w.planActions(2)
			if len(plan) != 1 || plan[mockapi.UserID(fought)] != "update" {
				t.Fatalf("%s's plan after the other's apply is %v, want only an update of user %d", side.name, plan, fought)
			}
			if side.w.lastDrift[mockapi.UserID(fought)] == "" {
				t.Errorf("%s's plan did not report drift on user %d", side.name, fought)
			}
			drifts++
			side.w.run(0, "apply", "-auto-approve", "-input=false", "-no-color")
			interruptCheckHeld(t, mock, expect(side.license), side.name+" took user 50 back")
		}
	}
	stats := mock.Stats()
	// A's first exclusive apply removes wallboardUser (user 50 held both); every later apply
	// removes the other's license and adds its own. Nothing repeats: each side reads the user
	// before it writes.
	fightChanges := stats.ChangesApplied - agreed.ChangesApplied
	if wantChanges := 1 + 2*(1+2*rounds); fightChanges != wantChanges || stats.ChangesRepeated != 0 {
		t.Errorf("the fight applied %d changes (want %d: one remove, then one remove and one add per apply) and "+
			"repeated %d (want 0)", fightChanges, wantChanges, stats.ChangesRepeated)
	}
	t.Logf("RELIABILITY scenario=two_workspaces users=%d resources_a=%d resources_b=%d shared_users=%d "+
		"concurrent_apply=converged changes_applied_agreeing=%d fight_applies=%d fight_plans_with_drift=%d "+
		"changes_applied_fight=%d changes_repeated=%d final_plan=drift_on_user_%d",
		users, len(aWant), len(bWant), len(aWant)+len(bWant)-users, agreed.ChangesApplied, 2+2*rounds, drifts, fightChanges,
		stats.ChangesRepeated, fought)
	if agreed.ChangesApplied != len(aWant)+len(bWant) || agreed.ChangesRepeated != 0 {
		t.Errorf("the agreeing applies made %d changes and repeated %d; want %d and 0", agreed.ChangesApplied,
			agreed.ChangesRepeated, len(aWant)+len(bWant))
	}
}

// interruptMock is the mock of the interrupted applies, with interruptUsers users and slow writes.
func interruptMock(t *testing.T) (*mockapi.Server, string) {
	return testAccMock(t, mockapi.Options{
		Users: interruptUsers,
		Faults: mockapi.Faults{
			RouteLatency:  map[string]time.Duration{mockapi.RoutePostOrganization: interruptWriteLatency},
			ResponseDelay: map[string]time.Duration{mockapi.RoutePostOrganization: interruptResponseDelay},
		},
	})
}

// interruptCheckStateIsTrue fails the test unless every resource in the state records exactly
// its configured licenses and the user really holds them, and every user holds either nothing
// or its configured licenses. It returns the users that hold their licenses although the state
// does not record them (the server ahead of the state), sorted.
func interruptCheckStateIsTrue(t *testing.T, mock *mockapi.Server, want, recorded map[string][]string) []string {
	t.Helper()
	for id, lic := range recorded {
		held, _ := mock.UserLicenses(id)
		if !slices.Equal(lic, want[id]) || !slices.Equal(held, lic) {
			t.Errorf("user %s: the state records %v, the server holds %v, the configuration wants %v", id, lic, held, want[id])
		}
	}
	var ahead []string
	for id, lic := range want {
		held, _ := mock.UserLicenses(id)
		if _, ok := recorded[id]; ok {
			continue
		}
		switch {
		case len(held) == 0:
		case slices.Equal(held, lic):
			ahead = append(ahead, id)
		default:
			t.Errorf("user %s holds %v, neither nothing nor the configured %v: a write was half applied", id, held, lic)
		}
	}
	sort.Strings(ahead)
	return ahead
}

// interruptCheckPlanCreatesRest fails the test unless plan creates exactly the resources of want
// that are not recorded, and does nothing else.
func interruptCheckPlanCreatesRest(t *testing.T, plan map[string]string, want, recorded map[string][]string) {
	t.Helper()
	missing := 0
	for id := range want {
		_, inState := recorded[id]
		action, planned := plan[id]
		switch {
		case inState && planned:
			t.Errorf("the plan wants to %s user %s, which the state records truly", action, id)
		case !inState && action != "create":
			t.Errorf("the plan does not create user %s, missing from the state (action %q)", id, action)
		case !inState:
			missing++
		}
	}
	if len(plan) != missing {
		t.Errorf("the plan changes %d resources, want %d (the ones missing from the state): %v", len(plan), missing, plan)
	}
}

// interruptCheckConverged fails the test unless every user holds exactly its configured
// licenses, each configured (user, license) pair was applied exactly once, and the only repeats
// are the re-creates of resources whose licenses the server already held (ahead). It returns the
// mock's stats.
func interruptCheckConverged(t *testing.T, mock *mockapi.Server, want map[string][]string, ahead []string) mockapi.Stats {
	t.Helper()
	interruptCheckHeld(t, mock, want, "after the re-apply")
	pairs, aheadPairs := 0, 0
	for id, lic := range want {
		pairs += len(lic)
		if slices.Contains(ahead, id) {
			aheadPairs += len(lic)
		}
	}
	stats := mock.Stats()
	if stats.ChangesApplied != pairs {
		t.Errorf("the mock applied %d (user, license) changes, want exactly the %d configured pairs", stats.ChangesApplied, pairs)
	}
	// A create does not read the user first: it adds its licenses, and adding a held one changes
	// nothing. So the re-apply repeats exactly the pairs of the users whose write the state missed.
	if stats.ChangesRepeated != aheadPairs {
		t.Errorf("the mock saw %d repeated changes, want %d (the licenses of the %d users the state missed)",
			stats.ChangesRepeated, aheadPairs, len(ahead))
	}
	return stats
}

// interruptCheckHeld fails the test unless every user in want holds exactly those licenses.
func interruptCheckHeld(t *testing.T, mock *mockapi.Server, want map[string][]string, when string) {
	t.Helper()
	wrong := 0
	for id, lic := range want {
		if held, _ := mock.UserLicenses(id); !slices.Equal(held, lic) {
			if wrong++; wrong <= 5 {
				t.Errorf("%s: user %s holds %v, want %v", when, id, held, lic)
			}
		}
	}
	if wrong > 5 {
		t.Errorf("%s: %d users in all hold the wrong licenses", when, wrong)
	}
}

// interruptSettle waits until the mock has applied no new postLicenseOrganization request for a
// while after a kill (a provider left running would go on writing), and returns the count.
func interruptSettle(t *testing.T, mock *mockapi.Server) int {
	t.Helper()
	last := mock.Stats().Applied[mockapi.RoutePostOrganization]
	for stable := 0; stable < 4; {
		time.Sleep(interruptWriteLatency + interruptResponseDelay)
		n := mock.Stats().Applied[mockapi.RoutePostOrganization]
		if n == last {
			stable++
			continue
		}
		if t.Context().Err() != nil {
			t.Fatal("the mock kept receiving writes after the kill")
		}
		last, stable = n, 0
	}
	return last
}

// interruptAssignments returns the licenses of users from..to (one or two each), by user id.
func interruptAssignments(from, to int) map[string][]string {
	sets := [][]string{
		{mockapi.LicenseCloudCX1},
		{mockapi.LicenseCollaborate, mockapi.LicenseWallboardUser},
		{mockapi.LicenseCloudCX2},
		{mockapi.LicenseCommunicate, mockapi.LicenseWallboardUser},
	}
	out := map[string][]string{}
	for i := from; i <= to; i++ {
		out[mockapi.UserID(i)] = sets[i%len(sets)]
	}
	return out
}

// interruptSameLicense gives users from..to the one license.
func interruptSameLicense(from, to int, license string) map[string][]string {
	out := map[string][]string{}
	for i := from; i <= to; i++ {
		out[mockapi.UserID(i)] = []string{license}
	}
	return out
}

// cliWorkspace is one working directory (one local state file) run with the Terraform CLI.
type cliWorkspace struct {
	t           *testing.T
	tf, rc, dir string
	run         func(wantCode int, args ...string) string
	// providerExtra are attribute lines added to the provider block.
	providerExtra []string
	// lastDrift is the drift (resource_drift action by for_each key) of the last planActions.
	lastDrift map[string]string
}

func testAccNewWorkspace(t *testing.T, tf, rc, name string) *cliWorkspace {
	t.Helper()
	dir := filepath.Join(t.TempDir(), name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return &cliWorkspace{t: t, tf: tf, rc: rc, dir: dir, run: testAccTerraformRunner(t, tf, dir, rc)}
}

// writeConfig writes main.tf: one purecloud_user_license_assignment per user of licenses (for_each
// keyed by user id), exclusive for the users in exclusive.
func (w *cliWorkspace) writeConfig(url string, licenses map[string][]string, exclusive map[string]bool) {
	w.t.Helper()
	ids := make([]string, 0, len(licenses))
	for id := range licenses {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var users strings.Builder
	for _, id := range ids {
		quoted, _ := json.Marshal(licenses[id])
		fmt.Fprintf(&users, "    %q = { licenses = %s, exclusive = %t }\n", id, quoted, exclusive[id])
	}
	// A short tolerance: in the fight, a plan right after the other side's apply would otherwise
	// read user 50 again for the default 15 s before reporting the drift.
	testAccWriteFile(w.t, filepath.Join(w.dir, "main.tf"), `terraform {
  required_providers {
    purecloud = { source = "purecloud-terraform/purecloud" }
  }
}
`+testAccProviderConfig(url, append([]string{`read_after_write_tolerance = "1s"`}, w.providerExtra...)...)+`
locals {
  users = {
`+users.String()+`  }
}

resource "purecloud_user_license_assignment" "user" {
  for_each    = local.users
  user_id     = each.key
  license_ids = each.value.licenses
  exclusive   = each.value.exclusive
}
`)
}

// cliResult is how a Terraform command ended.
type cliResult struct {
	code   int
	output string // stdout and stderr
	err    error  // the command could not run or was killed by the test's deadline
}

// exec runs one Terraform command without failing the test (safe in other goroutines).
func (w *cliWorkspace) exec(args ...string) cliResult {
	ctx, cancel := context.WithTimeout(w.t.Context(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, w.tf, args...)
	w.setup(cmd)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	r := cliResult{output: out.String()}
	var exitErr *exec.ExitError
	switch {
	case errors.As(err, &exitErr) && ctx.Err() == nil:
		r.code = exitErr.ExitCode()
	case err != nil:
		r.code, r.err = -1, err
	}
	return r
}

func (w *cliWorkspace) setup(cmd *exec.Cmd) {
	cmd.Dir = w.dir
	cmd.Env = append(testAccCleanEnv(), "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1", "TF_CLI_CONFIG_FILE="+w.rc)
}

// planActions runs terraform plan -json -detailed-exitcode, fails the test unless it exits with
// wantCode, and returns the planned action of each resource by its for_each key (the user id);
// the drift it reported is in w.lastDrift.
func (w *cliWorkspace) planActions(wantCode int) map[string]string {
	w.t.Helper()
	out := w.run(wantCode, "plan", "-json", "-detailed-exitcode", "-input=false")
	actions, drift := map[string]string{}, map[string]string{}
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(make([]byte, 0, 1<<16), 1<<22)
	for sc.Scan() {
		var msg struct {
			Type       string `json:"type"`
			Diagnostic *struct {
				Severity, Summary, Detail string
			} `json:"diagnostic"`
			Change *struct {
				Action   string `json:"action"`
				Resource struct {
					Key any `json:"resource_key"`
				} `json:"resource"`
			} `json:"change"`
		}
		if err := json.Unmarshal(sc.Bytes(), &msg); err != nil {
			w.t.Fatalf("terraform plan -json printed a line that is not JSON: %q", sc.Text())
		}
		if msg.Diagnostic != nil && msg.Diagnostic.Severity == "error" {
			w.t.Fatalf("terraform plan: %s: %s", msg.Diagnostic.Summary, msg.Diagnostic.Detail)
		}
		if msg.Change == nil {
			continue
		}
		key := fmt.Sprint(msg.Change.Resource.Key)
		switch msg.Type {
		case "planned_change":
			actions[key] = msg.Change.Action
		case "resource_drift":
			drift[key] = msg.Change.Action
		}
	}
	if err := sc.Err(); err != nil {
		w.t.Fatal(err)
	}
	w.lastDrift = drift
	return actions
}

// state reads the local state file: the licenses each purecloud_user_license_assignment records,
// by user id. A missing or empty file records nothing.
func (w *cliWorkspace) state() map[string][]string {
	w.t.Helper()
	raw, err := os.ReadFile(filepath.Join(w.dir, "terraform.tfstate"))
	if errors.Is(err, os.ErrNotExist) || (err == nil && len(bytes.TrimSpace(raw)) == 0) {
		return map[string][]string{}
	}
	if err != nil {
		w.t.Fatal(err)
	}
	var st struct {
		Resources []struct {
			Type      string `json:"type"`
			Instances []struct {
				Attributes struct {
					UserID     string   `json:"user_id"`
					LicenseIDs []string `json:"license_ids"`
				} `json:"attributes"`
			} `json:"instances"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(raw, &st); err != nil {
		w.t.Fatalf("the state file is not valid JSON: %v\n%s", err, testAccHead(raw, 20))
	}
	out := map[string][]string{}
	for _, r := range st.Resources {
		if r.Type != "purecloud_user_license_assignment" {
			continue
		}
		for _, in := range r.Instances {
			lic := slices.Clone(in.Attributes.LicenseIDs)
			slices.Sort(lic)
			out[in.Attributes.UserID] = lic
		}
	}
	return out
}

// signalledApply is how an apply that the test signalled ended.
type signalledApply struct {
	writesAtSignal int           // postLicenseOrganization requests the mock had applied at the signal
	exitCode       int           // -1 when killed by the signal
	stopTime       time.Duration // from the signal to the exit
	output         string
}

// applyUntilSignal starts terraform apply -auto-approve in a process group of its own, sends sig
// to that group interruptSignalDelay after the mock has applied afterWrites postLicenseOrganization
// requests, and waits for it to exit. It fails the test if the apply ends before the signal (the test would prove
// nothing) or does not stop within two minutes of it (a hang on interrupt).
func (w *cliWorkspace) applyUntilSignal(mock *mockapi.Server, sig syscall.Signal, afterWrites int, args ...string) signalledApply {
	w.t.Helper()
	args = append([]string{"apply", "-auto-approve", "-input=false", "-no-color"}, args...)
	cmd := exec.Command(w.tf, args...) //nolint:noctx // stopped by signals below
	w.setup(cmd)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	var out syncBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		w.t.Fatal(err)
	}
	pgid := cmd.Process.Pid
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	var done bool
	var waitErr error
	w.t.Cleanup(func() {
		if !done { // whatever failed, leave no Terraform or provider running
			_ = syscall.Kill(-pgid, syscall.SIGKILL)
			w.t.Logf("terraform killed at cleanup: %v", <-exited)
		}
	})
	deadline := time.After(5 * time.Minute)
	tick := time.NewTicker(25 * time.Millisecond)
	defer tick.Stop()
	var res signalledApply
	for res.writesAtSignal < afterWrites {
		select {
		case waitErr = <-exited:
			done = true
			w.t.Fatalf("terraform apply ended (%v) before %d postLicenseOrganization requests reached the mock (%d "+
				"did): slow the mock down (interruptWriteLatency) or signal earlier, or the test proves nothing\n%s",
				waitErr, afterWrites, mock.Stats().Applied[mockapi.RoutePostOrganization], testAccTail(out.String(), 20))
		case <-deadline:
			w.t.Fatalf("%d postLicenseOrganization requests did not reach the mock within 5 minutes", afterWrites)
		case <-tick.C:
			res.writesAtSignal = mock.Stats().Applied[mockapi.RoutePostOrganization]
		}
	}
	time.Sleep(interruptSignalDelay)
	if err := syscall.Kill(-pgid, sig); err != nil {
		w.t.Fatalf("signalling terraform: %v", err)
	}
	signalled := time.Now()
	select {
	case waitErr = <-exited:
		done = true
	case <-time.After(2 * time.Minute):
		w.t.Fatalf("terraform did not stop within 2 minutes of %v: a hang on interrupt\n%s", sig, testAccTail(out.String(), 30))
	}
	res.stopTime = time.Since(signalled)
	res.output = out.String()
	var exitErr *exec.ExitError
	switch {
	case waitErr == nil:
	case errors.As(waitErr, &exitErr):
		res.exitCode = exitErr.ExitCode()
	default:
		w.t.Fatal(waitErr)
	}
	return res
}

// syncBuffer is a bytes.Buffer that may be read while a running command writes to it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
