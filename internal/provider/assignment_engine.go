package provider

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/purecloud-terraform/terraform-provider-purecloud/internal/client"
	"github.com/purecloud-terraform/terraform-provider-purecloud/internal/wait"
)

// The assignment engine. Genesys Cloud knows (user, license) pairs; each resource style is a
// view over them: purecloud_user_license_assignment holds one user (the key) and the licenses
// it manages (the members), purecloud_license_assignment one license and its users. The engine
// owns what the two have in common: the write path (changes → batcher → decide → settle →
// what the state records), the read path (refresh, re-read until a recent write shows, drift),
// the private state, and the plan-time checks. A view says what its key and members are, how to
// read them, and how they map to pairs (assignmentView); assignment_resource.go maps it to the
// framework. A fix to how pairs are written or read lands here, once.

// assignment is one instance of a view in the engine's terms.
type assignment struct {
	key      string   // the user id, or the license id
	members  []string // sorted, each once: the licenses, or the users
	takesAll bool     // exclusive (or authoritative): the key has exactly members
	// adopted are the members an import found, until the first write after it: an additive
	// instance leaves those it does not list assigned and unmanaged, instead of removing them.
	adopted []string
}

// letGo are the members prior holds that an instance planned as want stops managing without
// removing them: all it does not list when it stops taking everything, and the unlisted ones an
// import found (see adopted).
func letGo(prior *assignment, want assignment) []string {
	switch {
	case prior == nil || want.takesAll:
		return nil
	case prior.takesAll:
		return difference(prior.members, want.members)
	}
	return difference(intersection(prior.adopted, prior.members), want.members)
}

// viewNames words one view's diagnostics.
type viewNames struct {
	resource    string // purecloud_user_license_assignment
	keyAttr     string // user_id
	keyNoun     string // user
	membersAttr string // license_ids
	memberNoun  string // license
	takesAll    string // exclusive
	fix         string // what to do when two instances claim the same key
}

// assignmentView is what a resource style means by its assignments.
type assignmentView interface {
	names() viewNames
	// changes are the (user, license) changes that add or remove member for key.
	changes(key, member string, op client.ChangeOp) []client.LicenseChange
	// memberOf is the member of the key that a change toggles.
	memberOf(ch client.LicenseChange) string
	// readAll returns every member the key has in Genesys Cloud, sorted: what an exclusive (or
	// authoritative) instance and an import take over. An error matching client.ErrNotFound
	// means the key itself is gone.
	readAll(ctx context.Context, d *providerData, key string, f client.Freshness) ([]string, error)
	// readListed returns which of members the key has in Genesys Cloud, sorted, and the members
	// that no longer exist. An error matching client.ErrNotFound means the key itself is gone.
	readListed(ctx context.Context, d *providerData, key string, members []string, f client.Freshness) (held, gone []string, err error)
	// licenseIDsIn returns the license ids a planned assignment names and the attribute that
	// names them, for the plan to check against the organization's definitions. Parts of the
	// assignment may be unknown yet (an unknown key is "").
	licenseIDsIn(a assignment) (attr string, ids []string)
	// describe names members of key for a message, such as "cloudCX1, collaborate to user …".
	describe(key string, members []string) string
}

// pairPerMember is the part of a view whose every member is one pair with the key: the user's
// licenses, or the license's users.
type pairPerMember struct {
	n            viewNames
	keyIsLicense bool
}

func (p pairPerMember) names() viewNames { return p.n }

func (p pairPerMember) changes(key, member string, op client.ChangeOp) []client.LicenseChange {
	if p.keyIsLicense {
		return []client.LicenseChange{{UserID: member, LicenseID: key, Op: op}}
	}
	return []client.LicenseChange{{UserID: key, LicenseID: member, Op: op}}
}

func (p pairPerMember) memberOf(ch client.LicenseChange) string {
	if p.keyIsLicense {
		return ch.UserID
	}
	return ch.LicenseID
}

// engineRead reads what an assignment's key has: everything, or only its members.
func engineRead(ctx context.Context, v assignmentView, d *providerData, a assignment, all bool, f client.Freshness) (held, gone []string, err error) {
	if all {
		held, err = v.readAll(ctx, d, a.key, f)
		return held, nil, err
	}
	return v.readListed(ctx, d, a.key, a.members, f)
}

