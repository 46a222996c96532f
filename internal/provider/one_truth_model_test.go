package provider

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/go-version"

	"github.com/purecloud-terraform/terraform-provider-purecloud/internal/mockapi"
)

// A model-based test of "the plan is what happens": seeded random sequences of configurations
// over both resource types (users and licenses added and removed, exclusive and authoritative
// on and off, create_before_destroy replacements, renames with and without moved blocks,
// imports), each applied through the Terraform CLI. After every step: every pair recorded in any
// state is held; the server holds exactly what the model predicts (the configured pairs, plus
// what was held outside every state and not taken by an exclusive or authoritative instance,
// which the plan names); and the next plan is empty. A step the plan refuses (a removal of a pair
// an unchanged instance keeps) must change nothing.

var (
	modelUsers    = []string{mockapi.UserID(1), mockapi.UserID(2), mockapi.UserID(3), mockapi.UserID(4), mockapi.UserID(5)}
	modelLicenses = []string{"cloudCX1", "communicate", "collaborate"}
	// modelStray is held outside every configuration at the start; only exclusive users take it.
	modelStray = "wallboardUser"
)

// modelInstance is one resource instance of a configuration.
type modelInstance struct {
	perUser  bool     // purecloud_user_license_assignment (key: user) or purecloud_license_assignment (key: license)
	key      string   // user id or license id
	gen      int      // renames bump it: the address changes
	members  []string // sorted
	takesAll bool
	cbd      bool
	imported bool     // an import block adopts it in this step
	adopted  []string // what its import found, until its first write (see assignment.adopted)
}

func (m modelInstance) addr() string {
	if m.perUser {
		return fmt.Sprintf("purecloud_user_license_assignment.u%s_%d", m.key[len(m.key)-2:], m.gen)
	}
	return fmt.Sprintf("purecloud_license_assignment.%s_%d", m.key, m.gen)
}

func (m modelInstance) pairs() []pairKey {
	out := make([]pairKey, 0, len(m.members))
	for _, x := range m.members {
		out = append(out, m.pair(x))
	}
	return out
}

func (m modelInstance) pair(member string) pairKey {
	if m.perUser {
		return pairKey{m.key, member}
	}
	return pairKey{member, m.key}
}

// inDomain reports whether p belongs to the instance's key.
func (m modelInstance) inDomain(p pairKey) bool {
	return (m.perUser && p.user == m.key) || (!m.perUser && p.license == m.key)
}

func (m modelInstance) member(p pairKey) string {
	if m.perUser {
		return p.license
	}
	return p.user
}

func (m modelInstance) hcl() string {
	var b strings.Builder
	name := m.addr()[strings.Index(m.addr(), ".")+1:]
	if m.perUser {
		fmt.Fprintf(&b, "resource \"purecloud_user_license_assignment\" %q {\n  user_id     = %q\n  license_ids = [%s]\n  exclusive   = %t\n",
			name, m.key, hclStrings(m.members), m.takesAll)
	} else {
		fmt.Fprintf(&b, "resource \"purecloud_license_assignment\" %q {\n  license_id    = %q\n  users         = { for u in [%s] : u => \"\" }\n  authoritative = %t\n",
			name, m.key, hclStrings(m.members), m.takesAll)
	}
	if m.cbd {
		b.WriteString(createBeforeDestroy)
	}
	b.WriteString("}\n")
	if m.imported {
		fmt.Fprintf(&b, "import {\n  to = %s\n  id = %q\n}\n", m.addr(), m.key)
	}
	return b.String()
}

// modelStep is one configuration and what the apply is asked besides it.
type modelStep struct {
	instances map[string]modelInstance // by kind and key
	moved     map[string]string        // new address → old address
	replace   []string                 // -replace addresses
}

func modelID(perUser bool, key string) string {
	if perUser {
		return "u/" + key
	}
	return "l/" + key
}

