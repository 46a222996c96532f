package mockapi

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

const (
	definitionsURI  = "/api/v2/license/definitions/"
	licenseUserURI  = "/api/v2/license/users/"
	platformUserURI = "/api/v2/users/"
)

// renderDefinition renders a definition (recursively for comprises). An id
// without a definition renders as {id, selfUri}.
func (s *Server) renderDefinition(id string, withPermissions bool) licenseDefinitionWire {
	out := licenseDefinitionWire{
		ID:            id,
		Prerequisites: []entityRef{},
		Comprises:     []licenseDefinitionWire{},
		SelfURI:       definitionsURI + url.PathEscape(id),
	}
	d, ok := s.defs[id]
	if !ok {
		return out
	}
	out.Description = d.description
	if withPermissions {
		out.Permissions = &permissionsWire{IDs: append([]string{}, d.permissions...)}
	}
	for _, p := range d.prerequisites {
		out.Prerequisites = append(out.Prerequisites, entityRef{ID: p, SelfURI: definitionsURI + url.PathEscape(p)})
	}
	for _, cid := range d.comprises {
		out.Comprises = append(out.Comprises, s.renderDefinition(cid, withPermissions))
	}
	return out
}

func (s *Server) getDefinitions(c *call) {
	s.mu.Lock()
	out := make([]licenseDefinitionWire, 0, len(s.defs))
	for _, id := range s.licenseIDsLocked() {
		out = append(out, s.renderDefinition(id, false))
	}
	s.mu.Unlock()
	writeJSON(c.w, http.StatusOK, out)
}

func (s *Server) getDefinition(c *call) {
	id := c.params["licenseId"]
	s.mu.Lock()
	_, ok := s.defs[id]
	var out licenseDefinitionWire
	if ok {
		out = s.renderDefinition(id, true)
	}
	s.mu.Unlock()
	if !ok {
		s.writeError(c, http.StatusNotFound, "not.found", fmt.Sprintf("License definition %q was not found.", id))
		return
	}
	writeJSON(c.w, http.StatusOK, out)
}

func (s *Server) toggle(c *call) {
	writeJSON(c.w, http.StatusOK, licenseOrgToggleWire{FeatureName: c.params["featureName"], Enabled: true})
}

func (s *Server) getUser(c *call) {
	id := c.params["userId"]
	now := time.Now()
	s.mu.Lock()
	u, ok := s.users[id]
	var out licenseUserWire
	if ok {
		out = licenseUserWire{ID: id, Licenses: []licenseDefinitionWire{}, SelfURI: licenseUserURI + url.PathEscape(id)}
		for _, l := range u.visible(now) {
			out.Licenses = append(out.Licenses, s.renderDefinition(l, true))
		}
	}
	s.mu.Unlock()
	if !ok {
		s.writeError(c, http.StatusNotFound, "not.found", fmt.Sprintf("User %q was not found.", id))
		return
	}
	writeJSON(c.w, http.StatusOK, out)
}

