package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/purecloud-terraform/terraform-provider-purecloud/internal/mockapi"
)

// Mode names.
const (
	modeFloor         = "terraform_data"
	modeDefaults      = "defaults"
	modePerOperation  = "per-operation"
	modePool5         = "pool-5"
	modeParallelism50 = "parallelism-50"
)

// mode is one way of running the benchmark's configuration.
type mode struct {
	name string
	// floor: terraform_data instead of the provider's resource.
	floor bool
	// settings are the lines of the provider block (the credentials come from the environment).
	settings []string
	// parallelism is Terraform's -parallelism; 0 leaves Terraform's default of 10.
	parallelism int
}

var modes = []mode{
	{name: modeFloor, floor: true},
	{name: modeDefaults},
	{name: modePerOperation, settings: []string{`batch_window  = "0s"`, `read_batching = false`}},
	{name: modePool5, settings: []string{`token_pool_size = 5`}},
	{name: modeParallelism50, parallelism: 50},
}

func modeNames() []string {
	names := make([]string, len(modes))
	for i, m := range modes {
		names[i] = m.name
	}
	return names
}

func modeByName(name string) mode {
	for _, m := range modes {
		if m.name == name {
			return m
		}
	}
	panic("unknown mode " + name)
}

// Phase names, in the order they run.
const (
	phaseCreate  = "create"
	phasePlan    = "plan"
	phaseUpdate  = "update"
	phaseDrift   = "drift"
	phaseDestroy = "destroy"
)

var phaseNames = []string{phaseCreate, phasePlan, phaseUpdate, phaseDrift, phaseDestroy}

// The licenses of the benchmark's users.
var (
	licensesCreated = []string{mockapi.LicenseCloudCX1, mockapi.LicenseWallboardUser}
	licensesUpdated = []string{mockapi.LicenseCloudCX2, mockapi.LicenseWallboardUser}
	licensesDrifted = []string{mockapi.LicenseCloudCX1}
)

// updatedUser tells whether user i (1-based) is among the 10 % the update phase changes, and
// driftedUser whether it is among the 5 % changed out of band before the drift check; the two
// sets are disjoint.
func updatedUser(i int) bool { return i%10 == 1 }
func driftedUser(i int) bool { return i%20 == 6 }

func countUsers(n int, in func(int) bool) int {
	c := 0
	for i := 1; i <= n; i++ {
		if in(i) {
			c++
		}
	}
	return c
}

// result is what one phase of one mode measured.
type result struct {
	resource string // resourceUser or resourceLicense
	mode     string
	n        int
	phase    string
	// shape and parts: the license workload's holder attribute and number of resources.
	shape string
	parts int
	// reported: the phase was selected with -phases (create always runs).
	reported bool
	wall     time.Duration
	// cpu is the CPU time of Terraform and the provider processes it started: on a shared
	// machine, steadier than the wall time.
	cpu time.Duration
	// counted: the requests below were counted (provider modes).
	counted     bool
	requests    map[string]int // by column, see requestColumns
	total       int
	rateLimited int
	// rssKB is the peak resident set size of the provider processes in KiB; 0 when not measured.
	rssKB int64
	// cliRSSKB is the peak resident set size of the Terraform CLI process in KiB; 0 when not
	// measured.
	cliRSSKB int64
	// lines is the number of lines Terraform printed: how long the plan is to read.
	lines int
	// holderLines is the number of lines of the diffs of the license workload's holder
	// attribute (users or user_ids, or terraform_data's input) in what Terraform printed.
	holderLines int
	// code, output and cmdline: the command and what it returned, until check has run.
	code    int
	output  string
	cmdline string
	// failed: the phase was not correct; its figures are shown but count for no target.
	failed bool
}

type bench struct {
	o         options
	log       io.Writer
	work      string
	tf        string
	tfVersion string
	provider  string // the real provider binary
	rc        string // CLI configuration with dev_overrides to the wrapper
	emptyRC   string // CLI configuration for terraform_data
	mock      *mockProcess
	admin     *adminClient
	results   []result
}

