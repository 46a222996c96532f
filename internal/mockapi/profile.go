package mockapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Profile selects how the mock answers where the License API's public
// documentation is silent, so that a client can be proven right under every
// plausible answer. The zero value is the mock's default behaviour, described
// in the package documentation ("Choices where the reference is silent").
//
// A Profile is part of Faults (Faults.Profile): Options.Faults.Profile,
// Server.SetFaults, Server.SetProfile and POST /_mock/faults set it, and Reset
// restores Options.Faults.Profile. NamedProfile returns ready-made ones.
//
// Whatever the profile, the state change a request makes is the same; only
// what the API answers differs. Mode fields with a value that is not one of
// their constants act as the default (POST /_mock/faults rejects them).
type Profile struct {
	// SuccessWord is the LicenseUpdateStatus.result answered for an applied
	// pair, verbatim ("SUCCESS", "Assigned", ...); "" means ResultSuccess.
	SuccessWord string `json:"success_word"`
	// Statuses selects which LicenseUpdateStatus entries postLicenseOrganization
	// answers; "" means StatusesAll.
	Statuses StatusMode `json:"statuses"`
	// UsersShape is the value per user in the postLicenseUsers answer; ""
	// means UsersShapeIDs.
	UsersShape UsersShape `json:"users_shape"`
	// OmitUnlicensedUsers makes postLicenseUsers leave out users who hold no
	// license, as if the API only answered licensed users.
	OmitUnlicensedUsers bool `json:"omit_unlicensed_users"`
	// UnknownIDs selects what an unknown user or license id in a
	// postLicenseOrganization request does; "" means UnknownIDsPerPair.
	UnknownIDs UnknownIDMode `json:"unknown_ids"`
	// DuplicateIDs selects what a user id repeated in one userIdsAdd or
	// userIdsRemove list does; "" means DuplicateIDsRefuse.
	DuplicateIDs DuplicateMode `json:"duplicate_ids"`
	// MaxPageSize, when positive, overrides Options.MaxPageSize: the largest
	// pageSize getLicenseUsers accepts (beyond it: 400 invalid.value).
	MaxPageSize int `json:"max_page_size"`
	// ReadAfterWriteDelay delays what reads see of every postLicenseOrganization
	// write, like Faults.VisibilityDelay; the largest of the two and
	// Faults.UserVisibilityDelay of the user applies. JSON as a duration string
	// such as "2s".
	ReadAfterWriteDelay time.Duration `json:"read_after_write_delay"`
}

// StatusMode selects which statuses postLicenseOrganization answers.
type StatusMode string

// StatusMode values. In every mode the request changes the same state.
const (
	// StatusesAll answers one LicenseUpdateStatus per user id entry (the
	// default, also "").
	StatusesAll StatusMode = "all"
	// StatusesFailures answers statuses only for the pairs not applied.
	StatusesFailures StatusMode = "failures"
	// StatusesNone answers an empty array: 200 [].
	StatusesNone StatusMode = "none"
	// StatusesNoContent answers 204 No Content without a body.
	StatusesNoContent StatusMode = "no-content"
)

// UsersShape is the shape of each value of the postLicenseUsers answer, a JSON
// object keyed by user id.
type UsersShape string

// UsersShape values, shown for a user holding cloudCX1.
const (
	// UsersShapeIDs: ["cloudCX1"] (the default, also "").
	UsersShapeIDs UsersShape = "ids"
	// UsersShapeObjects: [{"id":"cloudCX1","selfUri":"/api/v2/license/definitions/cloudCX1"}].
	UsersShapeObjects UsersShape = "objects"
	// UsersShapeUserLicenses: {"id":"<user>","licenses":["cloudCX1"],"selfUri":"/api/v2/license/users/<user>"}.
	UsersShapeUserLicenses UsersShape = "user-licenses"
	// UsersShapeUserLicensesObjects: as UsersShapeUserLicenses, with licenses
	// as {"id","selfUri"} objects.
	UsersShapeUserLicensesObjects UsersShape = "user-licenses-objects"
)

// UnknownIDMode selects what an unknown id in a postLicenseOrganization
// request does.
type UnknownIDMode string

