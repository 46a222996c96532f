// Command benchscale is the scale benchmark behind `make bench-scale`: it runs the real Terraform
// CLI against the standalone mock Genesys Cloud (cmd/purecloud-mockapi, with latency and the
// per-token rate limit) through the phases a large organization goes through, in several
// provider configurations ("modes") and once with terraform_data, the cost of Terraform itself
// on this machine (the "floor"). Two workloads (-resource): user, N
// purecloud_user_license_assignment (below); license, one license held by N users in
// purecloud_license_assignment (license.go).
//
// Phases of the user workload, in order (the state of one feeds the next):
//
//	create   terraform apply: N users get ["cloudCX1", "wallboardUser"]
//	plan     terraform plan -detailed-exitcode with nothing changed: exit code 0
//	update   terraform apply after 10 % of the users were changed to ["cloudCX2", "wallboardUser"]
//	drift    5 % of the users are set to ["cloudCX1"] through the mock's admin API, then
//	         terraform plan -detailed-exitcode: exit code 2 (0 for terraform_data, which has no drift)
//	destroy  terraform destroy
//
// Per mode and phase it records the wall time of the Terraform command, the requests the mock
// received per endpoint (GET /_mock/stats before and after), the requests refused with 429, the
// peak resident memory of the provider plugin processes and that of the Terraform CLI. After each phase it compares the
// mock's licenses of every user with what the phase should have left; a wrong exit code, a wrong
// plan or apply summary, or a wrong truth is a correctness failure and makes the command exit 1.
// Performance targets are printed as PASS or MISS and never fail the run, except in -smoke mode,
// where the default mode must send fewer requests than the per-operation mode in every phase.
//
// Peak memory: the provider directory of the dev_overrides CLI configuration holds a link named
// terraform-provider-purecloud to this program's own executable. Started under that name, the
// program runs the real provider as its child, passes standard input and output through, and
// when the child exits appends its peak resident set size (getrusage's ru_maxrss, what
// /usr/bin/time reports as %M) to the file named by $BENCHSCALE_RSS_FILE. Terraform starts the
// provider several times per command; the peak of a phase is the largest of them.
//
//	go run ./scripts/benchscale -n 1000 -out BENCHMARKS.md -terraform "$(scripts/terraform-bin.sh)"
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// providerBinary is the name Terraform looks for in a dev_overrides directory; started under
// this name, the program is the provider wrapper that measures memory.
const providerBinary = "terraform-provider-purecloud"

type options struct {
	// resources are the workloads to run: resourceUser, resourceLicense.
	resources []string
	n         int
	modes     []string
	// licenseModes are the modes of the license workload: -modes, or the defaults.
	licenseModes []string
	// parts: the license workload runs with its users in each of these numbers of resources.
	parts []int
	// shapes: the shapes of the holder attribute the license workload's floor runs with.
	shapes []string
	// poolSize is token_pool_size of every provider mode; 0: the provider's default.
	poolSize  int
	phases    []string
	floor     bool
	growth    []int
	out       string
	terraform string
	smoke     bool
	latency   time.Duration
	rateLimit int
	timeout   time.Duration
	keep      bool
	// tolerance is read_after_write_tolerance for every provider mode; empty: the default.
	tolerance string
	command   string // how the run was asked for, for the report
}