func newBench(ctx context.Context, o options, log io.Writer) (b *bench, err error) {
	b = &bench{o: o, log: log}
	if b.tf, err = findTerraform(o.terraform); err != nil {
		return nil, err
	}
	if b.work, err = os.MkdirTemp("", "purecloud-bench-scale."); err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			b.close()
		}
	}()
	if b.tfVersion, err = terraformVersion(ctx, b.tf); err != nil {
		return nil, err
	}
	root, err := moduleRoot(ctx)
	if err != nil {
		return nil, err
	}
	b.logf("Terraform %s (%s); building the provider and the mock into %s", b.tfVersion, b.tf, b.work)
	b.provider = filepath.Join(b.work, "bin", providerBinary)
	mockBin := filepath.Join(b.work, "bin", "purecloud-mockapi")
	for _, build := range [][]string{{b.provider, "."}, {mockBin, "./cmd/purecloud-mockapi"}} {
		cmd := exec.CommandContext(ctx, "go", "build", "-o", build[0], build[1])
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			return nil, fmt.Errorf("go build %s: %w\n%s", build[1], err, out)
		}
	}
	if err := b.writeCLIConfigs(); err != nil {
		return nil, err
	}

	users := o.n
	for _, g := range o.growth {
		users = max(users, g)
	}
	// The license workload's add phase gives the license to users beyond N.
	users += changedCount(users)
	b.mock, err = startMock(ctx, mockBin, filepath.Join(b.work, "mock.log"),
		"-listen", "127.0.0.1:0", "-users", strconv.Itoa(users),
		"-latency", o.latency.String(), "-rate-limit", strconv.Itoa(o.rateLimit),
		"-client-id", mockClientID, "-client-secret", mockClientSecret)
	if err != nil {
		return nil, err
	}
	b.admin = newAdminClient(b.mock.url)
	b.logf("mock at %s: %d users, latency %s, rate limit %d requests per token per minute",
		b.mock.url, users, o.latency, o.rateLimit)
	return b, nil
}

func (b *bench) close() {
	if b.mock != nil {
		b.mock.stop()
		b.mock = nil
	}
	if b.work == "" {
		return
	}
	if b.o.keep {
		b.logf("kept the working directory %s", b.work)
		return
	}
	_ = os.RemoveAll(b.work)
}

func (b *bench) logf(format string, args ...any) {
	fmt.Fprintf(b.log, "benchscale: "+format+"\n", args...)
}

// writeCLIConfigs writes the CLI configuration whose dev_overrides directory holds the memory
// measuring wrapper (a link to this program under the provider's name), and an empty one.
func (b *bench) writeCLIConfigs() error {
	self, err := os.Executable()
	if err != nil {
		return err
	}
	plugins := filepath.Join(b.work, "plugins")
	if err := os.MkdirAll(plugins, 0o755); err != nil {
		return err
	}
	if err := os.Symlink(self, filepath.Join(plugins, providerBinary)); err != nil {
		return err
	}
	b.rc = filepath.Join(b.work, "terraformrc")
	rc := fmt.Sprintf(`provider_installation {
  dev_overrides {
    "registry.terraform.io/purecloud-terraform/purecloud" = %q
  }
  direct {}
}
`, plugins)
	if err := os.WriteFile(b.rc, []byte(rc), 0o644); err != nil {
		return err
	}
	b.emptyRC = filepath.Join(b.work, "empty.tfrc")
	return os.WriteFile(b.emptyRC, nil, 0o644)
}

// sizes are the numbers of users to run, each with the modes it runs: N with the selected
// modes, then each -growth size with the defaults mode and the floor.
func (b *bench) sizes() []struct {
	n     int
	modes []string
} {
	type size = struct {
		n     int
		modes []string
	}
	out := []size{{b.o.n, b.o.modes}}
	for _, g := range b.o.growth {
		ms := []string{modeDefaults}
		if b.o.floor {
			ms = []string{modeFloor, modeDefaults}
		}
		out = append(out, size{g, ms})
	}
	return out
}

