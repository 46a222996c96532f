package mockapi

import (
	"bytes"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/purecloud-terraform/terraform-provider-purecloud/internal/wait"
)

type routeKind int

const (
	kindAPI routeKind = iota
	kindToken
	kindAdmin
)

type route struct {
	method   string
	pattern  string
	kind     routeKind
	jsonBody bool // a JSON request body is required (415 / 400 checks)
	handle   func(s *Server, c *call)
	segs     []string
}

// call is one request being served.
type call struct {
	w      http.ResponseWriter
	r      *http.Request
	cid    string
	key    string // "<METHOD> <route template>"
	params map[string]string
	body   []byte
}

// routes is filled in by init: the handlers refer to it (through
// Faults.validate), which a variable initializer may not.
var routes []route

func init() {
	routes = compileRoutes(routeTable())
}

func routeTable() []route {
	return []route{
		{method: http.MethodPost, pattern: "/oauth/token", kind: kindToken, handle: (*Server).handleToken},

		{method: http.MethodGet, pattern: "/api/v2/license/definitions", handle: (*Server).getDefinitions},
		{method: http.MethodGet, pattern: "/api/v2/license/definitions/{licenseId}", handle: (*Server).getDefinition},
		{method: http.MethodGet, pattern: "/api/v2/license/toggles/{featureName}", handle: (*Server).toggle},
		{method: http.MethodPost, pattern: "/api/v2/license/toggles/{featureName}", handle: (*Server).toggle},
		{method: http.MethodGet, pattern: "/api/v2/license/users/{userId}", handle: (*Server).getUser},
		{method: http.MethodGet, pattern: "/api/v2/license/users", handle: (*Server).getUsers},
		{method: http.MethodPost, pattern: "/api/v2/license/users", jsonBody: true, handle: (*Server).postUsers},
		{method: http.MethodPost, pattern: "/api/v2/license/infer", jsonBody: true, handle: (*Server).postInfer},
		{method: http.MethodPost, pattern: "/api/v2/license/infer/permissions", jsonBody: true, handle: (*Server).postInferPermissions},
		{method: http.MethodGet, pattern: "/api/v2/license/organization", handle: (*Server).getOrganization},
		{method: http.MethodPost, pattern: "/api/v2/license/organization", jsonBody: true, handle: (*Server).postOrganization},
		{method: http.MethodPost, pattern: "/api/v2/users/search", jsonBody: true, handle: (*Server).postUsersSearch},

		{method: http.MethodGet, pattern: "/_mock/stats", kind: kindAdmin, handle: (*Server).adminStats},
		{method: http.MethodGet, pattern: "/_mock/faults", kind: kindAdmin, handle: (*Server).adminGetFaults},
		{method: http.MethodPost, pattern: "/_mock/faults", kind: kindAdmin, handle: (*Server).adminSetFaults},
		{method: http.MethodPost, pattern: "/_mock/reset", kind: kindAdmin, handle: (*Server).adminReset},
		{method: http.MethodGet, pattern: "/_mock/users/{userId}/licenses", kind: kindAdmin, handle: (*Server).adminGetUserLicenses},
		{method: http.MethodPut, pattern: "/_mock/users/{userId}/licenses", kind: kindAdmin, handle: (*Server).adminPutUserLicenses},
		{method: http.MethodDelete, pattern: "/_mock/users/{userId}", kind: kindAdmin, handle: (*Server).adminDeleteUser},
		{method: http.MethodPut, pattern: "/_mock/users/{userId}/email", kind: kindAdmin, handle: (*Server).adminPutUserEmail},
		{method: http.MethodPut, pattern: "/_mock/roles/{roleId}", kind: kindAdmin, handle: (*Server).adminPutRole},
		{method: http.MethodPost, pattern: "/_mock/tokens/revoke", kind: kindAdmin, handle: (*Server).adminRevokeTokens},
	}
}

func compileRoutes(rs []route) []route {
	for i := range rs {
		rs[i].segs = strings.Split(strings.TrimPrefix(rs[i].pattern, "/"), "/")
	}
	return rs
}

// matchRoute finds the route for method and escaped path. When the path is
// known but the method is not, it returns nil and the allowed methods.
func matchRoute(method, escapedPath string) (rt *route, params map[string]string, allowed []string) {
	segs := strings.Split(strings.TrimPrefix(escapedPath, "/"), "/")
	for i := range segs {
		if u, err := url.PathUnescape(segs[i]); err == nil {
			segs[i] = u
		} else {
			return nil, nil, nil
		}
	}
	for i := range routes {
		r := &routes[i]
		p, ok := matchSegs(r.segs, segs)
		if !ok {
			continue
		}
		if r.method == method {
			return r, p, nil
		}
		allowed = append(allowed, r.method)
	}
	return nil, nil, allowed
}

