package client

import (
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/go-retryablehttp"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// passLastResponse hands the last response (rather than a "giving up" error) back to do once
// retries are exhausted, so that it becomes an *APIError with the server's code and message.
func passLastResponse(resp *http.Response, err error, _ int) (*http.Response, error) {
	if resp != nil {
		return resp, nil
	}
	return nil, err
}

// checkRetry is the retry policy: 429 (unless Retry-After exceeds MaxRetryAfter), 5xx except
// 501, and connection errors and per-attempt timeouts. Never token failures or the caller's
// cancellation.
func (c *Client) checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	st := stateOf(ctx)
	fields := map[string]any{}
	if st != nil {
		fields["method"], fields["path"], fields["attempt"] = st.method, st.path, int(st.attempt.Load())
	}
	if err != nil {
		var authErr *AuthError
		var tokErr *tokenError
		if errors.As(err, &authErr) || errors.As(err, &tokErr) {
			return false, err
		}
		retry, _ := retryablehttp.DefaultRetryPolicy(ctx, resp, err)
		if retry {
			fields["error"] = err.Error()
			tflog.SubsystemDebug(ctx, logSubsystem, "request failed without a response; will retry if tries remain", fields)
		}
		return retry, nil
	}
	fields["status"] = resp.StatusCode
	retry := false
	switch {
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable:
		if ra, ok := parseRetryAfter(resp); ok {
			fields["retry_after_s"] = ra.Seconds()
			if ra > MaxRetryAfter {
				tflog.SubsystemDebug(ctx, logSubsystem, "Retry-After exceeds the 180 s cap; giving up", fields)
				return false, nil
			}
		}
		retry = true
	case resp.StatusCode == 0 || (resp.StatusCode >= 500 && resp.StatusCode != http.StatusNotImplemented):
		retry = true
	}
	if retry {
		tflog.SubsystemDebug(ctx, logSubsystem, "retryable response; will retry if tries remain", fields)
	}
	return retry, nil
}

// backoff waits Retry-After when a 429/503 carries one, else an exponential delay with jitter.
func backoff(minWait, maxWait time.Duration, attempt int, resp *http.Response) time.Duration {
	if resp != nil && (resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable) {
		if ra, ok := parseRetryAfter(resp); ok {
			return ra
		}
	}
	return expBackoff(minWait, maxWait, attempt)
}

// expBackoff returns minWait·2^attempt, at most maxWait, plus up to 10 % jitter.
func expBackoff(minWait, maxWait time.Duration, attempt int) time.Duration {
	d := maxWait
	if attempt < 30 {
		if e := minWait << attempt; e > 0 && e < maxWait {
			d = e
		}
	}
	if j := int64(d / 10); j > 0 {
		d += time.Duration(rand.Int64N(j))
	}
	return d
}

// parseRetryAfter reads a Retry-After header in seconds or as an HTTP date.
func parseRetryAfter(resp *http.Response) (time.Duration, bool) {
	v := strings.TrimSpace(resp.Header.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if s, err := strconv.ParseFloat(v, 64); err == nil {
		if s < 0 {
			return 0, false
		}
		return time.Duration(s * float64(time.Second)), true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(time.Until(t), 0), true
	}
	return 0, false
}

// apiTransport runs under retryablehttp, once per attempt: it paces on the slot's limiter,
// sets the slot's token, bounds the attempt with RequestTimeout and logs the exchange.
type apiTransport struct {
	c    *Client
	base http.RoundTripper
}

func (t *apiTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	st := stateOf(ctx)
	if st == nil {
		return nil, errors.New("client: request without request state")
	}
	attempt := st.attempt.Add(1)
	if st.slot.limiter != nil {
		if err := st.slot.limiter.Wait(ctx); err != nil {
			return nil, err
		}
	}
	tok, err := st.slot.token(ctx)
	if err != nil {
		return nil, err
	}
	st.lastToken.Store(&tok.AccessToken)

	actx, cancel := context.WithTimeout(ctx, t.c.cfg.RequestTimeout)
	out := req.Clone(actx)
	out.Header.Set("Authorization", tok.Type()+" "+tok.AccessToken)
	out.Header.Set("User-Agent", t.c.cfg.UserAgent)

	start := time.Now()
	resp, err := t.base.RoundTrip(out)
	if err != nil || !refusedUnrun(resp.StatusCode) {
		st.mayHaveRun.Store(true)
	}
	fields := map[string]any{
		"method":      st.method,
		"path":        st.path,
		"attempt":     int(attempt),
		"duration_ms": time.Since(start).Milliseconds(),
	}
	if err != nil {
		cancel()
		fields["error"] = err.Error()
		tflog.SubsystemDebug(ctx, logSubsystem, "HTTP request failed", fields)
		return nil, err
	}
	fields["status"] = resp.StatusCode
	fields["correlation_id"] = resp.Header.Get(correlationHeader)
	tflog.SubsystemDebug(ctx, logSubsystem, "HTTP request", fields)
	resp.Body = &cancelOnClose{ReadCloser: resp.Body, cancel: cancel}
	return resp, nil
}

// refusedUnrun reports whether an answer means the API refused the request before running its
// operation: not authenticated (401), not authorised (403) or rate limited (429).
func refusedUnrun(status int) bool {
	return status == http.StatusUnauthorized || status == http.StatusForbidden || status == http.StatusTooManyRequests
}

// cancelOnClose ends the per-attempt context once the body is closed.
type cancelOnClose struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (b *cancelOnClose) Close() error {
	err := b.ReadCloser.Close()
	b.cancel()
	return err
}

// userAgentTransport sets the User-Agent of token requests.
type userAgentTransport struct {
	base      http.RoundTripper
	userAgent string
}

func (t *userAgentTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	out := req.Clone(req.Context())
	out.Header.Set("User-Agent", t.userAgent)
	return t.base.RoundTrip(out)
}