// UnknownIDMode values.
const (
	// UnknownIDsPerPair fails only the pairs concerned, with the statuses
	// UserNotFound or LicenseNotFound (the default, also "").
	UnknownIDsPerPair UnknownIDMode = "per-pair"
	// UnknownIDsRejectRequest answers the whole request 400 invalid.value,
	// naming the unknown ids in the message and in details
	// ({"errorCode":"user.not.found" or "license.not.found","entityId":id}),
	// and applies nothing of it.
	UnknownIDsRejectRequest UnknownIDMode = "reject-request"
)

// DuplicateMode selects what a user id repeated in one userIdsAdd or
// userIdsRemove list does.
type DuplicateMode string

// DuplicateMode values.
const (
	// DuplicateIDsRefuse answers 400 invalid.value (the default, also "").
	DuplicateIDsRefuse DuplicateMode = "refuse"
	// DuplicateIDsAccept treats the id once, answering one status per
	// occurrence.
	DuplicateIDsAccept DuplicateMode = "accept"
)

// MarshalText returns the mode as is.
func (m StatusMode) MarshalText() ([]byte, error) { return []byte(m), nil }

// UnmarshalText accepts "" or one of the StatusMode constants.
func (m *StatusMode) UnmarshalText(b []byte) error {
	return parseMode(m, b, "statuses", StatusesAll, StatusesFailures, StatusesNone, StatusesNoContent)
}

// MarshalText returns the shape as is.
func (u UsersShape) MarshalText() ([]byte, error) { return []byte(u), nil }

// UnmarshalText accepts "" or one of the UsersShape constants.
func (u *UsersShape) UnmarshalText(b []byte) error {
	return parseMode(u, b, "users_shape", UsersShapeIDs, UsersShapeObjects, UsersShapeUserLicenses, UsersShapeUserLicensesObjects)
}

// MarshalText returns the mode as is.
func (m UnknownIDMode) MarshalText() ([]byte, error) { return []byte(m), nil }

// UnmarshalText accepts "" or one of the UnknownIDMode constants.
func (m *UnknownIDMode) UnmarshalText(b []byte) error {
	return parseMode(m, b, "unknown_ids", UnknownIDsPerPair, UnknownIDsRejectRequest)
}

// MarshalText returns the mode as is.
func (m DuplicateMode) MarshalText() ([]byte, error) { return []byte(m), nil }

// UnmarshalText accepts "" or one of the DuplicateMode constants.
func (m *DuplicateMode) UnmarshalText(b []byte) error {
	return parseMode(m, b, "duplicate_ids", DuplicateIDsRefuse, DuplicateIDsAccept)
}

// parseMode sets *dst to b if b is "" or one of valid.
func parseMode[T ~string](dst *T, b []byte, what string, valid ...T) error {
	v := T(b)
	if v != "" && !slices.Contains(valid, v) {
		return fmt.Errorf("%s %q is not valid; use one of %s", what, v, joinModes(valid))
	}
	*dst = v
	return nil
}

func joinModes[T ~string](valid []T) string {
	s := make([]string, len(valid))
	for i, v := range valid {
		s[i] = string(v)
	}
	return strings.Join(s, ", ")
}

// validate reports a profile setting that cannot be honoured.
func (p Profile) validate() error {
	var errs []error
	for _, err := range []error{
		new(StatusMode).UnmarshalText([]byte(p.Statuses)),
		new(UsersShape).UnmarshalText([]byte(p.UsersShape)),
		new(UnknownIDMode).UnmarshalText([]byte(p.UnknownIDs)),
		new(DuplicateMode).UnmarshalText([]byte(p.DuplicateIDs)),
	} {
		if err != nil {
			errs = append(errs, fmt.Errorf("profile.%w", err))
		}
	}
	if p.MaxPageSize < 0 {
		errs = append(errs, errors.New("profile.max_page_size must not be negative"))
	}
	if p.ReadAfterWriteDelay < 0 {
		errs = append(errs, errors.New("profile.read_after_write_delay must not be negative"))
	}
	return errors.Join(errs...)
}

// clamped returns p with negative numbers made 0.
func (p Profile) clamped() Profile {
	p.MaxPageSize = max(p.MaxPageSize, 0)
	p.ReadAfterWriteDelay = max(p.ReadAfterWriteDelay, 0)
	return p
}