func matchSegs(pattern, segs []string) (map[string]string, bool) {
	if len(pattern) != len(segs) {
		return nil, false
	}
	var params map[string]string
	for i, p := range pattern {
		if strings.HasPrefix(p, "{") && strings.HasSuffix(p, "}") {
			if segs[i] == "" {
				return nil, false
			}
			if params == nil {
				params = make(map[string]string, 1)
			}
			params[p[1:len(p)-1]] = segs[i]
			continue
		}
		if p != segs[i] {
			return nil, false
		}
	}
	return params, true
}

// ServeHTTP serves the token endpoint, the License API and the admin API.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c := &call{w: w, r: r, cid: newUUID()}
	w.Header().Set(CorrelationHeader, c.cid)

	path := r.URL.EscapedPath()
	isAdmin := path == "/_mock" || strings.HasPrefix(path, "/_mock/")
	isAPI := strings.HasPrefix(path, "/api/")
	rt, params, allowed := matchRoute(r.Method, path)
	c.params = params
	switch {
	case rt != nil:
		c.key = rt.method + " " + rt.pattern
	case len(allowed) > 0:
		c.key = r.Method + " " + s.patternFor(path)
	default:
		c.key = r.Method + " (unmatched)"
	}
	if !isAdmin {
		s.mu.Lock()
		s.requests[c.key]++
		s.mu.Unlock()
	}
	if !isAdmin && !s.sleepLatency(c, isAPI) {
		return // the client went away
	}
	if rt == nil {
		if len(allowed) > 0 {
			w.Header().Set("Allow", strings.Join(allowed, ", "))
			s.writeError(c, http.StatusMethodNotAllowed, "method.not.allowed",
				fmt.Sprintf("HTTP method %s is not supported by %s; allowed: %s.", r.Method, r.URL.Path, strings.Join(allowed, ", ")))
			return
		}
		s.writeError(c, http.StatusNotFound, "not.found", fmt.Sprintf("No resource at %s %s.", r.Method, r.URL.Path))
		return
	}

	switch rt.kind {
	case kindAdmin:
		if !s.readBody(c, false) {
			return
		}
		rt.handle(s, c)
		return
	case kindAPI:
		token, ok := s.authenticate(c)
		if !ok || !s.admitRate(c, token) || !s.authorize(c) {
			return
		}
	}
	f := s.takeFault(c, rt.kind == kindAPI)
	if f != nil && !f.afterApply {
		s.answerFault(c, f)
		return
	}
	s.operate(c, rt, f)
}

// operate runs the operation with its response buffered, counts it in
// Stats.Applied when it succeeded, waits out Faults.ResponseDelay, then writes
// the response or, for an after-apply fault f, the failure instead.
func (s *Server) operate(c *call, rt *route, f *injected) {
	out := c.w
	buf := &bufferedResponse{header: make(http.Header)}
	c.w = buf
	if s.readBody(c, rt.jsonBody) {
		rt.handle(s, c)
	}
	c.w = out
	if buf.status == 0 {
		buf.status = http.StatusOK
	}
	if buf.status >= 200 && buf.status < 300 {
		s.mu.Lock()
		s.applied[c.key]++
		s.mu.Unlock()
	}
	s.mu.Lock()
	delay := s.routeDuration(s.faults.ResponseDelay, c)
	s.mu.Unlock()
	if !wait.Sleep(c.r.Context(), delay) {
		return // the client went away; what the operation did stays done
	}
	if f != nil {
		s.answerFault(c, f)
		return
	}
	buf.writeTo(out)
}

// bufferedResponse holds a response until operate writes it.
type bufferedResponse struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (b *bufferedResponse) Header() http.Header { return b.header }

func (b *bufferedResponse) WriteHeader(status int) {
	if b.status == 0 {
		b.status = status
	}
}

func (b *bufferedResponse) Write(p []byte) (int, error) {
	if b.status == 0 {
		b.status = http.StatusOK
	}
	return b.body.Write(p)
}

func (b *bufferedResponse) writeTo(w http.ResponseWriter) {
	h := w.Header()
	for k, v := range b.header {
		h[k] = v
	}
	w.WriteHeader(b.status)
	_, _ = w.Write(b.body.Bytes())
}

// patternFor returns the template of the first route whose path matches.
func (s *Server) patternFor(escapedPath string) string {
	segs := strings.Split(strings.TrimPrefix(escapedPath, "/"), "/")
	for i := range routes {
		if _, ok := matchSegs(routes[i].segs, segs); ok {
			return routes[i].pattern
		}
	}
	return "(unmatched)"
}

