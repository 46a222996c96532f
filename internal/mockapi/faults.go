package mockapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"strings"
	"time"
)

// Faults are injected failures and delays. The zero value injects nothing and
// applies the default rate limit (DefaultRateLimitPerMinute per token per minute).
//
// Faults is also the JSON body of POST /_mock/faults and of GET /_mock/faults:
// snake_case keys, durations as Go duration strings ("50ms", "1.5s"), unknown
// keys rejected. Setting Faults replaces all of them.
type Faults struct {
	// Latency is added to every API request (paths under /api/), not to the token
	// endpoint nor to admin requests. JSON "latency".
	Latency time.Duration
	// RateLimitPerMinute is the number of API requests allowed per access token
	// per RateLimitWindow: 0 means DefaultRateLimitPerMinute, negative means
	// unlimited. Beyond it: 429 too.many.requests.retry.after with Retry-After.
	// JSON "rate_limit_per_minute".
	RateLimitPerMinute int
	// RateLimitWindow is the length of the fixed rate-limit window; 0 means one
	// minute. Short windows let tests see Retry-After: 1 and recover quickly.
	// JSON "rate_limit_window".
	RateLimitWindow time.Duration
	// FailNext makes the next Count matching requests fail. JSON "fail_next".
	FailNext *FailNext
	// ErrorRate is the fraction (0..1) of API requests that fail (with
	// ErrorStatus, or dropped when ErrorDrop is set), drawn from a deterministic
	// pseudo-random source that Reset reseeds. JSON "error_rate".
	ErrorRate float64
	// ErrorStatus is the HTTP status of ErrorRate failures; 0 means 503
	// service.unavailable. The ErrorBody code matches the status (see
	// ErrorCodeForStatus); a 429 carries Retry-After (see RetryAfter) and
	// ErrorBody.limit, as FailNext's does. JSON "error_status".
	ErrorStatus int
	// ErrorDrop makes ErrorRate failures close the connection without a
	// response, as FailNext.Drop does, instead of answering ErrorStatus.
	// JSON "error_drop".
	ErrorDrop bool
	// RetryAfter is the Retry-After of injected 429s (FailNext and ErrorRate),
	// rounded up to whole seconds; 0 means 1 s. The rate limit's own 429s give
	// the time left in the window instead. JSON "retry_after".
	RetryAfter time.Duration
	// ItemFailures maps "userId/licenseId" to the result word that
	// postLicenseOrganization returns for that pair (add or remove); the change is
	// not applied. JSON "item_failures".
	ItemFailures map[string]string
	// SeatLimits maps a license id to the most users who may hold it at once.
	// A postLicenseOrganization add that would take the license past its limit
	// gets the result word NoSeatsAvailable and is not applied; the seats in
	// use are the users holding the license before the request, less those the
	// request removes it from, plus the adds accepted before it in request
	// order. Users holding it already (out of band, or over a lowered limit)
	// keep it. JSON "seat_limits".
	SeatLimits map[string]int
	// VisibilityDelay delays what read operations see of postLicenseOrganization
	// writes. JSON "visibility_delay".
	VisibilityDelay time.Duration
	// UserVisibilityDelay is VisibilityDelay for single users (user id →
	// delay). A write to a user becomes visible after the largest of
	// VisibilityDelay, the user's UserVisibilityDelay and
	// Profile.ReadAfterWriteDelay. JSON "user_visibility_delay".
	UserVisibilityDelay map[string]time.Duration
	// RouteLatency is extra latency before handling requests of one route, in
	// addition to Latency, keyed like FailNext.Route: a route key (a Route*
	// constant) or "<METHOD> <path>". It also applies to the token endpoint
	// (RouteToken), never to admin requests. JSON "route_latency".
	RouteLatency map[string]time.Duration
	// ResponseDelay, keyed like RouteLatency, is a delay after the operation
	// has run and changed state, before the response is written: a client
	// whose request times out meanwhile still had it applied. If the client
	// goes away during the delay, nothing is written and the state change
	// stays. JSON "response_delay".
	ResponseDelay map[string]time.Duration
	// Profile selects the answers where the API's documentation is silent
	// (see Profile); the zero value is the default behaviour. JSON "profile".
	Profile Profile
	// TokenThrottleNext makes the next N token requests answer 400
	// {"error":"invalid_request","error_description":"rate limit exceeded; ..."}.
	// JSON "token_throttle_next".
	TokenThrottleNext int
}

