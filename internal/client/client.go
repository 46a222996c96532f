// Package client is a Go client of the Genesys Cloud License API
// (https://developer.genesys.cloud/platform/api/): OAuth client credentials or a static token,
// a pool of tokens used round-robin, per-token pacing, retries of 429/5xx/connection errors,
// typed errors, strict decoders, a batcher that coalesces concurrent license changes into few
// postLicenseOrganization requests, and a coalescer of reads into postLicenseUsers requests.
// What it assumes where the API documentation is silent is in docs/guides/api-assumptions.md.
//
// It is plain Go: no Terraform types. Logging goes through tflog (subsystem "purecloud_http")
// with the Authorization header, tokens and the client secret masked.
package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-retryablehttp"
	"github.com/hashicorp/terraform-plugin-log/tflog"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
	"golang.org/x/time/rate"
)

// Defaults applied by New to zero Config fields.
const (
	DefaultTokenPoolSize        = 1
	MaxTokenPoolSize            = 50
	DefaultMaxRequestsPerMinute = 280
	DefaultMaxRetries           = 5
	DefaultRequestTimeout       = 60 * time.Second
	DefaultMaxBatchUsers        = 100
	DefaultRetryWaitMin         = time.Second
	DefaultRetryWaitMax         = 30 * time.Second
	DefaultUserAgent            = "terraform-provider-purecloud"

	// MaxRetryAfter is the longest Retry-After the client waits for; a 429 asking for more is
	// returned as an *APIError at once.
	MaxRetryAfter = 180 * time.Second

	correlationHeader = "ININ-Correlation-Id"
	maxResponseBytes  = 32 << 20
)

// Config configures a Client. Zero values select the defaults above.
type Config struct {
	// OAuth client credentials (client-credentials grant) ...
	ClientID, ClientSecret string
	// ... or a static access token, never renewed.
	AccessToken string

	// Region is a key of Regions, case-insensitive; "" means us-east-1.
	Region string
	// APIURL overrides Region. LoginURL defaults to APIURL with a leading "api." host label
	// replaced by "login.", or to APIURL itself when its host has no "api." prefix.
	APIURL, LoginURL string

	// TokenPoolSize is the number of tokens requested from the same client and used
	// round-robin, one per request (1..50, default 1).
	TokenPoolSize int
	// MaxRequestsPerMinute paces requests per token (default 280); negative disables pacing.
	MaxRequestsPerMinute int
	// MaxRetries bounds retries after the first try (default 5, so up to 6 tries); negative
	// disables retries.
	MaxRetries int
	// RequestTimeout bounds each attempt (default 60s).
	RequestTimeout time.Duration

	// BatchWindow is how long ApplyLicenseChanges waits for other changes to join its request.
	// 0 disables cross-call batching: each call sends its own request(s) at once.
	BatchWindow time.Duration
	// MaxBatchUsers is the number of distinct user ids per postLicenseOrganization (and
	// postLicenseUsers) request (default 100).
	MaxBatchUsers int
	// ReadBatching coalesces reads of single users that run at the same time into
	// postLicenseUsers requests, and lets a refresh of many users be answered from one listing of
	// the organization (see ReadLicenses). When false, every single-user read is its own
	// getLicenseUser request. The provider's read_batching setting, with the same meaning.
	ReadBatching bool
	// ReadAfterWriteTolerance is how long after this client saw a license change applied a read
	// of that user waits for the change to show (Genesys Cloud may show a write a little later
	// than it answers it): such a read is repeated, backoff-spaced, while it contradicts the
	// change, so that every reader (refreshes, read-backs, data sources) sees what was written.
	// 0 never waits.
	ReadAfterWriteTolerance time.Duration

	// UserAgent is sent on every request (default "terraform-provider-purecloud").
	UserAgent string

	// RetryWaitMin and RetryWaitMax bound the exponential backoff (defaults 1s and 30s).
	// A Retry-After header replaces the backoff, up to MaxRetryAfter.
	RetryWaitMin, RetryWaitMax time.Duration

	// HTTPTransport, when set, is the transport under the client's own (API and token
	// requests): proxies, custom TLS, or tests observing the traffic.
	HTTPTransport http.RoundTripper
}

