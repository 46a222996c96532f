package provider

import (
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/purecloud-terraform/terraform-provider-purecloud/internal/client"
)

func change(user, license string, op client.ChangeOp) client.LicenseChange {
	return client.LicenseChange{UserID: user, LicenseID: license, Op: op}
}

// The ledger's decision table (claim_ledger.go), one write after another as Terraform may order
// them within one apply: what each write sends and which of its removals it keeps back.
func TestClaimLedger_decisionTable(t *testing.T) {
	t.Parallel()
	add, rm := client.OpAdd, client.OpRemove
	type write struct {
		keeps, changes []client.LicenseChange
		wantSent       []client.LicenseChange
		wantKept       []bool
	}
	tests := []struct {
		name   string
		writes []write
	}{
		{"remove of a pair another write keeps is not sent", []write{
			{keeps: []client.LicenseChange{change("u", "L", add)}, changes: []client.LicenseChange{change("u", "L", add)},
				wantSent: []client.LicenseChange{change("u", "L", add)}, wantKept: []bool{false}},
			{changes: []client.LicenseChange{change("u", "L", rm)}, wantSent: nil, wantKept: []bool{true}},
		}},
		{"a keep that adds nothing still protects (update keeping a pair it holds)", []write{
			{keeps: []client.LicenseChange{change("u", "L", add)}},
			{changes: []client.LicenseChange{change("u", "L", rm), change("u", "M", rm)},
				wantSent: []client.LicenseChange{change("u", "M", rm)}, wantKept: []bool{true, false}},
		}},
		{"a remove sent first is undone by a later keeper, which adds the pair back", []write{
			{changes: []client.LicenseChange{change("u", "L", rm)}, wantSent: []client.LicenseChange{change("u", "L", rm)}, wantKept: []bool{false}},
			{keeps: []client.LicenseChange{change("u", "L", add)},
				wantSent: []client.LicenseChange{change("u", "L", add)}, wantKept: []bool{false}},
		}},
		{"a keeper that adds the pair itself is not given a second add", []write{
			{changes: []client.LicenseChange{change("u", "L", rm)}, wantSent: []client.LicenseChange{change("u", "L", rm)}, wantKept: []bool{false}},
			{keeps: []client.LicenseChange{change("u", "L", add)}, changes: []client.LicenseChange{change("u", "L", add)},
				wantSent: []client.LicenseChange{change("u", "L", add)}, wantKept: []bool{false}},
		}},
		{"removes of pairs nobody keeps go out", []write{
			{keeps: []client.LicenseChange{change("u", "L", add)}},
			{changes: []client.LicenseChange{change("v", "L", rm)}, wantSent: []client.LicenseChange{change("v", "L", rm)}, wantKept: []bool{false}},
		}},
	}
	for _, tc := range tests {
		var l claimLedger
		for i, w := range tc.writes {
			var sent []client.LicenseChange
			q, err := l.queue(w.keeps, w.changes, func(send []client.LicenseChange) (func() ([]client.LicenseUpdateStatus, error), error) {
				sent = slices.Clone(send)
				return func() ([]client.LicenseUpdateStatus, error) { return nil, nil }, nil
			})
			if err != nil {
				t.Fatalf("%s, write %d: %v", tc.name, i+1, err)
			}
			if !slices.Equal(sent, w.wantSent) || !slices.Equal(q.kept, w.wantKept) {
				t.Errorf("%s, write %d: sent %v kept %v; want sent %v kept %v", tc.name, i+1, sent, q.kept, w.wantSent, w.wantKept)
			}
		}
	}
}

// A kept removal reads as done for the write that asked for it (the pair is handed over), and is
// not read back.
func TestDecide_keptRemoval(t *testing.T) {
	t.Parallel()
	st := client.LicenseUpdateStatus{UserID: "u", LicenseID: "L", Result: resultKept}
	if v := decide(client.OpRemove, st, readBack{}); v.held || v.failed {
		t.Errorf("a kept removal decided %+v, want not held and not failed", v)
	}
	if needsReadBack(st) {
		t.Error("a kept removal would be read back")
	}
}

// The plan's comparison (plan_pairs.go): a removal meets a keeper planned before or after it; an
// unchanged keeper makes it an error, a changing one a warning; the same instance never conflicts
// with itself (a replacement is planned twice).
func TestPlanPairs_conflicts(t *testing.T) {
	t.Parallel()
	p := pairKey{"u", "L"}
	keeper := pairPlanner{token: "k", what: "keeper"}
	changing := pairPlanner{token: "c", what: "changing", changes: true}
	remover := pairPlanner{token: "r", what: "remover", changes: true}

	var pp planPairs
	if got := pp.note(keeper, []pairKey{p}, nil); len(got) != 0 {
		t.Fatalf("a keeper alone conflicts: %v", got)
	}
	got := pp.note(remover, nil, []pairKey{p})
	if len(got) != 1 || got[0].keeper.token != "k" || got[0].remover.token != "r" {
		t.Fatalf("remover after keeper: %v", got)
	}
	if got := pp.note(changing, []pairKey{p}, nil); len(got) != 1 || got[0].keeper.token != "c" {
		t.Fatalf("keeper after remover: %v", got)
	}
	if got := pp.note(pairPlanner{token: "r"}, []pairKey{p}, nil); len(got) != 0 {
		t.Fatalf("an instance conflicts with itself: %v", got)
	}

	var diags diagnosticsCollector
	addPairConflicts(&diags.d, []pairConflict{{pair: p, remover: remover, keeper: keeper}, {pair: p, remover: remover, keeper: changing}})
	if diags.d.ErrorsCount() != 1 || diags.d.WarningsCount() != 1 {
		t.Errorf("an unchanged keeper must give an error and a changing one a warning: %v", diags.d)
	}
}

// The pairs an exclusive or authoritative instance forbids: those of its key it does not list.
func TestPlanPairs_takers(t *testing.T) {
	t.Parallel()
	var pp planPairs
	keeper := pairPlanner{token: "k", what: "per-license"}
	pp.note(keeper, []pairKey{{"u", "L"}, {"v", "L"}}, nil)
	exclusiveU := taker{planner: pairPlanner{token: "x", what: "exclusive u"}, domain: []pairKey{{"u", wildcard}},
		listed: map[pairKey]bool{{"u", "M"}: true}}
	wishes := pp.noteTaker(exclusiveU)
	if len(wishes) != 1 || wishes[0].pair != (pairKey{"u", "L"}) {
		t.Fatalf("exclusive u not listing L against a keeper of u/L: %v", wishes)
	}
	if got := pp.takersForbidding(pairPlanner{token: "n"}, []pairKey{{"u", "M"}, {"v", "M"}}); len(got) != 0 {
		t.Errorf("pairs the taker lists or does not own were reported: %v", got)
	}
	if got := pp.takersForbidding(pairPlanner{token: "n"}, []pairKey{{"u", "N"}}); len(got) != 1 {
		t.Errorf("a later keeper of an unlisted pair was not reported: %v", got)
	}
}

type diagnosticsCollector struct{ d diag.Diagnostics }