func main() {
	if filepath.Base(os.Args[0]) == providerBinary {
		os.Exit(wrapProvider())
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	switch {
	case err == nil:
	case errors.Is(err, flag.ErrHelp):
	case errors.Is(err, errUsage):
		os.Exit(2)
	default:
		fmt.Fprintf(os.Stderr, "benchscale: %v\n", err)
		os.Exit(1)
	}
}

var errUsage = errors.New("usage error")

const usageHeader = `Usage: go run ./scripts/benchscale [flags]

Scale benchmark of the purecloud provider with the real Terraform CLI against the standalone
mock Genesys Cloud, per provider mode and with terraform_data (Terraform's own cost, the
"floor"). -resource user: N user license assignments through create, no-change plan, update of
10 %, drift check after 5 % were changed out of band, and destroy. -resource license: one license
held by N users in purecloud_license_assignment (or -parts K resources) through create,
no-change plan, add of 50 users, drift check after 50 lost it out of band, and destroy; -shapes
runs the floor with other shapes of the holder attribute. Prints a Markdown table and, with
-out, writes it into that file between generated-section markers.

Modes: ` + "defaults, per-operation (batch_window = \"0s\", read_batching = false), pool-5\n(token_pool_size = 5), parallelism-50 (defaults with -parallelism=50), terraform_data (the floor)." + `
Phases: create, plan, update (user), add (license), drift, destroy. create always runs,
because every other phase needs its state; it is reported only when selected.

Flags:
`

func parseFlags(args []string, stderr io.Writer) (options, error) {
	fs := flag.NewFlagSet("benchscale", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), usageHeader)
		fs.PrintDefaults()
	}
	var (
		o         options
		modes     = fs.String("modes", "", "comma-separated `modes` to run (default: all provider modes); terraform_data runs too unless -floor=false")
		phases    = fs.String("phases", "", "comma-separated `phases` to report (default: all)")
		growth    = fs.Bool("growth", false, "also run the defaults mode (and the floor) at each size of -growth-n, so that growth with N is visible")
		growthN   = fs.String("growth-n", "400,2000", "comma-separated `sizes` for -growth")
		floorFlag = fs.Bool("floor", true, "run the terraform_data floor, which the × floor ratios need")
		resources = fs.String("resource", resourceUser, "comma-separated `workloads`: user (N purecloud_user_license_assignment), license (one license held by N users in purecloud_license_assignment)")
		parts     = fs.String("parts", "1", "license workload: comma-separated `numbers` of resources the users are split into by a hash of their id")
		shapes    = fs.String("shapes", resourceShape, "license workload: comma-separated `shapes` of the holder attribute the terraform_data floor runs with ("+strings.Join(shapeNames, ", ")+"); the provider always runs with its schema's")
	)
	fs.IntVar(&o.poolSize, "token-pool-size", 0, "token_pool_size of every provider mode (default: the provider's)")
	fs.IntVar(&o.n, "n", 1000, "number of users, each with one purecloud_user_license_assignment")
	fs.StringVar(&o.out, "out", "", "Markdown `file` whose generated section receives the results (created when missing); empty: print only")
	fs.StringVar(&o.terraform, "terraform", "", "`path` of the Terraform CLI (default: terraform on PATH)")
	fs.BoolVar(&o.smoke, "smoke", false, "quick correctness run: N = 20, modes defaults and per-operation, no floor, and the defaults mode must send fewer requests than per-operation in every phase")
	fs.DurationVar(&o.latency, "latency", 50*time.Millisecond, "latency the mock adds to every API request")
	fs.IntVar(&o.rateLimit, "rate-limit", 300, "requests per token per minute the mock allows before answering 429")
	fs.DurationVar(&o.timeout, "timeout", 30*time.Minute, "time limit of one Terraform command")
	fs.StringVar(&o.tolerance, "read-after-write-tolerance", "", "read_after_write_tolerance of every provider mode, a Go `duration` (default: the provider's 15s; -smoke: 1s). The drift check starts after it has passed since create")
	fs.BoolVar(&o.keep, "keep", false, "keep the working directory (configurations, states, Terraform logs)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return o, err
		}
		return o, fmt.Errorf("%w: %w", errUsage, err)
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "benchscale: unexpected arguments %q\n", fs.Args())
		return o, errUsage
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	o.floor = *floorFlag
	if o.smoke && !set["resource"] {
		*resources = resourceUser + "," + resourceLicense
	}
	if o.smoke {
		if !set["n"] {
			o.n = 20
		}
		if !set["modes"] {
			*modes = modeDefaults + "," + modePerOperation
		}
		if !set["floor"] {
			o.floor = false
		}
		if !set["timeout"] {
			o.timeout = 3 * time.Minute
		}
		// Shortens the wait before the drift check; the smoke checks correctness, not timing.
		if !set["read-after-write-tolerance"] {
			o.tolerance = "1s"
		}
	}
	if o.n < 1 {
		return o, fmt.Errorf("%w: -n must be at least 1, got %d", errUsage, o.n)
	}
	var err error
	if o.modes, err = parseList(*modes, modeNames()); err != nil {
		return o, fmt.Errorf("%w: -modes: %w", errUsage, err)
	}
	if o.resources, err = parseList(*resources, resourceNames); err != nil || len(o.resources) == 0 {
		return o, fmt.Errorf("%w: -resource: %q: give %s", errUsage, *resources, strings.Join(resourceNames, " or "))
	}
	o.licenseModes = slices.Clone(o.modes)
	if len(o.licenseModes) == 0 || (o.smoke && !set["modes"]) {
		o.licenseModes = []string{modeDefaults}
	}
	if len(o.modes) == 0 {
		o.modes = slices.DeleteFunc(modeNames(), func(m string) bool { return m == modeFloor })
	}
	if o.floor && !slices.Contains(o.modes, modeFloor) {
		o.modes = append([]string{modeFloor}, o.modes...)
	}
	if o.floor && !slices.Contains(o.licenseModes, modeFloor) {
		o.licenseModes = append([]string{modeFloor}, o.licenseModes...)
	}
	o.modes = ordered(o.modes, modeNames())
	o.licenseModes = ordered(o.licenseModes, modeNames())
	if o.phases, err = parseList(*phases, allPhaseNames); err != nil {
		return o, fmt.Errorf("%w: -phases: %w", errUsage, err)
	}
	if len(o.phases) == 0 {
		o.phases = slices.Clone(allPhaseNames)
	}
	o.phases = ordered(o.phases, allPhaseNames)
	if o.shapes, err = parseList(*shapes, shapeNames); err != nil || len(o.shapes) == 0 {
		return o, fmt.Errorf("%w: -shapes: %q: give some of %s", errUsage, *shapes, strings.Join(shapeNames, ", "))
	}
	o.shapes = ordered(o.shapes, shapeNames)
	for _, p := range strings.Split(*parts, ",") {
		k, err := strconv.Atoi(strings.TrimSpace(p))
		if err != nil || k < 1 {
			return o, fmt.Errorf("%w: -parts: %q is not a positive number", errUsage, p)
		}
		if !slices.Contains(o.parts, k) {
			o.parts = append(o.parts, k)
		}
	}
	if o.smoke && !set["parts"] {
		o.parts = []int{1, 2}
	}
	if o.poolSize < 0 {
		return o, fmt.Errorf("%w: -token-pool-size must not be negative", errUsage)
	}
	if *growth {
		for _, s := range strings.Split(*growthN, ",") {
			if s = strings.TrimSpace(s); s == "" {
				continue
			}
			g, err := strconv.Atoi(s)
			if err != nil || g < 1 {
				return o, fmt.Errorf("%w: -growth-n: %q is not a positive number", errUsage, s)
			}
			if g != o.n && !slices.Contains(o.growth, g) {
				o.growth = append(o.growth, g)
			}
		}
	}
	if o.tolerance != "" {
		if d, err := time.ParseDuration(o.tolerance); err != nil || d < 0 {
			return o, fmt.Errorf("%w: -read-after-write-tolerance %q is not a duration of 0s or more", errUsage, o.tolerance)
		}
	}
	if o.latency < 0 {
		return o, fmt.Errorf("%w: -latency must not be negative", errUsage)
	}
	o.command = commandLine(args)
	return o, nil
}

