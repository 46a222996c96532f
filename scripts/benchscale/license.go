package main

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/purecloud-terraform/terraform-provider-purecloud/internal/mockapi"
)

// The license workload (-resource license): one license held by N users, managed by
// purecloud_license_assignment in one resource or hash-split into K resources (as the csv-split
// example does), with terraform_data holding the same values as Terraform's floor.
//
//	create   terraform apply: users 1..N hold the license
//	plan     terraform plan -detailed-exitcode with nothing changed: exit code 0
//	add      terraform apply with 50 more users (N+1..N+50) in the configuration
//	drift    50 of the first N users lose the license through the mock's admin API, then
//	         terraform plan -detailed-exitcode: exit code 2. terraform_data cannot drift: its
//	         floor is a plan whose configuration lacks the same 50 users
//	destroy  terraform destroy
//
// The floor can also run with other shapes of the holder attribute (-shapes): the cost of
// Terraform itself for a set, a list or a map of the same N users.

const licenseHeld = mockapi.LicenseCloudCX2

// phaseAdd is the license workload's apply that adds users.
const phaseAdd = "add"

var licensePhaseNames = []string{phaseCreate, phasePlan, phaseAdd, phaseDrift, phaseDestroy}

// Shapes of the holder attribute.
const (
	shapeSet       = "set"        // toset(["id", ...])
	shapeList      = "list"       // tolist(["id", ...]), sorted, with set meaning
	shapeMap       = "map"        // tomap({"id" = "label"}): user id → a free label (an email)
	shapeMapObject = "map-object" // tomap({"id" = {email = "label"}})
)

var shapeNames = []string{shapeSet, shapeList, shapeMap, shapeMapObject}

var shapeLegend = map[string]string{
	shapeSet:       "`toset([\"<uuid>\", ...])`",
	shapeList:      "`tolist([\"<uuid>\", ...])`, sorted (a list with set meaning)",
	shapeMap:       "`tomap({\"<uuid>\" = \"user-<i>@example.com\", ...})`: user id → a free label",
	shapeMapObject: "`tomap({\"<uuid>\" = { email = \"user-<i>@example.com\" }, ...})`",
}

// resourceShape is the shape of purecloud_license_assignment's holder attribute. When the
// schema changes, change it here and in licenseHolderAttribute.
const resourceShape = shapeMap

// licenseHolderAttribute renders the holder attribute of purecloud_license_assignment, given
// an HCL expression of the shape's value (a list of user ids for set and list, a map from user
// id to label for the maps): the one place that knows the resource's schema for its holders.
func licenseHolderAttribute(shape, expr string) (string, error) {
	switch shape {
	case shapeMap:
		return "users      = " + expr, nil
	}
	return "", fmt.Errorf("purecloud_license_assignment holds its users as a %s: the benchmark cannot give it a %s (see licenseHolderAttribute)", resourceShape, shape)
}

// floorHolderAttribute is terraform_data's input holding the same value with the shape's type.
func floorHolderAttribute(shape, expr string) string {
	switch shape {
	case shapeSet:
		return "input = toset(" + expr + ")"
	case shapeList:
		return "input = tolist(" + expr + ")"
	}
	return "input = tomap(" + expr + ")"
}

// holdersLiteral is the HCL value of local.holders: the users' ids as a list, or a map from
// id to label.
func holdersLiteral(shape string, users []int) string {
	var s strings.Builder
	switch shape {
	case shapeSet, shapeList:
		s.WriteString("[\n")
		for _, i := range users {
			fmt.Fprintf(&s, "    %q,\n", mockapi.UserID(i))
		}
		s.WriteString("  ]")
	default:
		s.WriteString("{\n")
		for _, i := range users {
			label := fmt.Sprintf("%q", userLabel(i))
			if shape == shapeMapObject {
				label = "{ email = " + label + " }"
			}
			fmt.Fprintf(&s, "    %q = %s\n", mockapi.UserID(i), label)
		}
		s.WriteString("  }")
	}
	return s.String()
}

func userLabel(i int) string { return fmt.Sprintf("user-%d@example.com", i) }

// partFilter is the HCL expression of the holders of part p of k: the users whose id hashes
// to p, as in the csv-split example, so that a user stays in its part whatever else changes.
func partFilter(shape, expr string, k int) string {
	hash := fmt.Sprintf("parseint(substr(md5(u), 0, 6), 16) %% %d == p", k)
	if shape == shapeSet || shape == shapeList {
		return fmt.Sprintf("[for u in %s : u if %s]", expr, hash)
	}
	return fmt.Sprintf("{ for u, v in %s : u => v if %s }", expr, hash)
}

// partOf is the part of k that partFilter puts a user id in.
func partOf(id string, k int) int {
	sum := md5.Sum([]byte(id))
	v, _ := strconv.ParseInt(hex.EncodeToString(sum[:])[:6], 16, 64)
	return int(v % int64(k))
}

