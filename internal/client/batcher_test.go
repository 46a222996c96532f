package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/purecloud-terraform/terraform-provider-purecloud/internal/mockapi"
)

// licensesOf returns a user's licenses in the mock.
func licensesOf(t *testing.T, srv *mockapi.Server, user string) []string {
	t.Helper()
	l, ok := srv.UserLicenses(user)
	if !ok {
		t.Fatalf("user %s does not exist", user)
	}
	return l
}

func TestBatcher_100ConcurrentCallers(t *testing.T) {
	t.Parallel()
	srv, base := newMock(t, mockapi.Options{Users: 100, Faults: mockapi.Faults{
		RateLimitPerMinute: -1,
		ItemFailures: map[string]string{
			mockapi.UserID(7) + "/" + mockapi.LicenseCollaborate:  mockapi.ResultNoSeatsAvailable,
			mockapi.UserID(42) + "/" + mockapi.LicenseCommunicate: "Weird",
		},
	}})
	cfg := testConfig(base)
	cfg.BatchWindow = time.Second
	c := newTestClient(t, cfg)

	type result struct {
		st  []LicenseUpdateStatus
		err error
	}
	results := make([]result, 101)
	var wg sync.WaitGroup
	start := time.Now()
	for i := 1; i <= 100; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			u := mockapi.UserID(i)
			st, err := c.ApplyLicenseChanges(context.Background(), []LicenseChange{
				add(u, mockapi.LicenseCommunicate), add(u, mockapi.LicenseCollaborate),
			})
			results[i] = result{st, err}
		}()
	}
	wg.Wait()
	if n := requests(srv, mockapi.RoutePostOrganization); n < 1 || n > 2 {
		t.Errorf("postLicenseOrganization requests = %d, want 1 or 2", n)
	}
	if elapsed := time.Since(start); elapsed > 15*time.Second {
		t.Errorf("took %s", elapsed)
	}
	for i := 1; i <= 100; i++ {
		u := mockapi.UserID(i)
		r := results[i]
		if r.err != nil || len(r.st) != 2 {
			t.Fatalf("caller %d: %v, %v", i, r.st, r.err)
		}
		want := []string{"Success", "Success"}
		switch i {
		case 7:
			want[1] = "NoSeatsAvailable"
		case 42:
			want[0] = "Weird"
		}
		for j, lic := range []string{mockapi.LicenseCommunicate, mockapi.LicenseCollaborate} {
			if s := r.st[j]; s.UserID != u || s.LicenseID != lic || s.Result != want[j] {
				t.Errorf("caller %d status %d = %+v, want result %s", i, j, s, want[j])
			}
		}
	}
	if l := licensesOf(t, srv, mockapi.UserID(7)); !equalStrings(l, []string{mockapi.LicenseCommunicate}) {
		t.Errorf("user 7: %v", l)
	}
	if l := licensesOf(t, srv, mockapi.UserID(99)); !equalStrings(l, []string{mockapi.LicenseCollaborate, mockapi.LicenseCommunicate}) {
		t.Errorf("user 99: %v", l)
	}
}