// runAll runs every mode at every size and returns the correctness failures. A failure ends
// the phases of its mode; the other modes still run.
func (b *bench) runAll(ctx context.Context) []string {
	var failures []string
	if slices.Contains(b.o.resources, resourceLicense) {
		for _, n := range append([]int{b.o.n}, b.o.growth...) {
			failures = append(failures, b.runLicense(ctx, n)...)
		}
	}
	if !slices.Contains(b.o.resources, resourceUser) {
		return failures
	}
	for _, s := range b.sizes() {
		for _, name := range s.modes {
			if ctx.Err() != nil {
				return append(failures, "interrupted")
			}
			if err := b.runMode(ctx, modeByName(name), s.n); err != nil {
				b.logf("%s N=%d: FAILED: %v", name, s.n, err)
				failures = append(failures, fmt.Sprintf("%s N=%d: %v", name, s.n, err))
			}
		}
	}
	return failures
}

// modeRun is one mode at one size: its directory and the truth the mock should hold.
type modeRun struct {
	b    *bench
	m    mode
	n    int
	dir  string
	want map[int][]string // user number → licenses; absent: none
	// updated: the update phase ran, so the configuration gives its users licensesUpdated.
	updated bool
	// created is when the create phase ended: the last time the provider wrote the users the
	// drift phase changes.
	created time.Time
}

func (b *bench) runMode(ctx context.Context, m mode, n int) error {
	r := &modeRun{b: b, m: m, n: n, dir: filepath.Join(b.work, fmt.Sprintf("%s-%d", m.name, n)), want: map[int][]string{}}
	if err := os.MkdirAll(r.dir, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(r.dir, "main.tf"), []byte(mainTF(m, b.o.tolerance, b.o.poolSize)), 0o644); err != nil {
		return err
	}
	if err := r.writeUsers(); err != nil {
		return err
	}
	if !m.floor {
		if err := b.admin.reset(ctx); err != nil {
			return err
		}
	}
	for _, phase := range phaseNames {
		if phase != phaseCreate && !slices.Contains(b.o.phases, phase) {
			continue
		}
		res, err := r.runPhase(ctx, phase)
		if res != nil {
			res.failed = err != nil
			b.results = append(b.results, *res)
			b.logf("%-14s N=%-5d %-8s %7.1f s  %s", m.name, n, phase, res.wall.Seconds(), res.summary())
		}
		if err != nil {
			return fmt.Errorf("%s: %w", phase, err)
		}
	}
	return nil
}

func (res result) summary() string {
	s := fmt.Sprintf("CPU %.1f s, Terraform peak RSS %s MiB, %d lines", res.cpu.Seconds(), mib(res.cliRSSKB), res.lines)
	if res.holderLines > 0 {
		s += fmt.Sprintf(" (%d of the holder attribute)", res.holderLines)
	}
	if !res.counted {
		return s
	}
	s += fmt.Sprintf("; %d requests (%d postLicenseOrganization), %d × 429", res.total, res.requests[colPostOrganization], res.rateLimited)
	if res.rssKB > 0 {
		s += fmt.Sprintf(", provider peak RSS %.0f MiB", float64(res.rssKB)/1024)
	}
	return s
}

// phaseSpec is what a phase runs and expects.
type phaseSpec struct {
	args     []string
	wantCode int
	// wantOutput is a line Terraform must print, such as its apply summary.
	wantOutput string
}

func (r *modeRun) spec(phase string) phaseSpec {
	apply := []string{"apply", "-auto-approve", "-input=false", "-no-color"}
	plan := []string{"plan", "-detailed-exitcode", "-input=false", "-no-color"}
	destroy := []string{"destroy", "-auto-approve", "-input=false", "-no-color"}
	switch phase {
	case phaseCreate:
		return phaseSpec{args: apply, wantOutput: fmt.Sprintf("Apply complete! Resources: %d added, 0 changed, 0 destroyed.", r.n)}
	case phasePlan:
		return phaseSpec{args: plan, wantOutput: "No changes."}
	case phaseUpdate:
		return phaseSpec{args: apply, wantOutput: fmt.Sprintf("Apply complete! Resources: 0 added, %d changed, 0 destroyed.", countUsers(r.n, updatedUser))}
	case phaseDrift:
		if r.m.floor {
			// terraform_data cannot change outside Terraform: the floor of a drift check is a
			// plan that finds nothing.
			return phaseSpec{args: plan, wantOutput: "No changes."}
		}
		return phaseSpec{args: plan, wantCode: 2, wantOutput: fmt.Sprintf("Plan: 0 to add, %d to change, 0 to destroy.", countUsers(r.n, driftedUser))}
	case phaseDestroy:
		return phaseSpec{args: destroy, wantOutput: fmt.Sprintf("Destroy complete! Resources: %d destroyed.", r.n)}
	}
	panic("unknown phase " + phase)
}

