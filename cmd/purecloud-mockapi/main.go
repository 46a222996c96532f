// Command purecloud-mockapi runs the in-memory fake Genesys Cloud
// (internal/mockapi) as a standalone HTTP server, for demos, benchmarks and
// checks with other clients such as the official SDKs.
//
// It prints its base URL (for example http://127.0.0.1:41234) as the first line
// of standard output, serves the OAuth token endpoint, the License API and the
// /_mock/ admin API on that one listener, and stops cleanly on SIGINT or SIGTERM.
//
//	go run ./cmd/purecloud-mockapi -listen 127.0.0.1:0 -users 100 -latency 50ms
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/purecloud-terraform/terraform-provider-purecloud/internal/mockapi"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	switch {
	case err == nil:
	case errors.Is(err, flag.ErrHelp):
	case errors.Is(err, errUsage):
		os.Exit(2)
	default:
		fmt.Fprintf(os.Stderr, "purecloud-mockapi: %v\n", err)
		os.Exit(1)
	}
}

// errUsage marks errors already reported with the usage text.
var errUsage = errors.New("usage error")

const usageHeader = `Usage: purecloud-mockapi [flags]

Runs an in-memory fake of the Genesys Cloud OAuth token endpoint, the License API
and the users search of the Users API (the same server the provider's tests use,
package internal/mockapi).

The first line of standard output is the base URL, for example
  http://127.0.0.1:41234
Use it as both the API URL and the login URL. Then:
  POST {url}/oauth/token              client credentials (HTTP Basic), grant_type=client_credentials
  GET  {url}/api/v2/license/...       the License API (bearer token)
  GET  {url}/_mock/stats              request counters; see internal/mockapi for the whole admin API
       (POST /_mock/faults, POST /_mock/reset, PUT /_mock/users/{id}/licenses, ...)

Seeded users have ids 00000000-0000-4000-8000-000000000001 and up, emails
user1@example.com and up (POST {url}/api/v2/users/search), without licenses.
The server stops on SIGINT (Ctrl-C) or SIGTERM.

GET /api/v2/license/organization is still served for older clients, but it is
legacy: Genesys removed it from the live API in 2019 (platform API version 3279).

Where the public API documentation is silent, -profile picks the mock's answers;
-success-word, -statuses, -users-shape, -unknown-ids, -duplicate-ids,
-max-page-size, -read-after-write-delay and -omit-unlicensed-users override
single settings of it. POST /_mock/faults can change them at run time.

Flags:
`

const seedHelp = `JSON ` + "`file`" + ` with extra seed data, restored by POST /_mock/reset:
{"users": {"<userId>": ["<licenseId>", ...]}, "roles": {"<roleId>": ["<licenseId>", ...]},
 "emails": {"<userId>": "<email>"}}`