// changedCount is how many users the add and drift phases change: 50, fewer for small N.
func changedCount(n int) int {
	return min(50, max(1, n/4))
}

// driftedUsers are the users among 1..n that the drift phase changes, spread over the range.
func driftedUsers(n int) []int {
	c := changedCount(n)
	out := make([]int, 0, c)
	for j := 1; j <= c; j++ {
		out = append(out, j*n/c)
	}
	return out
}

// licenseMainTF is the configuration of a license variant, apart from local.holders (users.tf).
func licenseMainTF(m mode, shape string, parts int, tolerance string, poolSize int) (string, error) {
	var s strings.Builder
	typ := "terraform_data"
	if !m.floor {
		typ = "purecloud_license_assignment"
		fmt.Fprintf(&s, `terraform {
  required_providers {
    purecloud = {
      source = "purecloud-terraform/purecloud"
    }
  }
}

# Mode %s. The API URL comes from PURECLOUD_API_URL, the OAuth client from GENESYSCLOUD_OAUTHCLIENT_*.
provider "purecloud" %s

`, m.name, providerBlock(m, tolerance, poolSize))
	} else {
		fmt.Fprintf(&s, "# Terraform's own cost: terraform_data holding the same %s of users, no provider.\n\n", shape)
	}
	expr := "local.holders"
	forEach := ""
	if parts > 1 {
		fmt.Fprintf(&s, "locals {\n  parts = { for p in range(%d) : tostring(p) => %s }\n}\n\n", parts, partFilter(shape, "local.holders", parts))
		expr = "each.value"
		forEach = "  for_each = local.parts\n\n"
	}
	fmt.Fprintf(&s, "resource %q \"license\" {\n%s", typ, forEach)
	if m.floor {
		fmt.Fprintf(&s, "  %s\n}\n", floorHolderAttribute(shape, expr))
		return s.String(), nil
	}
	attr, err := licenseHolderAttribute(shape, expr)
	if err != nil {
		return "", err
	}
	fmt.Fprintf(&s, "  license_id = %q\n  %s\n}\n", licenseHeld, attr)
	return s.String(), nil
}

// licenseRun is one variant of the license workload: a mode, a shape and a number of parts,
// in its own directory, with the users its configuration lists.
type licenseRun struct {
	b     *bench
	m     mode
	shape string
	parts int
	n     int
	dir   string
	// holds: user number → holds the license, on the mock (provider modes).
	holds map[int]bool
	// lastWrite is when the provider last wrote users (the end of create or add).
	lastWrite time.Time
	failed    bool
}

func (r *licenseRun) name() string {
	return fmt.Sprintf("%s %s K=%d", r.m.name, r.shape, r.parts)
}

func (r *licenseRun) writeUsers(users []int) error {
	return os.WriteFile(filepath.Join(r.dir, "users.tf"),
		[]byte("locals {\n  holders = "+holdersLiteral(r.shape, users)+"\n}\n"), 0o644)
}

// runLicense runs the license workload at size n: for each number of parts, the floor in
// every shape and the provider modes, phase by phase with the variants interleaved, so that
// they see the same load on the machine. Provider modes share the mock, so that each group
// holds at most one of them.
func (b *bench) runLicense(ctx context.Context, n int) []string {
	var failures []string
	for _, k := range b.o.parts {
		var floors, providers []*licenseRun
		for _, name := range b.o.licenseModes {
			m := modeByName(name)
			shapes := []string{resourceShape}
			if m.floor {
				shapes = b.o.shapes
			}
			for _, shape := range shapes {
				r := &licenseRun{b: b, m: m, shape: shape, parts: k, n: n, holds: map[int]bool{},
					dir: filepath.Join(b.work, fmt.Sprintf("license-%s-%s-%d-%d", m.name, shape, k, n))}
				if m.floor {
					floors = append(floors, r)
				} else {
					providers = append(providers, r)
				}
			}
		}
		groups := [][]*licenseRun{floors}
		for i, p := range providers {
			if i == 0 {
				groups[0] = append(groups[0], p)
			} else {
				groups = append(groups, []*licenseRun{p})
			}
		}
		for _, g := range groups {
			failures = append(failures, b.runLicenseGroup(ctx, g)...)
		}
	}
	return failures
}

func (b *bench) runLicenseGroup(ctx context.Context, group []*licenseRun) []string {
	var failures []string
	for _, r := range group {
		err := r.setUp(ctx)
		if err != nil {
			r.failed = true
			failures = append(failures, fmt.Sprintf("%s N=%d: %v", r.name(), r.n, err))
		}
	}
	for _, phase := range licensePhaseNames {
		if phase != phaseCreate && !slices.Contains(b.o.phases, phase) {
			continue
		}
		for _, r := range group {
			if r.failed {
				continue
			}
			if ctx.Err() != nil {
				return append(failures, "interrupted")
			}
			res, err := r.runPhase(ctx, phase)
			if res != nil {
				res.failed = err != nil
				b.results = append(b.results, *res)
				b.logf("%-28s N=%-5d %-8s %7.1f s  %s", r.name(), r.n, phase, res.wall.Seconds(), res.summary())
			}
			if err != nil {
				r.failed = true
				b.logf("%s N=%d: FAILED: %v", r.name(), r.n, err)
				failures = append(failures, fmt.Sprintf("%s N=%d %s: %v", r.name(), r.n, phase, err))
			}
		}
	}
	return failures
}

