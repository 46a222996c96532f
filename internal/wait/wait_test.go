package wait

import (
	"context"
	"testing"
	"time"
)

func TestSleep(t *testing.T) {
	if !Sleep(context.Background(), time.Millisecond) {
		t.Error("a whole wait reported as cut short")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	start := time.Now()
	if Sleep(ctx, time.Hour) {
		t.Error("a wait on an ended context reported as whole")
	}
	if time.Since(start) > time.Second {
		t.Error("a wait on an ended context did not return at once")
	}
	if !Sleep(ctx, 0) {
		t.Error("a zero wait did not pass at once")
	}
}
