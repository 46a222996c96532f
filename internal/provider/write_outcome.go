package provider

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/purecloud-terraform/terraform-provider-purecloud/internal/client"
)

// readBackBound is the least time the reads that settle the outcome of a write may take,
// re-reads included; readBackPerChunk is added for every chunk of max_batch_users users read.
// The bound is independent of the caller's context, so that the truth is still recorded after
// a timeout or an interrupt; when the caller has more time left, it may use that instead.
const (
	readBackBound    = 30 * time.Second
	readBackPerChunk = 5 * time.Second
)

// readBackTime is how long settling may read users back: sized by the work (chunks of users to
// read) and by what is left of the caller's own timeout, whichever is longer.
func readBackTime(ctx context.Context, users, chunkSize int) time.Duration {
	chunks := (users + max(chunkSize, 1) - 1) / max(chunkSize, 1)
	bound := readBackBound + time.Duration(chunks)*readBackPerChunk
	if deadline, ok := ctx.Deadline(); ok && ctx.Err() == nil {
		bound = max(bound, time.Until(deadline)) // an interrupted caller gets the work's bound only
	}
	return bound
}

// readBack is what reading a user back after a write showed.
type readBack struct {
	done     bool     // the read succeeded
	userGone bool     // the user does not exist
	held     []string // sorted licenses the user holds, when done
}

// verdict is what one license change means for the state.
type verdict struct {
	held   bool   // the license counts as held afterwards (certainly, or possibly: see below)
	failed bool   // the change is not known to be applied: report it
	reason string // for failures: the API's word, or what happened instead
}

// needsReadBack reports whether a change's status leaves its outcome open: anything but the
// success word, and not a change that was never sent.
func needsReadBack(st client.LicenseUpdateStatus) bool {
	return !st.Succeeded() && st.Result != client.ResultNotSent && st.Result != resultKept
}

// wordless reports whether a status carries no word of the API's own, so that a read showing the
// change not applied yet may only be lagging behind the write.
func wordless(result string) bool {
	switch result {
	case client.ResultNoResultReturned, client.ResultRequestFailed, client.ResultUnknown:
		return true
	}
	return false
}

// decide is the decision table of one change: its status, then (when the status leaves the
// outcome open) the read-back. The state must never forget a license that may be held, so a
// change whose outcome stays unknown keeps the license in the state; the next refresh settles it.
//
//	status              read-back              held afterwards        reported
//	success word        (not read)             add: yes, remove: no   no
//	not sent            (not read)             add: no, remove: yes   yes: interrupted, no token
//	kept (remove only)  (not read)             no (another instance   no: see claimLedger
//	                                           of this run keeps it)
//	anything else       applied                as applied             no
//	anything else       user gone              no                     add only: user not found
//	OutcomeUnknown      not applied            yes (may still land)   yes: outcome unknown
//	other word/none/    not applied            add: no, remove: yes   yes: the word, or what failed
//	request failed
//	anything else       read failed            yes (possibly)         yes: could not be confirmed
func decide(op client.ChangeOp, st client.LicenseUpdateStatus, rb readBack) verdict {
	add := op == client.OpAdd
	switch {
	case st.Succeeded():
		return verdict{held: add}
	case st.Result == resultKept:
		return verdict{} // handed over: another instance keeps the pair, this one lets go of it
	case st.Result == client.ResultNotSent:
		return verdict{held: !add, failed: true, reason: "not sent: the operation was interrupted or timed out first, " +
			"or no access token could be obtained"}
	case rb.userGone:
		if add {
			return verdict{failed: true, reason: wordOr(st.Result, "the user does not exist")}
		}
		return verdict{} // nothing left to remove
	case !rb.done:
		return verdict{held: true, failed: true,
			reason: wordOr(st.Result, "no result") + "; reading the user back failed, so the outcome is unknown"}
	}
	_, holds := slices.BinarySearch(rb.held, st.LicenseID)
	if holds == add {
		return verdict{held: add}
	}
	if st.Result == client.ResultUnknown {
		return verdict{held: true, failed: true, reason: "the request was still in progress when the operation ended; " +
			"Genesys Cloud may still apply it"}
	}
	return verdict{held: !add, failed: true, reason: wordOr(st.Result, "no result")}
}