// runPhase prepares a phase (configuration change, out-of-band change), runs its Terraform
// command while measuring it, and checks the exit code, Terraform's summary and the mock's truth.
func (r *modeRun) runPhase(ctx context.Context, phase string) (*result, error) {
	b := r.b
	spec := r.spec(phase)
	if r.m.parallelism > 0 {
		spec.args = append(spec.args, fmt.Sprintf("-parallelism=%d", r.m.parallelism))
	}
	// Preparation, and the truth the phase should leave.
	switch phase {
	case phaseCreate:
		for i := 1; i <= r.n; i++ {
			r.want[i] = licensesCreated
		}
	case phaseUpdate:
		r.updated = true
		if err := r.writeUsers(); err != nil {
			return nil, err
		}
		for i := 1; i <= r.n; i++ {
			if updatedUser(i) {
				r.want[i] = licensesUpdated
			}
		}
	case phaseDrift:
		if !r.m.floor {
			b.waitTolerance(ctx, r.created, fmt.Sprintf("%-14s N=%-5d (since create)", r.m.name, r.n))
			for i := 1; i <= r.n; i++ {
				if driftedUser(i) {
					if err := b.admin.setLicenses(ctx, mockapi.UserID(i), licensesDrifted); err != nil {
						return nil, err
					}
					r.want[i] = licensesDrifted
				}
			}
		}
	case phaseDestroy:
		clear(r.want)
	}

	res, err := b.measure(ctx, measureSpec{
		mode: r.m, n: r.n, phase: phase, resource: resourceUser,
		dir: r.dir, args: spec.args, reported: slices.Contains(b.o.phases, phase),
	})
	if phase == phaseCreate {
		r.created = time.Now()
	}
	if err != nil {
		return res, err
	}
	if err := res.check(spec, r.dir); err != nil {
		return res, err
	}
	if res.counted {
		if err := b.admin.checkTruth(ctx, r.n, func(i int) []string { return r.want[i] }); err != nil {
			return res, fmt.Errorf("after terraform %s: %w", strings.Join(spec.args, " "), err)
		}
	}
	return res, nil
}

// measureSpec is one Terraform command to measure.
type measureSpec struct {
	mode     mode
	n        int
	phase    string
	resource string
	shape    string // license workload
	parts    int    // license workload
	dir      string
	args     []string
	reported bool
}

// measure runs one Terraform command in s.dir and measures its wall time, the Terraform CLI's
// and the provider's peak memory, and (provider modes) the requests the mock received.
func (b *bench) measure(ctx context.Context, s measureSpec) (*result, error) {
	res := &result{
		resource: s.resource, mode: s.mode.name, n: s.n, phase: s.phase, shape: s.shape, parts: s.parts,
		reported: s.reported, counted: !s.mode.floor,
	}
	var before mockapi.Stats
	if res.counted {
		var err error
		if before, err = b.admin.stats(ctx); err != nil {
			return nil, err
		}
	}
	rssFile := filepath.Join(s.dir, s.phase+".rss")
	logFile := filepath.Join(s.dir, s.phase+".log")
	run, err := b.terraform(ctx, s.dir, s.mode.floor, rssFile, logFile, s.args...)
	res.wall, res.cpu, res.code, res.output = run.wall, run.cpu, run.code, run.output
	res.lines = countLines(run.output)
	res.holderLines = holderDiffLines(run.output)
	res.cmdline = "terraform " + strings.Join(s.args, " ")
	if err != nil {
		return res, err
	}
	if res.counted {
		after, err := b.admin.stats(ctx)
		if err != nil {
			return res, err
		}
		res.requests, res.total, res.rateLimited = diffStats(before, after)
		if res.rssKB, err = peakRSS(rssFile); err != nil {
			return res, err
		}
	}
	res.cliRSSKB = run.cliRSS(res.rssKB)
	return res, nil
}

