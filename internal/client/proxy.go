package client

import (
	"net/http"
	"net/url"
)

// ProxyTransport returns a transport for Config.HTTPTransport that sends every request, token
// requests included, through the HTTP proxy at proxy (http:// or https://, with optional
// user:password@ for Proxy-Authorization), instead of the proxy that HTTPS_PROXY, HTTP_PROXY and
// NO_PROXY select by default.
func ProxyTransport(proxy *url.URL) http.RoundTripper {
	t, ok := http.DefaultTransport.(*http.Transport)
	if !ok {
		return http.DefaultTransport
	}
	t = t.Clone()
	t.MaxIdleConnsPerHost = 64
	t.Proxy = http.ProxyURL(proxy)
	return t
}