// Client calls the License API. It is safe for concurrent use.
type Client struct {
	cfg      Config
	apiURL   string
	loginURL string
	http     *retryablehttp.Client
	slots    []*tokenSlot
	next     atomic.Uint64

	baseCtx context.Context // detached from callers; carries the New ctx's logger
	cancel  context.CancelFunc
	batcher *batcher
	reads   *readBatcher  // nil when read batching is off
	listing orgListing    // the organization's listing for large refreshes (listing.go)
	written writtenMemory // changes applied recently, which reads wait for (written.go)

	// batchReadsOff is set once postLicenseUsers proved unusable (403, undecodable answer).
	batchReadsOff atomic.Bool
}

// New validates cfg, applies defaults and builds the client. It does not contact the network.
// ctx provides the logger for background work (the batcher, token requests); its cancellation
// does not stop the client: call Close.
func New(ctx context.Context, cfg Config) (*Client, error) {
	cfg, err := normalizeConfig(cfg)
	if err != nil {
		return nil, err
	}
	apiURL, loginURL, err := ResolveEndpoints(cfg)
	if err != nil {
		return nil, err
	}
	c := &Client{cfg: cfg, apiURL: apiURL, loginURL: loginURL}
	c.baseCtx, c.cancel = context.WithCancel(context.WithoutCancel(ctx))

	base := cfg.HTTPTransport
	if base == nil {
		if t, ok := http.DefaultTransport.(*http.Transport); ok {
			t = t.Clone()
			t.MaxIdleConnsPerHost = 64
			base = t
		} else {
			base = http.DefaultTransport
		}
	}

	var source oauth2.TokenSource
	static := cfg.AccessToken != ""
	if static {
		source = oauth2.StaticTokenSource(&oauth2.Token{AccessToken: cfg.AccessToken, TokenType: "Bearer"})
	} else {
		tokenHTTP := &http.Client{
			Timeout:       cfg.RequestTimeout,
			Transport:     &userAgentTransport{base: base, userAgent: cfg.UserAgent},
			CheckRedirect: refuseRedirect,
		}
		source = &tokenFetcher{
			ctx: context.WithValue(c.baseCtx, oauth2.HTTPClient, tokenHTTP),
			cc: &clientcredentials.Config{
				ClientID:     cfg.ClientID,
				ClientSecret: cfg.ClientSecret,
				TokenURL:     loginURL + "/oauth/token",
				AuthStyle:    oauth2.AuthStyleInHeader,
			},
			maxRetries: max(cfg.MaxRetries, 0),
			waitMin:    cfg.RetryWaitMin,
			waitMax:    cfg.RetryWaitMax,
			logCtx:     c.logCtx,
		}
	}
	for range cfg.TokenPoolSize {
		var lim *rate.Limiter
		if cfg.MaxRequestsPerMinute > 0 {
			burst := min(max(cfg.MaxRequestsPerMinute/30, 1), 10)
			lim = rate.NewLimiter(rate.Limit(float64(cfg.MaxRequestsPerMinute)/60), burst)
		}
		c.slots = append(c.slots, newTokenSlot(source, static, lim))
	}

	c.http = &retryablehttp.Client{
		HTTPClient: &http.Client{
			Transport:     &apiTransport{c: c, base: base},
			CheckRedirect: refuseRedirect,
		},
		Logger:       nil, // logged by apiTransport and checkRetry, through tflog with the caller's ctx
		RetryWaitMin: cfg.RetryWaitMin,
		RetryWaitMax: cfg.RetryWaitMax,
		RetryMax:     max(cfg.MaxRetries, 0),
		CheckRetry:   c.checkRetry,
		Backoff:      backoff,
		ErrorHandler: passLastResponse,
	}
	if cfg.BatchWindow > 0 {
		c.batcher = newBatcher(c)
	}
	if cfg.ReadBatching {
		c.reads = &readBatcher{c: c, maxInFlight: len(c.slots)}
	}
	return c, nil
}