// check compares what the command did with what the phase expects: its exit code, a line of
// its output, and no write during a plan. It drops the output, which only the check needs.
func (res *result) check(spec phaseSpec, dir string) error {
	output := res.output
	res.output = ""
	logFile := filepath.Join(dir, res.phase+".log")
	if res.code != spec.wantCode {
		return fmt.Errorf("%s exited %d, want %d; the end of its output (all of it in %s):\n%s", res.cmdline, res.code, spec.wantCode, logFile, tail(output, 30))
	}
	if !strings.Contains(output, spec.wantOutput) {
		return fmt.Errorf("%s did not print %q; the end of its output (all of it in %s):\n%s", res.cmdline, spec.wantOutput, logFile, tail(output, 30))
	}
	if res.counted && spec.args[0] == "plan" && res.requests[colPostOrganization] > 0 {
		return fmt.Errorf("%s sent %d postLicenseOrganization requests: a plan must not write", res.cmdline, res.requests[colPostOrganization])
	}
	return nil
}

// waitTolerance waits until the users the drift phase changes were last written by the
// provider (at since) longer ago than read_after_write_tolerance. Within it, a refresh that finds
// a user different from the state reads it again until the tolerance has passed, because Genesys
// Cloud may show a write late; a scheduled drift check runs long after the last apply, so the
// benchmark does not measure that wait. label names the run and the write in the log line.
func (b *bench) waitTolerance(ctx context.Context, since time.Time, label string) {
	if since.IsZero() {
		return
	}
	wait := time.Until(since.Add(b.o.toleranceDuration() + time.Second))
	if wait <= 0 {
		return
	}
	b.logf("%s: waiting %.1f s before the drift check, until read_after_write_tolerance has passed", label, wait.Seconds())
	select {
	case <-time.After(wait):
	case <-ctx.Done():
	}
}

// tfRun is what one Terraform command did.
type tfRun struct {
	code   int
	output string
	wall   time.Duration
	// waitRSSKB is ru_maxrss of the Terraform process from wait4: the larger of Terraform's own
	// peak and that of the children it waited for (the provider plugins), in KiB.
	waitRSSKB int64
	// cpu is the CPU time (user and system) of the Terraform process and of the children it
	// waited for (the provider plugins).
	cpu time.Duration
	// hwmKB is the largest VmHWM of the Terraform process itself seen while it ran (sampled
	// every 50 ms), in KiB; 0 when /proc cannot be read.
	hwmKB int64
}

// cliRSS is the Terraform CLI's own peak RSS in KiB, given the peak of the provider processes
// it started (providerKB): wait4's figure when it exceeds the provider's, since it is then
// Terraform's own; otherwise the sampled high-water mark, which can miss only the last 50 ms.
func (t tfRun) cliRSS(providerKB int64) int64 {
	if t.waitRSSKB > providerKB {
		return t.waitRSSKB
	}
	return t.hwmKB
}

