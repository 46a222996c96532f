package client

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/purecloud-terraform/terraform-provider-purecloud/internal/apiops"
)

// DecodeError reports a 2xx answer the client does not recognise: an empty body where JSON
// was expected, JSON of another shape, or an answer about something other than what was asked.
// Such an answer is never read as an empty result. The error names the operation and shows the
// start of the body (with known secrets removed).
type DecodeError struct {
	Operation string // SDK operation name, such as "postLicenseUsers"
	Method    string
	Path      string
	Reason    string
	Body      string // at most bodySnippetLimit characters
}

const bodySnippetLimit = 200

func (e *DecodeError) Error() string {
	s := fmt.Sprintf("%s (%s %s): unrecognised answer: %s", e.Operation, e.Method, e.Path, e.Reason)
	if e.Body == "" {
		return s + " (empty body)"
	}
	return s + " (body: " + e.Body + ")"
}

// bodyDecoder is implemented by response types that decode (and check) a body themselves.
// decodeBody is called for every 2xx answer, even an empty one.
type bodyDecoder interface {
	decodeBody(data []byte) error
}

// decodeStrict decodes a JSON body into out. An empty body or a bare null is an error, as is
// JSON that does not fit out.
func decodeStrict(data []byte, out any) error {
	data = bytes.TrimSpace(data)
	if len(data) == 0 {
		return errEmptyBody
	}
	if bytes.Equal(data, []byte("null")) {
		return errors.New("the answer is null")
	}
	if err := json.Unmarshal(data, out); err != nil {
		return err
	}
	return nil
}

var errEmptyBody = errors.New("the answer has no body")

// operationName returns the SDK name of the License API (or Users API) operation at method and path (with or
// without a query string), for errors and logs.
func operationName(method, path string) string {
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path = path[:i]
	}
	switch path {
	case pathUsersSearch:
		if method == http.MethodPost {
			return "postUsersSearch"
		}
		return "getUsersSearch"
	}
	rest := strings.TrimPrefix(path, "/api/v2/license/")
	first, sub, hasSub := strings.Cut(rest, "/")
	get := method == http.MethodGet
	switch first {
	case "definitions":
		if hasSub {
			return "getLicenseDefinition"
		}
		return "getLicenseDefinitions"
	case "toggles":
		if get {
			return "getLicenseToggle"
		}
		return "postLicenseToggle"
	case "users":
		switch {
		case hasSub:
			return "getLicenseUser"
		case get:
			return "getLicenseUsers"
		}
		return "postLicenseUsers"
	case "infer":
		if sub == "permissions" {
			return "postLicenseInferPermissions"
		}
		return "postLicenseInfer"
	case "organization":
		if get {
			return "getLicenseOrganization"
		}
		return "postLicenseOrganization"
	}
	return method + " " + path
}

// operationPermissions returns the permissions an operation needs (any one of them), as the
// public API documentation lists them (the table in internal/apiops); nil when none is listed.
func operationPermissions(operation string) []string {
	return apiops.Permissions(operation)
}

// licenseIDList decodes a list of licenses given either as id strings or as objects with an
// id (a LicenseDefinition or an {id, selfUri} reference). Every entry must name a license.
func licenseIDList(raw json.RawMessage) ([]string, error) {
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		return nil, fmt.Errorf("licenses is not an array: %s", bodySnippet(string(raw), 60))
	}
	ids := make([]string, 0, len(items))
	for i, it := range items {
		var s string
		if err := json.Unmarshal(it, &s); err == nil {
			if s == "" {
				return nil, fmt.Errorf("license %d is an empty string", i)
			}
			ids = append(ids, s)
			continue
		}
		var ref struct {
			ID *string `json:"id"`
		}
		if err := json.Unmarshal(it, &ref); err != nil || ref.ID == nil || *ref.ID == "" {
			return nil, fmt.Errorf("license %d is neither an id nor an object with an id: %s", i, bodySnippet(string(it), 60))
		}
		ids = append(ids, *ref.ID)
	}
	return ids, nil
}