// Workloads.
const (
	resourceUser    = "user"
	resourceLicense = "license"
)

var resourceNames = []string{resourceUser, resourceLicense}

// allPhaseNames are the phases of both workloads, in order.
var allPhaseNames = []string{phaseCreate, phasePlan, phaseUpdate, phaseAdd, phaseDrift, phaseDestroy}

// defaultTolerance is the provider's default read_after_write_tolerance.
const defaultTolerance = 15 * time.Second

// toleranceDuration is the read_after_write_tolerance the provider modes run with.
func (o options) toleranceDuration() time.Duration {
	if d, err := time.ParseDuration(o.tolerance); err == nil {
		return d
	}
	return defaultTolerance
}

// commandLine is how the run was started, quoted for a shell where needed.
func commandLine(args []string) string {
	words := []string{"go", "run", "./scripts/benchscale"}
	for _, a := range args {
		if a == "" || strings.ContainsAny(a, " \t'\"$\\") {
			a = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
		words = append(words, a)
	}
	return strings.Join(words, " ")
}

// parseList splits a comma-separated list and checks every element against valid.
func parseList(s string, valid []string) ([]string, error) {
	var out []string
	for _, e := range strings.Split(s, ",") {
		e = strings.TrimSpace(e)
		if e == "" {
			continue
		}
		if !slices.Contains(valid, e) {
			return nil, fmt.Errorf("unknown %q; valid: %s", e, strings.Join(valid, ", "))
		}
		if !slices.Contains(out, e) {
			out = append(out, e)
		}
	}
	return out, nil
}

// ordered returns the elements of list in the order of all.
func ordered(list, all []string) []string {
	var out []string
	for _, e := range all {
		if slices.Contains(list, e) {
			out = append(out, e)
		}
	}
	return out
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	b, err := newBench(ctx, o, stderr)
	if err != nil {
		return err
	}
	defer b.close()

	failures := b.runAll(ctx)
	rep := b.report()
	fmt.Fprintln(stdout, rep.markdown())
	if o.out != "" {
		if err := writeSection(o.out, sectionBeginFor(o.resources), rep.markdown()); err != nil {
			return err
		}
		fmt.Fprintf(stderr, "benchscale: wrote the results into %s\n", o.out)
	}
	if o.smoke {
		failures = append(failures, rep.smokeFailures()...)
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if len(failures) > 0 {
		fmt.Fprintf(stderr, "benchscale: %d correctness failure(s):\n", len(failures))
		for _, f := range failures {
			fmt.Fprintf(stderr, "  - %s\n", f)
		}
		return errors.New("correctness failures (see above)")
	}
	fmt.Fprintln(stderr, "benchscale: every phase was correct")
	return nil
}