// terraform runs the CLI in dir and returns its exit code, its combined output (also written
// to logFile), its wall time and its peak memory. An error means it could not run or was cut
// short.
func (b *bench) terraform(ctx context.Context, dir string, floor bool, rssFile, logFile string, args ...string) (tfRun, error) {
	ctx, cancel := context.WithTimeout(ctx, b.o.timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, b.tf, args...)
	cmd.Dir = dir
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 30 * time.Second
	rc := b.rc
	if floor {
		rc = b.emptyRC
	}
	cmd.Env = append(cleanEnv(),
		"CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1", "TF_CLI_CONFIG_FILE="+rc,
		"PURECLOUD_API_URL="+b.mock.url,
		"GENESYSCLOUD_OAUTHCLIENT_ID="+mockClientID, "GENESYSCLOUD_OAUTHCLIENT_SECRET="+mockClientSecret,
		envRealProvider+"="+b.provider, envRSSFile+"="+rssFile)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	var run tfRun
	start := time.Now()
	err := cmd.Start()
	if err == nil {
		stopSampling := sampleHWM(cmd.Process.Pid, &run.hwmKB)
		err = cmd.Wait()
		stopSampling()
	}
	run.wall = time.Since(start)
	run.output = out.String()
	if cmd.ProcessState != nil {
		run.waitRSSKB = maxRSSKB(cmd.ProcessState)
		run.cpu = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	}
	if werr := os.WriteFile(logFile, out.Bytes(), 0o644); werr != nil {
		return run, werr
	}
	switch {
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		return run, fmt.Errorf("terraform %s did not finish within %s (output in %s)", strings.Join(args, " "), b.o.timeout, logFile)
	case ctx.Err() != nil:
		return run, fmt.Errorf("terraform %s was interrupted", strings.Join(args, " "))
	}
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) {
		run.code = exitErr.ExitCode()
		return run, nil
	}
	return run, err
}

// cleanEnv is the environment without anything that would change what Terraform or the
// provider do: TF_*, GENESYSCLOUD_* and this program's own variables.
func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "TF_") || strings.HasPrefix(kv, "GENESYSCLOUD_") || strings.HasPrefix(kv, "PURECLOUD_") ||
			strings.HasPrefix(kv, "BENCHSCALE_") || strings.HasPrefix(kv, "CHECKPOINT_") {
			continue
		}
		env = append(env, kv)
	}
	return env
}

func tail(s string, lines int) string {
	l := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(l) > lines {
		l = l[len(l)-lines:]
	}
	return "    " + strings.Join(l, "\n    ")
}

// mainTF is the mode's configuration, apart from the list of users (users.tf).
func mainTF(m mode, tolerance string, poolSize int) string {
	if m.floor {
		return `# Terraform's own cost: the same number of instances with nothing behind them.
resource "terraform_data" "user" {
  for_each = toset(local.user_ids)
  input    = contains(local.updated_user_ids, each.key) ? local.licenses_updated : local.licenses
}
`
	}
	return fmt.Sprintf(`terraform {
  required_providers {
    purecloud = {
      source = "purecloud-terraform/purecloud"
    }
  }
}

# Mode %s. The API URL comes from PURECLOUD_API_URL, the OAuth client from GENESYSCLOUD_OAUTHCLIENT_*.
provider "purecloud" %s

resource "purecloud_user_license_assignment" "user" {
  for_each    = toset(local.user_ids)
  user_id     = each.key
  license_ids = contains(local.updated_user_ids, each.key) ? local.licenses_updated : local.licenses
}
`, m.name, providerBlock(m, tolerance, poolSize))
}

// providerBlock is the body of the provider block of a provider mode.
func providerBlock(m mode, tolerance string, poolSize int) string {
	settings := slices.Clone(m.settings)
	if poolSize > 0 && !slices.ContainsFunc(settings, func(s string) bool { return strings.HasPrefix(s, "token_pool_size") }) {
		settings = append(settings, fmt.Sprintf("token_pool_size = %d", poolSize))
	}
	if tolerance != "" {
		settings = append(settings, fmt.Sprintf("read_after_write_tolerance = %q", tolerance))
	}
	if len(settings) == 0 {
		return "{}"
	}
	return "{\n  " + strings.Join(settings, "\n  ") + "\n}"
}

// writeUsers writes users.tf: the list of user ids, and the users the update phase changed.
func (r *modeRun) writeUsers() error {
	return os.WriteFile(filepath.Join(r.dir, "users.tf"), []byte(usersTF(r.n, r.updated)), 0o644)
}

func usersTF(n int, updated bool) string {
	var s strings.Builder
	q := func(l []string) string {
		b, _ := json.Marshal(l)
		return strings.ReplaceAll(string(b), ",", ", ")
	}
	fmt.Fprintf(&s, "locals {\n  licenses         = %s\n  licenses_updated = %s\n\n  user_ids = [\n", q(licensesCreated), q(licensesUpdated))
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&s, "    %q,\n", mockapi.UserID(i))
	}
	s.WriteString("  ]\n\n  # Changed by the update phase.\n  updated_user_ids = [\n")
	if updated {
		for i := 1; i <= n; i++ {
			if updatedUser(i) {
				fmt.Fprintf(&s, "    %q,\n", mockapi.UserID(i))
			}
		}
	}
	s.WriteString("  ]\n}\n")
	return s.String()
}

