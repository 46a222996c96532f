package client

import (
	"context"
	"errors"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// pairKey identifies a (user, license) pair.
type pairKey struct{ user, license string }

// opGroup is a run of identical consecutive operations on one pair.
type opGroup struct {
	op    ChangeOp
	items []*batchItem
}

// planEntry is one pair's operation in a round.
type planEntry struct {
	key pairKey
	grp *opGroup
}

// plannedRequest is one postLicenseOrganization request and the changes it carries.
type plannedRequest struct {
	body  LicenseBatchAssignmentRequest
	items map[pairKey][]*batchItem
}

// planRequests turns changes (in submission order) into rounds of requests. Round r holds the
// r-th operation of every pair after consecutive identical operations are merged, so an add
// and a remove of the same pair never share a request and run in submission order (rounds are
// sent one after the other). Within a round, users are sorted and cut into requests of at most
// maxUsers users (and maxEntries entries); a user's changes of a round stay in one request.
func planRequests(items []*batchItem, maxUsers, maxEntries int) [][]*plannedRequest {
	seqs := map[pairKey][]*opGroup{}
	var order []pairKey
	for _, it := range items {
		k := pairKey{it.change.UserID, it.change.LicenseID}
		s, ok := seqs[k]
		if !ok {
			order = append(order, k)
		}
		if n := len(s); n > 0 && s[n-1].op == it.change.Op {
			s[n-1].items = append(s[n-1].items, it)
		} else {
			s = append(s, &opGroup{op: it.change.Op, items: []*batchItem{it}})
		}
		seqs[k] = s
	}

	var rounds [][]*plannedRequest
	for r := 0; ; r++ {
		byUser := map[string][]planEntry{}
		for _, k := range order {
			if s := seqs[k]; r < len(s) {
				byUser[k.user] = append(byUser[k.user], planEntry{k, s[r]})
			}
		}
		if len(byUser) == 0 {
			return rounds
		}
		users := make([]string, 0, len(byUser))
		for u := range byUser {
			users = append(users, u)
		}
		sort.Strings(users)

		var round []*plannedRequest
		var chunk []planEntry
		chunkUsers := 0
		emit := func() {
			if len(chunk) > 0 {
				round = append(round, buildRequest(chunk))
			}
			chunk, chunkUsers = nil, 0
		}
		for _, u := range users {
			es := byUser[u]
			if chunkUsers > 0 && (chunkUsers+1 > maxUsers || len(chunk)+len(es) > maxEntries) {
				emit()
			}
			chunk = append(chunk, es...)
			chunkUsers++
		}
		emit()
		rounds = append(rounds, round)
	}
}

// buildRequest groups entries per license, with sorted license and user ids.
func buildRequest(entries []planEntry) *plannedRequest {
	type lists struct{ add, remove []string }
	byLicense := map[string]*lists{}
	pr := &plannedRequest{items: map[pairKey][]*batchItem{}}
	for _, e := range entries {
		l := byLicense[e.key.license]
		if l == nil {
			l = &lists{}
			byLicense[e.key.license] = l
		}
		if e.grp.op == OpAdd {
			l.add = append(l.add, e.key.user)
		} else {
			l.remove = append(l.remove, e.key.user)
		}
		pr.items[e.key] = e.grp.items
	}
	licenses := make([]string, 0, len(byLicense))
	for id := range byLicense {
		licenses = append(licenses, id)
	}
	sort.Strings(licenses)
	for _, id := range licenses {
		l := byLicense[id]
		sort.Strings(l.add)
		sort.Strings(l.remove)
		pr.body.Assignments = append(pr.body.Assignments, LicenseAssignmentRequest{
			LicenseID: id, UserIDsAdd: l.add, UserIDsRemove: l.remove,
		})
	}
	return pr
}

// sendChanges plans and sends the requests for items, round after round, and delivers every
// item's result. ctx is detached from the callers.
func (c *Client) sendChanges(ctx context.Context, items []*batchItem) {
	rounds := planRequests(items, c.cfg.MaxBatchUsers, maxEntriesPerRequest)
	for _, round := range rounds {
		if len(round) == 1 {
			c.sendPlanned(ctx, round[0])
			continue
		}
		sem := make(chan struct{}, maxConcurrentRequests)
		var wg sync.WaitGroup
		for _, pr := range round {
			sem <- struct{}{}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer func() { <-sem }()
				c.sendPlanned(ctx, pr)
			}()
		}
		wg.Wait()
	}
}