// sleepLatency waits Faults.Latency (API requests only) plus the route's
// Faults.RouteLatency; false if the client went away meanwhile.
func (s *Server) sleepLatency(c *call, api bool) bool {
	s.mu.Lock()
	d := s.routeDuration(s.faults.RouteLatency, c)
	if api {
		d += s.faults.Latency
	}
	s.mu.Unlock()
	return wait.Sleep(c.r.Context(), d)
}

// routeDuration returns the duration m gives the request's route key, or else
// its "<METHOD> <path>".
func (s *Server) routeDuration(m map[string]time.Duration, c *call) time.Duration {
	if d, ok := m[c.key]; ok {
		return d
	}
	return m[c.r.Method+" "+c.r.URL.Path]
}

// authenticate checks the bearer token and returns it.
func (s *Server) authenticate(c *call) (string, bool) {
	h := c.r.Header.Get("Authorization")
	if strings.TrimSpace(h) == "" {
		s.writeError(c, http.StatusUnauthorized, "authentication.required",
			"No authentication bearer token specified in authorization header.")
		return "", false
	}
	scheme, token, _ := strings.Cut(strings.TrimSpace(h), " ")
	token = strings.TrimSpace(token)
	if !strings.EqualFold(scheme, "bearer") || token == "" {
		s.writeError(c, http.StatusUnauthorized, "authentication.required",
			"No authentication bearer token specified in authorization header.")
		return "", false
	}
	s.mu.Lock()
	exp, found := s.tokens[token]
	s.mu.Unlock()
	switch {
	case !found:
		s.writeError(c, http.StatusUnauthorized, "bad.credentials", "Invalid login credentials.")
		return "", false
	case !time.Now().Before(exp):
		s.writeError(c, http.StatusUnauthorized, "credentials.expired", "The authentication token has expired.")
		return "", false
	}
	return token, true
}

// rateLimitLocked returns the per-token limit in force; negative means unlimited.
func (s *Server) rateLimitLocked() int {
	if s.faults.RateLimitPerMinute == 0 {
		return DefaultRateLimitPerMinute
	}
	return s.faults.RateLimitPerMinute
}

// admitRate applies the per-token rate limit.
func (s *Server) admitRate(c *call, token string) bool {
	now := time.Now()
	s.mu.Lock()
	limit := s.rateLimitLocked()
	if limit < 0 {
		s.mu.Unlock()
		return true
	}
	window := s.faults.RateLimitWindow
	if window <= 0 {
		window = DefaultRateLimitWindow
	}
	rw := s.windows[token]
	if rw == nil || !now.Before(rw.start.Add(window)) {
		rw = &rateWindow{start: now}
		s.windows[token] = rw
	}
	if rw.count >= limit {
		s.rateLimited++
		left := rw.start.Add(window).Sub(now)
		s.mu.Unlock()
		s.writeRateLimited(c, max(1, int(math.Ceil(left.Seconds()))), limit)
		return false
	}
	rw.count++
	s.mu.Unlock()
	return true
}

// injected is a failure decided for one request.
type injected struct {
	status     int  // HTTP status, unless drop
	drop       bool // close the connection without a response
	afterApply bool // run the operation first
}

// takeFault decides whether the request fails on purpose (FailNext, then
// ErrorRate for API requests) and uses up that failure.
func (s *Server) takeFault(c *call, api bool) *injected {
	s.mu.Lock()
	defer s.mu.Unlock()
	var f *injected
	if fn := s.faults.FailNext; fn != nil && fn.Count > 0 && s.failNextMatches(fn.Route, c, api) {
		fn.Count--
		f = &injected{status: fn.Status, drop: fn.Drop, afterApply: fn.AfterApply}
		if f.status == 0 {
			f.status = http.StatusServiceUnavailable
		}
		if fn.Count == 0 {
			s.faults.FailNext = nil
		}
	} else if api && s.faults.ErrorRate > 0 && s.rng.Float64() < s.faults.ErrorRate {
		f = &injected{status: s.faults.ErrorStatus, drop: s.faults.ErrorDrop}
		if f.status == 0 {
			f.status = http.StatusServiceUnavailable
		}
	}
	if f != nil {
		s.faultsInjected++
	}
	return f
}