func normalizeConfig(cfg Config) (Config, error) {
	cfg.ClientID = strings.TrimSpace(cfg.ClientID)
	switch {
	case cfg.AccessToken != "" && (cfg.ClientID != "" || cfg.ClientSecret != ""):
		return cfg, errors.New("both an access token and OAuth client credentials are set; use one")
	case cfg.AccessToken != "":
	case cfg.ClientID == "" && cfg.ClientSecret == "":
		return cfg, errors.New("no credentials: set an OAuth client id and secret, or an access token")
	case cfg.ClientSecret == "":
		return cfg, fmt.Errorf("OAuth client %q has no client secret", cfg.ClientID)
	case cfg.ClientID == "":
		return cfg, errors.New("an OAuth client secret is set but no client id")
	}
	switch {
	case cfg.TokenPoolSize == 0:
		cfg.TokenPoolSize = DefaultTokenPoolSize
	case cfg.TokenPoolSize < 1 || cfg.TokenPoolSize > MaxTokenPoolSize:
		return cfg, fmt.Errorf("token pool size %d is out of range 1..%d", cfg.TokenPoolSize, MaxTokenPoolSize)
	}
	if cfg.AccessToken != "" {
		cfg.TokenPoolSize = 1 // one static token: a pool would only split its pacing budget
	}
	if cfg.MaxRequestsPerMinute == 0 {
		cfg.MaxRequestsPerMinute = DefaultMaxRequestsPerMinute
	}
	if cfg.MaxRetries == 0 {
		cfg.MaxRetries = DefaultMaxRetries
	}
	switch {
	case cfg.RequestTimeout == 0:
		cfg.RequestTimeout = DefaultRequestTimeout
	case cfg.RequestTimeout < 0:
		return cfg, fmt.Errorf("request timeout %s is negative", cfg.RequestTimeout)
	}
	if cfg.BatchWindow < 0 {
		return cfg, fmt.Errorf("batch window %s is negative", cfg.BatchWindow)
	}
	switch {
	case cfg.MaxBatchUsers == 0:
		cfg.MaxBatchUsers = DefaultMaxBatchUsers
	case cfg.MaxBatchUsers < 0:
		return cfg, fmt.Errorf("max batch users %d is negative", cfg.MaxBatchUsers)
	}
	if cfg.UserAgent == "" {
		cfg.UserAgent = DefaultUserAgent
	}
	if cfg.RetryWaitMin <= 0 {
		cfg.RetryWaitMin = DefaultRetryWaitMin
	}
	if cfg.RetryWaitMax <= 0 {
		cfg.RetryWaitMax = DefaultRetryWaitMax
	}
	if cfg.RetryWaitMax < cfg.RetryWaitMin {
		cfg.RetryWaitMax = cfg.RetryWaitMin
	}
	return cfg, nil
}

// Close stops the batcher and any background token request. Calls still waiting in
// ApplyLicenseChanges get ErrClosed (or the failure of their in-flight request).
func (c *Client) Close() {
	if c.batcher != nil {
		c.batcher.close()
	}
	c.cancel()
	if c.batcher != nil {
		c.batcher.senders.Wait()
	}
}

// APIURL and LoginURL return the resolved base URLs.
// MaxBatchUsers is the number of user ids one request carries at most.
func (c *Client) MaxBatchUsers() int { return c.cfg.MaxBatchUsers }

func (c *Client) APIURL() string   { return c.apiURL }
func (c *Client) LoginURL() string { return c.loginURL }

// requestState travels in the request context through retryablehttp to apiTransport and
// checkRetry: which pool slot the request uses, and what its last attempt did.
type requestState struct {
	slot      *tokenSlot
	method    string
	path      string
	attempt   atomic.Int32
	lastToken atomic.Pointer[string]
	// mayHaveRun is set once an attempt was sent and not refused before the operation ran
	// (see refusedUnrun): the request may have been applied.
	mayHaveRun atomic.Bool
}

type requestStateKey struct{}

func stateOf(ctx context.Context) *requestState {
	st, _ := ctx.Value(requestStateKey{}).(*requestState)
	return st
}

