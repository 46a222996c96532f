package mockapi

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// The Users API routes the provider uses: POST /api/v2/users/search.

const (
	platformUsersSearchURI = "/api/v2/users/search"
	// HomeDivisionID is the id of the one division of the mock organization.
	HomeDivisionID = "7c2b4f8e-3d1a-4e6b-9f0c-5a8d2e1b4c07"
	divisionsURI   = "/api/v2/authorization/divisions/"
)

// userSearchFields are the fields a criterion may name; email and username
// compare case-insensitively, the others exactly.
var userSearchFields = []string{"email", "id", "name", "state", "username"}

func (s *Server) postUsersSearch(c *call) {
	var req userSearchRequestWire
	if !s.decodeJSON(c, &req) {
		return
	}
	pageSize, pageNumber := DefaultPageSize, 1
	if req.PageSize != nil && *req.PageSize != 0 {
		pageSize = *req.PageSize
	}
	if req.PageNumber != nil && *req.PageNumber != 0 {
		pageNumber = *req.PageNumber
	}
	switch {
	case pageSize < 1 || pageSize > MaxSearchPageSize:
		s.writeError(c, http.StatusBadRequest, "invalid.value",
			fmt.Sprintf("pageSize must be an integer between 1 and %d, got %d.", MaxSearchPageSize, pageSize))
		return
	case pageNumber < 1:
		s.writeError(c, http.StatusBadRequest, "invalid.value", fmt.Sprintf("pageNumber must be a positive integer, got %d.", pageNumber))
		return
	}
	var criteria []userSearchCriteriaWire
	if req.Query != nil {
		criteria = *req.Query
	}
	for i, q := range criteria {
		if msg := s.checkCriterion(q); msg != "" {
			s.writeError(c, http.StatusBadRequest, "invalid.value", fmt.Sprintf("query[%d]: %s.", i, msg))
			return
		}
	}

	s.mu.Lock()
	var matched []userWire
	for _, id := range s.userIDsLocked() {
		u := s.users[id]
		if !userMatches(id, u, criteria) {
			continue
		}
		matched = append(matched, renderUser(id, u))
	}
	s.mu.Unlock()

	out := usersSearchResponseWire{
		Total:      len(matched),
		PageCount:  (len(matched) + pageSize - 1) / pageSize,
		PageSize:   pageSize,
		PageNumber: pageNumber,
		Types:      []string{"users"},
		Results:    []userWire{},
	}
	if start := (pageNumber - 1) * pageSize; start < len(matched) {
		out.Results = matched[start:min(start+pageSize, len(matched))]
	}
	out.CurrentPage = platformUsersSearchURI + "?pageNumber=" + fmt.Sprint(pageNumber)
	writeJSON(c.w, http.StatusOK, out)
}

// checkCriterion returns why the mock refuses a criterion, or "".
func (s *Server) checkCriterion(q userSearchCriteriaWire) string {
	switch {
	case q.Type == "":
		return "type is required"
	case q.Type != "EXACT":
		return fmt.Sprintf("the mock supports only type EXACT, got %q", q.Type)
	case len(q.Fields) == 0:
		return "fields is required"
	case q.Value == nil && len(q.Values) == 0:
		return "value or values is required"
	case len(q.Values) > s.opts.MaxSearchValues:
		return fmt.Sprintf("at most %d values may be given, got %d", s.opts.MaxSearchValues, len(q.Values))
	case q.Operator != "" && q.Operator != "AND":
		return fmt.Sprintf("the mock supports only operator AND, got %q", q.Operator)
	}
	for _, f := range q.Fields {
		if !slices.Contains(userSearchFields, f) {
			return fmt.Sprintf("field %q cannot be searched; the mock searches %s", f, strings.Join(userSearchFields, ", "))
		}
	}
	return ""
}

// userMatches reports whether a user matches every criterion (a criterion
// matches when one of its fields equals one of its values).
func userMatches(id string, u *userState, criteria []userSearchCriteriaWire) bool {
	for _, q := range criteria {
		values := q.Values
		if q.Value != nil {
			values = append([]string{*q.Value}, values...)
		}
		hit := false
		for _, f := range q.Fields {
			have := userField(id, u, f)
			for _, v := range values {
				if f == "email" || f == "username" {
					hit = hit || (have != "" && strings.EqualFold(have, v))
				} else {
					hit = hit || have == v
				}
			}
		}
		if !hit {
			return false
		}
	}
	return true
}

func userField(id string, u *userState, field string) string {
	switch field {
	case "id":
		return id
	case "email", "username":
		return u.email
	case "name":
		return u.name
	case "state":
		return userStateWord(u)
	}
	return ""
}

func userStateWord(u *userState) string {
	if u.state == "" {
		return "active"
	}
	return u.state
}

// renderUser renders a user as the Users API's User model.
func renderUser(id string, u *userState) userWire {
	return userWire{
		ID:       id,
		Name:     u.name,
		Division: &divisionWire{ID: HomeDivisionID, Name: "Home", SelfURI: divisionsURI + HomeDivisionID},
		Email:    u.email,
		State:    userStateWord(u),
		Username: u.email,
		Version:  1,
		SelfURI:  platformUserURI + url.PathEscape(id),
	}
}
