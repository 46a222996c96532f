package mockapi

import (
	crand "crypto/rand"
	"encoding/hex"
	"fmt"
	"maps"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"slices"
	"sort"
	"sync"
	"testing"
	"time"
)

// Defaults of Options and Faults, and fixed limits.
const (
	DefaultClientID        = "mock-client-id"
	DefaultClientSecret    = "mock-client-secret"
	DefaultUsers           = 10
	DefaultTokenLifetime   = 24 * time.Hour
	DefaultMaxBatchUsers   = 1000
	DefaultMaxPageSize     = 100
	DefaultMaxSearchValues = 100
	// MaxSearchPageSize is the largest pageSize of POST /api/v2/users/search.
	MaxSearchPageSize         = 100
	DefaultPageSize           = 25
	DefaultRateLimitPerMinute = 300
	DefaultRateLimitWindow    = time.Minute
	// MaxBodyBytes is the largest request body accepted; beyond it: 413.
	MaxBodyBytes = 512000
	// CorrelationHeader is set on every response, a fresh UUID each time.
	CorrelationHeader = "ININ-Correlation-Id"
)

// Result words of LicenseUpdateStatus.result produced by postLicenseOrganization.
// Faults.ItemFailures can make it answer any other word.
const (
	ResultSuccess             = "Success"
	ResultUserNotFound        = "UserNotFound"
	ResultLicenseNotFound     = "LicenseNotFound"
	ResultPrerequisiteMissing = "PrerequisiteMissing"
	// ResultNoSeatsAvailable answers an add beyond the license's
	// Faults.SeatLimits; it is also the suggested word to inject through
	// Faults.ItemFailures.
	ResultNoSeatsAvailable = "NoSeatsAvailable"
)

// Route keys, as used by Stats.Requests and FailNext.Route.
const (
	RouteToken                = "POST /oauth/token"
	RouteGetDefinitions       = "GET /api/v2/license/definitions"
	RouteGetDefinition        = "GET /api/v2/license/definitions/{licenseId}"
	RouteGetToggle            = "GET /api/v2/license/toggles/{featureName}"
	RoutePostToggle           = "POST /api/v2/license/toggles/{featureName}"
	RouteGetUser              = "GET /api/v2/license/users/{userId}"
	RouteGetUsers             = "GET /api/v2/license/users"
	RoutePostUsers            = "POST /api/v2/license/users"
	RoutePostInfer            = "POST /api/v2/license/infer"
	RoutePostInferPermissions = "POST /api/v2/license/infer/permissions"
	RouteGetOrganization      = "GET /api/v2/license/organization"
	RoutePostOrganization     = "POST /api/v2/license/organization"
	RoutePostUsersSearch      = "POST /api/v2/users/search"
)

// Options configure a Server. The zero value is usable.
type Options struct {
	// ClientID and ClientSecret are the one accepted OAuth client; defaults
	// DefaultClientID and DefaultClientSecret.
	ClientID, ClientSecret string
	// Users is the number of seeded users, ids UserID(1..Users), emails
	// UserEmail(1..Users), all without licenses; 0 means DefaultUsers, negative
	// means none.
	Users int
	// TokenLifetime is how long issued tokens are valid; 0 means 24h.
	TokenLifetime time.Duration
	// MaxBatchUsers is the maximum number of distinct user ids per
	// postLicenseOrganization and per postLicenseUsers request; 0 means 1000.
	MaxBatchUsers int
	// MaxPageSize is the largest pageSize getLicenseUsers accepts; 0 means 100.
	// A positive Faults.Profile.MaxPageSize overrides it.
	MaxPageSize int
	// Faults in force from the start and after Reset.
	Faults Faults
	// UserLicenses gives users (created if absent) their starting licenses;
	// part of the seed state that Reset restores.
	UserLicenses map[string][]string
	// UserEmails gives users (created if absent, without licenses) their email,
	// replacing a seeded user's UserEmail; "" leaves the user without one. Part
	// of the seed state that Reset restores.
	UserEmails map[string]string
	// MaxSearchValues is the largest number of values one criterion of
	// POST /api/v2/users/search accepts; 0 means DefaultMaxSearchValues.
	MaxSearchValues int
	// Roles adds or replaces roles for postLicenseInfer (role id → license ids);
	// part of the seed state that Reset restores.
	Roles map[string][]string
	// Permissions are the permissions granted to the OAuth client (its roles'
	// permissions, such as "authorization:grant:add"). nil grants every
	// permission; an empty non-nil slice grants none. A route whose required
	// permissions (RoutePermissions, any of them) are all missing answers 403.
	// Reset restores them.
	Permissions []string
}

