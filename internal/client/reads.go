package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/purecloud-terraform/terraform-provider-purecloud/internal/wait"
)

const (
	// readGather is how long a read that finds the coalescer idle waits for others to join it,
	// so that reads Terraform starts together share one request.
	readGather = 3 * time.Millisecond
	// readMaxWait bounds how long a read waits for its batch to fill up to the most reads ever
	// outstanding at once (Terraform's parallelism, in effect) before the batch leaves anyway.
	readMaxWait = 100 * time.Millisecond
	// readPoll is how often a waiting sender looks at the queue again.
	readPoll = 2 * time.Millisecond
	// maxSingleReads bounds the getLicenseUser requests one readUsers call runs at once.
	maxSingleReads = 4
)

// UserRead is the outcome of reading one user's licenses.
type UserRead struct {
	LicenseIDs []string // sorted, each once; never nil when Err is nil
	Err        error    // matches ErrNotFound when the user does not exist
}

// Freshness says what a read of users' licenses may be answered from.
type Freshness int

const (
	// Refreshed is a refresh's read: it may be answered from a listing of the whole organization
	// taken during this run (see orgListing), unless this client has written the user since, and
	// reads running at the same time share requests.
	Refreshed Freshness = iota
	// Fresh asks Genesys Cloud now, for reads that must see a write: read-backs after a write and
	// re-reads before a difference is called drift.
	Fresh
)

// ReadLicenses is the one way to read users' licenses: it returns one UserRead per user
// (duplicates and empty ids are ignored) and owns the read policy. One user goes through the
// read coalescer (batched with other single reads running at the same time, or a lone
// getLicenseUser); several go out as postLicenseUsers requests of at most MaxBatchUsers ids.
// With Refreshed, users the organization listing already holds are answered from it, and a
// single refresh read counts towards starting the listing (see refreshUserLicenseIDs).
func (c *Client) ReadLicenses(ctx context.Context, userIDs []string, f Freshness) map[string]UserRead {
	ids := uniqueIDs(userIDs)
	if len(ids) == 1 {
		read := c.userLicenseIDs
		if f == Refreshed {
			read = c.refreshUserLicenseIDs
		}
		held, err := read(ctx, ids[0])
		out := map[string]UserRead{ids[0]: {LicenseIDs: held, Err: err}}
		c.awaitWritten(ctx, out)
		return out
	}
	out := make(map[string]UserRead, len(ids))
	if f == Refreshed {
		rest := make([]string, 0, len(ids))
		for _, id := range ids {
			if held, ok := c.listing.lookup(id); ok {
				out[id] = UserRead{LicenseIDs: held}
			} else {
				rest = append(rest, id)
			}
		}
		ids = rest
	}
	for id, r := range c.readUsers(ctx, ids) {
		out[id] = r
	}
	c.awaitWritten(ctx, out)
	return out
}

// uniqueIDs returns ids without duplicates and empty ids, in their first order.
func uniqueIDs(userIDs []string) []string {
	ids := make([]string, 0, len(userIDs))
	seen := make(map[string]bool, len(userIDs))
	for _, id := range userIDs {
		if id != "" && !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	return ids
}

// readUsers reads the licenses of every given user (duplicates and empty ids are ignored) and
// returns one UserRead per user. Several users go out as postLicenseUsers requests of at most
// MaxBatchUsers ids; one user alone, users an answer leaves out, and every user once batch reads
// are off use getLicenseUser, so a user missing from a batch answer is confirmed (404 for that
// user only) rather than assumed gone. When a postLicenseUsers answer cannot be decoded, or the
// OAuth client may not call it (403), batch reads are switched off for the rest of the client's
// life (logged once) and the users are read one by one.
func (c *Client) readUsers(ctx context.Context, userIDs []string) map[string]UserRead {
	ids := uniqueIDs(userIDs)
	out := make(map[string]UserRead, len(ids))
	var single []string
	if len(ids) == 1 || c.batchReadsOff.Load() {
		single = ids
	} else {
		// Chunks go out side by side, one per token of the pool at most (limits are per token).
		var mu sync.Mutex
		var wg sync.WaitGroup
		sem := make(chan struct{}, max(len(c.slots), 1))
		for start := 0; start < len(ids); start += c.cfg.MaxBatchUsers {
			chunk := ids[start:min(start+c.cfg.MaxBatchUsers, len(ids))]
			sem <- struct{}{}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer func() { <-sem }()
				answer, err := c.postLicenseUsers(ctx, chunk)
				unusable := err != nil && (c.batchReadUnusable(ctx, err) || batchRefused(err))
				mu.Lock()
				defer mu.Unlock()
				for _, id := range chunk {
					switch lic, ok := answer[id]; {
					case unusable || (err == nil && !ok):
						single = append(single, id)
					case err != nil:
						out[id] = UserRead{Err: err}
					default:
						out[id] = UserRead{LicenseIDs: sortedUnique(lic)}
					}
				}
			}()
		}
		wg.Wait()
	}
	c.readSingles(ctx, single, out)
	return out
}