func TestBatcher_AddRemoveOrdering(t *testing.T) {
	t.Parallel()
	srv, base := newMock(t, mockapi.Options{})
	cfg := testConfig(base)
	cfg.BatchWindow = 300 * time.Millisecond
	c := newTestClient(t, cfg)
	u1, u2, u3 := mockapi.UserID(1), mockapi.UserID(2), mockapi.UserID(3)
	srv.SetUserLicenses(u2, []string{mockapi.LicenseCloudCX1})
	ctx := context.Background()

	var wg sync.WaitGroup
	var first, second, third []LicenseUpdateStatus
	var err1, err2, err3 error
	wg.Add(3)
	go func() {
		defer wg.Done()
		first, err1 = c.ApplyLicenseChanges(ctx, []LicenseChange{
			add(u1, mockapi.LicenseCloudCX1), remove(u2, mockapi.LicenseCloudCX1), add(u3, mockapi.LicenseCollaborate),
		})
	}()
	time.Sleep(50 * time.Millisecond) // submitted after the first, inside the same window
	go func() {
		defer wg.Done()
		second, err2 = c.ApplyLicenseChanges(ctx, []LicenseChange{
			remove(u1, mockapi.LicenseCloudCX1), add(u2, mockapi.LicenseCloudCX1),
		})
	}()
	time.Sleep(50 * time.Millisecond)
	go func() {
		defer wg.Done()
		third, err3 = c.ApplyLicenseChanges(ctx, []LicenseChange{
			add(u1, mockapi.LicenseCloudCX1), add(u3, mockapi.LicenseCollaborate),
		})
	}()
	wg.Wait()
	for i, r := range []struct {
		st  []LicenseUpdateStatus
		err error
	}{{first, err1}, {second, err2}, {third, err3}} {
		if r.err != nil {
			t.Fatalf("caller %d: %v", i, r.err)
		}
		for _, s := range r.st {
			if !s.Succeeded() {
				t.Errorf("caller %d: %+v", i, s)
			}
		}
	}
	// Last submitted operations win: u1 add, u2 add, u3 add.
	if l := licensesOf(t, srv, u1); !equalStrings(l, []string{mockapi.LicenseCloudCX1}) {
		t.Errorf("u1: %v", l)
	}
	if l := licensesOf(t, srv, u2); !equalStrings(l, []string{mockapi.LicenseCloudCX1}) {
		t.Errorf("u2: %v", l)
	}
	if l := licensesOf(t, srv, u3); !equalStrings(l, []string{mockapi.LicenseCollaborate}) {
		t.Errorf("u3: %v", l)
	}
	// add,remove,add for u1 needs three requests; everything else rides along.
	if n := requests(srv, mockapi.RoutePostOrganization); n != 3 {
		t.Errorf("requests = %d, want 3", n)
	}

	// The final op being a remove leaves the license removed.
	st, err := c.ApplyLicenseChanges(ctx, []LicenseChange{add(u1, mockapi.LicenseWallboardUser), remove(u1, mockapi.LicenseWallboardUser)})
	if err != nil || !st[0].Succeeded() || !st[1].Succeeded() {
		t.Fatalf("%v %v", st, err)
	}
	if l := licensesOf(t, srv, u1); !equalStrings(l, []string{mockapi.LicenseCloudCX1}) {
		t.Errorf("u1 after add+remove: %v", l)
	}
}

func TestBatcher_SplitsOversizedBatches(t *testing.T) {
	t.Parallel()
	// The mock refuses more than 5 users per request, so an unsplit request would fail.
	srv, base := newMock(t, mockapi.Options{Users: 23, MaxBatchUsers: 5})
	cfg := testConfig(base)
	cfg.BatchWindow = 200 * time.Millisecond
	cfg.MaxBatchUsers = 5
	c := newTestClient(t, cfg)
	var changes []LicenseChange
	for i := 1; i <= 23; i++ {
		changes = append(changes, add(mockapi.UserID(i), mockapi.LicenseCloudCX1), add(mockapi.UserID(i), mockapi.LicenseWallboardUser))
	}
	st, err := c.ApplyLicenseChanges(context.Background(), changes)
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range st {
		if !s.Succeeded() || s.UserID != changes[i].UserID || s.LicenseID != changes[i].LicenseID {
			t.Errorf("status %d: %+v", i, s)
		}
	}
	if n := requests(srv, mockapi.RoutePostOrganization); n != 5 {
		t.Errorf("requests = %d, want 5 (23 users by 5)", n)
	}
	if l := licensesOf(t, srv, mockapi.UserID(23)); len(l) != 2 {
		t.Errorf("user 23: %v", l)
	}
}

