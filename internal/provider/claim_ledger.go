package provider

import (
	"sync"

	"github.com/purecloud-terraform/terraform-provider-purecloud/internal/client"
)

// One run, one truth: within one provider process (one apply), no write removes a (user,
// license) pair that another write of the same process keeps, whatever order Terraform runs
// them in and whichever resource style they belong to. Terraform calls Create, Update and
// Delete of many instances at once and in an order the provider does not choose: a replacement
// with create_before_destroy creates the new instance before the old one is destroyed, a move
// between the two resource styles (or a rename without a moved block) destroys some instances
// while it creates others. Each write therefore goes through the ledger, which decides what it
// sends under one lock, so that the batcher sees every decision in the order it was taken:
//
//	change of this write   ledger says                       sent     this write's verdict
//	remove pair p          another write keeps p             no       removed (kept: not its own any more)
//	remove pair p          nobody keeps p                    yes      as the server answers; p marked removed
//	add pair p             (anything)                        yes      as the server answers; p no longer removed
//	keep pair p (no change) another write removed p earlier  add p    as the server answers
//
// "Keeps" means the write wants p held afterwards (its whole planned set, not only what it
// adds). A remove queued before a keeper registers reaches the server before the keeper's add
// (the batcher keeps the order of changes of one pair), so the pair ends held either way; with
// the default destroy-then-create order it is unheld for the moment between the two.
//
// Instances that do not change in this apply are not called, so the ledger cannot know them:
// the plan compares every planned instance (see planPairs) and refuses a removal of a pair that
// an unchanged instance records as held.

// claimLedger is the per-process record of kept and removed pairs.
type claimLedger struct {
	mu      sync.Mutex
	kept    map[pairKey]int  // pairs that writes of this process want held (a count of writes)
	removed map[pairKey]bool // pairs a write of this process removed, not added back since
}

// pairKey is one (user, license) pair.
type pairKey struct{ user, license string }

func keyOf(ch client.LicenseChange) pairKey { return pairKey{ch.UserID, ch.LicenseID} }

// resultKept is the status of a removal the ledger did not send, because another write of this
// run keeps the pair.
const resultKept = "KeptByAnotherResource"

// queuedWrite is a write the ledger has queued.
type queuedWrite struct {
	changes []client.LicenseChange // the write's changes, then the adds the ledger appended
	kept    []bool                 // per change: a removal not sent, as another write keeps its pair
	wait    func() ([]client.LicenseUpdateStatus, error)
}

// queue decides what a write sends and hands it to start (client.StartLicenseChanges), under the
// ledger's lock. keeps are the pairs the write wants held afterwards (as add changes). The
// returned write's changes extend the given ones with the pairs it adds back.
func (l *claimLedger) queue(keeps, changes []client.LicenseChange,
	start func([]client.LicenseChange) (func() ([]client.LicenseUpdateStatus, error), error)) (queuedWrite, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.kept == nil {
		l.kept, l.removed = map[pairKey]int{}, map[pairKey]bool{}
	}
	w := queuedWrite{changes: changes, kept: make([]bool, len(changes))}
	adding := make(map[pairKey]bool, len(changes))
	for _, ch := range changes {
		if ch.Op == client.OpAdd {
			adding[keyOf(ch)] = true
		}
	}
	for _, k := range keeps {
		p := keyOf(k)
		if l.removed[p] && !adding[p] {
			w.changes = append(w.changes, client.LicenseChange{UserID: p.user, LicenseID: p.license, Op: client.OpAdd})
			w.kept = append(w.kept, false)
			adding[p] = true
		}
	}
	send := make([]client.LicenseChange, 0, len(w.changes))
	for i, ch := range w.changes {
		p := keyOf(ch)
		switch {
		case ch.Op == client.OpRemove && l.kept[p] > 0:
			w.kept[i] = true
			continue
		case ch.Op == client.OpRemove:
			l.removed[p] = true
		default:
			delete(l.removed, p)
		}
		send = append(send, ch)
	}
	for _, k := range keeps {
		l.kept[keyOf(k)]++
	}
	if len(send) == 0 {
		w.wait = func() ([]client.LicenseUpdateStatus, error) { return nil, nil }
		return w, nil
	}
	wait, err := start(send)
	if err != nil {
		return w, err
	}
	w.wait = func() ([]client.LicenseUpdateStatus, error) { return w.spread(wait()) }
	return w, nil
}

// spread maps the statuses of the changes sent back onto every change of the write.
func (w queuedWrite) spread(sent []client.LicenseUpdateStatus, err error) ([]client.LicenseUpdateStatus, error) {
	if sent == nil {
		return nil, err
	}
	out := make([]client.LicenseUpdateStatus, len(w.changes))
	j := 0
	for i, ch := range w.changes {
		if w.kept[i] {
			out[i] = client.LicenseUpdateStatus{UserID: ch.UserID, LicenseID: ch.LicenseID, Result: resultKept}
			continue
		}
		out[i] = sent[j]
		j++
	}
	return out, err
}

// release forgets keeps of a write that did not end up holding them, so that they do not hold
// back the removals of later writes.
func (l *claimLedger) release(keeps []client.LicenseChange, stillHeld func(client.LicenseChange) bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, k := range keeps {
		if p := keyOf(k); !stillHeld(k) && l.kept[p] > 0 {
			l.kept[p]--
		}
	}
}