// Request columns of the report.
const (
	colPostOrganization = "postLicenseOrganization"
	colPostUsers        = "postLicenseUsers"
	colGetUser          = "getLicenseUser"
	colGetUsers         = "getLicenseUsers"
	colToken            = "token"
	colOther            = "other"
)

var requestColumns = []string{colPostOrganization, colPostUsers, colGetUser, colGetUsers, colToken, colOther}

var routeColumns = map[string]string{
	mockapi.RoutePostOrganization: colPostOrganization,
	mockapi.RoutePostUsers:        colPostUsers,
	mockapi.RouteGetUser:          colGetUser,
	mockapi.RouteGetUsers:         colGetUsers,
	mockapi.RouteToken:            colToken,
}

// diffStats returns the requests per column, their total, and the 429s between two stats.
func diffStats(before, after mockapi.Stats) (map[string]int, int, int) {
	cols := make(map[string]int, len(requestColumns))
	total := 0
	for route, n := range after.Requests {
		d := n - before.Requests[route]
		if d == 0 {
			continue
		}
		col, ok := routeColumns[route]
		if !ok {
			col = colOther
		}
		cols[col] += d
		total += d
	}
	return cols, total, after.RateLimited - before.RateLimited
}

// findTerraform returns the Terraform CLI to use: the given path or terraform on PATH.
func findTerraform(path string) (string, error) {
	if path == "" {
		p, err := exec.LookPath("terraform")
		if err != nil {
			return "", errors.New("no terraform on PATH: pass -terraform (make bench-scale uses scripts/terraform-bin.sh)")
		}
		return p, nil
	}
	return filepath.Abs(path)
}

func terraformVersion(ctx context.Context, tf string) (string, error) {
	cmd := exec.CommandContext(ctx, tf, "version", "-json")
	cmd.Env = append(cleanEnv(), "CHECKPOINT_DISABLE=1", "TF_CLI_CONFIG_FILE="+os.DevNull)
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("%s version: %w", tf, err)
	}
	var v struct {
		Version string `json:"terraform_version"`
	}
	if err := json.Unmarshal(out, &v); err != nil || v.Version == "" {
		return "", fmt.Errorf("%s version -json printed %q: %w", tf, out, err)
	}
	return v.Version, nil
}

// moduleRoot is the directory of the provider's go.mod.
func moduleRoot(ctx context.Context) (string, error) {
	out, err := exec.CommandContext(ctx, "go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		return "", errors.New("run benchscale inside the provider's module (go run ./scripts/benchscale from the repository root)")
	}
	return filepath.Dir(gomod), nil
}

// countLines is the number of lines of s.
func countLines(s string) int {
	return strings.Count(strings.TrimRight(s, "\n"), "\n") + 1
}

// holderDiffLines counts the lines of every changed holder attribute Terraform printed: from
// "~ user_ids = [" (or input, or users) to the bracket that closes it.
func holderDiffLines(out string) int {
	lines := strings.Split(out, "\n")
	total := 0
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		rest := strings.TrimLeft(line, " ")
		indent := len(line) - len(rest)
		name, ok := strings.CutPrefix(rest, "~ ")
		if !ok || (!strings.HasSuffix(rest, "[") && !strings.HasSuffix(rest, "{")) {
			continue
		}
		if f := strings.Fields(name); len(f) == 0 || !slices.Contains([]string{"user_ids", "users", "input"}, f[0]) {
			continue
		}
		for j := i + 1; j < len(lines); j++ {
			r := strings.TrimLeft(lines[j], " ")
			if (r == "]" || r == "}") && len(lines[j])-len(r) == indent+2 {
				total += j - i + 1
				i = j
				break
			}
		}
	}
	return total
}