func (r *licenseRun) setUp(ctx context.Context) error {
	if err := os.MkdirAll(r.dir, 0o755); err != nil {
		return err
	}
	main, err := licenseMainTF(r.m, r.shape, r.parts, r.b.o.tolerance, r.b.o.poolSize)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(r.dir, "main.tf"), []byte(main), 0o644); err != nil {
		return err
	}
	if !r.m.floor {
		return r.b.admin.reset(ctx)
	}
	return nil
}

// partsOf is how many of the k parts hold at least one of users.
func partsOf(users []int, k int) int {
	seen := map[int]bool{}
	for _, i := range users {
		seen[partOf(mockapi.UserID(i), k)] = true
	}
	return len(seen)
}

// runPhase prepares a phase (configuration, out-of-band change), runs its Terraform command
// while measuring it, and checks the exit code, Terraform's summary and the mock's truth.
func (r *licenseRun) runPhase(ctx context.Context, phase string) (*result, error) {
	b := r.b
	n, c := r.n, changedCount(r.n)
	var added []int
	for i := n + 1; i <= n+c; i++ {
		added = append(added, i)
	}
	drifted := driftedUsers(n)
	all := func() []int {
		out := make([]int, 0, n+c)
		for i := 1; i <= n; i++ {
			out = append(out, i)
		}
		return out
	}
	apply := []string{"apply", "-auto-approve", "-input=false", "-no-color"}
	plan := []string{"plan", "-detailed-exitcode", "-input=false", "-no-color"}
	var spec phaseSpec
	switch phase {
	case phaseCreate:
		if err := r.writeUsers(all()); err != nil {
			return nil, err
		}
		for i := 1; i <= n; i++ {
			r.holds[i] = true
		}
		spec = phaseSpec{args: apply, wantOutput: fmt.Sprintf("Apply complete! Resources: %d added, 0 changed, 0 destroyed.", r.parts)}
	case phasePlan:
		spec = phaseSpec{args: plan, wantOutput: "No changes."}
	case phaseAdd:
		if err := r.writeUsers(append(all(), added...)); err != nil {
			return nil, err
		}
		for _, i := range added {
			r.holds[i] = true
		}
		spec = phaseSpec{args: apply, wantOutput: fmt.Sprintf("Apply complete! Resources: 0 added, %d changed, 0 destroyed.", partsOf(added, r.parts))}
	case phaseDrift:
		if r.m.floor {
			// The floor of a drift check: the configuration differs from the state by the
			// same users.
			users := slices.DeleteFunc(append(all(), added...), func(i int) bool { return slices.Contains(drifted, i) })
			if err := r.writeUsers(users); err != nil {
				return nil, err
			}
		} else {
			b.waitTolerance(ctx, r.lastWrite, fmt.Sprintf("%-28s N=%-5d (since the last write)", r.name(), r.n))
			for _, i := range drifted {
				if err := b.admin.setLicenses(ctx, mockapi.UserID(i), []string{}); err != nil {
					return nil, err
				}
				r.holds[i] = false
			}
		}
		spec = phaseSpec{args: plan, wantCode: 2, wantOutput: fmt.Sprintf("Plan: 0 to add, %d to change, 0 to destroy.", partsOf(drifted, r.parts))}
	case phaseDestroy:
		clear(r.holds)
		spec = phaseSpec{args: []string{"destroy", "-auto-approve", "-input=false", "-no-color"},
			wantOutput: fmt.Sprintf("Destroy complete! Resources: %d destroyed.", r.parts)}
	}
	if r.m.parallelism > 0 {
		spec.args = append(spec.args, fmt.Sprintf("-parallelism=%d", r.m.parallelism))
	}
	res, err := b.measure(ctx, measureSpec{
		mode: r.m, n: n, phase: phase, shape: r.shape, parts: r.parts, resource: resourceLicense,
		dir: r.dir, args: spec.args, reported: slices.Contains(b.o.phases, phase),
	})
	if phase == phaseCreate || phase == phaseAdd {
		r.lastWrite = time.Now()
	}
	if err != nil {
		return res, err
	}
	if err := res.check(spec, r.dir); err != nil {
		return res, err
	}
	if res.counted {
		if err := b.admin.checkTruth(ctx, n+c, func(i int) []string {
			if r.holds[i] {
				return []string{licenseHeld}
			}
			return nil
		}); err != nil {
			return res, fmt.Errorf("after terraform %s: %w", strings.Join(spec.args, " "), err)
		}
	}
	return res, nil
}
