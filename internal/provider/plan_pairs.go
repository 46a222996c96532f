package provider

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/diag"
)

// Terraform plans every instance of a configuration, destroys and unchanged instances included,
// through the same provider process, but at apply time it calls only the instances that change.
// The claim ledger (claim_ledger.go) keeps a write from removing a pair that another changing
// instance keeps; only the plan can see a pair that an unchanged instance records as held. So
// every planned instance notes here the pairs it keeps and the pairs it removes, of both
// resource styles, and the instance planned second of a conflicting two gets the diagnostic:
//
//	a planned removal of p meets          plan says
//	an instance that changes and keeps p  warning: the removal is skipped (the ledger hands p over)
//	an instance that does not change and  error: the apply would remove p while that instance's
//	records p as held                      state says it is held; names the pairs and the fix
//
// Instances of one provider configuration only: aliases and other workspaces are separate
// processes (see the guides).

// planPairs is what the instances planned so far keep and remove.
type planPairs struct {
	mu       sync.Mutex
	keepers  map[pairKey][]pairPlanner
	removers map[pairKey][]pairPlanner
	takers   []taker
}

// taker is an instance that takes everything of its key (exclusive, authoritative): every pair
// of its domain that it does not list must not be held.
type taker struct {
	planner pairPlanner
	domain  []pairKey        // patterns: "*" stands for any user or any license
	listed  map[pairKey]bool // the pairs it lists
}

func (t taker) forbids(p pairKey) bool {
	if t.listed[p] {
		return false
	}
	for _, q := range t.domain {
		if (q.user == "*" || q.user == p.user) && (q.license == "*" || q.license == p.license) {
			return true
		}
	}
	return false
}

// wildcard is the member that stands for every member in a taker's domain.
const wildcard = "*"

// noteTaker records an instance that takes everything of its domain and returns the pairs that
// instances planned before it keep there; noteKeeps returns, for pairs kept, the takers planned
// before that forbid them.
func (pp *planPairs) noteTaker(t taker) []pairWishes {
	pp.mu.Lock()
	defer pp.mu.Unlock()
	var out []pairWishes
	for p, ks := range pp.keepers {
		if !t.forbids(p) {
			continue
		}
		for _, k := range ks {
			if k.token != t.planner.token {
				out = append(out, pairWishes{pair: p, keeper: k, taker: t.planner})
			}
		}
	}
	pp.takers = append(pp.takers, t)
	return out
}

func (pp *planPairs) takersForbidding(me pairPlanner, keeps []pairKey) []pairWishes {
	pp.mu.Lock()
	defer pp.mu.Unlock()
	var out []pairWishes
	for _, t := range pp.takers {
		if t.planner.token == me.token {
			continue
		}
		for _, p := range keeps {
			if t.forbids(p) {
				out = append(out, pairWishes{pair: p, keeper: me, taker: t.planner})
			}
		}
	}
	return out
}

// pairWishes is a pair that one instance keeps and another, which takes everything, does not list.
type pairWishes struct {
	pair   pairKey
	keeper pairPlanner
	taker  pairPlanner
}

// addPairWishesWarning reports pairs two instances want differently: they undo each other at
// every apply.
func addPairWishesWarning(diags *diag.Diagnostics, wishes []pairWishes) {
	if len(wishes) == 0 {
		return
	}
	lines := make([]string, 0, len(wishes))
	for _, w := range wishes {
		lines = append(lines, fmt.Sprintf("user %s, license %s: kept by %s, not listed by %s", w.pair.user,
			w.pair.license, w.keeper.what, w.taker.what))
	}
	diags.AddWarning(summaryPairWishes, fmt.Sprintf("%d license assignments are kept by one resource of this "+
		"configuration and not listed by another that takes everything of its user or license (exclusive or "+
		"authoritative). Within one apply the one that keeps them wins, but every refresh of the other shows them "+
		"as drift:\n%s\n\nList them in both, or manage them with one resource style.", len(wishes), listLines(lines)))
}