func TestBatcher_SizeTriggersFlush(t *testing.T) {
	t.Parallel()
	srv, base := newMock(t, mockapi.Options{Users: 20})
	cfg := testConfig(base)
	cfg.BatchWindow = 30 * time.Second
	cfg.MaxBatchUsers = 10
	c := newTestClient(t, cfg)
	var wg sync.WaitGroup
	start := time.Now()
	for i := 1; i <= 10; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.ApplyLicenseChanges(context.Background(), []LicenseChange{add(mockapi.UserID(i), mockapi.LicenseCommunicate)}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if elapsed := time.Since(start); elapsed > 10*time.Second {
		t.Errorf("flush waited %s; holding MaxBatchUsers users must flush at once", elapsed)
	}
	if n := requests(srv, mockapi.RoutePostOrganization); n != 1 {
		t.Errorf("requests = %d, want 1", n)
	}
}

func TestBatcher_RequestFailureIsolated(t *testing.T) {
	t.Parallel()
	srv, base := newMock(t, mockapi.Options{Faults: mockapi.Faults{
		RateLimitPerMinute: -1,
		FailNext:           &mockapi.FailNext{Count: 1, Status: http.StatusNotImplemented, Route: mockapi.RoutePostOrganization},
	}})
	cfg := testConfig(base)
	cfg.BatchWindow = 200 * time.Millisecond
	cfg.MaxBatchUsers = 2
	c := newTestClient(t, cfg)
	errs := make([]error, 4)
	sts := make([][]LicenseUpdateStatus, 4)
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sts[i], errs[i] = c.ApplyLicenseChanges(context.Background(), []LicenseChange{add(mockapi.UserID(i+1), mockapi.LicenseCommunicate)})
		}()
		time.Sleep(5 * time.Millisecond) // two users fill a batch: two flushes of two callers each
	}
	wg.Wait()
	failed := 0
	for i, err := range errs {
		u := mockapi.UserID(i + 1)
		if err != nil {
			failed++
			var apiErr *APIError
			if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusNotImplemented {
				t.Errorf("caller %d: %v", i, err)
			}
			if len(sts[i]) != 1 || sts[i][0].Result != ResultRequestFailed {
				t.Errorf("caller %d statuses %v", i, sts[i])
			}
			if l := licensesOf(t, srv, u); len(l) != 0 {
				t.Errorf("failed caller %d's user changed: %v", i, l)
			}
		} else if !sts[i][0].Succeeded() || len(licensesOf(t, srv, u)) != 1 {
			t.Errorf("caller %d: %v", i, sts[i])
		}
	}
	if failed != 2 {
		t.Errorf("%d callers failed, want 2 (those in the failed request)", failed)
	}
	if n := requests(srv, mockapi.RoutePostOrganization); n != 2 {
		t.Errorf("requests = %d, want 2 (501 is neither retried nor split)", n)
	}
}

func TestBatcher_CancelledCallerWithdrawn(t *testing.T) {
	t.Parallel()
	srv, base := newMock(t, mockapi.Options{})
	cfg := testConfig(base)
	cfg.BatchWindow = 500 * time.Millisecond
	c := newTestClient(t, cfg)

	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	results := make([]error, 5)
	for i := range 5 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cctx := context.Background()
			if i == 0 {
				cctx = ctx
			}
			st, err := c.ApplyLicenseChanges(cctx, []LicenseChange{add(mockapi.UserID(i+1), mockapi.LicenseCommunicate)})
			if err == nil && !st[0].Succeeded() {
				err = fmt.Errorf("status %+v", st[0])
			}
			if i == 0 && (len(st) != 1 || st[0].Result != ResultNotSent) {
				err = fmt.Errorf("cancelled caller statuses %v (err %w)", st, err)
			}
			results[i] = err
		}()
	}
	time.Sleep(100 * time.Millisecond)
	cancel()
	wg.Wait()
	if !errors.Is(results[0], context.Canceled) {
		t.Errorf("cancelled caller: %v", results[0])
	}
	for i := 1; i < 5; i++ {
		if results[i] != nil {
			t.Errorf("caller %d: %v", i, results[i])
		}
		if l := licensesOf(t, srv, mockapi.UserID(i+1)); len(l) != 1 {
			t.Errorf("user %d: %v", i+1, l)
		}
	}
	if l := licensesOf(t, srv, mockapi.UserID(1)); len(l) != 0 {
		t.Errorf("cancelled caller's change was sent: %v", l)
	}
	if n := requests(srv, mockapi.RoutePostOrganization); n != 1 {
		t.Errorf("requests = %d, want 1", n)
	}
}