// seedFile is the format of -seed.
type seedFile struct {
	Users  map[string][]string `json:"users"`
	Roles  map[string][]string `json:"roles"`
	Emails map[string]string   `json:"emails"`
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("purecloud-mockapi", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), usageHeader)
		fs.PrintDefaults()
	}
	var (
		listen          = fs.String("listen", "127.0.0.1:0", "`address` to listen on; port 0 picks a free port. Must be a loopback address unless -allow-remote")
		allowRemote     = fs.Bool("allow-remote", false, "allow a non-loopback -listen address (the mock has no real security: only on trusted networks)")
		users           = fs.Int("users", mockapi.DefaultUsers, "`number` of seeded users (0 for none)")
		clientID        = fs.String("client-id", mockapi.DefaultClientID, "accepted OAuth client `id`")
		clientSecret    = fs.String("client-secret", mockapi.DefaultClientSecret, "accepted OAuth client `secret`")
		tokenLifetime   = fs.Duration("token-lifetime", mockapi.DefaultTokenLifetime, "lifetime of issued access tokens (expires_in, rounded up to seconds)")
		maxBatchUsers   = fs.Int("max-batch-users", mockapi.DefaultMaxBatchUsers, "maximum distinct user ids per POST /api/v2/license/organization and POST /api/v2/license/users request; beyond: 400 invalid.value")
		maxPageSize     = fs.Int("max-page-size", mockapi.DefaultMaxPageSize, "maximum pageSize of GET /api/v2/license/users; beyond: 400 invalid.value. When given, it overrides the profile's")
		latency         = fs.Duration("latency", 0, "`delay` added to every API request; 0 for none")
		rateLimit       = fs.Int("rate-limit", mockapi.DefaultRateLimitPerMinute, "API requests allowed per access token per -rate-limit-window; beyond: 429 with Retry-After. 0 or negative: unlimited")
		rateLimitWindow = fs.Duration("rate-limit-window", mockapi.DefaultRateLimitWindow, "length of the fixed rate-limit window")
		errorRate       = fs.Float64("error-rate", 0, "`fraction` (0..1) of API requests answered 503 service.unavailable; 0 for none")
		visibilityDelay = fs.Duration("visibility-delay", 0, "`delay` before license writes (POST /api/v2/license/organization) become visible to reads; 0 for none")
		seed            = fs.String("seed", "", seedHelp)
		verbose         = fs.Bool("v", false, "log every request to standard error")

		profile      = profileFlag{name: "documented"}
		successWord  = fs.String("success-word", "", "`word` answered as the result of an applied (user, license) pair by POST /api/v2/license/organization (default Success)")
		statuses     = mockapi.StatusesAll
		usersShape   = mockapi.UsersShapeIDs
		unknownIDs   = mockapi.UnknownIDsPerPair
		duplicateIDs = mockapi.DuplicateIDsRefuse
		readDelay    = fs.Duration("read-after-write-delay", 0, "`delay` before every license write becomes visible to reads (the largest of this and -visibility-delay applies)")
		omitUsers    = fs.Bool("omit-unlicensed-users", false, "POST /api/v2/license/users leaves out users who hold no license")
		permissions  permissionsFlag
	)
	fs.Var(&profile, "profile", "behaviour `profile` where the API documentation is silent, one of: "+strings.Join(mockapi.ProfileNames(), ", "))
	fs.TextVar(&statuses, "statuses", mockapi.StatusesAll, modeUsage("which statuses POST /api/v2/license/organization answers (`mode`): all; failures (only pairs not applied); none ([]); no-content (204)",
		mockapi.StatusesAll, mockapi.StatusesFailures, mockapi.StatusesNone, mockapi.StatusesNoContent))
	fs.TextVar(&usersShape, "users-shape", mockapi.UsersShapeIDs, modeUsage("`shape` of the value per user in the POST /api/v2/license/users answer: ids ([\"cloudCX1\"]); objects ([{id, selfUri}]); user-licenses ({id, licenses: [ids], selfUri}); user-licenses-objects ({id, licenses: [{id, selfUri}], selfUri})",
		mockapi.UsersShapeIDs, mockapi.UsersShapeObjects, mockapi.UsersShapeUserLicenses, mockapi.UsersShapeUserLicensesObjects))
	fs.TextVar(&unknownIDs, "unknown-ids", mockapi.UnknownIDsPerPair, modeUsage("what an unknown user or license id in POST /api/v2/license/organization does (`mode`): per-pair (UserNotFound / LicenseNotFound statuses); reject-request (400 invalid.value, nothing applied)",
		mockapi.UnknownIDsPerPair, mockapi.UnknownIDsRejectRequest))
	fs.TextVar(&duplicateIDs, "duplicate-ids", mockapi.DuplicateIDsRefuse, modeUsage("what a user id repeated in one userIdsAdd or userIdsRemove list does (`mode`): refuse (400 invalid.value); accept (treated once)",
		mockapi.DuplicateIDsRefuse, mockapi.DuplicateIDsAccept))
	fs.Var(&permissions, "permissions", "comma-separated `list` of the permissions granted to the OAuth client, such as authorization:license:view; routes that need others answer 403. Absent: every permission; empty: none")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return fmt.Errorf("%w: %w", errUsage, err)
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "purecloud-mockapi: unexpected arguments: %q\n", fs.Args())
		fs.Usage()
		return errUsage
	}
	if *readDelay < 0 {
		fmt.Fprintf(stderr, "purecloud-mockapi: -read-after-write-delay must not be negative, got %v\n", *readDelay)
		fs.Usage()
		return fmt.Errorf("%w: -read-after-write-delay %v is negative", errUsage, *readDelay)
	}
	if *errorRate < 0 || *errorRate > 1 {
		return fmt.Errorf("-error-rate must be between 0 and 1, got %v", *errorRate)
	}
	if *latency < 0 || *visibilityDelay < 0 || *rateLimitWindow < 0 || *tokenLifetime <= 0 {
		return errors.New("durations must not be negative, and -token-lifetime must be positive")
	}
	if *maxBatchUsers <= 0 || *maxPageSize <= 0 {
		return errors.New("-max-batch-users and -max-page-size must be positive")
	}
	if err := checkListen(*listen, *allowRemote); err != nil {
		return err
	}

	opts := mockapi.Options{
		ClientID:      *clientID,
		ClientSecret:  *clientSecret,
		Users:         *users,
		TokenLifetime: *tokenLifetime,
		MaxBatchUsers: *maxBatchUsers,
		MaxPageSize:   *maxPageSize,
		Faults: mockapi.Faults{
			Latency:            *latency,
			RateLimitPerMinute: *rateLimit,
			RateLimitWindow:    *rateLimitWindow,
			ErrorRate:          *errorRate,
			VisibilityDelay:    *visibilityDelay,
		},
	}
	if *users == 0 {
		opts.Users = -1
	}
	opts.Faults.Profile = profile.p
	fs.Visit(func(f *flag.Flag) {
		p := &opts.Faults.Profile
		switch f.Name {
		case "success-word":
			p.SuccessWord = *successWord
		case "statuses":
			p.Statuses = statuses
		case "users-shape":
			p.UsersShape = usersShape
		case "unknown-ids":
			p.UnknownIDs = unknownIDs
		case "duplicate-ids":
			p.DuplicateIDs = duplicateIDs
		case "max-page-size":
			p.MaxPageSize = *maxPageSize
		case "read-after-write-delay":
			p.ReadAfterWriteDelay = *readDelay
		case "omit-unlicensed-users":
			p.OmitUnlicensedUsers = *omitUsers
		case "permissions":
			opts.Permissions = permissions.list
		}
	})
	if *rateLimit <= 0 {
		opts.Faults.RateLimitPerMinute = -1
	}
	if *seed != "" {
		sf, err := readSeed(*seed)
		if err != nil {
			return err
		}
		opts.UserLicenses, opts.Roles, opts.UserEmails = sf.Users, sf.Roles, sf.Emails
	}

	var handler http.Handler = mockapi.New(opts)
	if *verbose {
		handler = logRequests(handler, log.New(stderr, "purecloud-mockapi: ", log.LstdFlags|log.Lmicroseconds))
	}

	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", *listen)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second}
	if _, err := fmt.Fprintf(stdout, "http://%s\n", ln.Addr()); err != nil {
		_ = ln.Close()
		return err
	}
	if f, ok := stdout.(interface{ Sync() error }); ok {
		_ = f.Sync() // best effort; os.Stdout is unbuffered anyway
	}
	if *verbose {
		fmt.Fprintf(stderr, "purecloud-mockapi: serving http://%s (client id %q, %d users)\n", ln.Addr(), *clientID, max(*users, 0))
	}

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return err
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// modeUsage appends the valid values to a flag's usage text.
func modeUsage[T ~string](usage string, valid ...T) string {
	names := make([]string, len(valid))
	for i, v := range valid {
		names[i] = string(v)
	}
	return usage + "; one of: " + strings.Join(names, ", ")
}