// heldBefore is what a write towards want starts from. prior is the state (nil on create).
// An instance that takes everything starts from everything the key has (so what it does not
// list is removed); members it lets go of (see letGo) stay held, unmanaged; otherwise it starts
// from what it manages.
func (d *providerData) heldBefore(ctx context.Context, v assignmentView, prior *assignment, want assignment) ([]string, error) {
	wasAll := prior != nil && prior.takesAll
	switch {
	case want.takesAll && !wasAll:
		return v.readAll(ctx, d, want.key, client.Fresh)
	case prior == nil:
		return nil, nil
	}
	return difference(prior.members, letGo(prior, want)), nil
}

// writeAssignment makes key hold want, starting from before: it adds what is missing, removes
// what is not wanted, and settles the outcome (see writeChanges).
func (d *providerData) writeAssignment(ctx context.Context, v assignmentView, key string, before, want []string) writeOutcome {
	adds, removes := difference(want, before), difference(before, want)
	var changes []client.LicenseChange
	for _, m := range adds {
		changes = append(changes, v.changes(key, m, client.OpAdd)...)
	}
	for _, m := range removes {
		changes = append(changes, v.changes(key, m, client.OpRemove)...)
	}
	if len(changes) > 0 {
		n := v.names()
		tflog.Debug(ctx, "Changing license assignments", map[string]any{n.keyAttr: key, "add": len(adds), "remove": len(removes)})
	}
	var keeps []client.LicenseChange
	for _, m := range want {
		keeps = append(keeps, v.changes(key, m, client.OpAdd)...)
	}
	return d.writeChanges(ctx, keeps, changes, before, v.memberOf)
}

// refreshed is what a refresh found.
type refreshed struct {
	members []string // sorted: what the state records now
	gone    []string // members that no longer exist (kept in members)
	keyGone bool     // the key itself no longer exists
}

// refresh reads what an instance holds now. An imported instance (no members recorded yet) and
// one that takes everything see everything the key has; otherwise only the members it manages,
// so that what others assign is ignored. A difference from the state shortly after this
// provider wrote is re-read (see untilSettled) before it is reported as drift.
//
// Offboarding: a key or members deleted from Genesys Cloud stay in what the state records (they
// hold nothing, and the refresh warns), so that a scheduled drift check does not report them
// at every run until the configuration catches up, and no apply tries to assign them again.
func (d *providerData) refresh(ctx context.Context, v assignmentView, rec assignment, imported bool, wroteAt time.Time) (refreshed, error) {
	if !wroteAt.IsZero() {
		// An earlier process (the apply) wrote these pairs: every read of this process, data
		// sources included, waits for them within the tolerance (see client.RememberApplied).
		var written []client.LicenseChange
		for _, m := range rec.members {
			written = append(written, v.changes(rec.key, m, client.OpAdd)...)
		}
		d.client.RememberApplied(written, wroteAt)
	}
	var out refreshed
	err := d.untilSettled(ctx, wroteAt, func(attempt int) (bool, error) {
		f := client.Refreshed
		if attempt > 0 {
			f = client.Fresh
		}
		held, gone, err := engineRead(ctx, v, d, rec, imported || rec.takesAll, f)
		if errors.Is(err, client.ErrNotFound) {
			out = refreshed{keyGone: true, members: rec.members}
			return true, nil
		}
		if err != nil {
			return true, err
		}
		if missing := difference(rec.members, held); len(missing) > 0 && !imported && rec.takesAll {
			// Everything the key has leaves out deleted members too: tell them from drift.
			if _, g, err := v.readListed(ctx, d, rec.key, missing, f); err == nil {
				gone = g
			}
		}
		out = refreshed{members: sortedUnique(append(slices.Clone(held), gone...)), gone: gone}
		if imported || slices.Equal(out.members, rec.members) {
			return true, nil
		}
		tflog.Debug(ctx, "Assignment differs from the state shortly after a write; reading again before reporting drift",
			map[string]any{"key": rec.key, "state": len(rec.members), "read": len(held), "attempt": attempt + 1})
		return false, nil
	})
	if out.members == nil {
		out.members = []string{}
	}
	return out, err
}