// wordOr describes a status result for an error: the API's word verbatim, or what happened.
func wordOr(result, none string) string {
	switch result {
	case "", client.ResultNoResultReturned:
		return "Genesys Cloud gave no result for this change (" + none + ")"
	case client.ResultRequestFailed:
		return "the request failed"
	}
	return result
}

// writeChanges sends changes (of one user or of many) through the claim ledger and the client's
// batcher, and settles their outcome (see settle and decide). keeps are the pairs the writing
// instance wants held afterwards (see claimLedger). before is what the instance holds before
// the write, in the view's own terms (see memberOf). The result holds what the instance holds
// afterwards, as true on the server as can be known, and every change not known to be applied.
func (d *providerData) writeChanges(ctx context.Context, keeps, changes []client.LicenseChange, before []string, member memberOf) writeOutcome {
	wroteAt := time.Now()
	w, err := d.ledger.queue(keeps, changes, func(send []client.LicenseChange) (func() ([]client.LicenseUpdateStatus, error), error) {
		return d.client.StartLicenseChanges(ctx, send)
	})
	if len(w.changes) == 0 {
		return writeOutcome{after: before}
	}
	var statuses []client.LicenseUpdateStatus
	if err == nil {
		statuses, err = w.wait()
	}
	if statuses == nil {
		// Refused before anything was sent (the context had ended, or the client is closed), or
		// nothing to send: every removal was kept for another instance.
		statuses = make([]client.LicenseUpdateStatus, len(w.changes))
		for i, ch := range w.changes {
			result := client.ResultNotSent
			if w.kept[i] {
				result = resultKept
			}
			statuses[i] = client.LicenseUpdateStatus{UserID: ch.UserID, LicenseID: ch.LicenseID, Result: result}
		}
	}
	out := applyVerdicts(before, w.changes, d.settle(ctx, w.changes, statuses, wroteAt), member)
	if err != nil && !out.ok() {
		out.err = err
	}
	held := setOf(out.after)
	d.ledger.release(keeps, func(k client.LicenseChange) bool { return held[member(k)] })
	return out
}

// memberOf names the element of a resource's set that a change toggles.
type memberOf func(client.LicenseChange) string

// licenseOf is memberOf for a resource holding one user's licenses.
func licenseOf(ch client.LicenseChange) string { return ch.LicenseID }

// userOf is memberOf for a resource holding one license's users.
func userOf(ch client.LicenseChange) string { return ch.UserID }

// settle decides every change of a write, of one user or of many. Changes whose status leaves
// the outcome open are settled by reading their users back (see readBack); while a change
// without a word of the API's own reads as not applied, its user is read again, backoff-spaced,
// until tolerance has passed since the write, since Genesys Cloud may show a write late.
func (d *providerData) settle(ctx context.Context, changes []client.LicenseChange,
	statuses []client.LicenseUpdateStatus, wroteAt time.Time) []verdict {
	verdicts := make([]verdict, len(changes))
	openUsers := map[string]bool{}
	for i, st := range statuses {
		verdicts[i] = decide(changes[i].Op, st, readBack{})
		if needsReadBack(st) {
			openUsers[changes[i].UserID] = true
		}
	}
	if len(openUsers) == 0 {
		return verdicts
	}
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), readBackTime(ctx, len(openUsers), d.client.MaxBatchUsers()))
	defer cancel()
	_ = d.untilSettled(rctx, wroteAt, func(int) (bool, error) {
		rbs := d.readBack(rctx, sortedKeys(openUsers))
		lagging := map[string]bool{}
		for i, st := range statuses {
			rb, read := rbs[changes[i].UserID]
			if !read || !needsReadBack(st) {
				continue
			}
			verdicts[i] = decide(changes[i].Op, st, rb)
			if verdicts[i].failed && rb.done && wordless(st.Result) {
				lagging[changes[i].UserID] = true
			}
		}
		if len(lagging) == 0 {
			return true, nil
		}
		tflog.Debug(ctx, "A change without a result reads as not applied yet; reading the user again",
			map[string]any{"users": len(lagging), "user_id": sortedKeys(lagging)[0]})
		openUsers = lagging
		return false, nil
	})
	return verdicts
}

