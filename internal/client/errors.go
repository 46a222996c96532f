package client

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode"
)

var (
	// ErrNotFound matches (errors.Is) an *APIError with status 404.
	ErrNotFound = errors.New("not found")

	// ErrAuthentication matches (errors.Is) an *AuthError (the token endpoint rejected the OAuth
	// client credentials) and an *APIError with status 401 (the API rejected the token, for
	// example an expired static access token).
	ErrAuthentication = errors.New("authentication failed")

	// ErrClosed is returned by calls made after Close.
	ErrClosed = errors.New("client closed")

	// ErrNotSent matches (errors.Is) the error of a request that no attempt carried to the API's
	// operation, because no access token could be obtained (every attempt sent, if any, was
	// refused with 401, 403 or 429): nothing it carried was applied.
	ErrNotSent = errors.New("request not sent")
)

// APIError is a non-2xx answer of the Genesys Cloud API, built from its ErrorBody.
// Its text never contains a token or secret.
type APIError struct {
	StatusCode    int
	Code          string // ErrorBody code, e.g. "not.found", "bad.request"
	Message       string
	CorrelationID string // ErrorBody contextId, else the ININ-Correlation-Id header
	Details       []ErrorDetail
	Method        string
	Path          string        // request path, with the query string if any
	RetryAfter    time.Duration // Retry-After of a 429/503 answer, 0 when absent
	// Operation is the SDK name of the operation, such as "postLicenseOrganization".
	Operation string
	// RequiredPermissions, on a 403, are the permissions the operation needs (any one of them)
	// according to the API documentation.
	RequiredPermissions []string
}

// ErrorDetail is one entry of ErrorBody.details.
type ErrorDetail struct {
	ErrorCode  string `json:"errorCode,omitempty"`
	FieldName  string `json:"fieldName,omitempty"`
	EntityID   string `json:"entityId,omitempty"`
	EntityName string `json:"entityName,omitempty"`
}

// Error returns e.g.
// "GET /api/v2/license/users/x: 404 not.found: The requested operation failed with status 404 (correlation id 1234)".
func (e *APIError) Error() string {
	var b strings.Builder
	if e.Method != "" || e.Path != "" {
		b.WriteString(strings.TrimSpace(e.Method + " " + e.Path))
		b.WriteString(": ")
	}
	fmt.Fprintf(&b, "%d", e.StatusCode)
	if e.Code != "" {
		b.WriteString(" " + e.Code)
	}
	msg := e.Message
	if msg == "" {
		msg = http.StatusText(e.StatusCode)
	}
	if msg != "" {
		b.WriteString(": " + msg)
	}
	if e.CorrelationID != "" {
		b.WriteString(" (correlation id " + e.CorrelationID + ")")
	}
	return b.String()
}

// Is makes errors.Is(err, ErrNotFound) true for a 404 and errors.Is(err, ErrAuthentication)
// true for a 401.
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrNotFound:
		return e.StatusCode == http.StatusNotFound
	case ErrAuthentication:
		return e.StatusCode == http.StatusUnauthorized
	}
	return false
}

// errorBody is the API's ErrorBody; only the fields the client uses.
type errorBody struct {
	Message       string        `json:"message"`
	Code          string        `json:"code"`
	Status        int           `json:"status"`
	ContextID     string        `json:"contextId"`
	Details       []ErrorDetail `json:"details"`
	Errors        []errorBody   `json:"errors"`
	EntityID      string        `json:"entityId"`
	EntityName    string        `json:"entityName"`
	MessageParams any           `json:"messageParams"`
}

// newAPIError builds an *APIError from a non-2xx response and its (already read) body. scrub
// removes known secrets from any text copied out of the body.
func newAPIError(method, path string, resp *http.Response, body []byte, scrub func(string) string) *APIError {
	e := &APIError{StatusCode: resp.StatusCode, Method: method, Path: path}
	e.CorrelationID = resp.Header.Get(correlationHeader)
	if ra, ok := parseRetryAfter(resp); ok {
		e.RetryAfter = ra
	}
	var eb errorBody
	if err := json.Unmarshal(body, &eb); err == nil && (eb.Message != "" || eb.Code != "") {
		e.Code = eb.Code
		e.Message = scrub(eb.Message)
		e.Details = eb.Details
		if eb.ContextID != "" {
			e.CorrelationID = eb.ContextID
		}
		if e.Message == "" && len(eb.Errors) > 0 {
			e.Message = scrub(eb.Errors[0].Message)
		}
		return e
	}
	// Not an ErrorBody (a proxy's HTML page, an empty body): keep a short, printable snippet.
	e.Message = http.StatusText(resp.StatusCode)
	if snippet := bodySnippet(scrub(string(body)), 200); snippet != "" {
		if e.Message != "" {
			e.Message += "; "
		}
		e.Message += "response body: " + snippet
	}
	return e
}

// bodySnippet returns s with control characters and runs of blanks collapsed, cut to limit runes.
func bodySnippet(s string, limit int) string {
	var b strings.Builder
	n, space := 0, false
	for _, r := range s {
		if unicode.IsSpace(r) || !unicode.IsPrint(r) {
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
			n++
		}
		space = false
		if n >= limit {
			b.WriteString("…")
			break
		}
		b.WriteRune(r)
		n++
	}
	return b.String()
}

// AuthError reports that the OAuth token endpoint refused the client credentials (or the
// request for a token). It names the client id and never the secret.
type AuthError struct {
	ClientID    string
	TokenURL    string
	StatusCode  int
	Code        string // OAuth error code, e.g. "invalid_client"
	Description string // OAuth error_description
}

func (e *AuthError) Error() string {
	s := fmt.Sprintf("authentication failed for OAuth client %q at %s", e.ClientID, e.TokenURL)
	if e.StatusCode != 0 {
		s += fmt.Sprintf(": %d", e.StatusCode)
	}
	if e.Code != "" {
		s += " " + e.Code
	}
	if e.Description != "" {
		s += ": " + e.Description
	}
	return s + "; check the OAuth client id and secret, and that the client uses the client-credentials grant"
}

// Is makes errors.Is(err, ErrAuthentication) true.
func (e *AuthError) Is(target error) bool { return target == ErrAuthentication }

// tokenError is a failure to obtain a token that is not a refusal of the credentials
// (network error, throttling or 5xx that outlasted the retries). The API-level retry policy
// does not retry it again.
type tokenError struct {
	tokenURL string
	err      error
}

func (e *tokenError) Error() string {
	return fmt.Sprintf("unable to obtain an OAuth token from %s: %v", e.tokenURL, e.err)
}

func (e *tokenError) Unwrap() error { return e.err }

// notSentError marks a token failure of a request that never reached the API's operation (see
// ErrNotSent); it still matches the token error underneath.
type notSentError struct{ err error }

func (e *notSentError) Error() string   { return e.err.Error() }
func (e *notSentError) Unwrap() []error { return []error{e.err, ErrNotSent} }
