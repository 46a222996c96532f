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
// (Genesys limits are per token).
type tokenSlot struct {
	static  bool
	base    oauth2.TokenSource // the fetcher, or a static source
	limiter *rate.Limiter      // nil when pacing is disabled

	mu  sync.Mutex
	ts  oauth2.TokenSource // ReuseTokenSource over base; replaced to force renewal
	cur *oauth2.Token      // last token handed out
}

func newTokenSlot(base oauth2.TokenSource, static bool, limiter *rate.Limiter) *tokenSlot {
	s := &tokenSlot{static: static, base: base, limiter: limiter}
	s.ts = s.newReuse()
	return s
}

func (s *tokenSlot) newReuse() oauth2.TokenSource {
	if s.static {
		return s.base
	}
	// The fetcher already moved Expiry earlier by the renewal margin; a 1 ns early expiry
	// stops oauth2 from adding its own 10 s default on top (which would defeat short test
	// lifetimes).
	return oauth2.ReuseTokenSourceWithExpiry(nil, s.base, time.Nanosecond)
}

// token returns the slot's current token, fetching one if needed. The wait for a fetch ends
// with ctx; the fetch itself continues (bounded by its own retries) and is cached for the next
// caller.
func (s *tokenSlot) token(ctx context.Context) (*oauth2.Token, error) {
	s.mu.Lock()
	ts, cur := s.ts, s.cur
	s.mu.Unlock()
	if cur.Valid() {
		return cur, nil
	}
	type result struct {
		tok *oauth2.Token
		err error
	}
	ch := make(chan result, 1)
	go func() {
		tok, err := ts.Token()
		ch <- result{tok, err}
	}()
	select {
	case r := <-ch:
		if r.err != nil {
			return nil, r.err
		}
		s.mu.Lock()
		if s.ts == ts {
			s.cur = r.tok
		}
		s.mu.Unlock()
		return r.tok, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// invalidate drops the cached token if it is still the one that was refused (accessToken), so
// that the next call fetches a new one. It reports whether a renewal will happen.
func (s *tokenSlot) invalidate(accessToken string) bool {
	if s.static {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cur != nil && s.cur.AccessToken != accessToken {
		return true // already renewed by another request
	}
	s.ts = s.newReuse()
	s.cur = nil
	return true
}

// currentToken returns the last token handed out, for masking in logs.
func (s *tokenSlot) currentToken() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cur == nil {
		return ""
	}
	return s.cur.AccessToken
}