func TestBatcher_CancelDoesNotAbortSharedRequest(t *testing.T) {
	t.Parallel()
	srv, base := newMock(t, mockapi.Options{Faults: mockapi.Faults{RateLimitPerMinute: -1, Latency: 500 * time.Millisecond}})
	cfg := testConfig(base)
	cfg.BatchWindow = 50 * time.Millisecond
	c := newTestClient(t, cfg)
	// Warm the token so the request is in flight when the caller gives up.
	if _, err := c.GetLicenseToggle(context.Background(), "warm"); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 250*time.Millisecond)
	defer cancel()
	var wg sync.WaitGroup
	var errA, errB error
	var stA, stB []LicenseUpdateStatus
	wg.Add(2)
	go func() {
		defer wg.Done()
		stA, errA = c.ApplyLicenseChanges(ctx, []LicenseChange{add(mockapi.UserID(1), mockapi.LicenseCollaborate)})
	}()
	go func() {
		defer wg.Done()
		stB, errB = c.ApplyLicenseChanges(context.Background(), []LicenseChange{add(mockapi.UserID(2), mockapi.LicenseCollaborate)})
	}()
	wg.Wait()
	// A's change was in flight when its deadline passed: A waits for the outcome (within the
	// grace) and gets the real status.
	if errA != nil || !stA[0].Succeeded() {
		t.Errorf("caller A: %v %v", stA, errA)
	}
	if errB != nil || !stB[0].Succeeded() {
		t.Fatalf("caller B: %v %v", stB, errB)
	}
	// A's change was in the shared, in-flight request: applied anyway.
	if l := licensesOf(t, srv, mockapi.UserID(1)); len(l) != 1 {
		t.Errorf("user 1: %v", l)
	}
	if n := requests(srv, mockapi.RoutePostOrganization); n != 1 {
		t.Errorf("requests = %d, want 1", n)
	}
}

