package mockapi

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

// Test-side wire structs, written from the reference independently of the
// mock's own (so a JSON name mistake in either shows up).

type tErrorBody struct {
	Message   string            `json:"message"`
	Code      string            `json:"code"`
	Status    int               `json:"status"`
	ContextID string            `json:"contextId"`
	Details   []json.RawMessage `json:"details"`
	Errors    []json.RawMessage `json:"errors"`
	Limit     *tLimit           `json:"limit"`
}

type tLimit struct {
	Key       string `json:"key"`
	Namespace string `json:"namespace"`
	Value     int    `json:"value"`
}

type tToken struct {
	AccessToken string `json:"access_token"`
	TokenType   string `json:"token_type"`
	ExpiresIn   int    `json:"expires_in"`
}

type tOAuthError struct {
	Error            string `json:"error"`
	ErrorDescription string `json:"error_description"`
}

type tRef struct {
	ID      string `json:"id"`
	SelfURI string `json:"selfUri"`
}

type tDefinition struct {
	ID          string `json:"id"`
	Description string `json:"description"`
	Permissions *struct {
		IDs []string `json:"ids"`
	} `json:"permissions"`
	Prerequisites []tRef        `json:"prerequisites"`
	Comprises     []tDefinition `json:"comprises"`
	SelfURI       string        `json:"selfUri"`
}

type tToggle struct {
	FeatureName string `json:"featureName"`
	Enabled     bool   `json:"enabled"`
}

type tLicenseUser struct {
	ID       string        `json:"id"`
	Licenses []tDefinition `json:"licenses"`
	SelfURI  string        `json:"selfUri"`
}

type tUserLicenses struct {
	ID       string   `json:"id"`
	Licenses []string `json:"licenses"`
	SelfURI  string   `json:"selfUri"`
}

type tListing struct {
	Entities   []tUserLicenses `json:"entities"`
	PageSize   int             `json:"pageSize"`
	PageNumber int             `json:"pageNumber"`
	Total      int             `json:"total"`
	PageCount  int             `json:"pageCount"`
}

type tAssignment struct {
	LicenseID     string   `json:"licenseId"`
	UserIDsAdd    []string `json:"userIdsAdd"`
	UserIDsRemove []string `json:"userIdsRemove"`
}

type tBatch struct {
	Assignments []tAssignment `json:"assignments"`
}

type tStatus struct {
	UserID    string `json:"userId"`
	LicenseID string `json:"licenseId"`
	Result    string `json:"result"`
}

type tOrganization struct {
	ID       string            `json:"id"`
	Name     string            `json:"name"`
	Licenses map[string][]tRef `json:"licenses"`
	SelfURI  string            `json:"selfUri"`
}

var uuidRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

// env is one mock server with a token, for one test.
type env struct {
	t     testing.TB
	s     *Server
	base  string
	token string
	hc    *http.Client
}

func newEnv(t testing.TB, opts Options) *env {
	t.Helper()
	s, base := NewTestServer(t, opts)
	e := &env{t: t, s: s, base: base, hc: &http.Client{Timeout: 10 * time.Second}}
	e.token = e.newToken()
	return e
}

// newToken gets a fresh access token with the server's credentials.
func (e *env) newToken() string {
	e.t.Helper()
	r := e.tokenRequest(e.s.ClientID(), e.s.ClientSecret())
	if r.status != http.StatusOK {
		e.t.Fatalf("token: status %d: %s", r.status, r.body)
	}
	var tok tToken
	r.decode(&tok)
	return tok.AccessToken
}

func (e *env) tokenRequest(id, secret string) *resp {
	e.t.Helper()
	req, err := http.NewRequestWithContext(e.t.Context(), http.MethodPost, e.base+"/oauth/token", strings.NewReader("grant_type=client_credentials"))
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if id != "" || secret != "" {
		req.SetBasicAuth(id, secret)
	}
	return e.send(req)
}

type resp struct {
	t      testing.TB
	status int
	header http.Header
	body   []byte
	took   time.Duration
}

func (r *resp) decode(v any) {
	r.t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		r.t.Fatalf("decode %T from %q: %v", v, r.body, err)
	}
}

// errorBody decodes and checks an ErrorBody of the given status and code.
func (r *resp) errorBody(status int, code string) tErrorBody {
	r.t.Helper()
	if r.status != status {
		r.t.Fatalf("status = %d, want %d; body %s", r.status, status, r.body)
	}
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		r.t.Errorf("Content-Type = %q, want application/json", ct)
	}
	var eb tErrorBody
	r.decode(&eb)
	if eb.Status != status || eb.Code != code {
		r.t.Errorf("ErrorBody status/code = %d/%q, want %d/%q (%s)", eb.Status, eb.Code, status, code, r.body)
	}
	if eb.Message == "" {
		r.t.Errorf("ErrorBody has no message: %s", r.body)
	}
	cid := r.header.Get("ININ-Correlation-Id")
	if eb.ContextID == "" || eb.ContextID != cid {
		r.t.Errorf("contextId %q != ININ-Correlation-Id %q", eb.ContextID, cid)
	}
	if eb.Details == nil || eb.Errors == nil || len(eb.Details) != 0 || len(eb.Errors) != 0 {
		r.t.Errorf("details/errors must be empty arrays: %s", r.body)
	}
	return eb
}