// nextModelStep draws the next configuration from the previous one.
func nextModelStep(rng *rand.Rand, prev map[string]modelInstance) modelStep {
	step := modelStep{instances: map[string]modelInstance{}, moved: map[string]string{}}
	authoritative, exclusive := map[string]bool{}, map[string]bool{}
	for _, l := range modelLicenses {
		authoritative[l] = rng.Float64() < 0.2
	}
	for _, u := range modelUsers {
		exclusive[u] = rng.Float64() < 0.2
	}
	perUser, perLicense := map[string][]string{}, map[string][]string{}
	for _, u := range modelUsers {
		for _, l := range modelLicenses {
			if rng.Float64() >= 0.5 {
				continue
			}
			byUser := exclusive[u] || (!authoritative[l] && rng.Float64() < 0.5)
			if byUser {
				perUser[u] = append(perUser[u], l)
			}
			if authoritative[l] || !byUser {
				perLicense[l] = append(perLicense[l], u)
			}
		}
	}
	add := func(isUser bool, key string, members []string, takesAll bool) {
		id := modelID(isUser, key)
		m := modelInstance{perUser: isUser, key: key, members: sortedUnique(members), takesAll: takesAll, cbd: rng.Float64() < 0.5}
		if old, ok := prev[id]; ok {
			m.gen, m.adopted = old.gen, old.adopted
			if rng.Float64() < 0.15 {
				m.gen++
				m.adopted = nil
				if rng.Float64() < 0.5 {
					step.moved[m.addr()] = old.addr()
					m.adopted = old.adopted
				}
			} else if rng.Float64() < 0.1 {
				step.replace = append(step.replace, m.addr())
			}
		} else if rng.Float64() < 0.3 {
			m.imported = true
		}
		step.instances[id] = m
	}
	for _, u := range modelUsers {
		if len(perUser[u]) > 0 {
			add(true, u, perUser[u], exclusive[u])
		}
	}
	for _, l := range modelLicenses {
		if len(perLicense[l]) > 0 || authoritative[l] {
			add(false, l, perLicense[l], authoritative[l])
		}
	}
	return step
}

// modelExpect predicts what the server holds after step is applied to server (what it held
// before) with prev the previous configuration's instances.
func modelExpect(server map[pairKey]bool, prev map[string]modelInstance, step modelStep) map[pairKey]bool {
	wanted := map[pairKey]bool{}
	for _, m := range step.instances {
		for _, p := range m.pairs() {
			wanted[p] = true
		}
	}
	removed := map[pairKey]bool{}
	for id, old := range prev {
		now, kept := step.instances[id]
		sameInstance := kept && (now.addr() == old.addr() || step.moved[now.addr()] == old.addr()) &&
			!slices.Contains(step.replace, now.addr())
		if !sameInstance {
			for _, p := range old.pairs() {
				removed[p] = true // destroyed (or replaced)
			}
			continue
		}
		letGo := map[string]bool{}
		switch {
		case now.takesAll:
		case old.takesAll:
			for _, x := range old.members {
				letGo[x] = true
			}
		default:
			for _, x := range old.adopted {
				letGo[x] = true
			}
		}
		for _, x := range old.members {
			if !slices.Contains(now.members, x) && !letGo[x] {
				removed[old.pair(x)] = true
			}
		}
	}
	for id, now := range step.instances {
		old, existed := prev[id]
		fresh := !existed || old.addr() != now.addr() && step.moved[now.addr()] != old.addr() || slices.Contains(step.replace, now.addr())
		if now.takesAll && (fresh || !old.takesAll) {
			for p, held := range server {
				if held && now.inDomain(p) && !slices.Contains(now.members, now.member(p)) {
					removed[p] = true
				}
			}
		}
	}
	out := map[pairKey]bool{}
	for p, held := range server {
		if held && !removed[p] {
			out[p] = true
		}
	}
	for p := range wanted {
		out[p] = true
	}
	return out
}

// modelServer is what the mock holds of the model's users.
func modelServer(mock *mockapi.Server) map[pairKey]bool {
	out := map[pairKey]bool{}
	for _, u := range modelUsers {
		held, _ := mock.UserLicenses(u)
		for _, l := range held {
			out[pairKey{u, l}] = true
		}
	}
	return out
}

// modelStatePairs are the pairs every resource in `terraform show -json` records.
func modelStatePairs(t *testing.T, showJSON string) []pairKey {
	t.Helper()
	var show struct {
		Values struct {
			Root struct {
				Resources []struct {
					Type   string         `json:"type"`
					Values map[string]any `json:"values"`
				} `json:"resources"`
			} `json:"root_module"`
		} `json:"values"`
	}
	if err := json.Unmarshal([]byte(showJSON), &show); err != nil {
		t.Fatalf("terraform show -json: %v", err)
	}
	var out []pairKey
	strs := func(v any) []string {
		var s []string
		list, _ := v.([]any)
		for _, x := range list {
			str, _ := x.(string)
			s = append(s, str)
		}
		return s
	}
	for _, r := range show.Values.Root.Resources {
		switch r.Type {
		case "purecloud_user_license_assignment":
			user, _ := r.Values["user_id"].(string)
			for _, l := range strs(r.Values["license_ids"]) {
				out = append(out, pairKey{user, l})
			}
		case "purecloud_license_assignment":
			license, _ := r.Values["license_id"].(string)
			users, _ := r.Values["users"].(map[string]any)
			for u := range users {
				out = append(out, pairKey{u, license})
			}
		}
	}
	return out
}

func modelDiff(got, want map[pairKey]bool) string {
	var lines []string
	for p := range want {
		if !got[p] {
			lines = append(lines, fmt.Sprintf("missing %s/%s", p.user, p.license))
		}
	}
	for p := range got {
		if !want[p] {
			lines = append(lines, fmt.Sprintf("unexpected %s/%s", p.user, p.license))
		}
	}
	slices.Sort(lines)
	return strings.Join(lines, "; ")
}