// pageParam parses a paging query parameter: absent or 0 means def; negative,
// non-numeric or above limit (when limit > 0) is an error.
func pageParam(q url.Values, name string, def, limit int) (int, error) {
	v := q.Get(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	switch {
	case err != nil || n < 0:
		if limit > 0 {
			return 0, fmt.Errorf("%s must be an integer between 1 and %d, got %q", name, limit, v)
		}
		return 0, fmt.Errorf("%s must be a positive integer, got %q", name, v)
	case n == 0:
		return def, nil
	case limit > 0 && n > limit:
		return 0, fmt.Errorf("%s must be an integer between 1 and %d, got %q", name, limit, v)
	}
	return n, nil
}

func (s *Server) getUsers(c *call) {
	q := c.r.URL.Query()
	s.mu.Lock()
	limit := s.opts.MaxPageSize
	if p := s.faults.Profile.MaxPageSize; p > 0 {
		limit = p
	}
	s.mu.Unlock()
	pageSize, err := pageParam(q, "pageSize", DefaultPageSize, limit)
	if err == nil {
		var pageNumber int
		pageNumber, err = pageParam(q, "pageNumber", 1, 0)
		if err == nil {
			s.writeUsersPage(c, pageSize, pageNumber)
			return
		}
	}
	s.writeError(c, http.StatusBadRequest, "invalid.value", err.Error()+".")
}

func (s *Server) writeUsersPage(c *call, pageSize, pageNumber int) {
	now := time.Now()
	s.mu.Lock()
	ids := s.userIDsLocked()
	total := len(ids)
	out := userLicensesListingWire{
		Entities:   []userLicensesWire{},
		PageSize:   pageSize,
		PageNumber: pageNumber,
		Total:      total,
		PageCount:  (total + pageSize - 1) / pageSize,
	}
	if pageNumber-1 < out.PageCount {
		start := (pageNumber - 1) * pageSize
		end := min(start+pageSize, total)
		for _, id := range ids[start:end] {
			out.Entities = append(out.Entities, userLicensesWire{
				ID:       id,
				Licenses: append([]string{}, s.users[id].visible(now)...),
				SelfURI:  licenseUserURI + url.PathEscape(id),
			})
		}
	}
	s.mu.Unlock()
	writeJSON(c.w, http.StatusOK, out)
}

func (s *Server) postUsers(c *call) {
	ids, ok := s.decodeStringArray(c, "user ids")
	if !ok {
		return
	}
	distinct := uniqueSorted(ids)
	if len(distinct) > s.opts.MaxBatchUsers {
		s.writeError(c, http.StatusBadRequest, "invalid.value",
			fmt.Sprintf("At most %d user ids may be requested at once, got %d.", s.opts.MaxBatchUsers, len(distinct)))
		return
	}
	now := time.Now()
	out := make(map[string]any, len(distinct))
	s.mu.Lock()
	p := s.faults.Profile
	for _, id := range distinct {
		u, ok := s.users[id]
		if !ok {
			continue
		}
		licenses := u.visible(now)
		if p.OmitUnlicensedUsers && len(licenses) == 0 {
			continue
		}
		out[id] = usersValue(p.UsersShape, id, licenses)
	}
	s.mu.Unlock()
	writeJSON(c.w, http.StatusOK, out)
}

// usersValue renders one user's licenses in the postLicenseUsers answer.
func usersValue(shape UsersShape, userID string, licenses []string) any {
	refs := func() []entityRef {
		out := make([]entityRef, len(licenses))
		for i, l := range licenses {
			out[i] = entityRef{ID: l, SelfURI: definitionsURI + url.PathEscape(l)}
		}
		return out
	}
	selfURI := licenseUserURI + url.PathEscape(userID)
	switch shape {
	case UsersShapeObjects:
		return refs()
	case UsersShapeUserLicenses:
		return userLicensesWire{ID: userID, Licenses: append([]string{}, licenses...), SelfURI: selfURI}
	case UsersShapeUserLicensesObjects:
		return userLicenseRefsWire{ID: userID, Licenses: refs(), SelfURI: selfURI}
	default:
		return append([]string{}, licenses...)
	}
}

func (s *Server) postInfer(c *call) {
	roles, ok := s.decodeStringArray(c, "role ids")
	if !ok {
		return
	}
	set := make(map[string]bool)
	s.mu.Lock()
	for _, r := range roles {
		for _, l := range s.roles[r] {
			set[l] = true
		}
	}
	s.mu.Unlock()
	writeJSON(c.w, http.StatusOK, sortedKeys(set))
}

func (s *Server) postInferPermissions(c *call) {
	perms, ok := s.decodeStringArray(c, "permission strings")
	if !ok {
		return
	}
	want := make(map[string]bool, len(perms))
	for _, p := range perms {
		want[p] = true
	}
	set := make(map[string]bool)
	s.mu.Lock()
	for id, d := range s.defs {
		for _, p := range d.permissions {
			if want[p] {
				set[id] = true
				break
			}
		}
	}
	s.mu.Unlock()
	writeJSON(c.w, http.StatusOK, sortedKeys(set))
}

func (s *Server) getOrganization(c *call) {
	now := time.Now()
	s.mu.Lock()
	out := licenseOrganizationWire{
		ID:       OrganizationID,
		Name:     OrganizationName,
		Licenses: make(map[string][]entityRef, len(s.defs)),
		SelfURI:  "/api/v2/license/organization",
	}
	for id := range s.defs {
		out.Licenses[id] = []entityRef{}
	}
	for _, uid := range s.userIDsLocked() {
		for _, l := range s.users[uid].visible(now) {
			out.Licenses[l] = append(out.Licenses[l], entityRef{ID: uid, SelfURI: platformUserURI + url.PathEscape(uid)})
		}
	}
	s.mu.Unlock()
	writeJSON(c.w, http.StatusOK, out)
}

// batchOp is one (user, license, add|remove) entry of a batch request.
type batchOp struct {
	user, license string
	add           bool
	result        string // "" while still a candidate
	applied       bool   // the pair was applied (result is the success word)
}

func (s *Server) postOrganization(c *call) {
	var req batchRequestWire
	if !s.decodeJSON(c, &req) {
		return
	}
	if req.Assignments == nil {
		s.writeError(c, http.StatusBadRequest, "bad.request", "assignments is required")
		return
	}
	s.mu.Lock()
	p := s.faults.Profile
	s.mu.Unlock()
	var ops []*batchOp
	users := make(map[string]bool)
	for i, a := range *req.Assignments {
		var missing string
		switch {
		case a.LicenseID == nil:
			missing = "licenseId"
		case a.UserIDsAdd == nil:
			missing = "userIdsAdd"
		case a.UserIDsRemove == nil:
			missing = "userIdsRemove"
		}
		if missing != "" {
			s.writeError(c, http.StatusBadRequest, "bad.request", fmt.Sprintf("assignments[%d].%s is required", i, missing))
			return
		}
		for _, list := range []struct {
			name string
			ids  []string
			add  bool
		}{{"userIdsAdd", *a.UserIDsAdd, true}, {"userIdsRemove", *a.UserIDsRemove, false}} {
			seen := make(map[string]bool, len(list.ids))
			for _, u := range list.ids {
				if seen[u] && p.DuplicateIDs != DuplicateIDsAccept {
					s.writeError(c, http.StatusBadRequest, "invalid.value",
						fmt.Sprintf("assignments[%d].%s contains user id %q more than once", i, list.name, u))
					return
				}
				seen[u] = true
				users[u] = true
				ops = append(ops, &batchOp{user: u, license: *a.LicenseID, add: list.add})
			}
		}
	}
	if len(users) > s.opts.MaxBatchUsers {
		s.writeError(c, http.StatusBadRequest, "invalid.value",
			fmt.Sprintf("At most %d distinct user ids may be changed in one request, got %d.", s.opts.MaxBatchUsers, len(users)))
		return
	}

	now := time.Now()
	s.mu.Lock()
	p = s.faults.Profile
	if p.UnknownIDs == UnknownIDsRejectRequest {
		if unknown := s.unknownIDsLocked(ops); len(unknown) > 0 {
			s.mu.Unlock()
			s.writeUnknownIDs(c, unknown)
			return
		}
	}
	s.applyBatchLocked(ops, now)
	s.mu.Unlock()

	out := make([]licenseUpdateStatusWire, 0, len(ops))
	for _, op := range ops {
		if p.Statuses == StatusesFailures && op.applied {
			continue
		}
		out = append(out, licenseUpdateStatusWire{UserID: op.user, LicenseID: op.license, Result: op.result})
	}
	switch p.Statuses {
	case StatusesNone:
		writeJSON(c.w, http.StatusOK, []licenseUpdateStatusWire{})
	case StatusesNoContent:
		c.w.WriteHeader(http.StatusNoContent)
	default:
		writeJSON(c.w, http.StatusOK, out)
	}
}

// unknownIDsLocked returns the unknown license and user ids of a batch as
// error details, each id once, in request order.
func (s *Server) unknownIDsLocked(ops []*batchOp) []errorDetail {
	var out []errorDetail
	seen := make(map[errorDetail]bool)
	note := func(d errorDetail) {
		if !seen[d] {
			seen[d] = true
			out = append(out, d)
		}
	}
	for _, op := range ops {
		if _, ok := s.defs[op.license]; !ok {
			note(errorDetail{ErrorCode: "license.not.found", EntityID: op.license})
		}
		if _, ok := s.users[op.user]; !ok {
			note(errorDetail{ErrorCode: "user.not.found", EntityID: op.user})
		}
	}
	return out
}

// writeUnknownIDs answers a batch refused whole for its unknown ids.
func (s *Server) writeUnknownIDs(c *call, unknown []errorDetail) {
	var licenses, users []string
	for _, d := range unknown {
		if d.ErrorCode == "license.not.found" {
			licenses = append(licenses, strconv.Quote(d.EntityID))
		} else {
			users = append(users, strconv.Quote(d.EntityID))
		}
	}
	var parts []string
	if len(licenses) > 0 {
		parts = append(parts, "unknown license ids "+strings.Join(licenses, ", "))
	}
	if len(users) > 0 {
		parts = append(parts, "unknown user ids "+strings.Join(users, ", "))
	}
	eb := newErrorBody(c, http.StatusBadRequest, "invalid.value",
		"The request was not applied: "+strings.Join(parts, "; ")+".")
	eb.Details = unknown
	writeJSON(c.w, http.StatusBadRequest, eb)
}

// applyBatchLocked decides every op's result and applies the successful ones.
func (s *Server) applyBatchLocked(ops []*batchOp, now time.Time) {
	for _, op := range ops {
		if w, ok := s.faults.ItemFailures[op.user+"/"+op.license]; ok {
			op.result = w
		} else if _, ok := s.defs[op.license]; !ok {
			op.result = ResultLicenseNotFound
		} else if _, ok := s.users[op.user]; !ok {
			op.result = ResultUserNotFound
		}
	}
	s.refuseBeyondSeatsLocked(ops)
	// Reject adds whose prerequisites the user will not hold once the request is
	// applied, until no more are rejected (a rejected add may be another's
	// prerequisite).
	var final map[string]map[string]bool
	for {
		final = make(map[string]map[string]bool)
		for _, op := range ops {
			if op.result != "" {
				continue
			}
			set := final[op.user]
			if set == nil {
				set = make(map[string]bool)
				for _, l := range s.users[op.user].current() {
					set[l] = true
				}
				final[op.user] = set
			}
			if op.add {
				set[op.license] = true
			} else {
				delete(set, op.license)
			}
		}
		rejected := false
		for _, op := range ops {
			if op.result != "" || !op.add || holds(s.users[op.user].current(), op.license) {
				continue
			}
			for _, p := range s.defs[op.license].prerequisites {
				if !final[op.user][p] {
					op.result = ResultPrerequisiteMissing
					rejected = true
					break
				}
			}
		}
		if !rejected {
			break
		}
	}
	for _, op := range ops {
		if op.result == "" {
			op.result = s.faults.Profile.successWord()
			op.applied = true
			if holds(s.users[op.user].current(), op.license) == op.add {
				s.changesRepeated++
			} else {
				s.changesApplied++
			}
		}
	}
	for uid, set := range final {
		u := s.users[uid]
		next := sortedKeys(set)
		if slices.Equal(next, u.current()) {
			continue
		}
		u.write(next, now.Add(s.visibilityDelayLocked(uid)), now)
	}
}

// refuseBeyondSeatsLocked answers NoSeatsAvailable to the adds still
// candidates that would take a license past its Faults.SeatLimits. The
// request's removes free their seats first; then the adds, in request order,
// take a seat each unless the user holds the license already.
func (s *Server) refuseBeyondSeatsLocked(ops []*batchOp) {
	if len(s.faults.SeatLimits) == 0 {
		return
	}
	holders := make(map[string]map[string]bool) // limited license → users holding it
	holdersOf := func(license string) map[string]bool {
		set, ok := holders[license]
		if !ok {
			set = make(map[string]bool)
			for id, u := range s.users {
				if holds(u.current(), license) {
					set[id] = true
				}
			}
			holders[license] = set
		}
		return set
	}
	for _, op := range ops {
		if _, limited := s.faults.SeatLimits[op.license]; limited && op.result == "" && !op.add {
			delete(holdersOf(op.license), op.user)
		}
	}
	for _, op := range ops {
		limit, limited := s.faults.SeatLimits[op.license]
		if !limited || op.result != "" || !op.add {
			continue
		}
		set := holdersOf(op.license)
		switch {
		case set[op.user]:
		case len(set) >= limit:
			op.result = ResultNoSeatsAvailable
		default:
			set[op.user] = true
		}
	}
}

func holds(sorted []string, id string) bool {
	i := sort.SearchStrings(sorted, id)
	return i < len(sorted) && sorted[i] == id
}

// visibilityDelayLocked returns how long a write to the user stays invisible
// to reads: the largest of the delays that apply.
func (s *Server) visibilityDelayLocked(userID string) time.Duration {
	return max(s.faults.VisibilityDelay, s.faults.UserVisibilityDelay[userID], s.faults.Profile.ReadAfterWriteDelay)
}