func (r *resp) wantStatus(status int) *resp {
	r.t.Helper()
	if r.status != status {
		r.t.Fatalf("status = %d, want %d; body %s", r.status, status, r.body)
	}
	return r
}

// do sends an authenticated request. A non-nil body that is not []byte or
// string is JSON-encoded and sent as application/json.
func (e *env) do(method, path string, body any) *resp {
	e.t.Helper()
	return e.doWith(method, path, body, map[string]string{"Authorization": "Bearer " + e.token})
}

func (e *env) doWith(method, path string, body any, headers map[string]string) *resp {
	e.t.Helper()
	var rd io.Reader
	ct := ""
	switch b := body.(type) {
	case nil:
	case []byte:
		rd, ct = bytes.NewReader(b), "application/json"
	case string:
		rd, ct = strings.NewReader(b), "application/json"
	default:
		enc, err := json.Marshal(b)
		if err != nil {
			e.t.Fatal(err)
		}
		rd, ct = bytes.NewReader(enc), "application/json"
	}
	req, err := http.NewRequestWithContext(e.t.Context(), method, e.base+path, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	for k, v := range headers {
		if v == "" {
			req.Header.Del(k)
		} else {
			req.Header.Set(k, v)
		}
	}
	return e.send(req)
}

func (e *env) send(req *http.Request) *resp {
	e.t.Helper()
	start := time.Now()
	res, err := e.hc.Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	r := &resp{t: e.t, status: res.StatusCode, header: res.Header, body: b, took: time.Since(start)}
	if cid := res.Header.Get("ININ-Correlation-Id"); !uuidRE.MatchString(cid) {
		e.t.Errorf("%s %s: ININ-Correlation-Id %q is not a UUID", req.Method, req.URL.Path, cid)
	}
	return r
}

// batch posts a postLicenseOrganization request and decodes the statuses.
func (e *env) batch(assignments ...tAssignment) []tStatus {
	e.t.Helper()
	r := e.do(http.MethodPost, "/api/v2/license/organization", tBatch{Assignments: assignments}).wantStatus(http.StatusOK)
	var out []tStatus
	r.decode(&out)
	return out
}

func (e *env) getUser(id string) tLicenseUser {
	e.t.Helper()
	var u tLicenseUser
	e.do(http.MethodGet, "/api/v2/license/users/"+url.PathEscape(id), nil).wantStatus(http.StatusOK).decode(&u)
	return u
}

func licenseIDs(defs []tDefinition) []string {
	out := []string{}
	for _, d := range defs {
		out = append(out, d.ID)
	}
	return out
}

func add(license string, users ...string) tAssignment {
	return tAssignment{LicenseID: license, UserIDsAdd: append([]string{}, users...), UserIDsRemove: []string{}}
}

func remove(license string, users ...string) tAssignment {
	return tAssignment{LicenseID: license, UserIDsAdd: []string{}, UserIDsRemove: append([]string{}, users...)}
}

// apiCall is one valid request to each API route.
type apiCall struct {
	route, method, path string
	body                any
}

func apiCalls() []apiCall {
	return []apiCall{
		{RouteGetDefinitions, http.MethodGet, "/api/v2/license/definitions", nil},
		{RouteGetDefinition, http.MethodGet, "/api/v2/license/definitions/communicate", nil},
		{RouteGetToggle, http.MethodGet, "/api/v2/license/toggles/f", nil},
		{RoutePostToggle, http.MethodPost, "/api/v2/license/toggles/f", nil},
		{RouteGetUser, http.MethodGet, "/api/v2/license/users/" + UserID(1), nil},
		{RouteGetUsers, http.MethodGet, "/api/v2/license/users", nil},
		{RoutePostUsers, http.MethodPost, "/api/v2/license/users", []string{UserID(1)}},
		{RoutePostInfer, http.MethodPost, "/api/v2/license/infer", []string{RoleAgent}},
		{RoutePostInferPermissions, http.MethodPost, "/api/v2/license/infer/permissions", []string{"x"}},
		{RouteGetOrganization, http.MethodGet, "/api/v2/license/organization", nil},
		{RoutePostOrganization, http.MethodPost, "/api/v2/license/organization", tBatch{Assignments: []tAssignment{add("communicate", UserID(1))}}},
	}
}

// tDetail is one entry of an error body's details: a missing permission and what it is for.
type tDetail struct {
	ErrorCode string `json:"errorCode"`
	EntityID  string `json:"entityId"`
}

// tForbidden is the error body the mock answers with, decoded with every field the SDK reads.
type tForbidden struct {
	Message           string            `json:"message"`
	Code              string            `json:"code"`
	Status            int               `json:"status"`
	MessageWithParams string            `json:"messageWithParams"`
	MessageParams     map[string]string `json:"messageParams"`
	ContextID         string            `json:"contextId"`
	Details           []tDetail         `json:"details"`
	Errors            []json.RawMessage `json:"errors"`
}