func TestBatcher_WindowZero(t *testing.T) {
	t.Parallel()
	srv, base := newMock(t, mockapi.Options{Users: 10, MaxBatchUsers: 3})
	cfg := testConfig(base)
	cfg.MaxBatchUsers = 3
	c := newTestClient(t, cfg)
	ctx := context.Background()
	for i := 1; i <= 4; i++ {
		st, err := c.ApplyLicenseChanges(ctx, []LicenseChange{add(mockapi.UserID(i), mockapi.LicenseCommunicate)})
		if err != nil || !st[0].Succeeded() {
			t.Fatalf("call %d: %v %v", i, st, err)
		}
	}
	if n := requests(srv, mockapi.RoutePostOrganization); n != 4 {
		t.Errorf("requests = %d, want one per call (4)", n)
	}
	// One call: split by size (7 users by 3) and by the add/remove conflict (one more).
	var changes []LicenseChange
	for i := 1; i <= 7; i++ {
		changes = append(changes, add(mockapi.UserID(i), mockapi.LicenseCollaborate))
	}
	changes = append(changes, remove(mockapi.UserID(1), mockapi.LicenseCollaborate))
	st, err := c.ApplyLicenseChanges(ctx, changes)
	if err != nil || len(st) != 8 {
		t.Fatal(st, err)
	}
	for _, s := range st {
		if !s.Succeeded() {
			t.Errorf("%+v", s)
		}
	}
	if n := requests(srv, mockapi.RoutePostOrganization); n != 4+3+1 {
		t.Errorf("requests = %d, want 8", n)
	}
	if l := licensesOf(t, srv, mockapi.UserID(1)); !equalStrings(l, []string{mockapi.LicenseCommunicate}) {
		t.Errorf("user 1: %v", l)
	}
	// Concurrent calls are not merged either.
	var wg sync.WaitGroup
	for i := 1; i <= 3; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.ApplyLicenseChanges(ctx, []LicenseChange{add(mockapi.UserID(i), mockapi.LicenseWallboardUser)}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if n := requests(srv, mockapi.RoutePostOrganization); n != 11 {
		t.Errorf("requests = %d, want 11", n)
	}
}

func TestBatcher_BeginWriteEarlyFlush(t *testing.T) {
	t.Parallel()
	srv, base := newMock(t, mockapi.Options{})
	cfg := testConfig(base)
	cfg.BatchWindow = 30 * time.Second
	c := newTestClient(t, cfg)

	const writers = 10
	ends := make([]func(), writers)
	for i := range writers {
		ends[i] = c.BeginWrite()
	}
	start := time.Now()
	var wg sync.WaitGroup
	for i := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer ends[i]()
			time.Sleep(time.Duration(i*5) * time.Millisecond) // staggered arrivals
			st, err := c.ApplyLicenseChanges(context.Background(), []LicenseChange{add(mockapi.UserID(i+1), mockapi.LicenseCommunicate)})
			if err != nil || !st[0].Succeeded() {
				t.Errorf("writer %d: %v %v", i, st, err)
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	if elapsed > 5*time.Second {
		t.Errorf("took %s; with every writer waiting the batch must flush well before the 30 s window", elapsed)
	}
	if n := requests(srv, mockapi.RoutePostOrganization); n != 1 {
		t.Errorf("requests = %d, want 1 (staggered arrivals still coalesce)", n)
	}
	t.Logf("early flush after %s", elapsed)
}

func TestBatcher_BeginWriteWaitsForBusyWriter(t *testing.T) {
	t.Parallel()
	srv, base := newMock(t, mockapi.Options{})
	cfg := testConfig(base)
	cfg.BatchWindow = time.Second
	c := newTestClient(t, cfg)
	busy := c.BeginWrite() // a write still reading, never applying
	defer busy()
	end := c.BeginWrite()
	start := time.Now()
	_, err := c.ApplyLicenseChanges(context.Background(), []LicenseChange{add(mockapi.UserID(1), mockapi.LicenseCommunicate)})
	end()
	if err != nil {
		t.Fatal(err)
	}
	if elapsed := time.Since(start); elapsed < 950*time.Millisecond {
		t.Errorf("flushed after %s although a begun write was not waiting", elapsed)
	}
	if n := requests(srv, mockapi.RoutePostOrganization); n != 1 {
		t.Errorf("requests = %d", n)
	}

	// When the busy writer ends, a waiting write flushes after the quiet period, well before the
	// window.
	end2 := c.BeginWrite()
	done := make(chan time.Duration)
	go func() {
		s := time.Now()
		_, _ = c.ApplyLicenseChanges(context.Background(), []LicenseChange{add(mockapi.UserID(2), mockapi.LicenseCommunicate)})
		done <- time.Since(s)
	}()
	time.Sleep(50 * time.Millisecond)
	busy()
	if d := <-done; d > 50*time.Millisecond+quietPeriod+250*time.Millisecond {
		t.Errorf("took %s after the busy writer ended", d)
	}
	end2()
}

func TestBatcher_Validation(t *testing.T) {
	t.Parallel()
	_, base := newMock(t, mockapi.Options{})
	cfg := testConfig(base)
	cfg.BatchWindow = 10 * time.Millisecond
	c := newTestClient(t, cfg)
	ctx := context.Background()
	for _, ch := range []LicenseChange{{LicenseID: "a", Op: OpAdd}, {UserID: "u", Op: OpAdd}, {UserID: "u", LicenseID: "a"}} {
		if _, err := c.ApplyLicenseChanges(ctx, []LicenseChange{ch}); err == nil {
			t.Errorf("%+v accepted", ch)
		}
	}
	st, err := c.ApplyLicenseChanges(ctx, nil)
	if err != nil || st == nil || len(st) != 0 {
		t.Errorf("empty: %v %v", st, err)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := c.ApplyLicenseChanges(cctx, []LicenseChange{add("u", "a")}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled ctx: %v", err)
	}
}

func TestBatcher_CloseFailsPending(t *testing.T) {
	t.Parallel()
	srv, base := newMock(t, mockapi.Options{})
	cfg := testConfig(base)
	cfg.BatchWindow = 30 * time.Second
	c, err := New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	errc := make(chan error)
	go func() {
		_, err := c.ApplyLicenseChanges(context.Background(), []LicenseChange{add(mockapi.UserID(1), mockapi.LicenseCommunicate)})
		errc <- err
	}()
	time.Sleep(50 * time.Millisecond)
	c.Close()
	if err := <-errc; !errors.Is(err, ErrClosed) {
		t.Errorf("err = %v; want ErrClosed", err)
	}
	if _, err := c.ApplyLicenseChanges(context.Background(), []LicenseChange{add("u", "a")}); !errors.Is(err, ErrClosed) {
		t.Errorf("after close: %v", err)
	}
	if n := requests(srv, mockapi.RoutePostOrganization); n != 0 {
		t.Errorf("requests = %d", n)
	}
}

// A server answering without some statuses: each missing change gets NoResultReturned.
func TestBatcher_MissingStatuses(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path == "/oauth/token" {
			_, _ = w.Write([]byte(`{"access_token":"tok","token_type":"bearer","expires_in":3600}`))
			return
		}
		var req LicenseBatchAssignmentRequest
		_ = json.NewDecoder(r.Body).Decode(&req)
		var out []LicenseUpdateStatus
		for _, a := range req.Assignments {
			for _, u := range a.UserIDsAdd {
				if u != "u2" {
					// Upper-cased ids: matched case-insensitively.
					out = append(out, LicenseUpdateStatus{UserID: "U" + u[1:], LicenseID: a.LicenseID, Result: "SUCCESS"})
				}
			}
		}
		_ = json.NewEncoder(w).Encode(out)
	}))
	t.Cleanup(srv.Close)
	cfg := testConfig(srv.URL)
	cfg.BatchWindow = 20 * time.Millisecond
	c := newTestClient(t, cfg)
	st, err := c.ApplyLicenseChanges(context.Background(), []LicenseChange{add("u1", "a"), add("u2", "a"), add("u3", "b")})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"SUCCESS", ResultNoResultReturned, "SUCCESS"}
	for i, s := range st {
		if s.Result != want[i] || s.UserID != []string{"u1", "u2", "u3"}[i] {
			t.Errorf("status %d: %+v, want %s", i, s, want[i])
		}
	}
}