// FailNext describes requests to fail on purpose.
type FailNext struct {
	// Count is how many matching requests fail.
	Count int `json:"count"`
	// Status is the HTTP status to answer; 0 means 503. The ErrorBody code
	// matches the status (see ErrorCodeForStatus); 429 carries Retry-After
	// (Faults.RetryAfter, 1 s by default) and ErrorBody.limit. Ignored when
	// Drop is set.
	Status int `json:"status"`
	// Route limits the failures to one route, as "<METHOD> <route template>"
	// (a Route* constant, e.g. "POST /api/v2/license/organization") or
	// "<METHOD> <path>". Empty matches every API request (not the token endpoint).
	Route string `json:"route,omitempty"`
	// AfterApply runs the operation first, changing state as usual, and then
	// replaces its answer by the failure: "the server did it, the client was
	// told it failed". JSON "after_apply".
	AfterApply bool `json:"after_apply,omitempty"`
	// Drop closes the connection without any response instead of answering a
	// status: the client sees a connection reset or EOF. With AfterApply the
	// operation has run first. Note that Go's http.Transport silently resends
	// an idempotent request (GET) that fails this way on a reused connection;
	// the resend is a new request, counted and served as usual. JSON "drop".
	Drop bool `json:"drop,omitempty"`
}

// clone returns a deep copy.
func (f Faults) clone() Faults {
	if f.FailNext != nil {
		fn := *f.FailNext
		f.FailNext = &fn
	}
	if f.ItemFailures != nil {
		f.ItemFailures = maps.Clone(f.ItemFailures)
	}
	f.SeatLimits = maps.Clone(f.SeatLimits)
	f.UserVisibilityDelay = maps.Clone(f.UserVisibilityDelay)
	f.RouteLatency = maps.Clone(f.RouteLatency)
	f.ResponseDelay = maps.Clone(f.ResponseDelay)
	return f
}

// validate reports a fault setting that cannot be honoured.
func (f Faults) validate() error {
	switch {
	case f.Latency < 0:
		return errors.New("latency must not be negative")
	case f.RateLimitWindow < 0:
		return errors.New("rate_limit_window must not be negative")
	case f.ErrorRate < 0 || f.ErrorRate > 1:
		return errors.New("error_rate must be between 0 and 1")
	case f.ErrorStatus != 0 && (f.ErrorStatus < 400 || f.ErrorStatus > 599):
		return errors.New("error_status must be 0 (503) or a 4xx/5xx status")
	case f.RetryAfter < 0:
		return errors.New("retry_after must not be negative")
	case f.VisibilityDelay < 0:
		return errors.New("visibility_delay must not be negative")
	case f.TokenThrottleNext < 0:
		return errors.New("token_throttle_next must not be negative")
	}
	for _, m := range []struct {
		name string
		m    map[string]time.Duration
	}{{"user_visibility_delay", f.UserVisibilityDelay}, {"route_latency", f.RouteLatency}, {"response_delay", f.ResponseDelay}} {
		for k, d := range m.m {
			if d < 0 {
				return fmt.Errorf("%s[%q] must not be negative", m.name, k)
			}
			if m.name != "user_visibility_delay" && !isRouteKey(k) {
				return fmt.Errorf("%s: %q is not a route of the License API or the token endpoint (want \"<METHOD> <path>\", such as %q)",
					m.name, k, RoutePostOrganization)
			}
		}
	}
	for id, n := range f.SeatLimits {
		if n < 0 {
			return fmt.Errorf("seat_limits[%q] must not be negative", id)
		}
	}
	if err := f.Profile.validate(); err != nil {
		return err
	}
	if f.FailNext != nil {
		if f.FailNext.Count < 0 {
			return errors.New("fail_next.count must not be negative")
		}
		if f.FailNext.Status != 0 && (f.FailNext.Status < 400 || f.FailNext.Status > 599) {
			return errors.New("fail_next.status must be 0 (503) or a 4xx/5xx status")
		}
	}
	return nil
}

// isRouteKey reports whether key is "<METHOD> <path>" of a route of the API
// or of the token endpoint (a route template or a concrete path).
func isRouteKey(key string) bool {
	method, path, ok := strings.Cut(key, " ")
	if !ok {
		return false
	}
	rt, _, _ := matchRoute(method, path)
	return rt != nil && rt.kind != kindAdmin
}

