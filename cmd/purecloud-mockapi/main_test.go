package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// TestMain lets TestSignal run main() in a child process of the test binary.
func TestMain(m *testing.M) {
	if args, ok := os.LookupEnv("PURECLOUD_MOCKAPI_RUN_MAIN"); ok {
		os.Args = append([]string{"purecloud-mockapi"}, strings.Fields(args)...)
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// syncBuffer is a goroutine-safe bytes.Buffer.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startRun runs run() in the background and returns the first stdout line.
func startRun(t *testing.T, args ...string) (base string, stderr *syncBuffer, cancel func() error) {
	t.Helper()
	ctx, stop := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	stderr = &syncBuffer{}
	done := make(chan error, 1)
	go func() {
		err := run(ctx, args, pw, stderr)
		pw.Close()
		done <- err
	}()
	lines := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		if sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
		_, _ = io.Copy(io.Discard, pr)
	}()
	select {
	case base = <-lines:
	case err := <-done:
		stop()
		t.Fatalf("run returned before printing the URL: %v; stderr: %s", err, stderr)
	case <-time.After(10 * time.Second):
		stop()
		t.Fatal("no URL printed")
	}
	var once sync.Once
	var runErr error
	cancel = func() error {
		once.Do(func() {
			stop()
			select {
			case runErr = <-done:
			case <-time.After(10 * time.Second):
				runErr = errors.New("run did not return after cancellation")
			}
		})
		return runErr
	}
	t.Cleanup(func() { _ = cancel() })
	return base, stderr, cancel
}

func getToken(t *testing.T, base, id, secret string) (int, string) {
	t.Helper()
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, base+"/oauth/token", strings.NewReader("grant_type=client_credentials"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(id, secret)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var tok struct {
		AccessToken string `json:"access_token"`
		ExpiresIn   int    `json:"expires_in"`
	}
	_ = json.NewDecoder(res.Body).Decode(&tok)
	return res.StatusCode, tok.AccessToken
}

func getJSON(t *testing.T, base, path, token string, v any) int {
	t.Helper()
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, base+path, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if v != nil {
		if err := json.NewDecoder(res.Body).Decode(v); err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
	}
	return res.StatusCode
}

func TestRunServesAndStops(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	seed := filepath.Join(dir, "seed.json")
	if err := os.WriteFile(seed, []byte(`{"users":{"seed-user":["cloudCX2","gc2WEMupgrade"]},"roles":{"seed-role":["collaborate"]}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	base, stderr, cancel := startRun(t, "-listen", "127.0.0.1:0", "-users", "30", "-client-id", "cid", "-client-secret", "csecret",
		"-rate-limit", "5", "-max-page-size", "10", "-seed", seed, "-v")
	u, err := url.Parse(base)
	if err != nil || u.Scheme != "http" || u.Hostname() != "127.0.0.1" || u.Port() == "" || u.Port() == "0" || u.Path != "" {
		t.Fatalf("first line %q is not a base URL", base)
	}

	if status, _ := getToken(t, base, "cid", "wrong"); status != http.StatusUnauthorized {
		t.Errorf("wrong secret: %d", status)
	}
	status, token := getToken(t, base, "cid", "csecret")
	if status != http.StatusOK || token == "" {
		t.Fatalf("token: %d", status)
	}
	var listing struct {
		Total     int `json:"total"`
		PageCount int `json:"pageCount"`
	}
	if s := getJSON(t, base, "/api/v2/license/users?pageSize=10", token, &listing); s != 200 || listing.Total != 31 || listing.PageCount != 4 {
		t.Errorf("listing: %d %+v", s, listing)
	}
	if s := getJSON(t, base, "/api/v2/license/users?pageSize=11", token, nil); s != http.StatusBadRequest {
		t.Errorf("pageSize above -max-page-size: %d", s)
	}
	var user struct {
		Licenses []struct {
			ID string `json:"id"`
		} `json:"licenses"`
	}
	if s := getJSON(t, base, "/api/v2/license/users/seed-user", token, &user); s != 200 || len(user.Licenses) != 2 {
		t.Errorf("seed user: %d %+v", s, user)
	}
	// -rate-limit 5: three requests so far, two more pass, the sixth is refused.
	for i := range 2 {
		if s := getJSON(t, base, "/api/v2/license/definitions", token, nil); s != 200 {
			t.Errorf("request %d: %d", i, s)
		}
	}
	if s := getJSON(t, base, "/api/v2/license/definitions", token, nil); s != http.StatusTooManyRequests {
		t.Errorf("sixth request: %d", s)
	}
	var stats struct {
		Requests    map[string]int `json:"requests"`
		RateLimited int            `json:"rate_limited"`
	}
	if s := getJSON(t, base, "/_mock/stats", "", &stats); s != 200 || stats.RateLimited != 1 || stats.Requests["POST /oauth/token"] != 2 {
		t.Errorf("stats: %d %+v", s, stats)
	}

	if err := cancel(); err != nil {
		t.Fatalf("run: %v", err)
	}
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, base+"/_mock/stats", nil)
	if res, err := http.DefaultClient.Do(req); err == nil {
		res.Body.Close()
		t.Error("still serving after cancellation")
	}
	logs := stderr.String()
	if !strings.Contains(logs, "GET /api/v2/license/users/seed-user 200") || strings.Contains(logs, token) {
		t.Errorf("-v log:\n%s", logs)
	}
}

func TestRunQuietWithoutVerbose(t *testing.T) {
	t.Parallel()
	base, stderr, cancel := startRun(t)
	if s := getJSON(t, base, "/_mock/stats", "", nil); s != 200 {
		t.Errorf("stats: %d", s)
	}
	if status, _ := getToken(t, base, "mock-client-id", "mock-client-secret"); status != 200 {
		t.Errorf("default credentials: %d", status)
	}
	if err := cancel(); err != nil {
		t.Fatal(err)
	}
	if s := stderr.String(); s != "" {
		t.Errorf("stderr without -v: %q", s)
	}
}

func TestRunRejects(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		args    []string
		wantErr string
	}{
		{name: "all interfaces", args: []string{"-listen", ":0"}, wantErr: "-allow-remote"},
		{name: "wildcard", args: []string{"-listen", "0.0.0.0:0"}, wantErr: "-allow-remote"},
		{name: "named host", args: []string{"-listen", "example.com:8080"}, wantErr: "-allow-remote"},
		{name: "no port", args: []string{"-listen", "127.0.0.1"}, wantErr: "missing port"},
		{name: "bad error rate", args: []string{"-error-rate", "2"}, wantErr: "-error-rate"},
		{name: "missing seed", args: []string{"-seed", "/nonexistent/seed.json"}, wantErr: "no such file"},
		{name: "unknown flag", args: []string{"-nope"}, wantErr: "usage error"},
		{name: "stray argument", args: []string{"serve"}, wantErr: "usage error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var stdout, stderr bytes.Buffer
			err := run(context.Background(), tt.args, &stdout, &stderr)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("err = %v, want it to contain %q", err, tt.wantErr)
			}
			if stdout.Len() != 0 {
				t.Errorf("stdout = %q", stdout.String())
			}
		})
	}
}

func TestRunAllowRemoteAndIPv6Loopback(t *testing.T) {
	t.Parallel()
	if err := checkListen("0.0.0.0:0", true); err != nil {
		t.Error(err)
	}
	for _, ok := range []string{"127.0.0.1:0", "127.0.0.5:80", "[::1]:0", "localhost:0"} {
		if err := checkListen(ok, false); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
}

func TestHelpDocumentsEveryFlag(t *testing.T) {
	t.Parallel()
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), []string{"-h"}, &stdout, &stderr)
	if !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("err = %v", err)
	}
	help := stderr.String()
	for _, f := range []string{"-listen", "-allow-remote", "-users", "-client-id", "-client-secret", "-token-lifetime",
		"-max-batch-users", "-max-page-size", "-latency", "-rate-limit", "-rate-limit-window", "-error-rate",
		"-visibility-delay", "-seed", "-v", "first line of standard output"} {
		if !strings.Contains(help, f) {
			t.Errorf("help lacks %q", f)
		}
	}
}

// TestSignal runs main() in a child process and stops it with SIGINT and SIGTERM.
func TestSignal(t *testing.T) {
	t.Parallel()
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			t.Parallel()
			cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^$")
			cmd.Env = append(os.Environ(), "PURECLOUD_MOCKAPI_RUN_MAIN=-listen 127.0.0.1:0 -users 3")
			stdout, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			var stderr syncBuffer
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = cmd.Process.Kill() })
			line, err := bufio.NewReader(stdout).ReadString('\n')
			if err != nil || !strings.HasPrefix(line, "http://127.0.0.1:") {
				t.Fatalf("first line %q: %v; stderr %s", line, err, stderr.String())
			}
			base := strings.TrimSpace(line)
			if s := getJSON(t, base, "/_mock/stats", "", nil); s != 200 {
				t.Fatalf("stats: %d", s)
			}
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("exit after %v: %v; stderr %s", sig, err, stderr.String())
				}
			case <-time.After(10 * time.Second):
				t.Fatalf("did not stop on %v", sig)
			}
		})
	}
}