// runOneTruthModel runs steps configurations drawn from seed through the CLI.
func runOneTruthModel(t *testing.T, seed uint64, steps int) {
	tf := testAccTerraformAtLeast(t, version.Must(version.NewVersion("1.6.0")))
	mock, url := testAccMock(t, mockapi.Options{Users: len(modelUsers)})
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	for _, u := range modelUsers {
		held := []string{}
		if rng.Float64() < 0.6 {
			held = append(held, modelStray)
		}
		if rng.Float64() < 0.4 {
			held = append(held, modelLicenses[rng.IntN(len(modelLicenses))])
		}
		mock.SetUserLicenses(u, held)
	}
	dir := t.TempDir()
	rc := testAccDevOverrides(t, dir)
	run := testAccTerraformRunner(t, tf, dir, rc)
	header := `
terraform {
  required_providers {
    purecloud = { source = "purecloud-terraform/purecloud" }
  }
}
` + testAccProviderConfig(url)
	prev := map[string]modelInstance{}
	pairsChecked, refused := 0, 0
	for i := 1; i <= steps; i++ {
		step := nextModelStep(rng, prev)
		var cfg strings.Builder
		cfg.WriteString(header)
		ids := slices.Sorted(func(yield func(string) bool) {
			for id := range step.instances {
				if !yield(id) {
					return
				}
			}
		})
		for _, id := range ids {
			cfg.WriteString(step.instances[id].hcl())
		}
		for to, from := range step.moved {
			fmt.Fprintf(&cfg, "moved {\n  from = %s\n  to   = %s\n}\n", from, to)
		}
		testAccWriteFile(t, filepath.Join(dir, "main.tf"), cfg.String())
		before := modelServer(mock)
		// Imports record what the key holds now: that is what an import adopts.
		for id, m := range step.instances {
			if m.imported {
				for p, held := range before {
					if held && m.inDomain(p) {
						m.adopted = append(m.adopted, m.member(p))
					}
				}
				m.adopted = sortedUnique(m.adopted)
				step.instances[id] = m
			}
		}
		args := []string{"apply", "-auto-approve", "-no-color"}
		for _, a := range step.replace {
			args = append(args, "-replace="+a)
		}
		code, stdout, stderr := testAccTerraformExec(t, tf, dir, rc, nil, args...)
		out := stdout + stderr
		t.Logf("step %d: %d instances, %d moved, %d replaced: apply exited %d", i, len(step.instances), len(step.moved), len(step.replace), code)
		if code != 0 {
			if !strings.Contains(out, "Assignment Removed While Another Resource Keeps It") {
				t.Fatalf("step %d: apply failed:\n%s\nconfiguration:\n%s", i, out, cfg.String())
			}
			if diff := modelDiff(modelServer(mock), before); diff != "" {
				t.Fatalf("step %d: a refused plan changed the server: %s", i, diff)
			}
			refused++
			// Go back to the last applied configuration.
			var back strings.Builder
			back.WriteString(header)
			for _, m := range prev {
				m.imported = false
				back.WriteString(m.hcl())
			}
			testAccWriteFile(t, filepath.Join(dir, "main.tf"), back.String())
			continue
		}
		want := modelExpect(before, prev, step)
		got := modelServer(mock)
		if diff := modelDiff(got, want); diff != "" {
			t.Errorf("step %d: the server differs from the model: %s\nconfiguration:\n%s", i, diff, cfg.String())
		}
		for _, p := range modelStatePairs(t, run(0, "show", "-json")) {
			pairsChecked++
			if !got[p] {
				t.Errorf("step %d: the state records user %s with license %s, which Genesys Cloud does not hold", i, p.user, p.license)
			}
		}
		run(0, "plan", "-detailed-exitcode", "-no-color")
		// The instances' adoption lasts until their first write.
		next := map[string]modelInstance{}
		for id, m := range step.instances {
			old, ok := prev[id]
			written := !ok || m.imported || slices.Contains(step.replace, m.addr()) ||
				!slices.Equal(old.members, m.members) || old.takesAll != m.takesAll
			if m.imported && !m.takesAll && slices.Equal(m.adopted, m.members) {
				written = false // the import's state is the configuration: nothing to write
			}
			if written {
				m.adopted = nil
			}
			m.imported = false
			next[id] = m
		}
		prev = next
		if t.Failed() {
			return
		}
	}
	t.Logf("FIGURES one-truth model, seed %d: %d steps (%d refused by the plan), %d state pairs checked against the server, 0 lost",
		seed, steps, refused, pairsChecked)
}

func TestAccOneTruth_model(t *testing.T) {
	t.Parallel()
	runOneTruthModel(t, 1, 6)
}

func TestAccLong_OneTruth_model(t *testing.T) {
	t.Parallel()
	for seed := uint64(2); seed < 6; seed++ {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) { runOneTruthModel(t, seed, 15) })
	}
}
