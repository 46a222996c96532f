package mockapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
)

// Admin API handlers (/_mock/...): no authentication, no faults, not counted.

func (s *Server) adminStats(c *call) {
	writeJSON(c.w, http.StatusOK, s.Stats())
}

func (s *Server) adminGetFaults(c *call) {
	writeJSON(c.w, http.StatusOK, s.Faults())
}

func (s *Server) adminSetFaults(c *call) {
	var f Faults
	body := bytes.TrimSpace(c.body)
	if len(body) == 0 {
		body = []byte("{}")
	}
	if err := json.Unmarshal(body, &f); err != nil {
		s.writeError(c, http.StatusBadRequest, "bad.request", fmt.Sprintf("Invalid faults: %v.", err))
		return
	}
	if err := f.validate(); err != nil {
		s.writeError(c, http.StatusBadRequest, "invalid.value", fmt.Sprintf("Invalid faults: %v.", err))
		return
	}
	s.SetFaults(f)
	writeJSON(c.w, http.StatusOK, s.Faults())
}

func (s *Server) adminReset(c *call) {
	s.Reset()
	c.w.WriteHeader(http.StatusNoContent)
}

func (s *Server) adminGetUserLicenses(c *call) {
	id := c.params["userId"]
	l, ok := s.UserLicenses(id)
	if !ok {
		s.writeError(c, http.StatusNotFound, "not.found", fmt.Sprintf("User %q was not found.", id))
		return
	}
	writeJSON(c.w, http.StatusOK, l)
}

func (s *Server) adminPutUserLicenses(c *call) {
	ids, ok := s.decodeStringArray(c, "license ids")
	if !ok {
		return
	}
	id := c.params["userId"]
	s.SetUserLicenses(id, ids)
	l, _ := s.UserLicenses(id)
	writeJSON(c.w, http.StatusOK, l)
}

func (s *Server) adminDeleteUser(c *call) {
	s.DeleteUser(c.params["userId"])
	c.w.WriteHeader(http.StatusNoContent)
}

func (s *Server) adminPutUserEmail(c *call) {
	var email string
	if err := json.Unmarshal(c.body, &email); err != nil {
		s.writeError(c, http.StatusBadRequest, "bad.request", "The request body must be a JSON string: the email.")
		return
	}
	s.SetUserEmail(c.params["userId"], email)
	writeJSON(c.w, http.StatusOK, email)
}

func (s *Server) adminPutRole(c *call) {
	ids, ok := s.decodeStringArray(c, "license ids")
	if !ok {
		return
	}
	s.AddRole(c.params["roleId"], ids)
	writeJSON(c.w, http.StatusOK, uniqueSorted(ids))
}

func (s *Server) adminRevokeTokens(c *call) {
	s.RevokeTokens()
	c.w.WriteHeader(http.StatusNoContent)
}