// Stats are request counters since the start or the last Reset.
type Stats struct {
	// Requests counts API and token requests by "<METHOD> <route template>".
	Requests map[string]int `json:"requests"`
	// RateLimited counts requests refused by the rate limit (not injected 429s).
	RateLimited int `json:"rate_limited"`
	// FaultsInjected counts every injected failure: FailNext answers and drops,
	// ErrorRate 503s and TokenThrottleNext refusals. Faults.ItemFailures words
	// are results inside a 200, not failures, and are not counted.
	FaultsInjected int `json:"faults_injected"`
	// Applied counts, by route key, the requests whose operation ran to
	// completion with a 2xx outcome: for RoutePostOrganization, every request
	// that changed or could have changed state, including those whose answer
	// was then replaced by an after-apply fault, delayed by ResponseDelay past
	// the client's patience, or dropped. A request refused before its
	// operation (401, 403, 429, injected failures, 4xx validation) is not
	// counted.
	Applied map[string]int `json:"applied"`
	// ChangesApplied counts the (user, license) changes of postLicenseOrganization
	// that changed what a user holds: an add of a license the user did not hold,
	// a remove of one the user held.
	ChangesApplied int `json:"changes_applied"`
	// ChangesRepeated counts the changes applied that changed nothing: an add of
	// a license the user already held, a remove of one the user did not hold.
	// A write that reached the server twice shows here.
	ChangesRepeated int `json:"changes_repeated"`
}

// Server is the fake Genesys Cloud. It implements http.Handler and is safe for
// concurrent use.
type Server struct {
	opts Options // normalised

	mu          sync.Mutex
	defs        map[string]*definition
	roles       map[string][]string
	users       map[string]*userState
	tokens      map[string]time.Time // access token → expiry
	issued      []string             // every access token issued, in order
	windows     map[string]*rateWindow
	faults      Faults
	permissions map[string]bool // nil: every permission
	rng         *rand.Rand
	requests    map[string]int
	rateLimited int
	// faultsInjected and applied back Stats.FaultsInjected and Stats.Applied.
	faultsInjected int
	applied        map[string]int
	// changesApplied and changesRepeated back Stats.ChangesApplied and
	// Stats.ChangesRepeated.
	changesApplied, changesRepeated int
}

type rateWindow struct {
	start time.Time
	count int
}

type userState struct {
	// versions in write order; the last one is the truth. A read sees the
	// newest version whose visibleAt is not after the time of the read.
	versions []userVersion
	// email, name and state of the user's profile (Users API); state is
	// "active" unless set otherwise.
	email, name, state string
}

type userVersion struct {
	visibleAt time.Time
	licenses  []string // sorted, never nil
}

func (u *userState) current() []string { return u.versions[len(u.versions)-1].licenses }

func (u *userState) visible(now time.Time) []string {
	for i := len(u.versions) - 1; i >= 0; i-- {
		if !u.versions[i].visibleAt.After(now) {
			return u.versions[i].licenses
		}
	}
	return u.versions[0].licenses
}

// write records a new version and drops versions no read can see any more.
func (u *userState) write(licenses []string, visibleAt, now time.Time) {
	u.versions = append(u.versions, userVersion{visibleAt: visibleAt, licenses: licenses})
	for i := len(u.versions) - 1; i >= 0; i-- {
		if !u.versions[i].visibleAt.After(now) {
			u.versions = u.versions[i:]
			return
		}
	}
}

func newUserState(licenses []string) *userState {
	return &userState{versions: []userVersion{{licenses: uniqueSorted(licenses)}}}
}