// do sends one API call with retries and decodes a 2xx JSON answer into out (when non-nil).
// A non-2xx answer becomes an *APIError. A 401 renews the token once and tries again.
func (c *Client) do(ctx context.Context, method, path string, query url.Values, in, out any) error {
	if err := c.baseCtx.Err(); err != nil {
		return ErrClosed
	}
	ctx = c.logCtx(ctx)
	fullPath := path
	if len(query) > 0 {
		fullPath += "?" + query.Encode()
	}
	var body []byte
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return fmt.Errorf("%s %s: encoding request: %w", method, path, err)
		}
		body = b
	}
	slot := c.slots[int((c.next.Add(1)-1)%uint64(len(c.slots)))]

	mayHaveRun := false // some attempt, before or after a token renewal, may have been applied
	for renewed := false; ; renewed = true {
		st := &requestState{slot: slot, method: method, path: fullPath}
		rctx := context.WithValue(ctx, requestStateKey{}, st)
		var rawBody any
		if body != nil {
			rawBody = body
		}
		req, err := retryablehttp.NewRequestWithContext(rctx, method, c.apiURL+fullPath, rawBody)
		if err != nil {
			return fmt.Errorf("%s %s: %w", method, fullPath, err)
		}
		req.Header.Set("Accept", "application/json")
		if body != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := c.http.Do(req)
		mayHaveRun = mayHaveRun || st.mayHaveRun.Load()
		if err != nil {
			err = c.transportError(ctx, method, fullPath, err)
			var authErr *AuthError
			var tokErr *tokenError
			if !mayHaveRun && (errors.As(err, &authErr) || errors.As(err, &tokErr)) {
				return &notSentError{err: err}
			}
			return err
		}
		data, readErr := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes))
		_ = resp.Body.Close()
		if readErr != nil {
			return fmt.Errorf("%s %s: reading response: %w", method, fullPath, readErr)
		}
		if resp.StatusCode == http.StatusUnauthorized && !renewed && !slot.static {
			if tok := st.lastToken.Load(); tok != nil && slot.invalidate(*tok) {
				tflog.SubsystemDebug(ctx, logSubsystem, "API refused the token; renewing it and retrying once",
					map[string]any{"method": method, "path": fullPath})
				continue
			}
		}
		if resp.StatusCode < 200 || resp.StatusCode > 299 {
			apiErr := newAPIError(method, fullPath, resp, data, c.scrub)
			apiErr.Operation = operationName(method, path)
			switch {
			case resp.StatusCode >= 300 && resp.StatusCode < 400:
				apiErr.Message = redirectMessage(resp)
			case resp.StatusCode == http.StatusForbidden:
				apiErr.RequiredPermissions = operationPermissions(apiErr.Operation)
			}
			return apiErr
		}
		if out == nil {
			return nil
		}
		var derr error
		if d, ok := out.(bodyDecoder); ok {
			derr = d.decodeBody(data)
		} else {
			derr = decodeStrict(data, out)
		}
		if derr != nil {
			return &DecodeError{
				Operation: operationName(method, path), Method: method, Path: fullPath, Reason: derr.Error(),
				Body: bodySnippet(c.scrub(string(data)), bodySnippetLimit),
			}
		}
		return nil
	}
}

// refuseRedirect stops the HTTP client at the first redirect: the request carries a bearer token
// (or the client secret), which must never go to another host or over plain HTTP. The 3xx
// answer becomes an *APIError.
func refuseRedirect(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// redirectMessage explains a refused redirect, naming where it pointed (scheme and host only).
func redirectMessage(resp *http.Response) string {
	where := "another location"
	if loc, err := resp.Location(); err == nil {
		where = loc.Scheme + "://" + loc.Host
	}
	return fmt.Sprintf("the API answered with a redirect to %s, which the provider does not follow "+
		"(it would send the access token along); check api_url and the region", where)
}

// transportError turns a failure without a response into the error callers see.
func (c *Client) transportError(ctx context.Context, method, path string, err error) error {
	var authErr *AuthError
	if errors.As(err, &authErr) {
		return authErr
	}
	var tokErr *tokenError
	if errors.As(err, &tokErr) {
		return tokErr
	}
	if ctxErr := ctx.Err(); ctxErr != nil {
		return fmt.Errorf("%s %s: %w", method, path, ctxErr)
	}
	if c.baseCtx.Err() != nil {
		return ErrClosed
	}
	return fmt.Errorf("%s %s: %w", method, path, err)
}
