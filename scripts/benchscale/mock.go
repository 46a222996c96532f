package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/purecloud-terraform/terraform-provider-purecloud/internal/mockapi"
)

// The OAuth client the mock accepts and the provider uses.
const (
	mockClientID     = "bench-client"
	mockClientSecret = "bench-secret"
)

// mockProcess is the standalone mock (cmd/purecloud-mockapi) running as a child process.
type mockProcess struct {
	cmd  *exec.Cmd
	done chan struct{}
	url  string
}

// startMock starts the mock binary with the given flags and waits for the base URL it prints
// on its first line of standard output. Its standard error goes to logFile.
func startMock(ctx context.Context, bin, logFile string, args ...string) (*mockProcess, error) {
	logf, err := os.Create(logFile)
	if err != nil {
		return nil, err
	}
	// Not bound to ctx: close stops it with SIGTERM and waits, whatever ended the run.
	cmd := exec.CommandContext(context.WithoutCancel(ctx), bin, args...)
	cmd.Stderr = logf
	out, err := cmd.StdoutPipe()
	if err != nil {
		_ = logf.Close()
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		_ = logf.Close()
		return nil, err
	}
	m := &mockProcess{cmd: cmd, done: make(chan struct{})}
	lines := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		if sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
		_, _ = io.Copy(io.Discard, out)
	}()
	go func() {
		_ = cmd.Wait()
		_ = logf.Close()
		close(m.done)
	}()
	select {
	case url, ok := <-lines:
		if ok && url != "" {
			m.url = url
			return m, nil
		}
	case <-time.After(30 * time.Second):
	case <-ctx.Done():
	}
	m.stop()
	log, _ := os.ReadFile(logFile)
	return nil, fmt.Errorf("the mock did not print its URL; its log:\n%s", log)
}

// stop ends the mock with SIGTERM (SIGKILL after 5 seconds) and waits for it.
func (m *mockProcess) stop() {
	_ = m.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-m.done:
	case <-time.After(5 * time.Second):
		_ = m.cmd.Process.Kill()
		<-m.done
	}
}

// adminClient talks to the mock's admin API (/_mock/...), which is neither authenticated nor
// counted in the stats.
type adminClient struct {
	base string
	http *http.Client
}

func newAdminClient(base string) *adminClient {
	return &adminClient{base: base, http: &http.Client{Timeout: 30 * time.Second}}
}

func (a *adminClient) do(ctx context.Context, method, path string, body, out any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, a.base+path, rd)
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := a.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("%s %s: %s: %s", method, path, resp.Status, bytes.TrimSpace(b))
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			return fmt.Errorf("%s %s: %w", method, path, err)
		}
	}
	return nil
}

func (a *adminClient) reset(ctx context.Context) error {
	return a.do(ctx, http.MethodPost, "/_mock/reset", nil, nil)
}

func (a *adminClient) stats(ctx context.Context) (mockapi.Stats, error) {
	var s mockapi.Stats
	err := a.do(ctx, http.MethodGet, "/_mock/stats", nil, &s)
	return s, err
}

func (a *adminClient) setLicenses(ctx context.Context, userID string, licenses []string) error {
	return a.do(ctx, http.MethodPut, "/_mock/users/"+userID+"/licenses", licenses, nil)
}

func (a *adminClient) licenses(ctx context.Context, userID string) ([]string, error) {
	var l []string
	err := a.do(ctx, http.MethodGet, "/_mock/users/"+userID+"/licenses", nil, &l)
	return l, err
}

// checkTruth compares the licenses every user 1..n holds on the mock with want (user number →
// license ids; missing means none) and describes up to five differences.
func (a *adminClient) checkTruth(ctx context.Context, n int, want func(user int) []string) error {
	const workers = 8
	var (
		mu    sync.Mutex
		diffs []string
		wrong int
		errs  []error
		next  = make(chan int)
		wg    sync.WaitGroup
	)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				id := mockapi.UserID(i)
				got, err := a.licenses(ctx, id)
				mu.Lock()
				switch {
				case err != nil:
					errs = append(errs, err)
				case !sameSet(got, want(i)):
					wrong++
					if len(diffs) < 5 {
						diffs = append(diffs, fmt.Sprintf("user %s holds %q, want %q", id, got, want(i)))
					}
				}
				mu.Unlock()
			}
		}()
	}
	for i := 1; i <= n && ctx.Err() == nil; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("reading the mock's truth: %w", err)
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if wrong > 0 {
		return fmt.Errorf("the mock's truth differs for %d of %d users: %s", wrong, n, strings.Join(diffs, "; "))
	}
	return nil
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(slices.Compact(a), slices.Compact(b))
}