// answerFault answers an injected failure, or drops the connection.
func (s *Server) answerFault(c *call, f *injected) {
	switch {
	case f.drop:
		dropConnection(c.w)
	case f.status == http.StatusTooManyRequests:
		s.mu.Lock()
		limit := s.rateLimitLocked()
		seconds := max(1, int(math.Ceil(s.faults.RetryAfter.Seconds())))
		s.mu.Unlock()
		s.writeRateLimited(c, seconds, limit)
	default:
		s.writeError(c, f.status, ErrorCodeForStatus(f.status),
			fmt.Sprintf("The requested operation failed with status %d", f.status))
	}
}

// dropConnection closes the client's connection without a response: it is
// hijacked and closed with a TCP reset where possible. A ResponseWriter that
// cannot be hijacked (HTTP/2) has the handler aborted instead, which also ends
// the exchange without a response.
func dropConnection(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0) // reset rather than an orderly close
	}
	_ = conn.Close()
}

func (s *Server) failNextMatches(route string, c *call, api bool) bool {
	route = strings.TrimSpace(route)
	if route == "" {
		return api
	}
	return route == c.key || route == c.r.Method+" "+c.r.URL.Path
}

// ErrorCodeForStatus returns the ErrorBody code the mock uses for an HTTP status.
func ErrorCodeForStatus(status int) string {
	switch status {
	case http.StatusBadRequest:
		return "bad.request"
	case http.StatusUnauthorized:
		return "authentication.required"
	case http.StatusForbidden:
		return "missing.permissions"
	case http.StatusNotFound:
		return "not.found"
	case http.StatusMethodNotAllowed:
		return "method.not.allowed"
	case http.StatusRequestTimeout:
		return "client.timeout"
	case http.StatusGatewayTimeout:
		return "request.timeout"
	case http.StatusConflict:
		return "conflict"
	case http.StatusRequestEntityTooLarge:
		return "request.entity.too.large"
	case http.StatusUnsupportedMediaType:
		return "unsupported.media.type"
	case http.StatusTooManyRequests:
		return "too.many.requests.retry.after"
	case http.StatusInternalServerError:
		return "internal.server.error"
	case http.StatusNotImplemented:
		return "not.implemented"
	case http.StatusBadGateway:
		return "bad.gateway"
	case http.StatusServiceUnavailable:
		return "service.unavailable"
	}
	if status >= 500 {
		return "server.error"
	}
	return "client.error"
}

// readBody reads the request body (at most MaxBodyBytes). With jsonBody it also
// requires Content-Type application/json and a non-empty body.
func (s *Server) readBody(c *call, jsonBody bool) bool {
	if c.r.ContentLength > MaxBodyBytes {
		s.writeTooLarge(c)
		return false
	}
	if jsonBody {
		mt, _, err := mime.ParseMediaType(c.r.Header.Get("Content-Type"))
		if err != nil || mt != "application/json" {
			s.writeError(c, http.StatusUnsupportedMediaType, "unsupported.media.type",
				fmt.Sprintf("Content-Type %q is not supported; send application/json.", c.r.Header.Get("Content-Type")))
			return false
		}
	}
	if c.r.Body != nil {
		b, err := io.ReadAll(io.LimitReader(c.r.Body, MaxBodyBytes+1))
		if err != nil {
			s.writeError(c, http.StatusBadRequest, "bad.request", "The request body could not be read.")
			return false
		}
		if len(b) > MaxBodyBytes {
			s.writeTooLarge(c)
			return false
		}
		c.body = b
	}
	if jsonBody && len(bytes.TrimSpace(c.body)) == 0 {
		s.writeError(c, http.StatusBadRequest, "bad.request", "A request body is required.")
		return false
	}
	return true
}

func (s *Server) writeTooLarge(c *call) {
	s.writeError(c, http.StatusRequestEntityTooLarge, "request.entity.too.large",
		fmt.Sprintf("The request body exceeds the maximum size of %d bytes.", MaxBodyBytes))
}

// decodeJSON decodes a whole JSON body, answering 400 bad.request on failure.
func (s *Server) decodeJSON(c *call, v any) bool {
	if err := json.Unmarshal(c.body, v); err != nil {
		s.writeError(c, http.StatusBadRequest, "bad.request",
			fmt.Sprintf("The request body could not be parsed: %v.", err))
		return false
	}
	return true
}

// decodeStringArray decodes a body that must be a JSON array of strings.
func (s *Server) decodeStringArray(c *call, what string) ([]string, bool) {
	var ids []string
	if err := json.Unmarshal(c.body, &ids); err != nil || ids == nil {
		s.writeError(c, http.StatusBadRequest, "bad.request",
			fmt.Sprintf("The request body must be a JSON array of %s.", what))
		return nil, false
	}
	return ids, true
}

// Limit key and namespace of the per-token rate limit, as sent in
// ErrorBody.limit of a 429.
const (
	rateLimitKey       = "token.rate.per.minute"
	rateLimitNamespace = "platform.api"
)

