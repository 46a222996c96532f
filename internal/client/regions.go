package client

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"sort"
	"strconv"
	"strings"
)

// DefaultRegion is the region used when neither Config.Region nor Config.APIURL is set.
const DefaultRegion = "us-east-1"

// Regions maps each Genesys Cloud region key to its domain. The API host is "api.<domain>" and
// the login host "login.<domain>". Keys are lower case; lookups through RegionDomain are
// case-insensitive. Treat the map as read-only.
var Regions = map[string]string{
	"us-east-1":      "mypurecloud.com",
	"us-east-2":      "use2.us-gov-pure.cloud",
	"us-west-2":      "usw2.pure.cloud",
	"ca-central-1":   "cac1.pure.cloud",
	"sa-east-1":      "sae1.pure.cloud",
	"mx-central-1":   "mxc1.pure.cloud",
	"eu-west-1":      "mypurecloud.ie",
	"eu-west-2":      "euw2.pure.cloud",
	"eu-central-1":   "mypurecloud.de",
	"eu-central-2":   "euc2.pure.cloud",
	"eusc-de-east-1": "edee1.eusc-pure.cloud",
	"me-central-1":   "mec1.pure.cloud",
	"ap-south-1":     "aps1.pure.cloud",
	"ap-southeast-1": "apse1.pure.cloud",
	"ap-southeast-2": "mypurecloud.com.au",
	"ap-northeast-1": "mypurecloud.jp",
	"ap-northeast-2": "apne2.pure.cloud",
	"ap-northeast-3": "apne3.pure.cloud",
}

// RegionKeys returns the region keys, sorted.
func RegionKeys() []string {
	keys := make([]string, 0, len(Regions))
	for k := range Regions {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// RegionDomain returns the domain of a region key, matched case-insensitively and ignoring
// surrounding blanks.
func RegionDomain(key string) (string, bool) {
	d, ok := Regions[strings.ToLower(strings.TrimSpace(key))]
	return d, ok
}

// ResolveEndpoints returns the API and login base URLs (scheme and host, plus any path prefix,
// without a trailing slash) that cfg selects. It only validates; it never contacts the network,
// so the provider can call it at plan time.
//
// APIURL, when set, overrides Region. LoginURL, when empty, is derived from the API URL by
// replacing a leading "api." in the host with "login."; when the API host has no "api." prefix
// (a gateway, the mock server) the login URL is the API URL itself. Plain http:// is accepted
// only for loopback hosts (127.0.0.0/8, ::1, localhost).
func ResolveEndpoints(cfg Config) (apiURL, loginURL string, err error) {
	if strings.TrimSpace(cfg.APIURL) == "" {
		region := strings.TrimSpace(cfg.Region)
		if region == "" {
			region = DefaultRegion
		}
		domain, ok := RegionDomain(region)
		if !ok {
			return "", "", fmt.Errorf("unknown region %q; valid regions are: %s",
				region, strings.Join(RegionKeys(), ", "))
		}
		apiURL = "https://api." + domain
		loginURL = "https://login." + domain
	} else {
		u, err := parseBaseURL("api", cfg.APIURL)
		if err != nil {
			return "", "", err
		}
		apiURL = u.String()
		if host := u.Hostname(); strings.HasPrefix(strings.ToLower(host), "api.") {
			login := *u
			login.Host = "login." + host[len("api."):]
			if port := u.Port(); port != "" {
				login.Host = net.JoinHostPort(login.Host, port)
			}
			loginURL = login.String()
		} else {
			loginURL = apiURL
		}
	}
	if strings.TrimSpace(cfg.LoginURL) != "" {
		u, err := parseBaseURL("login", cfg.LoginURL)
		if err != nil {
			return "", "", err
		}
		loginURL = u.String()
	}
	return apiURL, loginURL, nil
}

// parseBaseURL validates a base URL given by the user. kind ("api" or "login") names it in errors.
func parseBaseURL(kind, raw string) (*url.URL, error) {
	raw = strings.TrimSpace(raw)
	u, err := url.Parse(raw)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // url.Error repeats the URL, which may hold credentials
		}
		shown := strconv.Quote(raw)
		if strings.Contains(raw, "@") {
			shown = "(not shown: it contains '@')"
		}
		return nil, fmt.Errorf("malformed %s URL %s: %w", kind, shown, err)
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, fmt.Errorf("malformed %s URL %q: the scheme must be https:// (or http:// for a loopback host)", kind, raw)
	case u.Host == "" || u.Hostname() == "":
		return nil, fmt.Errorf("malformed %s URL %q: no host", kind, raw)
	case u.User != nil:
		return nil, fmt.Errorf("malformed %s URL: credentials in the URL are not supported", kind)
	case u.RawQuery != "" || u.ForceQuery || u.Fragment != "":
		return nil, fmt.Errorf("malformed %s URL %q: a query or fragment is not allowed", kind, raw)
	case u.Scheme == "http" && !IsLoopbackHost(u.Hostname()):
		return nil, fmt.Errorf("refusing plain http:// for %s URL %q: use https:// (http:// is accepted only for loopback hosts such as 127.0.0.1 or localhost)", kind, raw)
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	return u, nil
}

// IsLoopbackHost reports whether host is "localhost" or a loopback IP address.
func IsLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
