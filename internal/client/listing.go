package client

import (
	"context"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// A refresh of many users can cost fewer requests by listing the organization's users
// (getLicenseUsers, 100 users a page) than by reading the users it is asked for, 10 at a time
// at Terraform's default -parallelism. Which is cheaper depends on how many users the
// refresh will read, which the provider cannot know in advance, so it follows the rent-or-buy
// rule: after listingProbeAfter refresh reads it fetches the first page to learn the
// organization's size, and it lists the whole organization once the batched reads have cost
// as many requests as the listing would. The refresh then never costs more than about twice
// the cheaper of the two, and a refresh of a few users in a large organization lists nothing.
//
// The listing serves refresh reads only (refreshUserLicenseIDs), never the reads that settle
// a write, and never a user this client has written to: those always ask Genesys Cloud.

// listingProbeAfter is the number of refresh reads after which the first page is fetched.
const listingProbeAfter = 20

type listingState int

const (
	listingIdle    listingState = iota // too few refresh reads so far
	listingProbing                     // fetching the first page
	listingWaiting                     // size known; the batched reads have not cost a listing yet
	listingRunning                     // listing every page
	listingReady                       // entries hold the whole organization
	listingOff                         // the listing failed or cannot be sized: refresh reads as usual
)

// orgListing is the organization's users and licenses as getLicenseUsers listed them, for
// refresh reads.
type orgListing struct {
	mu           sync.Mutex
	state        listingState
	refreshReads int
	pages        int                        // pages of the listing, known once probed
	first        *UserLicensesEntityListing // the probe's page 1, from which the listing goes on
	size         int                        // the page size it was read with
	entries      map[string][]string        // user id → sorted license ids, once ready
	written      map[string]bool            // users this client has sent a license change for
	// done is closed when a listing that is running ends (ready or off). Refresh reads wait for
	// it rather than send batches the listing is about to answer: under the rate limit, every
	// request spent twice delays the whole refresh.
	done chan struct{}
}

// listingWaitMax bounds how long a refresh read waits for a listing in progress.
const listingWaitMax = 2 * time.Minute

// refreshUserLicenseIDs is userLicenseIDs for a refresh: the same answer, but once a refresh
// has read enough users it may come from a listing of the whole organization taken during
// this run (see orgListing), unless the user has been written to by this client since. Reads
// that must see the server after a write (read-after-write re-reads, write outcomes) use
// userLicenseIDs (through ReadLicenses with Fresh). Without read batching it is userLicenseIDs.
func (c *Client) refreshUserLicenseIDs(ctx context.Context, userID string) ([]string, error) {
	if c.reads == nil || userID == "" {
		return c.userLicenseIDs(ctx, userID)
	}
	if ids, ok := c.listing.lookup(userID); ok {
		return ids, nil
	}
	if done := c.listing.running(); done != nil {
		// Wait for the listing, but not for more than half of what is left of this read's time:
		// a listing slower than that (a large organization under the rate limit) must not make
		// the refresh fail, so the read then asks for the user directly.
		wait := listingWaitMax
		if deadline, ok := ctx.Deadline(); ok {
			wait = min(wait, time.Until(deadline)/2)
		}
		timer := time.NewTimer(wait)
		defer timer.Stop()
		select {
		case <-done:
			if ids, ok := c.listing.lookup(userID); ok {
				return ids, nil
			}
		case <-timer.C:
			tflog.Debug(c.logCtx(ctx), "The organization listing is slower than this read may wait; reading the user directly",
				map[string]any{"user_id": userID, "waited": wait.String()})
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		return c.userLicenseIDs(ctx, userID)
	}
	c.listing.noteRefreshRead(c)
	return c.userLicenseIDs(ctx, userID)
}

// running returns a channel closed when the listing in progress ends, or nil when none is.
func (l *orgListing) running() <-chan struct{} {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.state != listingRunning {
		return nil
	}
	return l.done
}

// lookup returns the user's licenses from a complete listing.
func (l *orgListing) lookup(userID string) ([]string, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.state != listingReady || l.written[userID] {
		return nil, false
	}
	ids, ok := l.entries[userID]
	if !ok {
		return nil, false
	}
	return append([]string{}, ids...), true
}

// noteWrite keeps users that this client changes out of the listing's answers.
func (l *orgListing) noteWrite(changes []LicenseChange) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.written == nil {
		l.written = map[string]bool{}
	}
	for _, ch := range changes {
		l.written[ch.UserID] = true
	}
}

// noteRefreshRead counts a refresh read that the listing could not answer and starts the
// probe or the listing when it is due.
func (l *orgListing) noteRefreshRead(c *Client) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.refreshReads++
	if l.state == listingIdle && l.refreshReads >= listingProbeAfter {
		l.state = listingProbing
		go l.probe(c)
		return
	}
	l.maybeRunLocked(c)
}

// maybeRunLocked starts the listing once the batched reads have cost as many requests as it.
func (l *orgListing) maybeRunLocked(c *Client) {
	if l.state == listingWaiting && c.reads.requests.Load() >= int64(l.pages) {
		l.state = listingRunning
		l.done = make(chan struct{})
		go l.run(c)
	}
}

// probe fetches the first page to learn how many pages the organization has; the listing, if
// it runs, goes on from that page.
func (l *orgListing) probe(c *Client) {
	ctx, cancel := context.WithTimeout(c.baseCtx, c.requestBound())
	defer cancel()
	first, size, err := c.firstLicenseUsersPage(ctx)
	pages := 0
	if err == nil {
		pages = licenseUsersPages(first, size)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if pages == 0 {
		l.state = listingOff
		fields := map[string]any{"reason": "the first page gives neither pageCount nor total"}
		if err != nil {
			fields["reason"] = err.Error()
		}
		tflog.SubsystemDebug(c.logCtx(context.Background()), logSubsystem,
			"Not listing the organization for this refresh; reading users in batches", fields)
		return
	}
	l.pages = pages
	if pages == 1 {
		// The first page is the whole organization.
		l.entries = listingEntries(first.Entities, nil)
		l.state = listingReady
		return
	}
	l.first, l.size = first, size
	l.state = listingWaiting
	l.maybeRunLocked(c)
}

// listingEntries adds users to entries (a new map when nil): user id → sorted license ids.
func listingEntries(users []UserLicenses, entries map[string][]string) map[string][]string {
	if entries == nil {
		entries = map[string][]string{}
	}
	for _, u := range users {
		if u.ID != "" {
			entries[u.ID] = sortedUnique(u.Licenses)
		}
	}
	return entries
}

// run lists every page from the probe's first one, with the paging rules of WalkLicenseUsers.
// It runs only after the probe, which set first and size and does not change them again.
func (l *orgListing) run(c *Client) {
	entries := map[string][]string{}
	err := c.walkLicenseUsersFrom(c.baseCtx, l.first, l.size, func(users []UserLicenses) bool {
		listingEntries(users, entries)
		return true
	})
	l.mu.Lock()
	defer l.mu.Unlock()
	defer close(l.done)
	l.first = nil
	if err != nil {
		l.state = listingOff
		tflog.SubsystemDebug(c.logCtx(context.Background()), logSubsystem,
			"Listing the organization for this refresh failed; reading users in batches", map[string]any{"error": err.Error()})
		return
	}
	l.entries = entries
	l.state = listingReady
	tflog.SubsystemDebug(c.logCtx(context.Background()), logSubsystem,
		"Listed the organization's users for this refresh", map[string]any{"users": len(entries), "pages": l.pages})
}
