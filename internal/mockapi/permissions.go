package mockapi

import (
	"net/http"
	"slices"
	"strings"

	"github.com/purecloud-terraform/terraform-provider-purecloud/internal/apiops"
)

// routePermissions are the permissions each route requires, any one of them
// sufficing, from the one table of operations (internal/apiops), as the official
// SDKs document them ("Requires ANY permissions"). Routes not listed require none.
var routePermissions = func() map[string][]string {
	out := map[string][]string{}
	for _, o := range apiops.All() {
		if len(o.Permissions) > 0 {
			out[o.Route()] = o.Permissions
		}
	}
	return out
}()

// RoutePermissions returns the permissions a route (a Route* constant)
// requires, any one of them sufficing; nil when it requires none.
func RoutePermissions(route string) []string {
	return slices.Clone(routePermissions[route])
}

// authorize answers 403 if the OAuth client holds none of the permissions the
// route requires.
func (s *Server) authorize(c *call) bool {
	need := routePermissions[c.key]
	if len(need) == 0 {
		return true
	}
	s.mu.Lock()
	granted := s.permissions
	ok := granted == nil
	for _, p := range need {
		ok = ok || granted[p]
	}
	s.mu.Unlock()
	if ok {
		return true
	}
	code := "missing.any.permissions"
	if len(need) == 1 {
		code = "missing.permissions"
	}
	list := strings.Join(need, ", ")
	eb := newErrorBody(c, http.StatusForbidden, code, "You are missing the following permission(s): "+list)
	eb.MessageWithParams = "You are missing the following permission(s): {permissions}"
	eb.MessageParams = map[string]string{"permissions": list}
	for _, p := range need {
		eb.Details = append(eb.Details, errorDetail{ErrorCode: code, EntityID: p})
	}
	writeJSON(c.w, http.StatusForbidden, eb)
	return false
}
