package client

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// ChangeOp says whether a LicenseChange adds or removes the license.
type ChangeOp int

// The zero ChangeOp is invalid, so that a change without an explicit Op is refused.
const (
	OpAdd ChangeOp = iota + 1
	OpRemove
)

func (o ChangeOp) String() string {
	switch o {
	case OpAdd:
		return "add"
	case OpRemove:
		return "remove"
	}
	return fmt.Sprintf("ChangeOp(%d)", int(o))
}

// LicenseChange is one license to add to or remove from one user.
type LicenseChange struct {
	UserID    string
	LicenseID string
	Op        ChangeOp
}

const (
	// quietPeriod: once every begun write is waiting in ApplyLicenseChanges, the batcher
	// flushes after this long without a new arrival (instead of waiting the whole window).
	// Terraform itself may take longer than a short quiet period to start the next write of a
	// large apply on a busy machine, and then batches leave half empty (BENCHMARKS.md has the
	// measurements behind this value).
	quietPeriod = 300 * time.Millisecond
	// maxSenders bounds the batches in flight at once. Batches in flight never share a user,
	// so the changes of one (user, license) pair still reach the server in order, and one batch
	// waiting out a long Retry-After does not stall writes of other users.
	maxSenders = 4
	// maxEntriesPerRequest bounds the (user, license) entries of one request, keeping the body
	// well under the API's 512,000-byte limit (an entry is about 40 bytes).
	maxEntriesPerRequest = 10000
	// maxConcurrentRequests bounds the requests of one flush that run at the same time (only
	// requests with disjoint users run together; conflicting ones run in order).
	maxConcurrentRequests = 4
	// inFlightGrace is how long a caller whose context ended keeps waiting for the outcome of a
	// request that already carries its changes; it is also the slack a shared request gets past
	// the latest deadline of its callers.
	inFlightGrace = 10 * time.Second
)

// ApplyLicenseChanges hands changes to the shared batcher and waits for their outcome.
// It returns exactly one status per change, in the order of changes; a change succeeded only
// if its status Succeeded(). Identical changes are sent once and share a status.
//
// The error is non-nil only when a request carrying some of these changes failed as a whole
// (those changes get Result ResultRequestFailed; changes that travelled in other, successful
// requests keep their real status), or when ctx ended before every result arrived. Then changes
// not sent yet are withdrawn (ResultNotSent), and the call waits up to inFlightGrace for the
// requests already carrying the others; if they answer in time the call returns as if ctx had
// not ended, otherwise the unanswered changes get ResultUnknown and the error is ctx's. One caller's
// ctx never cancels a request shared with other callers; a shared request ends at the latest
// deadline of its callers (plus the grace) when all of them have one. Per-item failures
// (UserNotFound, ...) are statuses, not errors.
//
// A request that the API refuses as a whole (400, 404, 413, 422) while it carries the changes
// of several calls is split in two and each half sent again, down to the calls whose own
// changes are refused, so that one bad id fails only the call that names it.
//
// With BatchWindow 0 the call sends its own request(s) at once, split by MaxBatchUsers and so
// that an add and a remove of the same (user, license) never share a request.
func (c *Client) ApplyLicenseChanges(ctx context.Context, changes []LicenseChange) ([]LicenseUpdateStatus, error) {
	wait, err := c.StartLicenseChanges(ctx, changes)
	if err != nil {
		return nil, err
	}
	return wait()
}