// successWord returns the result word of an applied pair.
func (p Profile) successWord() string {
	if p.SuccessWord == "" {
		return ResultSuccess
	}
	return p.SuccessWord
}

// profileFields has Profile's fields without its methods.
type profileFields Profile

type profileJSON struct {
	profileFields
	ReadAfterWriteDelay jsonDuration `json:"read_after_write_delay"`
}

// MarshalJSON encodes the profile with snake_case keys and
// read_after_write_delay as a duration string.
func (p Profile) MarshalJSON() ([]byte, error) {
	return json.Marshal(profileJSON{profileFields: profileFields(p), ReadAfterWriteDelay: jsonDuration(p.ReadAfterWriteDelay)})
}

// UnmarshalJSON decodes what MarshalJSON encodes; unknown keys and unknown
// mode values are an error.
func (p *Profile) UnmarshalJSON(data []byte) error {
	if string(bytes.TrimSpace(data)) == "null" {
		*p = Profile{}
		return nil
	}
	var pj profileJSON
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&pj); err != nil {
		return fmt.Errorf("profile: %w", err)
	}
	*p = Profile(pj.profileFields)
	p.ReadAfterWriteDelay = time.Duration(pj.ReadAfterWriteDelay)
	return nil
}

// namedProfiles are the profiles NamedProfile knows.
var namedProfiles = map[string]Profile{
	"documented":                  {},
	"success-uppercase":           {SuccessWord: "SUCCESS"},
	"success-other-word":          {SuccessWord: "Assigned"},
	"statuses-failures-only":      {Statuses: StatusesFailures},
	"statuses-none":               {Statuses: StatusesNone},
	"statuses-no-content":         {Statuses: StatusesNoContent},
	"users-objects":               {UsersShape: UsersShapeObjects},
	"users-user-licenses":         {UsersShape: UsersShapeUserLicenses},
	"users-user-licenses-objects": {UsersShape: UsersShapeUserLicensesObjects},
	"users-omit-unlicensed":       {OmitUnlicensedUsers: true},
	"unknown-ids-reject-request":  {UnknownIDs: UnknownIDsRejectRequest},
	"duplicates-accepted":         {DuplicateIDs: DuplicateIDsAccept},
	"small-pages":                 {MaxPageSize: 25},
	"read-after-write-2s":         {ReadAfterWriteDelay: 2 * time.Second},
}

// ProfileNames returns the names NamedProfile knows, sorted.
func ProfileNames() []string {
	names := make([]string, 0, len(namedProfiles))
	for n := range namedProfiles {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// NamedProfile returns a ready-made profile:
//
//	documented                   the zero Profile: the mock's default behaviour
//	success-uppercase            SuccessWord "SUCCESS"
//	success-other-word           SuccessWord "Assigned"
//	statuses-failures-only       Statuses StatusesFailures
//	statuses-none                Statuses StatusesNone
//	statuses-no-content          Statuses StatusesNoContent
//	users-objects                UsersShape UsersShapeObjects
//	users-user-licenses          UsersShape UsersShapeUserLicenses
//	users-user-licenses-objects  UsersShape UsersShapeUserLicensesObjects
//	users-omit-unlicensed        OmitUnlicensedUsers
//	unknown-ids-reject-request   UnknownIDs UnknownIDsRejectRequest
//	duplicates-accepted          DuplicateIDs DuplicateIDsAccept
//	small-pages                  MaxPageSize 25
//	read-after-write-2s          ReadAfterWriteDelay 2s
//
// An unknown name is an error that lists the valid ones.
func NamedProfile(name string) (Profile, error) {
	p, ok := namedProfiles[name]
	if !ok {
		return Profile{}, fmt.Errorf("unknown profile %q; valid profiles: %s", name, strings.Join(ProfileNames(), ", "))
	}
	return p, nil
}

// SetProfile replaces the profile in force (Faults.Profile), leaving the other
// faults alone. Negative numbers are clamped to 0.
func (s *Server) SetProfile(p Profile) {
	p = p.clamped()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults.Profile = p
}