// A batch refused as a whole is bisected by caller: the caller whose change is refused fails
// alone, every other caller's change is applied, and the extra requests stay logarithmic.
func TestBatcher_RefusedBatchIsSplitByCaller(t *testing.T) {
	t.Parallel()
	const bad = "11111111-1111-4111-8111-111111111111"
	srv := mockapi.New(mockapi.Options{Users: 8, Faults: mockapi.Faults{RateLimitPerMinute: -1}})
	var refused atomic.Int32
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && r.URL.Path == "/api/v2/license/organization" {
			body, _ := io.ReadAll(r.Body)
			if bytes.Contains(body, []byte(bad)) {
				refused.Add(1)
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusBadRequest)
				_, _ = w.Write([]byte(`{"status":400,"code":"invalid.value","message":"User ` + bad + ` was not found.","details":[],"errors":[]}`))
				return
			}
			r.Body = io.NopCloser(bytes.NewReader(body))
		}
		srv.ServeHTTP(w, r)
	}))
	t.Cleanup(front.Close)
	cfg := testConfig(front.URL)
	cfg.BatchWindow = 300 * time.Millisecond
	c := newTestClient(t, cfg)

	users := []string{bad}
	for i := 1; i <= 7; i++ {
		users = append(users, mockapi.UserID(i))
	}
	sts := make([][]LicenseUpdateStatus, len(users))
	errs := make([]error, len(users))
	var wg sync.WaitGroup
	for i, u := range users {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sts[i], errs[i] = c.ApplyLicenseChanges(context.Background(), []LicenseChange{add(u, mockapi.LicenseCommunicate)})
		}()
	}
	wg.Wait()

	var apiErr *APIError
	if !errors.As(errs[0], &apiErr) || apiErr.StatusCode != http.StatusBadRequest || sts[0][0].Result != ResultRequestFailed {
		t.Errorf("the refused caller: %v %v", sts[0], errs[0])
	}
	for i := 1; i < len(users); i++ {
		if errs[i] != nil || !sts[i][0].Succeeded() {
			t.Errorf("caller %d (user %s): %v %v", i, users[i], sts[i], errs[i])
		}
		if l := licensesOf(t, srv, users[i]); len(l) != 1 {
			t.Errorf("user %s holds %v", users[i], l)
		}
	}
	// 8 callers in one request: 1 + 2 per level of a 3-level bisection.
	if n := refused.Load() + int32(requests(srv, mockapi.RoutePostOrganization)); n > 7 {
		t.Errorf("%d requests, want at most 7", n)
	}
	if refused.Load() != 4 {
		t.Errorf("%d refused requests, want 4 (the whole batch, then one per level)", refused.Load())
	}
}

