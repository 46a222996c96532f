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

	"github.com/purecloud-terraform/terraform-provider-purecloud/internal/mockapi"
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
	req.Close = true
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
	req.Close = true
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
		{name: "negative read-after-write delay", args: []string{"-read-after-write-delay", "-1s"}, wantErr: "-read-after-write-delay"},
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
		"-visibility-delay", "-seed", "-v", "first line of standard output",
		"-profile", "-success-word", "-statuses", "-users-shape", "-unknown-ids", "-duplicate-ids",
		"-read-after-write-delay", "-omit-unlicensed-users", "-permissions",
		"GET /api/v2/license/organization", "legacy", "2019", "3279"} {
		if !strings.Contains(help, f) {
			t.Errorf("help lacks %q", f)
		}
	}
}

func TestHelpListsProfilesAndValues(t *testing.T) {
	t.Parallel()
	var stderr bytes.Buffer
	_ = run(context.Background(), []string{"-h"}, io.Discard, &stderr)
	help := stderr.String()
	for _, want := range append(mockapi.ProfileNames(),
		"all, failures, none, no-content", "ids, objects, user-licenses, user-licenses-objects",
		"per-pair, reject-request", "refuse, accept") {
		if !strings.Contains(help, want) {
			t.Errorf("help lacks %q", want)
		}
	}
}

func TestRunRejectsProfileValues(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args []string
		want []string // in stderr
	}{
		{[]string{"-profile", "fast"}, append([]string{"-profile", `"fast"`}, mockapi.ProfileNames()...)},
		{[]string{"-statuses", "some"}, []string{"-statuses", `"some"`, "all, failures, none, no-content"}},
		{[]string{"-users-shape", "map"}, []string{"-users-shape", `"map"`, "ids, objects, user-licenses, user-licenses-objects"}},
		{[]string{"-unknown-ids", "ignore"}, []string{"-unknown-ids", `"ignore"`, "per-pair, reject-request"}},
		{[]string{"-duplicate-ids", "merge"}, []string{"-duplicate-ids", `"merge"`, "refuse, accept"}},
		{[]string{"-read-after-write-delay", "soon"}, []string{"-read-after-write-delay"}},
		{[]string{"-read-after-write-delay", "-2s"}, []string{"-read-after-write-delay", "negative"}},
		{[]string{"-max-page-size", "many"}, []string{"-max-page-size"}},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			t.Parallel()
			var stdout, stderr bytes.Buffer
			err := run(context.Background(), tt.args, &stdout, &stderr)
			if !errors.Is(err, errUsage) {
				t.Fatalf("err = %v, want a usage error", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(stderr.String(), w) {
					t.Errorf("stderr lacks %q:\n%s", w, stderr.String())
				}
			}
			if !strings.Contains(stderr.String(), "Usage: purecloud-mockapi") {
				t.Error("no usage text")
			}
			if stdout.Len() != 0 {
				t.Errorf("stdout = %q", stdout.String())
			}
		})
	}
}