// decodeUserLicenseIDs decodes the value for one user of the postLicenseUsers answer, whose
// shape the API does not document. Accepted, as the SDK models allow: an array of license
// ids, an array of objects with an id, or a UserLicenses-like object {id, licenses, selfUri}
// whose licenses holds either form (an object without licenses, or null, is a user holding
// none). When the object carries an id it must be userID. Anything else is an error.
func decodeUserLicenseIDs(userID string, raw json.RawMessage) ([]string, error) {
	raw = bytes.TrimSpace(raw)
	switch {
	case len(raw) == 0 || bytes.Equal(raw, []byte("null")):
		return []string{}, nil
	case raw[0] == '[':
		return licenseIDList(raw)
	case raw[0] == '{':
		var obj struct {
			ID       *string         `json:"id"`
			Licenses json.RawMessage `json:"licenses"`
		}
		if err := json.Unmarshal(raw, &obj); err != nil {
			return nil, err
		}
		if obj.ID != nil && !strings.EqualFold(*obj.ID, userID) {
			return nil, fmt.Errorf("the value for user %s describes user %q", userID, *obj.ID)
		}
		lic := bytes.TrimSpace(obj.Licenses)
		if len(lic) == 0 || bytes.Equal(lic, []byte("null")) {
			if obj.ID == nil {
				return nil, fmt.Errorf("the value for user %s is an object with neither id nor licenses", userID)
			}
			return []string{}, nil
		}
		return licenseIDList(lic)
	}
	return nil, fmt.Errorf("the value for user %s is neither an array nor an object: %s", userID, bodySnippet(string(raw), 60))
}

// userLicensesAnswer is the postLicenseUsers answer: user id → license ids. Every key must be
// one of the requested ids (compared case-insensitively and mapped back to the id as asked).
type userLicensesAnswer struct {
	asked map[string]string // lower-cased id → id as asked
	users map[string][]string
}

func (a *userLicensesAnswer) decodeBody(data []byte) error {
	var raw map[string]json.RawMessage
	if err := decodeStrict(data, &raw); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) {
			return fmt.Errorf("expected an object keyed by user id")
		}
		return err
	}
	a.users = make(map[string][]string, len(raw))
	for key, v := range raw {
		id, ok := a.asked[strings.ToLower(key)]
		if !ok {
			return fmt.Errorf("the answer has key %q, which is not a requested user id", key)
		}
		ids, err := decodeUserLicenseIDs(id, v)
		if err != nil {
			return err
		}
		a.users[id] = ids
	}
	return nil
}

// licenseUserAnswer is the getLicenseUser answer, checked to be about the user asked for.
type licenseUserAnswer struct {
	userID string
	user   LicenseUser
}

func (a *licenseUserAnswer) decodeBody(data []byte) error {
	var obj struct {
		ID       *string         `json:"id"`
		Licenses json.RawMessage `json:"licenses"`
		SelfURI  string          `json:"selfUri"`
	}
	if err := decodeStrict(data, &obj); err != nil {
		return err
	}
	if obj.ID == nil || *obj.ID == "" {
		return fmt.Errorf("the answer names no user id")
	}
	if !strings.EqualFold(*obj.ID, a.userID) {
		return fmt.Errorf("the answer is about user %q, not %q", *obj.ID, a.userID)
	}
	a.user = LicenseUser{ID: *obj.ID, SelfURI: obj.SelfURI, Licenses: []LicenseDefinition{}}
	lic := bytes.TrimSpace(obj.Licenses)
	if len(lic) == 0 || bytes.Equal(lic, []byte("null")) {
		return nil // Genesys Cloud omits empty arrays: a user holding nothing
	}
	if err := json.Unmarshal(lic, &a.user.Licenses); err != nil {
		return fmt.Errorf("licenses is not an array of license definitions: %w", err)
	}
	for i, l := range a.user.Licenses {
		if l.ID == "" {
			return fmt.Errorf("license %d has no id", i)
		}
	}
	return nil
}

// usersPageAnswer is one getLicenseUsers page; entities must be present.
type usersPageAnswer struct {
	page UserLicensesEntityListing
}