// pairPlanner is one planned instance, as a diagnostic names it.
type pairPlanner struct {
	token   string // the instance's plan token (see planToken)
	what    string // "purecloud_license_assignment for license cloudCX1"
	changes bool   // the apply calls it (create, update or destroy)
}

// pairConflict is a planned removal of a pair that another instance keeps.
type pairConflict struct {
	pair    pairKey
	remover pairPlanner
	keeper  pairPlanner
}

// note records what an instance keeps and removes and returns its conflicts with the instances
// planned before it.
func (pp *planPairs) note(me pairPlanner, keeps, removes []pairKey) []pairConflict {
	pp.mu.Lock()
	defer pp.mu.Unlock()
	if pp.keepers == nil {
		pp.keepers, pp.removers = map[pairKey][]pairPlanner{}, map[pairKey][]pairPlanner{}
	}
	var out []pairConflict
	for _, p := range keeps {
		for _, r := range pp.removers[p] {
			if r.token != me.token {
				out = append(out, pairConflict{pair: p, remover: r, keeper: me})
			}
		}
		pp.keepers[p] = append(pp.keepers[p], me)
	}
	for _, p := range removes {
		for _, k := range pp.keepers[p] {
			if k.token != me.token {
				out = append(out, pairConflict{pair: p, remover: me, keeper: k})
			}
		}
		pp.removers[p] = append(pp.removers[p], me)
	}
	return out
}

// addPairConflicts reports conflicts: an error for pairs an unchanged instance keeps, a warning
// for pairs a changing instance keeps.
func addPairConflicts(diags *diag.Diagnostics, conflicts []pairConflict) {
	var lost, handed []string
	for _, c := range conflicts {
		line := fmt.Sprintf("user %s, license %s: removed by %s, kept by %s", c.pair.user, c.pair.license, c.remover.what, c.keeper.what)
		if c.keeper.changes {
			handed = append(handed, line)
		} else {
			lost = append(lost, line)
		}
	}
	if len(lost) > 0 {
		diags.AddError(summaryPairRemovedWhileKept, fmt.Sprintf("This plan removes %d license assignments that another "+
			"resource of this configuration records as held and does not change in this apply, so the apply would leave "+
			"Genesys Cloud holding less than the state says:\n%s\n\nTo hand them over without removing them, take the "+
			"removing resource out of the state instead of destroying it: a removed block with "+
			"lifecycle { destroy = false } (Terraform 1.7 and later), or terraform state rm; for a rename, a moved "+
			"block. Or list them in one resource only.", len(lost), listLines(lost)))
	}
	if len(handed) > 0 {
		diags.AddWarning(summaryPairHandedOver, fmt.Sprintf("This plan removes %d license assignments that another "+
			"resource of this configuration keeps. The apply does not remove them: the resource that keeps them "+
			"holds them afterwards (its change either comes first, or assigns them again).\n%s",
			len(handed), listLines(handed)))
	}
}

// listLines bullets lines for a message, listing at most maxListed and counting the rest.
func listLines(lines []string) string {
	slices.Sort(lines)
	lines = slices.Compact(lines)
	shown := lines[:min(len(lines), maxListed)]
	out := "  - " + strings.Join(shown, "\n  - ")
	if len(lines) > maxListed {
		out += fmt.Sprintf("\n  - and %d more", len(lines)-maxListed)
	}
	return out
}

// pairsOf are the pairs of key's members in a view.
func pairsOf(v assignmentView, key string, members []string) []pairKey {
	var out []pairKey
	for _, m := range members {
		for _, ch := range v.changes(key, m, 0) {
			out = append(out, keyOf(ch))
		}
	}
	return out
}

func setOfPairs(ps []pairKey) map[pairKey]bool {
	out := make(map[pairKey]bool, len(ps))
	for _, p := range ps {
		out[p] = true
	}
	return out
}