// New returns a Server in its seed state.
func New(opts Options) *Server {
	if opts.ClientID == "" {
		opts.ClientID = DefaultClientID
	}
	if opts.ClientSecret == "" {
		opts.ClientSecret = DefaultClientSecret
	}
	if opts.Users == 0 {
		opts.Users = DefaultUsers
	}
	if opts.TokenLifetime <= 0 {
		opts.TokenLifetime = DefaultTokenLifetime
	}
	if opts.MaxBatchUsers <= 0 {
		opts.MaxBatchUsers = DefaultMaxBatchUsers
	}
	if opts.MaxPageSize <= 0 {
		opts.MaxPageSize = DefaultMaxPageSize
	}
	if opts.MaxSearchValues <= 0 {
		opts.MaxSearchValues = DefaultMaxSearchValues
	}
	opts.Faults = opts.Faults.clone()
	opts.Faults.Profile = opts.Faults.Profile.clamped()
	if opts.Permissions != nil {
		opts.Permissions = slices.Clone(opts.Permissions)
	}
	s := &Server{opts: opts, tokens: make(map[string]time.Time)}
	s.resetLocked()
	return s
}

// NewTestServer starts s on an httptest server bound to 127.0.0.1 and returns it
// with its base URL (such as "http://127.0.0.1:41234"). The server is closed by
// t.Cleanup.
func NewTestServer(t testing.TB, opts Options) (*Server, string) {
	t.Helper()
	s := New(opts)
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	return s, ts.URL
}

func (s *Server) resetLocked() {
	s.defs = buildDefinitions()
	s.roles = make(map[string][]string, len(seedRoles)+len(s.opts.Roles))
	for id, l := range seedRoles {
		s.roles[id] = uniqueSorted(l)
	}
	for id, l := range s.opts.Roles {
		s.roles[id] = uniqueSorted(l)
	}
	s.users = make(map[string]*userState, max(s.opts.Users, 0)+len(s.opts.UserLicenses))
	for i := 1; i <= s.opts.Users; i++ {
		u := newUserState(nil)
		u.email, u.name = UserEmail(i), fmt.Sprintf("User %d", i)
		s.users[UserID(i)] = u
	}
	for id, l := range s.opts.UserLicenses {
		s.setUserLicensesLocked(id, l)
	}
	for id, email := range s.opts.UserEmails {
		s.setUserEmailLocked(id, email)
	}
	s.windows = make(map[string]*rateWindow)
	s.faults = s.opts.Faults.clone()
	s.permissions = permissionSet(s.opts.Permissions)
	s.rng = rand.New(rand.NewPCG(0x6d6f636b, 0x61706921))
	s.requests = make(map[string]int)
	s.rateLimited = 0
	s.faultsInjected = 0
	s.applied = make(map[string]int)
	s.changesApplied, s.changesRepeated = 0, 0
}

// Reset returns to the seed state: users, roles and licenses as New made them,
// faults back to Options.Faults (none unless given), permissions back to
// Options.Permissions, counters and rate-limit windows zeroed. Issued access
// tokens stay valid.
func (s *Server) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.resetLocked()
}

