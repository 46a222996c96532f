package client

import (
	"encoding/json"
	"strings"
)

// LicenseDefinition is a license the organization can assign (id such as "cloudCX2").
// The list endpoint may omit Permissions; the get-by-id endpoint returns them.
type LicenseDefinition struct {
	ID            string                 `json:"id"`
	Description   string                 `json:"description,omitempty"`
	Permissions   *Permissions           `json:"permissions,omitempty"`
	Prerequisites []AddressableEntityRef `json:"prerequisites,omitempty"`
	Comprises     []LicenseDefinition    `json:"comprises,omitempty"`
	SelfURI       string                 `json:"selfUri,omitempty"`
}

// Permissions lists the permission strings a license grants.
type Permissions struct {
	IDs []string `json:"ids"`
}

// AddressableEntityRef is a reference {id, selfUri}.
type AddressableEntityRef struct {
	ID      string `json:"id"`
	SelfURI string `json:"selfUri,omitempty"`
}

// LicenseOrgToggle is the answer of the deprecated toggle endpoints.
type LicenseOrgToggle struct {
	FeatureName string `json:"featureName"`
	Enabled     bool   `json:"enabled"`
}

// LicenseUser is one user's licenses as full definitions (getLicenseUser).
type LicenseUser struct {
	ID       string              `json:"id"`
	Licenses []LicenseDefinition `json:"licenses"`
	SelfURI  string              `json:"selfUri,omitempty"`
}

// LicenseIDs returns the ids of the user's licenses, in the order returned.
func (u *LicenseUser) LicenseIDs() []string {
	ids := make([]string, 0, len(u.Licenses))
	for _, l := range u.Licenses {
		ids = append(ids, l.ID)
	}
	return ids
}

// UserLicenses is one user's license ids, as listed by getLicenseUsers.
type UserLicenses struct {
	ID       string   `json:"id"`
	Licenses []string `json:"licenses"`
	SelfURI  string   `json:"selfUri,omitempty"`
}

// UserLicensesEntityListing is one page of getLicenseUsers.
type UserLicensesEntityListing struct {
	Entities   []UserLicenses `json:"entities"`
	PageSize   int            `json:"pageSize"`
	PageNumber int            `json:"pageNumber"`
	Total      int            `json:"total"`
	PageCount  int            `json:"pageCount"`
}

// LicenseAssignmentRequest adds and removes one license for sets of users. Both user lists are
// always sent, as empty arrays when empty.
type LicenseAssignmentRequest struct {
	LicenseID     string   `json:"licenseId"`
	UserIDsAdd    []string `json:"userIdsAdd"`
	UserIDsRemove []string `json:"userIdsRemove"`
}

// MarshalJSON writes nil user lists as [] (the API requires both fields).
func (r LicenseAssignmentRequest) MarshalJSON() ([]byte, error) {
	type plain LicenseAssignmentRequest
	p := plain(r)
	if p.UserIDsAdd == nil {
		p.UserIDsAdd = []string{}
	}
	if p.UserIDsRemove == nil {
		p.UserIDsRemove = []string{}
	}
	return json.Marshal(p)
}

// LicenseBatchAssignmentRequest is the body of postLicenseOrganization.
type LicenseBatchAssignmentRequest struct {
	Assignments []LicenseAssignmentRequest `json:"assignments"`
}

// MarshalJSON writes nil assignments as [].
func (r LicenseBatchAssignmentRequest) MarshalJSON() ([]byte, error) {
	type plain LicenseBatchAssignmentRequest
	p := plain(r)
	if p.Assignments == nil {
		p.Assignments = []LicenseAssignmentRequest{}
	}
	return json.Marshal(p)
}

// Result words the client itself puts into LicenseUpdateStatus.Result. The server's own words
// ("Success", "UserNotFound", ...) are passed through verbatim.
const (
	// ResultSuccess is the server's success word (matched case-insensitively).
	ResultSuccess = "Success"
	// ResultNoResultReturned marks a change the server's answer had no status for.
	ResultNoResultReturned = "NoResultReturned"
	// ResultRequestFailed marks a change whose request failed as a whole (see the error).
	ResultRequestFailed = "RequestFailed"
	// ResultNotSent marks a change that was certainly not applied: withdrawn before it was sent,
	// because its caller's context ended, or whose request never reached the API because no
	// access token could be obtained (the error matches ErrNotSent).
	ResultNotSent = "NotSent"
	// ResultUnknown marks a change whose request was on its way when its caller's context ended
	// and did not finish within a short grace: the server may still apply it.
	ResultUnknown = "OutcomeUnknown"
)

// LicenseUpdateStatus is the outcome of one (user, license) change.
type LicenseUpdateStatus struct {
	UserID    string `json:"userId"`
	LicenseID string `json:"licenseId"`
	Result    string `json:"result"`
}

// Succeeded reports whether Result is the success word (case-insensitive).
func (s LicenseUpdateStatus) Succeeded() bool {
	return strings.EqualFold(strings.TrimSpace(s.Result), ResultSuccess)
}

// LicenseOrganization is the answer of the legacy getLicenseOrganization: license id → users.
type LicenseOrganization struct {
	ID       string                            `json:"id"`
	Name     string                            `json:"name,omitempty"`
	Licenses map[string][]AddressableEntityRef `json:"licenses"`
	SelfURI  string                            `json:"selfUri,omitempty"`
}