// readBack reads users' licenses for settle, fresh from Genesys Cloud (see client.ReadLicenses:
// the read-backs of instances written together share requests).
func (d *providerData) readBack(ctx context.Context, userIDs []string) map[string]readBack {
	out := make(map[string]readBack, len(userIDs))
	for id, r := range d.client.ReadLicenses(ctx, userIDs, client.Fresh) {
		out[id] = toReadBack(ctx, id, r.LicenseIDs, r.Err)
	}
	return out
}

func toReadBack(ctx context.Context, userID string, held []string, err error) readBack {
	switch {
	case errors.Is(err, client.ErrNotFound):
		return readBack{userGone: true}
	case err != nil:
		tflog.Warn(ctx, "Could not read the user back after a license change", map[string]any{"user_id": userID, "error": err.Error()})
		return readBack{}
	}
	return readBack{done: true, held: held}
}

// sortedKeys returns the keys of a set, sorted.
func sortedKeys(set map[string]bool) []string {
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// writeOutcome is the result of a write: what the resource holds afterwards and what could not
// be done. Its sets hold the resource's members (see memberOf): licenses, or users.
type writeOutcome struct {
	after    []string // sorted: the members the resource holds afterwards, possibly held ones included
	assigned []string // members whose addition is confirmed
	removed  []string // members whose removal is confirmed
	possibly []string // members that may or may not be held: their change's outcome is unknown
	failures []string // one line per change not known to be applied
	total    int      // changes sent
	err      error    // the request error behind some failures, if any
}

func (o writeOutcome) ok() bool { return len(o.failures) == 0 }

// applyVerdicts computes the outcome from the members held before and each change's verdict.
// A member that stands for several pairs (a view may map one member to many changes) counts as
// held afterwards when any of its pairs may be held, so that the state never forgets a pair
// that may be held.
func applyVerdicts(before []string, changes []client.LicenseChange, verdicts []verdict, member memberOf) writeOutcome {
	held := make(map[string]bool, len(before)+len(changes))
	for _, id := range before {
		held[id] = true
	}
	touched := make(map[string]bool, len(changes))
	out := writeOutcome{total: len(changes)}
	for i, ch := range changes {
		v := verdicts[i]
		m := member(ch)
		if !touched[m] {
			touched[m] = true
			held[m] = false
		}
		held[m] = held[m] || v.held
		switch {
		case v.failed:
			out.failures = append(out.failures, fmt.Sprintf("  - user %s, license %s (%s): %s", ch.UserID, ch.LicenseID, ch.Op, v.reason))
			if v.held {
				out.possibly = append(out.possibly, m)
			}
		case v.held && ch.Op == client.OpAdd:
			out.assigned = append(out.assigned, m)
		case !v.held && ch.Op == client.OpRemove:
			out.removed = append(out.removed, m)
		}
	}
	for id, h := range held {
		if h {
			out.after = append(out.after, id)
		}
	}
	slices.Sort(out.after)
	out.assigned = sortedUnique(out.assigned)
	out.removed = sortedUnique(out.removed)
	out.possibly = sortedUnique(out.possibly)
	return out
}

// maxListed bounds the failures and ids an error lists one by one; the rest are counted.
const maxListed = 50

// failureDetail is the body of the error diagnostic for a write that was not wholly applied;
// closing says what the state records and what to do next. Beyond maxListed failures, the rest
// are counted.
func (o writeOutcome) failureDetail(closing string) string {
	lines := o.failures
	if len(lines) > maxListed {
		lines = append(slices.Clip(lines[:maxListed]), fmt.Sprintf("  - and %d more", len(o.failures)-maxListed))
	}
	return fmt.Sprintf("Genesys Cloud did not apply %d of %d license changes:\n%s\n\n%s Results such as "+
		"PrerequisiteMissing name a license whose prerequisite must be assigned first; UserNotFound and "+
		"LicenseNotFound name ids Genesys Cloud does not know.",
		len(o.failures), o.total, strings.Join(lines, "\n"), closing)
}

// listIDs joins ids for a message, listing at most maxListed and counting the rest.
func listIDs(ids []string) string {
	if len(ids) <= maxListed {
		return strings.Join(ids, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(ids[:maxListed], ", "), len(ids)-maxListed)
}