// SetFaults replaces the faults in force, Faults.Profile included (use
// SetProfile to change only the profile). Invalid values are clamped: negative
// durations, counts and seat limits become 0, ErrorRate is clamped to 0..1;
// an ErrorStatus outside 4xx/5xx means 503.
func (s *Server) SetFaults(f Faults) {
	f = f.clone()
	f.Latency = max(f.Latency, 0)
	f.RateLimitWindow = max(f.RateLimitWindow, 0)
	f.VisibilityDelay = max(f.VisibilityDelay, 0)
	for _, m := range []map[string]time.Duration{f.RouteLatency, f.ResponseDelay, f.UserVisibilityDelay} {
		for k, d := range m {
			m[k] = max(d, 0)
		}
	}
	f.TokenThrottleNext = max(f.TokenThrottleNext, 0)
	f.RetryAfter = max(f.RetryAfter, 0)
	for id, n := range f.SeatLimits {
		f.SeatLimits[id] = max(n, 0)
	}
	f.ErrorRate = min(max(f.ErrorRate, 0), 1)
	if f.ErrorStatus < 400 || f.ErrorStatus > 599 {
		f.ErrorStatus = 0
	}
	f.Profile = f.Profile.clamped()
	if f.FailNext != nil && f.FailNext.Count <= 0 {
		f.FailNext = nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = f
}

// SetPermissions replaces the permissions granted to the OAuth client until
// the next Reset: nil grants every permission, an empty slice none. See
// Options.Permissions.
func (s *Server) SetPermissions(perms []string) {
	set := permissionSet(perms)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.permissions = set
}

func permissionSet(perms []string) map[string]bool {
	if perms == nil {
		return nil
	}
	set := make(map[string]bool, len(perms))
	for _, p := range perms {
		set[p] = true
	}
	return set
}

// Faults returns the faults in force, with the remaining FailNext and
// TokenThrottleNext counts.
func (s *Server) Faults() Faults {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.faults.clone()
}

// SetUserLicenses replaces a user's licenses out of band, creating the user if
// absent. The change is visible at once, whatever Faults.VisibilityDelay says.
// License ids are stored as given (deduplicated), known or not.
func (s *Server) SetUserLicenses(userID string, licenseIDs []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.setUserLicensesLocked(userID, licenseIDs)
}

// setUserLicensesLocked replaces a user's licenses, keeping the user's profile.
func (s *Server) setUserLicensesLocked(userID string, licenseIDs []string) {
	u := newUserState(licenseIDs)
	if old, ok := s.users[userID]; ok {
		u.email, u.name, u.state = old.email, old.name, old.state
	}
	s.users[userID] = u
}

// SetUserEmail sets a user's email out of band, creating the user (without
// licenses) if absent; "" removes the email. Visible at once.
func (s *Server) SetUserEmail(userID, email string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.setUserEmailLocked(userID, email)
}

func (s *Server) setUserEmailLocked(userID, email string) {
	u, ok := s.users[userID]
	if !ok {
		u = newUserState(nil)
		s.users[userID] = u
	}
	u.email = email
}

// UserEmail returns the email of seeded user i (1-based): "user<i>@example.com".
func UserEmail(i int) string {
	return fmt.Sprintf("user%d@example.com", i)
}

// UserLicenses returns a user's current licenses, sorted, ignoring
// VisibilityDelay; ok is false if the user does not exist.
func (s *Server) UserLicenses(userID string) (licenseIDs []string, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, ok := s.users[userID]
	if !ok {
		return nil, false
	}
	return append([]string{}, u.current()...), true
}

// DeleteUser removes a user (visible at once). Deleting an absent user does nothing.
func (s *Server) DeleteUser(userID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.users, userID)
}

// UserIDs returns the ids of every existing user, sorted.
func (s *Server) UserIDs() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.userIDsLocked()
}

func (s *Server) userIDsLocked() []string {
	ids := make([]string, 0, len(s.users))
	for id := range s.users {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// AddRole adds or replaces a role for postLicenseInfer until the next Reset
// (use Options.Roles for roles that survive Reset).
func (s *Server) AddRole(roleID string, licenseIDs []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.roles[roleID] = uniqueSorted(licenseIDs)
}

// IssuedTokens returns every access token the server has issued since it started (revoked
// and expired ones included), so that tests can check none of them leaks.
func (s *Server) IssuedTokens() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.issued...)
}

// RevokeTokens invalidates every issued access token: the next API call with one
// answers 401 bad.credentials.
func (s *Server) RevokeTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.tokens)
	clear(s.windows)
}

// Stats returns a copy of the request counters.
func (s *Server) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return Stats{
		Requests:        maps.Clone(s.requests),
		RateLimited:     s.rateLimited,
		FaultsInjected:  s.faultsInjected,
		Applied:         maps.Clone(s.applied),
		ChangesApplied:  s.changesApplied,
		ChangesRepeated: s.changesRepeated,
	}
}

// LicenseIDs returns the seeded license definition ids, sorted.
func (s *Server) LicenseIDs() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.licenseIDsLocked()
}

func (s *Server) licenseIDsLocked() []string {
	ids := make([]string, 0, len(s.defs))
	for id := range s.defs {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// RoleIDs returns the ids of the known roles, sorted.
func (s *Server) RoleIDs() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	ids := make([]string, 0, len(s.roles))
	for id := range s.roles {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// ClientID returns the accepted OAuth client id.
func (s *Server) ClientID() string { return s.opts.ClientID }

// ClientSecret returns the accepted OAuth client secret.
func (s *Server) ClientSecret() string { return s.opts.ClientSecret }

// newUUID returns a random (version 4) UUID.
func newUUID() string {
	var b [16]byte
	_, _ = crand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	var out [36]byte
	hex.Encode(out[0:8], b[0:4])
	out[8] = '-'
	hex.Encode(out[9:13], b[4:6])
	out[13] = '-'
	hex.Encode(out[14:18], b[6:8])
	out[18] = '-'
	hex.Encode(out[19:23], b[8:10])
	out[23] = '-'
	hex.Encode(out[24:36], b[10:16])
	return string(out[:])
}

var _ http.Handler = (*Server)(nil)