// A batch stuck on a slow answer does not stall the batches of other users, while a later
// change of the same user waits for it, so that each pair's changes stay in order.
func TestBatcher_IndependentBatchesProceed(t *testing.T) {
	t.Parallel()
	srv := mockapi.New(mockapi.Options{Users: 3, Faults: mockapi.Faults{RateLimitPerMinute: -1}})
	slowUser := mockapi.UserID(1)
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && r.URL.Path == "/api/v2/license/organization" {
			body, _ := io.ReadAll(r.Body)
			if bytes.Contains(body, []byte(slowUser)) && bytes.Contains(body, []byte(mockapi.LicenseCommunicate)) {
				time.Sleep(1500 * time.Millisecond) // as if waiting out a Retry-After
			}
			r.Body = io.NopCloser(bytes.NewReader(body))
		}
		srv.ServeHTTP(w, r)
	}))
	t.Cleanup(front.Close)
	cfg := testConfig(front.URL)
	cfg.BatchWindow = 20 * time.Millisecond
	c := newTestClient(t, cfg)
	ctx := context.Background()

	var wg sync.WaitGroup
	var slowDone, otherDone, sameDone time.Time
	start := time.Now()
	wg.Add(3)
	go func() {
		defer wg.Done()
		if _, err := c.ApplyLicenseChanges(ctx, []LicenseChange{add(slowUser, mockapi.LicenseCommunicate)}); err != nil {
			t.Error(err)
		}
		slowDone = time.Now()
	}()
	time.Sleep(200 * time.Millisecond) // the slow batch is in flight
	go func() {
		defer wg.Done()
		if _, err := c.ApplyLicenseChanges(ctx, []LicenseChange{add(mockapi.UserID(2), mockapi.LicenseCommunicate)}); err != nil {
			t.Error(err)
		}
		otherDone = time.Now()
	}()
	go func() {
		defer wg.Done()
		st, err := c.ApplyLicenseChanges(ctx, []LicenseChange{{UserID: slowUser, LicenseID: mockapi.LicenseCommunicate, Op: OpRemove}})
		if err != nil || !st[0].Succeeded() {
			t.Errorf("%v %v", st, err)
		}
		sameDone = time.Now()
	}()
	wg.Wait()
	if d := otherDone.Sub(start); d > time.Second {
		t.Errorf("another user's write took %s: it waited for the slow batch", d)
	}
	if !sameDone.After(slowDone) {
		t.Error("the same user's later change finished before the slow one: order lost")
	}
	if l := licensesOf(t, srv, slowUser); len(l) != 0 {
		t.Errorf("user 1 holds %v after add then remove", l)
	}
}