// StartLicenseChanges queues changes as ApplyLicenseChanges does and returns at once; wait
// (called once, from the same goroutine or another) waits for their outcome and returns what
// ApplyLicenseChanges returns. Changes reach the server after every change of the same
// (user, license) pair queued before them, so a caller that decides what to queue under its
// own lock knows the order the server sees (with BatchWindow 0 every call sends at once, and
// calls racing on one pair are not ordered).
func (c *Client) StartLicenseChanges(ctx context.Context, changes []LicenseChange) (wait func() ([]LicenseUpdateStatus, error), err error) {
	if len(changes) == 0 {
		return func() ([]LicenseUpdateStatus, error) { return []LicenseUpdateStatus{}, nil }, nil
	}
	for i, ch := range changes {
		switch {
		case ch.UserID == "":
			return nil, fmt.Errorf("license change %d: empty user id", i)
		case ch.LicenseID == "":
			return nil, fmt.Errorf("license change %d: empty license id", i)
		case ch.Op != OpAdd && ch.Op != OpRemove:
			return nil, fmt.Errorf("license change %d: invalid operation %v", i, ch.Op)
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if c.baseCtx.Err() != nil {
		return nil, ErrClosed
	}
	c.listing.noteWrite(changes)
	call := newApplyCall(changes)
	noteWritten := func(statuses []LicenseUpdateStatus, err error) ([]LicenseUpdateStatus, error) {
		c.written.note(statuses, changes, time.Now())
		return statuses, err
	}
	call.deadline, _ = ctx.Deadline()
	items := make([]*batchItem, len(changes))
	for i, ch := range changes {
		items[i] = &batchItem{call: call, idx: i, change: ch}
	}

	if c.batcher == nil {
		sctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
		stop := context.AfterFunc(c.baseCtx, cancel)
		go func() {
			defer cancel()
			defer stop()
			c.sendChanges(sctx, items)
		}()
		return func() ([]LicenseUpdateStatus, error) { return noteWritten(call.wait(ctx, func() {})) }, nil
	}
	if err := c.batcher.submit(items); err != nil {
		return nil, err
	}
	return func() ([]LicenseUpdateStatus, error) {
		defer c.batcher.leave()
		return noteWritten(call.wait(ctx, func() {
			for _, it := range c.batcher.withdraw(call) {
				call.deliver(it.idx, ResultNotSent, nil)
			}
		}))
	}, nil
}

// BeginWrite tells the batcher that a write (a resource Create/Update/Delete) has started and
// will probably call ApplyLicenseChanges; call the returned func when the write ends. When
// every begun write is waiting in ApplyLicenseChanges and no new change has arrived for a
// quiet period, the batcher flushes without waiting for the rest of the window. Without
// BeginWrite, batches wait the whole window (or until MaxBatchUsers users are held).
func (c *Client) BeginWrite() (end func()) {
	b := c.batcher
	if b == nil {
		return func() {}
	}
	b.mu.Lock()
	b.active++
	b.peakActive = max(b.peakActive, b.active)
	b.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			b.mu.Lock()
			b.active--
			b.maybeQuietLocked()
			b.mu.Unlock()
		})
	}
}

// applyCall collects the results of one ApplyLicenseChanges call.
type applyCall struct {
	deadline time.Time // of the caller's context; zero when it has none

	mu        sync.Mutex
	statuses  []LicenseUpdateStatus
	delivered []bool
	errs      []error
	remaining int
	done      chan struct{}
}

func newApplyCall(changes []LicenseChange) *applyCall {
	a := &applyCall{
		statuses:  make([]LicenseUpdateStatus, len(changes)),
		delivered: make([]bool, len(changes)),
		remaining: len(changes),
		done:      make(chan struct{}),
	}
	for i, ch := range changes {
		a.statuses[i] = LicenseUpdateStatus{UserID: ch.UserID, LicenseID: ch.LicenseID}
	}
	return a
}

func (a *applyCall) deliver(idx int, result string, err error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.delivered[idx] {
		return
	}
	a.delivered[idx] = true
	a.statuses[idx].Result = result
	if err != nil && !containsErr(a.errs, err) {
		a.errs = append(a.errs, err)
	}
	a.remaining--
	if a.remaining == 0 {
		close(a.done)
	}
}

func containsErr(errs []error, err error) bool {
	for _, e := range errs {
		if e == err { //nolint:errorlint // identity: the same request's error is shared by its changes
			return true
		}
	}
	return false
}

// wait blocks until every result arrived. When ctx ends first, withdraw delivers the changes
// that were not sent yet, and the rest get up to inFlightGrace to be answered.
func (a *applyCall) wait(ctx context.Context, withdraw func()) ([]LicenseUpdateStatus, error) {
	select {
	case <-a.done:
	case <-ctx.Done():
		withdraw()
		grace := time.NewTimer(inFlightGrace)
		defer grace.Stop()
		select {
		case <-a.done: // every outcome is known after all
			if a.hasResult(ResultNotSent) {
				return a.result(ctx.Err())
			}
		case <-grace.C:
			a.mu.Lock()
			defer a.mu.Unlock()
			out := append([]LicenseUpdateStatus(nil), a.statuses...)
			for i := range out {
				if !a.delivered[i] {
					out[i].Result = ResultUnknown
				}
			}
			return out, ctx.Err()
		}
	}
	return a.result(nil)
}