func (a *usersPageAnswer) decodeBody(data []byte) error {
	var obj struct {
		Entities   *[]UserLicenses `json:"entities"`
		PageSize   int             `json:"pageSize"`
		PageNumber int             `json:"pageNumber"`
		Total      int             `json:"total"`
		PageCount  int             `json:"pageCount"`
	}
	if err := decodeStrict(data, &obj); err != nil {
		return err
	}
	if obj.Entities == nil {
		return fmt.Errorf("the answer has no entities")
	}
	for i, u := range *obj.Entities {
		if u.ID == "" {
			return fmt.Errorf("entity %d has no user id", i)
		}
		if u.Licenses == nil {
			(*obj.Entities)[i].Licenses = []string{}
		}
	}
	a.page = UserLicensesEntityListing{
		Entities: *obj.Entities, PageSize: obj.PageSize, PageNumber: obj.PageNumber,
		Total: obj.Total, PageCount: obj.PageCount,
	}
	return nil
}

// statusesAnswer is the postLicenseOrganization answer. The API documents an array of
// LicenseUpdateStatus; an empty body (or 204) is read as "no statuses", which the callers
// settle by reading the users back. Any other shape is an error.
type statusesAnswer struct {
	statuses []LicenseUpdateStatus
}

func (a *statusesAnswer) decodeBody(data []byte) error {
	data = bytes.TrimSpace(data)
	if len(data) == 0 {
		a.statuses = []LicenseUpdateStatus{}
		return nil
	}
	if err := decodeStrict(data, &a.statuses); err != nil {
		return err
	}
	if a.statuses == nil {
		a.statuses = []LicenseUpdateStatus{}
	}
	return nil
}

// definitionAnswer is the getLicenseDefinition answer, checked to be the license asked for.
type definitionAnswer struct {
	licenseID string
	def       LicenseDefinition
}

func (a *definitionAnswer) decodeBody(data []byte) error {
	if err := decodeStrict(data, &a.def); err != nil {
		return err
	}
	if !strings.EqualFold(a.def.ID, a.licenseID) {
		return fmt.Errorf("the answer is about license %q, not %q", a.def.ID, a.licenseID)
	}
	return nil
}

// definitionsAnswer is the getLicenseDefinitions answer: a bare array of definitions with ids.
type definitionsAnswer struct {
	defs []LicenseDefinition
}

func (a *definitionsAnswer) decodeBody(data []byte) error {
	if err := decodeStrict(data, &a.defs); err != nil {
		return err
	}
	for i, d := range a.defs {
		if d.ID == "" {
			return fmt.Errorf("definition %d has no id", i)
		}
	}
	if a.defs == nil {
		a.defs = []LicenseDefinition{}
	}
	return nil
}

// usersSearchAnswer is one postUsersSearch page. results may be absent only when total is 0
// (the search leaves it out when nothing matches); every result must have an id and, when asked
// is set, an email among the asked ones (compared case-insensitively).
type usersSearchAnswer struct {
	asked map[string]bool // folded emails asked
	page  UsersSearchResponse
}

func (a *usersSearchAnswer) decodeBody(data []byte) error {
	var obj struct {
		Total      *int    `json:"total"`
		PageCount  int     `json:"pageCount"`
		PageSize   int     `json:"pageSize"`
		PageNumber int     `json:"pageNumber"`
		Results    *[]User `json:"results"`
	}
	if err := decodeStrict(data, &obj); err != nil {
		return err
	}
	if obj.Total == nil {
		return fmt.Errorf("the answer has no total")
	}
	if obj.Results == nil {
		if *obj.Total != 0 {
			return fmt.Errorf("the answer has no results but a total of %d", *obj.Total)
		}
		obj.Results = &[]User{}
	}
	for i, u := range *obj.Results {
		if u.ID == "" {
			return fmt.Errorf("result %d has no user id", i)
		}
		if a.asked != nil && !a.asked[foldEmail(u.Email)] {
			return fmt.Errorf("result %d (user %s) has email %q, which was not asked", i, u.ID, u.Email)
		}
	}
	a.page = UsersSearchResponse{
		Total: *obj.Total, PageCount: obj.PageCount, PageSize: obj.PageSize, PageNumber: obj.PageNumber,
		Results: *obj.Results,
	}
	return nil
}