// readSingles reads each user with getLicenseUser, a few at a time, into out.
func (c *Client) readSingles(ctx context.Context, ids []string, out map[string]UserRead) {
	if len(ids) == 0 {
		return
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	sem := make(chan struct{}, maxSingleReads)
	for _, id := range ids {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			var r UserRead
			if user, err := c.GetLicenseUser(ctx, id); err != nil {
				r.Err = err
			} else {
				r.LicenseIDs = sortedUnique(user.LicenseIDs())
			}
			mu.Lock()
			out[id] = r
			mu.Unlock()
		}()
	}
	wg.Wait()
}

// postLicenseUsers sends one postLicenseUsers request and decodes its answer strictly.
func (c *Client) postLicenseUsers(ctx context.Context, ids []string) (map[string][]string, error) {
	answer := &userLicensesAnswer{asked: make(map[string]string, len(ids))}
	for _, id := range ids {
		answer.asked[strings.ToLower(id)] = id
	}
	if err := c.do(ctx, http.MethodPost, pathUsers, nil, ids, answer); err != nil {
		return nil, err
	}
	return answer.users, nil
}

// batchReadUnusable reports whether err shows that postLicenseUsers cannot serve this client
// (an answer it cannot decode, or a 403), and if so switches batch reads off, logging it once.
func (c *Client) batchReadUnusable(ctx context.Context, err error) bool {
	var decErr *DecodeError
	var apiErr *APIError
	forbidden := errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusForbidden
	if !forbidden && !errors.As(err, &decErr) {
		return false
	}
	if c.batchReadsOff.CompareAndSwap(false, true) {
		tflog.SubsystemWarn(c.logCtx(ctx), logSubsystem,
			"postLicenseUsers cannot be used; reading users one by one with getLicenseUser from now on",
			map[string]any{"error": err.Error()})
	}
	return true
}

// batchRefused reports whether a batch request was refused as a whole for its content (400,
// 404, 413, 422): smaller requests may succeed.
func batchRefused(err error) bool {
	var apiErr *APIError
	if !errors.As(err, &apiErr) {
		return false
	}
	switch apiErr.StatusCode {
	case http.StatusBadRequest, http.StatusNotFound, http.StatusRequestEntityTooLarge, http.StatusUnprocessableEntity:
		return true
	}
	return false
}

func sortedUnique(ids []string) []string {
	out := append([]string{}, ids...)
	slices.Sort(out)
	return slices.Compact(out)
}

// userLicenseIDs returns the sorted ids of the licenses a user holds. Calls made at the same
// time are coalesced (with Config.ReadBatching): the reads waiting when a request can
// leave go out together through readUsers, so a refresh of many resources costs one
// postLicenseUsers per batch instead of one getLicenseUser per resource, and a lone read is one
// getLicenseUser. An unknown user gives an error matching ErrNotFound.
func (c *Client) userLicenseIDs(ctx context.Context, userID string) ([]string, error) {
	if userID == "" {
		return nil, fmt.Errorf("user id is empty")
	}
	if c.reads == nil {
		r := c.readUsers(ctx, []string{userID})[userID]
		return r.LicenseIDs, r.Err
	}
	if c.baseCtx.Err() != nil {
		return nil, ErrClosed
	}
	w := &readWaiter{userID: userID, since: time.Now(), done: make(chan struct{})}
	c.reads.submit(w)
	defer c.reads.leave()
	select {
	case <-w.done:
		return w.result.LicenseIDs, w.result.Err
	case <-ctx.Done():
		w.abandoned.Store(true)
		return nil, ctx.Err()
	}
}

