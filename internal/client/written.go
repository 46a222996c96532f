package client

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/purecloud-terraform/terraform-provider-purecloud/internal/wait"
)

// Genesys Cloud may show a license change a little later than it answers it. The client
// remembers the changes it saw applied (the success word) for Config.ReadAfterWriteTolerance,
// and a read of such a user that contradicts one of them is repeated until it does not or the
// tolerance has passed: every reader of this process sees what it wrote, refreshes, read-backs
// and data sources read in the same apply alike.

// writtenChange is one change this client saw applied.
type writtenChange struct {
	add bool
	at  time.Time
}

// writtenMemory is the changes applied recently, per user and license.
type writtenMemory struct {
	mu    sync.Mutex
	users map[string]map[string]writtenChange
}

// note remembers the changes whose status is the success word.
func (m *writtenMemory) note(statuses []LicenseUpdateStatus, changes []LicenseChange, at time.Time) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for i, st := range statuses {
		if i >= len(changes) || !st.Succeeded() {
			continue
		}
		ch := changes[i]
		if m.users == nil {
			m.users = map[string]map[string]writtenChange{}
		}
		if m.users[ch.UserID] == nil {
			m.users[ch.UserID] = map[string]writtenChange{}
		}
		m.users[ch.UserID][ch.LicenseID] = writtenChange{add: ch.Op == OpAdd, at: at}
	}
}

// RememberApplied tells the client of changes applied at a time before this client existed,
// as an earlier process recorded them (a provider learns of them from the state of the
// instances it refreshes), so that reads within the tolerance wait for them as for its own.
func (c *Client) RememberApplied(changes []LicenseChange, at time.Time) {
	if c.cfg.ReadAfterWriteTolerance <= 0 || time.Since(at) >= c.cfg.ReadAfterWriteTolerance {
		return
	}
	statuses := make([]LicenseUpdateStatus, len(changes))
	for i, ch := range changes {
		statuses[i] = LicenseUpdateStatus{UserID: ch.UserID, LicenseID: ch.LicenseID, Result: ResultSuccess}
	}
	c.written.note(statuses, changes, at)
}

// stale returns the users whose read contradicts a change applied within tolerance, and
// forgets older changes.
func (m *writtenMemory) stale(reads map[string]UserRead, tolerance time.Duration) []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []string
	for user, r := range reads {
		changes := m.users[user]
		if r.Err != nil || len(changes) == 0 {
			continue
		}
		for license, ch := range changes {
			if time.Since(ch.at) >= tolerance {
				delete(changes, license)
				continue
			}
			if _, holds := slices.BinarySearch(r.LicenseIDs, license); holds != ch.add {
				out = append(out, user)
				break
			}
		}
		if len(changes) == 0 {
			delete(m.users, user)
		}
	}
	slices.Sort(out)
	return out
}

// awaitWritten re-reads, fresh, the users of reads that contradict a change this client saw
// applied within the tolerance, until they do not or the tolerance has passed.
func (c *Client) awaitWritten(ctx context.Context, reads map[string]UserRead) {
	tolerance := c.cfg.ReadAfterWriteTolerance
	if tolerance <= 0 {
		return
	}
	for attempt := 0; ; attempt++ {
		stale := c.written.stale(reads, tolerance)
		if len(stale) == 0 || !wait.Sleep(ctx, min(250*time.Millisecond<<min(attempt, 3), 2*time.Second)) {
			return
		}
		for id, r := range c.readUsers(ctx, stale) {
			reads[id] = r
		}
	}
}