func (a *applyCall) hasResult(result string) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, st := range a.statuses {
		if st.Result == result {
			return true
		}
	}
	return false
}

// result returns the statuses and the errors of the call's requests, with extra first.
func (a *applyCall) result(extra error) ([]LicenseUpdateStatus, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	out := append([]LicenseUpdateStatus(nil), a.statuses...)
	errs := a.errs
	if extra != nil {
		errs = append([]error{extra}, errs...)
	}
	switch len(errs) {
	case 0:
		return out, nil
	case 1:
		return out, errs[0]
	}
	return out, errors.Join(errs...)
}

// batchItem is one change of one call, waiting in or travelling through the batcher.
type batchItem struct {
	call   *applyCall
	idx    int
	change LicenseChange
}

// batcher coalesces the changes of concurrent ApplyLicenseChanges calls. Changes wait in
// pending until a flush moves them to ready: the window elapsed, MaxBatchUsers users held, as
// many users held as the most writes in flight at once before the last flush (the batch is as
// full as Terraform's parallelism lets it be), or every begun write waiting with no new arrival
// for a quiet period (which also ends the first batch, while that most is still being learnt).
// The dispatcher sends ready changes as batches, up to maxSenders at once; a batch never takes
// a user that a batch in flight holds, so that changes of the same (user, license) pair reach
// the server in submission order across flushes too.
type batcher struct {
	c        *Client
	window   time.Duration
	quiet    time.Duration
	maxUsers int
	logCtx   context.Context

	mu          sync.Mutex
	pending     []*batchItem
	users       map[string]int // user id → pending changes
	windowTimer *time.Timer
	quietTimer  *time.Timer
	gen         uint64 // incremented by every flush; stale timers compare it
	active      int    // begun writes not yet ended
	peakActive  int    // the most begun writes ever in flight at once
	fullAt      int    // peakActive at the last flush: a batch holding that many users is full
	inApply     int    // ApplyLicenseChanges calls waiting on the batcher
	ready       []*batchItem
	busy        map[string]bool // users of the batches in flight
	closed      bool

	sending int            // batches in flight
	senders sync.WaitGroup // the goroutines sending them
}

func newBatcher(c *Client) *batcher {
	b := &batcher{
		c:        c,
		window:   c.cfg.BatchWindow,
		quiet:    quietPeriod,
		maxUsers: c.cfg.MaxBatchUsers,
		logCtx:   c.logCtx(c.baseCtx),
		users:    map[string]int{},
		busy:     map[string]bool{},
	}
	return b
}

func (b *batcher) submit(items []*batchItem) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return ErrClosed
	}
	b.inApply++
	wasEmpty := len(b.pending) == 0
	b.pending = append(b.pending, items...)
	for _, it := range items {
		b.users[it.change.UserID]++
	}
	if len(b.users) >= b.maxUsers {
		b.flushLocked("max batch users reached")
		return nil
	}
	if b.fullAt > 0 && len(b.users) >= b.fullAt {
		b.flushLocked("as many users as writes in flight at most")
		return nil
	}
	if wasEmpty {
		gen := b.gen
		b.windowTimer = time.AfterFunc(b.window, func() { b.onWindow(gen) })
	}
	b.maybeQuietLocked()
	return nil
}

func (b *batcher) leave() {
	b.mu.Lock()
	b.inApply--
	b.mu.Unlock()
}

// allWaitingLocked reports whether every begun write is inside ApplyLicenseChanges.
func (b *batcher) allWaitingLocked() bool {
	return len(b.pending) > 0 && b.active > 0 && b.inApply >= b.active
}