// sendPlanned sends one request and hands each change its status: the server's result for
// its pair, ResultNoResultReturned when the answer lacks the pair, or ResultRequestFailed and
// the error when the request failed. A request refused as a whole that carries the changes of
// several calls is split (see splitRefused).
func (c *Client) sendPlanned(ctx context.Context, pr *plannedRequest) {
	rctx, cancel := context.WithTimeout(ctx, c.requestBound())
	defer cancel()
	if dl, ok := latestDeadline(pr); ok {
		var cancelDL context.CancelFunc
		rctx, cancelDL = context.WithDeadline(rctx, dl.Add(inFlightGrace))
		defer cancelDL()
	}
	statuses, err := c.PostLicenseOrganization(rctx, pr.body)
	if errors.Is(err, ErrNotSent) {
		// No token: nothing reached the API, so the changes are certainly not applied.
		for _, its := range pr.items {
			for _, it := range its {
				it.call.deliver(it.idx, ResultNotSent, err)
			}
		}
		return
	}
	if err != nil {
		if calls := pr.calls(); len(calls) > 1 && batchRefused(err) {
			c.splitRefused(ctx, pr, calls, err)
			return
		}
		for _, its := range pr.items {
			for _, it := range its {
				it.call.deliver(it.idx, ResultRequestFailed, err)
			}
		}
		return
	}
	exact := make(map[pairKey]string, len(statuses))
	folded := make(map[pairKey]string, len(statuses))
	for _, s := range statuses {
		exact[pairKey{s.UserID, s.LicenseID}] = s.Result
		folded[pairKey{strings.ToLower(s.UserID), strings.ToLower(s.LicenseID)}] = s.Result
	}
	for k, its := range pr.items {
		result, ok := exact[k]
		if !ok {
			result, ok = folded[pairKey{strings.ToLower(k.user), strings.ToLower(k.license)}]
		}
		if !ok {
			result = ResultNoResultReturned
		}
		for _, it := range its {
			it.call.deliver(it.idx, result, nil)
		}
	}
}

// splitRefused sends the changes of a request refused as a whole again in two halves, by call,
// so that the refusal narrows down to the calls whose own changes cause it (a bisection: about
// 2·log2(calls) extra requests for each refused call).
func (c *Client) splitRefused(ctx context.Context, pr *plannedRequest, calls []*applyCall, err error) {
	tflog.SubsystemWarn(c.logCtx(ctx), logSubsystem,
		"postLicenseOrganization refused a batch as a whole; splitting it to find the refused changes",
		map[string]any{"calls": len(calls), "error": err.Error()})
	half := len(calls) / 2
	for _, part := range [][]*applyCall{calls[:half], calls[half:]} {
		in := make(map[*applyCall]bool, len(part))
		for _, call := range part {
			in[call] = true
		}
		var items []*batchItem
		for _, k := range pr.keys() {
			for _, it := range pr.items[k] {
				if in[it.call] {
					items = append(items, it)
				}
			}
		}
		for _, round := range planRequests(items, c.cfg.MaxBatchUsers, maxEntriesPerRequest) {
			for _, sub := range round {
				c.sendPlanned(ctx, sub)
			}
		}
	}
}

// keys returns the request's pairs, sorted.
func (pr *plannedRequest) keys() []pairKey {
	keys := make([]pairKey, 0, len(pr.items))
	for k := range pr.items {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].user != keys[j].user {
			return keys[i].user < keys[j].user
		}
		return keys[i].license < keys[j].license
	})
	return keys
}

// calls returns the distinct calls whose changes the request carries, in a stable order.
func (pr *plannedRequest) calls() []*applyCall {
	seen := map[*applyCall]bool{}
	var out []*applyCall
	for _, k := range pr.keys() {
		for _, it := range pr.items[k] {
			if !seen[it.call] {
				seen[it.call] = true
				out = append(out, it.call)
			}
		}
	}
	return out
}

// latestDeadline returns the latest deadline of the calls in pr, if every one has a deadline.
func latestDeadline(pr *plannedRequest) (time.Time, bool) {
	var latest time.Time
	for _, its := range pr.items {
		for _, it := range its {
			if it.call.deadline.IsZero() {
				return time.Time{}, false
			}
			if it.call.deadline.After(latest) {
				latest = it.call.deadline
			}
		}
	}
	return latest, !latest.IsZero()
}

// requestBound caps one request that runs for several callers, retries and waits included, so
// that a request no caller waits for any more still ends.
func (c *Client) requestBound() time.Duration {
	perTry := 2*c.cfg.RequestTimeout + MaxRetryAfter
	return perTry * time.Duration(max(c.cfg.MaxRetries, 0)+1)
}