type faultsJSON struct {
	Latency             jsonDuration            `json:"latency"`
	RateLimitPerMinute  int                     `json:"rate_limit_per_minute"`
	RateLimitWindow     jsonDuration            `json:"rate_limit_window"`
	FailNext            *FailNext               `json:"fail_next,omitempty"`
	ErrorRate           float64                 `json:"error_rate"`
	ErrorStatus         int                     `json:"error_status"`
	ErrorDrop           bool                    `json:"error_drop"`
	RetryAfter          jsonDuration            `json:"retry_after"`
	SeatLimits          map[string]int          `json:"seat_limits,omitempty"`
	ItemFailures        map[string]string       `json:"item_failures,omitempty"`
	VisibilityDelay     jsonDuration            `json:"visibility_delay"`
	UserVisibilityDelay map[string]jsonDuration `json:"user_visibility_delay,omitempty"`
	RouteLatency        map[string]jsonDuration `json:"route_latency,omitempty"`
	ResponseDelay       map[string]jsonDuration `json:"response_delay,omitempty"`
	TokenThrottleNext   int                     `json:"token_throttle_next"`
	Profile             Profile                 `json:"profile"`
}

// MarshalJSON encodes the faults with snake_case keys and duration strings.
func (f Faults) MarshalJSON() ([]byte, error) {
	return json.Marshal(faultsJSON{
		Latency:             jsonDuration(f.Latency),
		RateLimitPerMinute:  f.RateLimitPerMinute,
		RateLimitWindow:     jsonDuration(f.RateLimitWindow),
		FailNext:            f.FailNext,
		ErrorRate:           f.ErrorRate,
		ErrorStatus:         f.ErrorStatus,
		ErrorDrop:           f.ErrorDrop,
		RetryAfter:          jsonDuration(f.RetryAfter),
		SeatLimits:          f.SeatLimits,
		ItemFailures:        f.ItemFailures,
		VisibilityDelay:     jsonDuration(f.VisibilityDelay),
		UserVisibilityDelay: toJSONDurations(f.UserVisibilityDelay),
		RouteLatency:        toJSONDurations(f.RouteLatency),
		ResponseDelay:       toJSONDurations(f.ResponseDelay),
		TokenThrottleNext:   f.TokenThrottleNext,
		Profile:             f.Profile,
	})
}

// UnmarshalJSON decodes snake_case keys and duration strings; unknown keys are
// an error so that a misspelt fault is not silently ignored.
func (f *Faults) UnmarshalJSON(data []byte) error {
	var fj faultsJSON
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&fj); err != nil {
		return err
	}
	*f = Faults{
		Latency:             time.Duration(fj.Latency),
		RateLimitPerMinute:  fj.RateLimitPerMinute,
		RateLimitWindow:     time.Duration(fj.RateLimitWindow),
		FailNext:            fj.FailNext,
		ErrorRate:           fj.ErrorRate,
		ErrorStatus:         fj.ErrorStatus,
		ErrorDrop:           fj.ErrorDrop,
		RetryAfter:          time.Duration(fj.RetryAfter),
		SeatLimits:          fj.SeatLimits,
		ItemFailures:        fj.ItemFailures,
		VisibilityDelay:     time.Duration(fj.VisibilityDelay),
		UserVisibilityDelay: fromJSONDurations(fj.UserVisibilityDelay),
		RouteLatency:        fromJSONDurations(fj.RouteLatency),
		ResponseDelay:       fromJSONDurations(fj.ResponseDelay),
		TokenThrottleNext:   fj.TokenThrottleNext,
		Profile:             fj.Profile,
	}
	return nil
}

func toJSONDurations(m map[string]time.Duration) map[string]jsonDuration {
	if m == nil {
		return nil
	}
	out := make(map[string]jsonDuration, len(m))
	for k, d := range m {
		out[k] = jsonDuration(d)
	}
	return out
}

func fromJSONDurations(m map[string]jsonDuration) map[string]time.Duration {
	if m == nil {
		return nil
	}
	out := make(map[string]time.Duration, len(m))
	for k, d := range m {
		out[k] = time.Duration(d)
	}
	return out
}

// jsonDuration is a time.Duration written as a Go duration string.
type jsonDuration time.Duration

func (d jsonDuration) MarshalJSON() ([]byte, error) {
	return json.Marshal(time.Duration(d).String())
}

func (d *jsonDuration) UnmarshalJSON(data []byte) error {
	if string(data) == "null" {
		*d = 0
		return nil
	}
	var s string
	if err := json.Unmarshal(data, &s); err != nil {
		return fmt.Errorf("a duration must be a string such as \"50ms\", got %s", data)
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return err
	}
	*d = jsonDuration(v)
	return nil
}
