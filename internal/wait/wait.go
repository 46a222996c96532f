// Package wait holds the one context-aware pause shared by the client, the provider and the
// mock. It has no dependencies of its own, so any package may import it.
package wait

import (
	"context"
	"time"
)

// Sleep waits for d, or less if ctx ends first; it reports whether the whole wait passed. A
// wait of zero or less passes at once.
func Sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