// A client that is never closed (the provider's Configure may build several in one process)
// leaves no goroutine behind once its writes and reads are done. Not parallel: it counts the
// process's goroutines.
func TestClient_IdleLeavesNoGoroutines(t *testing.T) {
	_, base := newMock(t, mockapi.Options{Users: 5})
	transport := &http.Transport{}
	before := runtime.NumGoroutine()
	for range 3 {
		cfg := testConfig(base)
		cfg.BatchWindow = 20 * time.Millisecond
		cfg.HTTPTransport = transport
		c, err := New(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		end := c.BeginWrite()
		if _, err := c.ApplyLicenseChanges(context.Background(), []LicenseChange{add(mockapi.UserID(1), mockapi.LicenseCommunicate)}); err != nil {
			t.Fatal(err)
		}
		end()
		if _, err := c.userLicenseIDs(context.Background(), mockapi.UserID(1)); err != nil {
			t.Fatal(err)
		}
	}
	transport.CloseIdleConnections()
	deadline := time.Now().Add(3 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
		transport.CloseIdleConnections()
	}
	if n := runtime.NumGoroutine(); n > before {
		t.Errorf("%d goroutines before, %d after three unclosed clients went idle", before, n)
	}
}

// A write whose token is revoked while the token endpoint refuses every new token never reaches
// the API's operation: its changes are ResultNotSent (certainly not applied) and the error
// matches ErrNotSent and the token failure. A write that reached the API and failed there stays
// ResultRequestFailed: it may have been applied.
func TestApplyLicenseChangesNotSentWithoutToken(t *testing.T) {
	t.Parallel()
	srv, base := newMock(t, mockapi.Options{Users: 2})
	cfg := testConfig(base)
	cfg.MaxRetries = 1
	c := newTestClient(t, cfg)
	ctx := context.Background()
	user := mockapi.UserID(1)
	if _, err := c.GetLicenseUser(ctx, user); err != nil { // the client holds a token
		t.Fatal(err)
	}

	srv.RevokeTokens()
	srv.SetFaults(mockapi.Faults{RateLimitPerMinute: -1, TokenThrottleNext: 100})
	st, err := c.ApplyLicenseChanges(ctx, []LicenseChange{{UserID: user, LicenseID: "cloudCX1", Op: OpAdd}})
	if !errors.Is(err, ErrNotSent) {
		t.Fatalf("err = %v, want one matching ErrNotSent", err)
	}
	if len(st) != 1 || st[0].Result != ResultNotSent {
		t.Errorf("statuses = %v, want NotSent", st)
	}
	if !strings.Contains(err.Error(), "rate limit exceeded") {
		t.Errorf("err = %v, want the token endpoint's refusal", err)
	}
	if held, _ := srv.UserLicenses(user); len(held) != 0 {
		t.Errorf("user holds %v", held)
	}
	if n := requests(srv, mockapi.RoutePostOrganization); n != 1 {
		t.Errorf("%d postLicenseOrganization requests, want 1 (refused with 401)", n)
	}

	// Once the write reached the operation (a 503 after it ran), the outcome is open.
	srv.SetFaults(mockapi.Faults{RateLimitPerMinute: -1,
		FailNext: &mockapi.FailNext{Count: 2, Status: 503, AfterApply: true, Route: mockapi.RoutePostOrganization}})
	st, err = c.ApplyLicenseChanges(ctx, []LicenseChange{{UserID: mockapi.UserID(2), LicenseID: "cloudCX1", Op: OpAdd}})
	if err == nil || errors.Is(err, ErrNotSent) {
		t.Fatalf("err = %v, want a request failure not matching ErrNotSent", err)
	}
	if len(st) != 1 || st[0].Result != ResultRequestFailed {
		t.Errorf("statuses = %v, want RequestFailed", st)
	}
}