// profileFlag is the -profile flag: a name of mockapi.ProfileNames.
type profileFlag struct {
	name string
	p    mockapi.Profile
}

func (f *profileFlag) String() string { return f.name }

func (f *profileFlag) Set(name string) error {
	p, err := mockapi.NamedProfile(name)
	if err != nil {
		return err
	}
	f.name, f.p = name, p
	return nil
}

// permissionsFlag is the -permissions flag: a comma-separated list, nil when
// the flag is absent.
type permissionsFlag struct {
	list []string
}

func (f *permissionsFlag) String() string { return strings.Join(f.list, ",") }

func (f *permissionsFlag) Set(s string) error {
	f.list = []string{}
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			f.list = append(f.list, p)
		}
	}
	return nil
}

// checkListen refuses a non-loopback address unless allowRemote.
func checkListen(addr string, allowRemote bool) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("-listen %q: %w", addr, err)
	}
	if allowRemote || host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("-listen %q is not a loopback address; the mock accepts anyone who knows its fixed credentials, so pass -allow-remote to listen there anyway", addr)
}

func readSeed(path string) (seedFile, error) {
	var sf seedFile
	b, err := os.ReadFile(path)
	if err != nil {
		return sf, err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&sf); err != nil {
		return sf, fmt.Errorf("-seed %s: %w", path, err)
	}
	return sf, nil
}

type statusRecorder struct {
	http.ResponseWriter
	status  int
	dropped bool // the connection was hijacked to be closed without a response
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController reach the underlying ResponseWriter.
func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// Hijack passes the mock's dropped-connection fault (FailNext.Drop) through,
// and notes it for the log.
func (r *statusRecorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	conn, rw, err := http.NewResponseController(r.ResponseWriter).Hijack()
	if err == nil {
		r.dropped = true
	}
	return conn, rw, err
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.ResponseWriter.Write(b)
}

// logRequests logs one line per request; never the Authorization header.
func logRequests(next http.Handler, l *log.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		outcome := strconv.Itoa(rec.status)
		switch {
		case rec.dropped:
			outcome = "dropped"
		case rec.status == 0:
			outcome = strconv.Itoa(http.StatusOK)
		}
		l.Printf("%s %s %s %s correlation=%s", r.Method, r.URL.RequestURI(), outcome,
			time.Since(start).Round(time.Microsecond), w.Header().Get(mockapi.CorrelationHeader))
	})
}
