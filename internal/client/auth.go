package client

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
	"golang.org/x/time/rate"
)

// Token renewal: a token is renewed when less than tokenRenewMargin (or a tenth of its
// lifetime, whichever is smaller) is left, so that no request starts with a token about to
// expire. Genesys tokens live 24 h by default, 300 s at least.
const tokenRenewMargin = time.Minute

// tokenFetcher requests a new token from the token endpoint on every call. It retries the
// endpoint's throttling answer (400 invalid_request "rate limit exceeded; ..."), 5xx answers and
// connection errors with bounded exponential backoff. It is shared by every slot of the pool:
// each slot's oauth2.ReuseTokenSource caches its own token.
type tokenFetcher struct {
	ctx        context.Context // carries the token HTTP client and the logger; cancelled by Close
	cc         *clientcredentials.Config
	maxRetries int
	waitMin    time.Duration
	waitMax    time.Duration
	logCtx     func(context.Context) context.Context
}

// Token implements oauth2.TokenSource.
func (f *tokenFetcher) Token() (*oauth2.Token, error) {
	ctx := f.logCtx(f.ctx)
	for attempt := 0; ; attempt++ {
		start := time.Now()
		tok, err := f.cc.Token(f.ctx)
		fields := map[string]any{
			"method":      http.MethodPost,
			"path":        "/oauth/token",
			"client_id":   f.cc.ClientID,
			"attempt":     attempt + 1,
			"duration_ms": time.Since(start).Milliseconds(),
		}
		if err == nil {
			fields["status"] = http.StatusOK
			if !tok.Expiry.IsZero() {
				life := time.Until(tok.Expiry)
				margin := min(tokenRenewMargin, life/10)
				tok.Expiry = tok.Expiry.Add(-margin)
				fields["expires_in_s"] = int(life.Seconds())
			}
			tflog.SubsystemDebug(ctx, logSubsystem, "OAuth token request", fields)
			return tok, nil
		}

		var re *oauth2.RetrieveError
		retryable := false
		if errors.As(err, &re) {
			status := 0
			if re.Response != nil {
				status = re.Response.StatusCode
			}
			fields["status"] = status
			fields["error_code"] = re.ErrorCode
			switch {
			case isTokenThrottle(re):
				retryable = true
			case status >= 500 && status != http.StatusNotImplemented:
				retryable = true
			case status >= 400 && status < 500:
				tflog.SubsystemDebug(ctx, logSubsystem, "OAuth token request refused", fields)
				return nil, &AuthError{
					ClientID:    f.cc.ClientID,
					TokenURL:    f.cc.TokenURL,
					StatusCode:  status,
					Code:        re.ErrorCode,
					Description: re.ErrorDescription,
				}
			}
		} else if f.ctx.Err() == nil {
			fields["error"] = err.Error()
			retryable = true // connection error
		}
		if !retryable || attempt >= f.maxRetries {
			tflog.SubsystemDebug(ctx, logSubsystem, "OAuth token request failed", fields)
			if re != nil {
				err = errors.New(retrieveErrorText(re))
			}
			return nil, &tokenError{tokenURL: f.cc.TokenURL, err: err}
		}
		wait := expBackoff(f.waitMin, f.waitMax, attempt)
		fields["retry_in_ms"] = wait.Milliseconds()
		tflog.SubsystemDebug(ctx, logSubsystem, "OAuth token request will be retried", fields)
		t := time.NewTimer(wait)
		select {
		case <-f.ctx.Done():
			t.Stop()
			return nil, &tokenError{tokenURL: f.cc.TokenURL, err: f.ctx.Err()}
		case <-t.C:
		}
	}
}

// isTokenThrottle recognises the token endpoint's throttling answer, which is a 400 rather
// than a 429.
func isTokenThrottle(re *oauth2.RetrieveError) bool {
	if re.Response != nil && re.Response.StatusCode == http.StatusTooManyRequests {
		return true
	}
	return strings.HasPrefix(strings.ToLower(strings.TrimSpace(re.ErrorDescription)), "rate limit exceeded")
}

// retrieveErrorText describes a token endpoint failure without its raw body.
func retrieveErrorText(re *oauth2.RetrieveError) string {
	s := "token endpoint answered"
	if re.Response != nil {
		s += " " + re.Response.Status
	}
	if re.ErrorCode != "" {
		s += " " + re.ErrorCode
	}
	if re.ErrorDescription != "" {
		s += ": " + re.ErrorDescription
	}
	return s
}

// tokenSlot is one member of the token pool: its own cached token and its own pacing limiter
// (Genesys limits are per token). At most one token request per slot runs at a time, and every
// caller that needs a token while it runs waits for that same request (Genesys throttles its
// token endpoint, so a burst of 401s must not become a burst of token requests).
type tokenSlot struct {
	static  bool
	base    oauth2.TokenSource // the fetcher, or a static source
	limiter *rate.Limiter      // nil when pacing is disabled

	mu       sync.Mutex
	cur      *oauth2.Token // the slot's token; nil once refused
	last     string        // the last token handed out, kept after a refusal for masking
	fetching *tokenFetch   // the token request in progress, if any
}

// tokenFetch is one token request, shared by every caller waiting for it.
type tokenFetch struct {
	done chan struct{}
	tok  *oauth2.Token
	err  error
}

func newTokenSlot(base oauth2.TokenSource, static bool, limiter *rate.Limiter) *tokenSlot {
	return &tokenSlot{static: static, base: base, limiter: limiter}
}

// token returns the slot's current token, starting one shared token request if needed. The
// wait ends with ctx; the request itself runs on (bounded by the fetcher's own retries and the
// client's life) and its token is kept for the next caller.
func (s *tokenSlot) token(ctx context.Context) (*oauth2.Token, error) {
	s.mu.Lock()
	if usable(s.cur) {
		tok := s.cur
		s.mu.Unlock()
		return tok, nil
	}
	f := s.fetching
	if f == nil {
		f = &tokenFetch{done: make(chan struct{})}
		s.fetching = f
		go func() {
			tok, err := s.base.Token()
			s.mu.Lock()
			f.tok, f.err = tok, err
			if err == nil {
				s.cur, s.last = tok, tok.AccessToken
			}
			s.fetching = nil
			s.mu.Unlock()
			close(f.done)
		}()
	}
	s.mu.Unlock()
	select {
	case <-f.done:
		return f.tok, f.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// invalidate drops the slot's token if it is still the one the API refused (accessToken), so
// that the next call requests a new one; a token already renewed (or being renewed) is left
// alone. It reports whether retrying with a renewed token makes sense.
func (s *tokenSlot) invalidate(accessToken string) bool {
	if s.static {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cur != nil && s.cur.AccessToken == accessToken {
		s.cur = nil
	}
	return true
}

// usable reports whether tok can be sent: present and not expired. The fetcher already moved
// Expiry earlier by the renewal margin, so unlike oauth2.Token.Valid no further 10 s are
// taken off (which would defeat short token lifetimes).
func usable(tok *oauth2.Token) bool {
	return tok != nil && tok.AccessToken != "" && (tok.Expiry.IsZero() || time.Now().Before(tok.Expiry))
}

// currentToken returns the slot's token, or the last one handed out, for masking in logs.
func (s *tokenSlot) currentToken() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cur != nil {
		return s.cur.AccessToken
	}
	return s.last
}
