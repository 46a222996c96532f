package mockapi

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestTokenEndpoint(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{ClientID: "id-1", ClientSecret: "secret-1", TokenLifetime: 2 * time.Hour})

	tests := []struct {
		name        string
		id, secret  string
		contentType string
		form        string
		wantStatus  int
		wantError   string // OAuth error; "" for success
	}{
		{name: "success", id: "id-1", secret: "secret-1", form: "grant_type=client_credentials", wantStatus: 200},
		{name: "no content type", id: "id-1", secret: "secret-1", contentType: "-", form: "grant_type=client_credentials", wantStatus: 200},
		{name: "wrong secret", id: "id-1", secret: "nope", form: "grant_type=client_credentials", wantStatus: 401, wantError: "invalid_client"},
		{name: "unknown client", id: "other", secret: "secret-1", form: "grant_type=client_credentials", wantStatus: 401, wantError: "invalid_client"},
		{name: "no basic auth", form: "grant_type=client_credentials", wantStatus: 401, wantError: "invalid_client"},
		{name: "wrong grant", id: "id-1", secret: "secret-1", form: "grant_type=password&username=a", wantStatus: 400, wantError: "unsupported_grant_type"},
		{name: "missing grant", id: "id-1", secret: "secret-1", form: "scope=x", wantStatus: 400, wantError: "invalid_request"},
		{name: "json body", id: "id-1", secret: "secret-1", contentType: "application/json", form: `{"grant_type":"client_credentials"}`, wantStatus: 400, wantError: "invalid_request"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, e.base+"/oauth/token", strings.NewReader(tt.form))
			switch tt.contentType {
			case "":
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			case "-":
			default:
				req.Header.Set("Content-Type", tt.contentType)
			}
			if tt.id != "" {
				req.SetBasicAuth(tt.id, tt.secret)
			}
			ee := *e
			ee.t = t
			r := ee.send(req)
			if r.status != tt.wantStatus {
				t.Fatalf("status = %d, want %d: %s", r.status, tt.wantStatus, r.body)
			}
			if ct := r.header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type = %q", ct)
			}
			if tt.wantError != "" {
				var oe tOAuthError
				r.decode(&oe)
				if oe.Error != tt.wantError || oe.ErrorDescription == "" {
					t.Errorf("error = %+v, want %q with a description", oe, tt.wantError)
				}
				return
			}
			var tok tToken
			r.decode(&tok)
			if len(tok.AccessToken) < 32 || tok.TokenType != "bearer" || tok.ExpiresIn != 7200 {
				t.Errorf("token = %+v", tok)
			}
			// The token works on the API.
			ee.token = tok.AccessToken
			ee.do(http.MethodGet, "/api/v2/license/definitions", nil).wantStatus(http.StatusOK)
		})
	}
}

func TestTokenEndpointWrongMethod(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	r := e.doWith(http.MethodGet, "/oauth/token", nil, nil)
	r.errorBody(http.StatusMethodNotAllowed, "method.not.allowed")
	if got := r.header.Get("Allow"); got != "POST" {
		t.Errorf("Allow = %q", got)
	}
}

func TestTokensAreDistinct(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	seen := map[string]bool{e.token: true}
	for range 20 {
		tok := e.newToken()
		if seen[tok] {
			t.Fatalf("token %q issued twice", tok)
		}
		seen[tok] = true
	}
}

func TestDefaultCredentialsAndLifetime(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	r := e.tokenRequest("mock-client-id", "mock-client-secret").wantStatus(200)
	var tok tToken
	r.decode(&tok)
	if tok.ExpiresIn != 86400 {
		t.Errorf("expires_in = %d, want 86400", tok.ExpiresIn)
	}
}

func TestAPIAuthentication(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	revoked := newEnv(t, Options{})
	revokedToken := revoked.token
	revoked.s.RevokeTokens()

	tests := []struct {
		name     string
		env      *env
		header   string
		wantCode string // "" for 200
	}{
		{name: "valid", env: e, header: "Bearer " + e.token},
		{name: "lowercase scheme", env: e, header: "bearer " + e.token},
		{name: "missing", env: e, header: "", wantCode: "authentication.required"},
		{name: "basic scheme", env: e, header: "Basic bW9jazpzZWNyZXQ=", wantCode: "authentication.required"},
		{name: "bearer without token", env: e, header: "Bearer ", wantCode: "authentication.required"},
		{name: "unknown token", env: e, header: "Bearer not-a-token", wantCode: "bad.credentials"},
		{name: "token of another server", env: e, header: "Bearer " + revoked.newToken(), wantCode: "bad.credentials"},
		{name: "revoked token", env: revoked, header: "Bearer " + revokedToken, wantCode: "bad.credentials"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ee := *tt.env
			ee.t = t
			r := ee.doWith(http.MethodGet, "/api/v2/license/definitions", nil, map[string]string{"Authorization": tt.header})
			if tt.wantCode == "" {
				r.wantStatus(http.StatusOK)
				return
			}
			r.errorBody(http.StatusUnauthorized, tt.wantCode)
		})
	}
}

func TestShortTokenLifetime(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{TokenLifetime: 700 * time.Millisecond})
	r := e.tokenRequest(DefaultClientID, DefaultClientSecret).wantStatus(200)
	var tok tToken
	r.decode(&tok)
	if tok.ExpiresIn != 1 {
		t.Errorf("expires_in = %d, want 1 (700ms rounded up)", tok.ExpiresIn)
	}
	e.token = tok.AccessToken
	e.do(http.MethodGet, "/api/v2/license/definitions", nil).wantStatus(http.StatusOK)
	time.Sleep(800 * time.Millisecond)
	e.do(http.MethodGet, "/api/v2/license/definitions", nil).errorBody(http.StatusUnauthorized, "credentials.expired")
	// A new token works again, and the expired one still answers credentials.expired.
	expired := e.token
	e.token = e.newToken()
	e.do(http.MethodGet, "/api/v2/license/definitions", nil).wantStatus(http.StatusOK)
	e.doWith(http.MethodGet, "/api/v2/license/definitions", nil, map[string]string{"Authorization": "Bearer " + expired}).
		errorBody(http.StatusUnauthorized, "credentials.expired")
	// Revoked tokens count as unknown, expired or not.
	e.s.RevokeTokens()
	e.doWith(http.MethodGet, "/api/v2/license/definitions", nil, map[string]string{"Authorization": "Bearer " + expired}).
		errorBody(http.StatusUnauthorized, "bad.credentials")
}