// writeRateLimited answers 429 with Retry-After and ErrorBody.limit; limit is
// the per-token limit in force (DefaultRateLimitPerMinute when unlimited).
func (s *Server) writeRateLimited(c *call, seconds, limit int) {
	if limit < 0 {
		limit = DefaultRateLimitPerMinute
	}
	c.w.Header().Set("Retry-After", strconv.Itoa(seconds))
	eb := newErrorBody(c, http.StatusTooManyRequests, "too.many.requests.retry.after",
		fmt.Sprintf("Rate limit exceeded the maximum. Retry the request in [%d] seconds", seconds))
	eb.Limit = &errorLimit{Key: rateLimitKey, Namespace: rateLimitNamespace, Value: limit}
	writeJSON(c.w, http.StatusTooManyRequests, eb)
}

func (s *Server) writeError(c *call, status int, code, message string) {
	writeJSON(c.w, status, newErrorBody(c, status, code, message))
}

// newErrorBody returns an ErrorBody with empty details and errors arrays.
func newErrorBody(c *call, status int, code, message string) errorBody {
	return errorBody{
		Message:   message,
		Code:      code,
		Status:    status,
		ContextID: c.cid,
		Details:   []errorDetail{},
		Errors:    []errorBody{},
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// ---- OAuth ----

func (s *Server) handleToken(c *call) {
	s.mu.Lock()
	throttled := s.faults.TokenThrottleNext > 0
	if throttled {
		s.faults.TokenThrottleNext--
		s.faultsInjected++
	}
	s.mu.Unlock()
	c.w.Header().Set("Cache-Control", "no-store")
	if throttled {
		writeJSON(c.w, http.StatusBadRequest, oauthError{
			Error:            "invalid_request",
			ErrorDescription: "rate limit exceeded; try again in a few seconds",
		})
		return
	}
	id, secret, ok := c.r.BasicAuth()
	if !ok || subtle.ConstantTimeCompare([]byte(id), []byte(s.opts.ClientID)) != 1 ||
		subtle.ConstantTimeCompare([]byte(secret), []byte(s.opts.ClientSecret)) != 1 {
		c.w.Header().Set("WWW-Authenticate", `Basic realm="purecloud-mockapi"`)
		writeJSON(c.w, http.StatusUnauthorized, oauthError{
			Error:            "invalid_client",
			ErrorDescription: "client authentication failed: unknown client id or wrong secret (HTTP Basic)",
		})
		return
	}
	if ct := c.r.Header.Get("Content-Type"); ct != "" {
		if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != "application/x-www-form-urlencoded" {
			writeJSON(c.w, http.StatusBadRequest, oauthError{
				Error:            "invalid_request",
				ErrorDescription: "the request body must be application/x-www-form-urlencoded",
			})
			return
		}
	}
	form, err := url.ParseQuery(string(c.body))
	if err != nil {
		writeJSON(c.w, http.StatusBadRequest, oauthError{Error: "invalid_request", ErrorDescription: "malformed form body"})
		return
	}
	switch gt := form.Get("grant_type"); gt {
	case "client_credentials":
	case "":
		writeJSON(c.w, http.StatusBadRequest, oauthError{Error: "invalid_request", ErrorDescription: "grant_type is required"})
		return
	default:
		writeJSON(c.w, http.StatusBadRequest, oauthError{
			Error:            "unsupported_grant_type",
			ErrorDescription: fmt.Sprintf("grant type %q is not supported; use client_credentials", gt),
		})
		return
	}

	token := newToken()
	now := time.Now()
	s.mu.Lock()
	for t, exp := range s.tokens {
		if !now.Before(exp) {
			delete(s.windows, t)
		}
		// An expired token is remembered for a while so that it answers
		// credentials.expired rather than bad.credentials.
		if !now.Before(exp.Add(expiredTokenMemory)) {
			delete(s.tokens, t)
		}
	}
	s.tokens[token] = now.Add(s.opts.TokenLifetime)
	s.issued = append(s.issued, token)
	s.mu.Unlock()
	writeJSON(c.w, http.StatusOK, oauthToken{
		AccessToken: token,
		TokenType:   "bearer",
		ExpiresIn:   max(1, int(math.Ceil(s.opts.TokenLifetime.Seconds()))),
	})
}

// expiredTokenMemory is how long after its expiry a token still answers 401
// credentials.expired; after that it is forgotten and answers bad.credentials.
const expiredTokenMemory = time.Hour

func newToken() string {
	return strings.ReplaceAll(newUUID()+newUUID(), "-", "")
}