// maybeQuietLocked (re)arms the quiet timer when every begun write is waiting.
func (b *batcher) maybeQuietLocked() {
	if !b.allWaitingLocked() {
		return
	}
	if b.quietTimer != nil {
		b.quietTimer.Stop()
	}
	gen := b.gen
	b.quietTimer = time.AfterFunc(b.quiet, func() { b.onQuiet(gen) })
}

func (b *batcher) onWindow(gen uint64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if gen == b.gen && !b.closed {
		b.flushLocked("batch window elapsed")
	}
}

func (b *batcher) onQuiet(gen uint64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if gen == b.gen && !b.closed && b.allWaitingLocked() {
		b.flushLocked("every write is waiting")
	}
}

func (b *batcher) stopTimersLocked() {
	if b.windowTimer != nil {
		b.windowTimer.Stop()
		b.windowTimer = nil
	}
	if b.quietTimer != nil {
		b.quietTimer.Stop()
		b.quietTimer = nil
	}
}

func (b *batcher) flushLocked(reason string) {
	if len(b.pending) == 0 {
		return
	}
	tflog.SubsystemDebug(b.logCtx, logSubsystem, "license change batch flushed", map[string]any{
		"reason": reason, "changes": len(b.pending), "users": len(b.users),
	})
	b.fullAt = b.peakActive
	b.ready = append(b.ready, b.pending...)
	b.pending = nil
	b.users = map[string]int{}
	b.stopTimersLocked()
	b.gen++
	b.dispatchLocked()
}

// withdraw removes a cancelled call's changes that have not been sent yet and returns them.
func (b *batcher) withdraw(call *applyCall) []*batchItem {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []*batchItem
	keep := b.pending[:0]
	for _, it := range b.pending {
		if it.call == call {
			if b.users[it.change.UserID]--; b.users[it.change.UserID] <= 0 {
				delete(b.users, it.change.UserID)
			}
			out = append(out, it)
			continue
		}
		keep = append(keep, it)
	}
	clear(b.pending[len(keep):])
	b.pending = keep
	if len(b.pending) == 0 {
		b.stopTimersLocked()
	}
	readyKeep := b.ready[:0]
	for _, it := range b.ready {
		if it.call != call {
			readyKeep = append(readyKeep, it)
		} else {
			out = append(out, it)
		}
	}
	clear(b.ready[len(readyKeep):])
	b.ready = readyKeep
	return out
}

// dispatchLocked starts a sender for the ready changes of the users no batch in flight holds,
// up to maxSenders batches in flight. A sender that ends dispatches again. No goroutine runs
// while nothing is to be sent, so a client that is never closed leaks none.
func (b *batcher) dispatchLocked() {
	for b.sending < maxSenders && !b.closed {
		items := b.takeReadyLocked()
		if len(items) == 0 {
			return
		}
		b.sending++
		b.senders.Add(1)
		go func() {
			defer b.senders.Done()
			b.c.sendChanges(b.c.baseCtx, items)
			b.mu.Lock()
			defer b.mu.Unlock()
			for _, it := range items {
				delete(b.busy, it.change.UserID)
			}
			b.sending--
			b.dispatchLocked()
		}()
	}
}

// takeReadyLocked takes, in order, the ready changes of every user that no batch in flight
// holds, and marks those users busy. Changes of busy users stay ready, behind nothing.
func (b *batcher) takeReadyLocked() []*batchItem {
	var take []*batchItem
	keep := b.ready[:0]
	taken := map[string]bool{}
	for _, it := range b.ready {
		u := it.change.UserID
		if b.busy[u] {
			keep = append(keep, it)
			continue
		}
		taken[u] = true
		take = append(take, it)
	}
	clear(b.ready[len(keep):])
	b.ready = keep
	for u := range taken {
		b.busy[u] = true
	}
	return take
}

// close fails every change not sent yet with ErrClosed; the caller then cancels baseCtx,
// which fails the requests in flight, and waits for their senders.
func (b *batcher) close() {
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		return
	}
	b.closed = true
	items := append(b.pending, b.ready...)
	b.pending, b.ready = nil, nil
	b.stopTimersLocked()
	b.mu.Unlock()
	for _, it := range items {
		it.call.deliver(it.idx, ResultRequestFailed, ErrClosed)
	}
}