func TestRunProfileFlags(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		args        []string
		wantProfile string // GET /_mock/faults "profile", compact JSON
	}{
		{name: "default", args: nil,
			wantProfile: `{"success_word":"","statuses":"","users_shape":"","omit_unlicensed_users":false,"unknown_ids":"","duplicate_ids":"","max_page_size":0,"read_after_write_delay":"0s"}`},
		{name: "named", args: []string{"-profile", "small-pages"},
			wantProfile: `{"success_word":"","statuses":"","users_shape":"","omit_unlicensed_users":false,"unknown_ids":"","duplicate_ids":"","max_page_size":25,"read_after_write_delay":"0s"}`},
		{name: "named with overrides", args: []string{"-profile", "success-uppercase", "-success-word", "Assigned", "-statuses", "failures",
			"-users-shape", "user-licenses-objects", "-unknown-ids", "reject-request", "-duplicate-ids", "accept", "-max-page-size", "40",
			"-read-after-write-delay", "1500ms", "-omit-unlicensed-users"},
			wantProfile: `{"success_word":"Assigned","statuses":"failures","users_shape":"user-licenses-objects","omit_unlicensed_users":true,"unknown_ids":"reject-request","duplicate_ids":"accept","max_page_size":40,"read_after_write_delay":"1.5s"}`},
		{name: "override keeps the rest of the profile", args: []string{"-profile", "read-after-write-2s", "-statuses", "none"},
			wantProfile: `{"success_word":"","statuses":"none","users_shape":"","omit_unlicensed_users":false,"unknown_ids":"","duplicate_ids":"","max_page_size":0,"read_after_write_delay":"2s"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			base, _, _ := startRun(t, tt.args...)
			var f map[string]json.RawMessage
			if s := getJSON(t, base, "/_mock/faults", "", &f); s != 200 {
				t.Fatalf("faults: %d", s)
			}
			if got := string(f["profile"]); got != tt.wantProfile {
				t.Errorf("profile =\n%s\nwant\n%s", got, tt.wantProfile)
			}
		})
	}
}

func TestRunProfileOnTheWire(t *testing.T) {
	t.Parallel()
	base, _, _ := startRun(t, "-users", "2", "-profile", "users-objects", "-success-word", "SUCCESS", "-max-page-size", "5")
	_, token := getToken(t, base, mockapi.DefaultClientID, mockapi.DefaultClientSecret)
	user := "00000000-0000-4000-8000-000000000001"
	status, body := postJSON(t, base, "/api/v2/license/organization", token,
		`{"assignments":[{"licenseId":"communicate","userIdsAdd":["`+user+`"],"userIdsRemove":[]}]}`)
	if want := `[{"userId":"` + user + `","licenseId":"communicate","result":"SUCCESS"}]`; status != 200 || body != want {
		t.Errorf("batch: %d %s, want %s", status, body, want)
	}
	status, body = postJSON(t, base, "/api/v2/license/users", token, `["`+user+`"]`)
	if want := `{"` + user + `":[{"id":"communicate","selfUri":"/api/v2/license/definitions/communicate"}]}`; status != 200 || body != want {
		t.Errorf("users: %d %s, want %s", status, body, want)
	}
	if s := getJSON(t, base, "/api/v2/license/users?pageSize=6", token, nil); s != http.StatusBadRequest {
		t.Errorf("pageSize 6 with -max-page-size 5: %d", s)
	}
}

func TestRunPermissions(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args                []string
		wantRead, wantWrite int
	}{
		{nil, 200, 200},
		{[]string{"-permissions", "authorization:license:view"}, 200, 403},
		{[]string{"-permissions", " authorization:license:view , authorization:grant:add "}, 200, 200},
		{[]string{"-permissions", ""}, 403, 403},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			t.Parallel()
			base, _, _ := startRun(t, tt.args...)
			_, token := getToken(t, base, mockapi.DefaultClientID, mockapi.DefaultClientSecret)
			if s := getJSON(t, base, "/api/v2/license/definitions", token, nil); s != tt.wantRead {
				t.Errorf("read: %d, want %d", s, tt.wantRead)
			}
			if s, body := postJSON(t, base, "/api/v2/license/organization", token, `{"assignments":[]}`); s != tt.wantWrite {
				t.Errorf("write: %d %s, want %d", s, body, tt.wantWrite)
			}
			// getLicenseUsers needs no permission.
			if s := getJSON(t, base, "/api/v2/license/users", token, nil); s != 200 {
				t.Errorf("list: %d", s)
			}
		})
	}
}

func TestRunVerboseLogsDrops(t *testing.T) {
	t.Parallel()
	base, stderr, cancel := startRun(t, "-v")
	_, token := getToken(t, base, mockapi.DefaultClientID, mockapi.DefaultClientSecret)
	if s, body := postJSON(t, base, "/_mock/faults", "", `{"fail_next":{"count":1,"route":"POST /api/v2/license/organization","drop":true}}`); s != 200 {
		t.Fatalf("faults: %d %s", s, body)
	}
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, base+"/api/v2/license/organization", strings.NewReader(`{"assignments":[]}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	if res, err := http.DefaultClient.Do(req); err == nil {
		res.Body.Close()
		t.Fatalf("got a response (%d) through the logger, want a dropped connection", res.StatusCode)
	}
	// A hijacked connection is no longer the server's: the handler may still be logging when the
	// client sees the drop, and shutting down does not wait for it. Wait for the line.
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(stderr.String(), "POST /api/v2/license/organization dropped") && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if err := cancel(); err != nil {
		t.Fatal(err)
	}
	if logs := stderr.String(); !strings.Contains(logs, "POST /api/v2/license/organization dropped") {
		t.Errorf("-v log:\n%s", logs)
	}
}

func postJSON(t *testing.T, base, path, token, body string) (int, string) {
	t.Helper()
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, base+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	req.Close = true
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, string(b)
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