// readWaiter is one userLicenseIDs call waiting for its user's read.
type readWaiter struct {
	userID    string
	since     time.Time
	done      chan struct{}
	result    UserRead
	abandoned atomic.Bool
}

// readBatcher coalesces userLicenseIDs calls. Up to maxInFlight senders run at once (one per
// token of the pool). A sender takes every read waiting once as many wait as the most reads
// ever outstanding at once (so a batch is as full as Terraform's parallelism lets it be), or
// once the oldest has waited readMaxWait; a lone read therefore leaves at once.
type readBatcher struct {
	c           *Client
	maxInFlight int

	mu          sync.Mutex
	queue       []*readWaiter
	inFlight    int
	outstanding int // userLicenseIDs calls not returned yet
	peak        int // the most calls ever outstanding at once

	requests atomic.Int64 // batches sent (readUsers calls), for the listing's rent-or-buy rule
}

func (b *readBatcher) leave() {
	b.mu.Lock()
	b.outstanding--
	b.mu.Unlock()
}

// readyLocked reports whether the queue should leave now.
func (b *readBatcher) readyLocked() bool {
	users := map[string]bool{}
	var oldest time.Time
	for _, w := range b.queue {
		if w.abandoned.Load() {
			continue
		}
		users[w.userID] = true
		if oldest.IsZero() || w.since.Before(oldest) {
			oldest = w.since
		}
	}
	return len(users) == 0 || len(users) >= min(b.peak, b.c.cfg.MaxBatchUsers) || time.Since(oldest) >= readMaxWait
}

func (b *readBatcher) submit(w *readWaiter) {
	b.mu.Lock()
	b.outstanding++
	b.peak = max(b.peak, b.outstanding)
	b.queue = append(b.queue, w)
	start := b.inFlight < b.maxInFlight
	if start {
		b.inFlight++
	}
	b.mu.Unlock()
	if start {
		go b.send()
	}
}

// send runs batches until the queue is empty.
func (b *readBatcher) send() {
	if !wait.Sleep(b.c.baseCtx, readGather) {
		b.failAll(ErrClosed)
		return
	}
	for {
		b.mu.Lock()
		for !b.readyLocked() {
			b.mu.Unlock()
			if !wait.Sleep(b.c.baseCtx, readPoll) {
				b.failAll(ErrClosed)
				return
			}
			b.mu.Lock()
		}
		var batch []*readWaiter
		users := map[string]bool{}
		keep := b.queue[:0]
		for _, w := range b.queue {
			switch {
			case w.abandoned.Load():
			case users[w.userID] || len(users) < b.c.cfg.MaxBatchUsers:
				users[w.userID] = true
				batch = append(batch, w)
			default:
				keep = append(keep, w)
			}
		}
		clear(b.queue[len(keep):])
		b.queue = keep
		if len(batch) == 0 {
			b.inFlight--
			b.mu.Unlock()
			return
		}
		b.mu.Unlock()

		ids := make([]string, 0, len(users))
		for id := range users {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		ctx, cancel := context.WithTimeout(b.c.baseCtx, b.c.requestBound())
		b.requests.Add(1)
		results := b.c.readUsers(ctx, ids)
		cancel()
		for _, w := range batch {
			w.result = results[w.userID]
			close(w.done)
		}
	}
}

// failAll ends every waiting read with err (the client is closing).
func (b *readBatcher) failAll(err error) {
	b.mu.Lock()
	queue := b.queue
	b.queue = nil
	b.inFlight--
	b.mu.Unlock()
	for _, w := range queue {
		w.result = UserRead{Err: err}
		close(w.done)
	}
}