// untilSettled runs read (attempt 0, 1, …) until it reports settled, fails, or
// read_after_write_tolerance has passed since wroteAt (a zero wroteAt: no write to wait for),
// with backoff-spaced pauses between attempts. Genesys Cloud may show a write a little later
// than it answers it; this is the one place that waits for that.
func (d *providerData) untilSettled(ctx context.Context, wroteAt time.Time, read func(attempt int) (settled bool, err error)) error {
	for attempt := 0; ; attempt++ {
		settled, err := read(attempt)
		if err != nil || settled || wroteAt.IsZero() || time.Since(wroteAt) >= d.readAfterWriteTolerance {
			return err
		}
		if !wait.Sleep(ctx, recheckWait(attempt)) {
			return nil
		}
	}
}

// recheckWait is the pause before the attempt-th re-read: 0.25 s doubling up to 2 s.
func recheckWait(attempt int) time.Duration {
	return min(250*time.Millisecond<<min(attempt, 3), 2*time.Second)
}

// planAssignment runs the plan-time checks both views share: the license ids the view names,
// two instances claiming one key (duplicates.go), the pairs this instance keeps and removes
// against those of every other planned instance (plan_pairs.go), and the members an apply
// will remove or stop managing without the diff of the members attribute showing it. prior is
// the state (nil on create); want is nil for a destroy; known is false while the plan has
// unknown members or flags. Warnings about the flag are attribute warnings on it.
func (d *providerData) planAssignment(ctx context.Context, v assignmentView, prior, planned *assignment, known bool,
	private privateGetter, plannedPrivate privateSetter, diags *diag.Diagnostics) {
	n := v.names()
	me := pairPlanner{token: planToken(ctx, private, plannedPrivate, diags), changes: true}
	if planned == nil {
		if prior != nil {
			me.what = fmt.Sprintf("%s for %s %s (destroyed)", n.resource, strings.ToLower(n.keyNoun), prior.key)
			addPairConflicts(diags, d.pairs.note(me, nil, pairsOf(v, prior.key, prior.members)))
		}
		return
	}
	want := *planned
	if attr, ids := v.licenseIDsIn(want); len(ids) > 0 && !slices.Contains(ids, "") {
		// An empty id has failed validation already.
		d.checkLicenseIDs(ctx, path.Root(attr), ids, diags)
	}
	if diags.HasError() || !known {
		return
	}
	mine := planClaim{token: me.token, ids: want.members, takesAll: want.takesAll}
	if other, dup := d.claim(n.keyNoun+" "+want.key, mine); dup {
		addDuplicateDiagnostic(diags, n, want.key, mine, other)
		if diags.HasError() {
			return
		}
	}
	me.what = fmt.Sprintf("%s for %s %s", n.resource, strings.ToLower(n.keyNoun), want.key)
	var removes []pairKey
	switch {
	case prior != nil && prior.key != want.key:
		// Replaced: the old key's pairs go with the old instance.
		removes = pairsOf(v, prior.key, prior.members)
	case prior != nil:
		removes = pairsOf(v, want.key, difference(difference(prior.members, want.members), letGo(prior, want)))
		me.changes = !slices.Equal(prior.members, want.members) || prior.takesAll != want.takesAll
	}
	wasAll := prior != nil && prior.key == want.key && prior.takesAll
	switch {
	case want.takesAll && !wasAll:
		held, err := v.readAll(ctx, d, want.key, client.Refreshed)
		switch {
		case errors.Is(err, client.ErrNotFound):
			// The apply reports the missing key.
		case err != nil:
			addRemovalsUnknownWarning(diags, n, want.key, err)
		default:
			if losing := difference(held, want.members); len(losing) > 0 {
				addRemovalsWarning(diags, n, want.key, losing)
				removes = append(removes, pairsOf(v, want.key, losing)...)
			}
		}
	case prior != nil && prior.key == want.key:
		if kept := letGo(prior, want); len(kept) > 0 {
			addUnmanagedWarning(diags, n, want.key, kept, !prior.takesAll)
		}
	}
	keeps := pairsOf(v, want.key, want.members)
	addPairConflicts(diags, d.pairs.note(me, keeps, removes))
	wishes := d.pairs.takersForbidding(me, keeps)
	if want.takesAll {
		wishes = append(wishes, d.pairs.noteTaker(taker{planner: me, domain: pairsOf(v, want.key, []string{wildcard}),
			listed: setOfPairs(keeps)})...)
	}
	addPairWishesWarning(diags, wishes)
}

// membersPath is the attribute of a view's members.
func membersPath(n viewNames) path.Path { return path.Root(n.membersAttr) }
