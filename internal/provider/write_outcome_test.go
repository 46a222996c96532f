package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/purecloud-terraform/terraform-provider-purecloud/internal/client"
)

// The decision table of one change: status (success word, another word, no status, request
// failure, in flight when interrupted, not sent) × what reading the user back showed.
func TestDecide(t *testing.T) {
	t.Parallel()
	const lic = "cloudCX1"
	applied := func(op client.ChangeOp) readBack {
		if op == client.OpAdd {
			return readBack{done: true, held: []string{lic}}
		}
		return readBack{done: true, held: []string{"other"}}
	}
	notApplied := func(op client.ChangeOp) readBack {
		if op == client.OpAdd {
			return readBack{done: true, held: []string{"other"}}
		}
		return readBack{done: true, held: []string{lic}}
	}
	type want struct {
		held   bool
		failed bool
		reason string // substring of the reason, for failures
	}
	tests := []struct {
		result string
		read   string // applied | not applied | user gone | read failed
		add    want
		remove want
	}{
		{"Success", "not applied", want{held: true}, want{held: false}}, // the word is trusted; no read is made
		{"SUCCESS", "read failed", want{held: true}, want{held: false}},
		{client.ResultNotSent, "applied", want{false, true, "not sent"}, want{true, true, "not sent"}},

		{"Assigned", "applied", want{held: true}, want{held: false}}, // an unknown success word costs a read, not a failure
		{"NoSeatsAvailable", "not applied", want{false, true, "NoSeatsAvailable"}, want{true, true, "NoSeatsAvailable"}},
		{"NoSeatsAvailable", "read failed", want{true, true, "outcome is unknown"}, want{true, true, "outcome is unknown"}},
		{"UserNotFound", "user gone", want{false, true, "UserNotFound"}, want{held: false}},
		{"LicenseNotFound", "not applied", want{false, true, "LicenseNotFound"}, want{true, true, "LicenseNotFound"}},

		{client.ResultNoResultReturned, "applied", want{held: true}, want{held: false}},
		{client.ResultNoResultReturned, "not applied", want{false, true, "no result"}, want{true, true, "no result"}},
		{client.ResultNoResultReturned, "user gone", want{false, true, "no result"}, want{held: false}},
		{client.ResultNoResultReturned, "read failed", want{true, true, "outcome is unknown"}, want{true, true, "outcome is unknown"}},

		{client.ResultRequestFailed, "applied", want{held: true}, want{held: false}},
		{client.ResultRequestFailed, "not applied", want{false, true, "request failed"}, want{true, true, "request failed"}},
		{client.ResultRequestFailed, "read failed", want{true, true, "outcome is unknown"}, want{true, true, "outcome is unknown"}},

		{client.ResultUnknown, "applied", want{held: true}, want{held: false}},
		{client.ResultUnknown, "not applied", want{true, true, "may still apply"}, want{true, true, "may still apply"}},
		{client.ResultUnknown, "read failed", want{true, true, "outcome is unknown"}, want{true, true, "outcome is unknown"}},
	}
	for _, tt := range tests {
		for _, op := range []client.ChangeOp{client.OpAdd, client.OpRemove} {
			name := fmt.Sprintf("%s/%s/%s", tt.result, tt.read, op)
			t.Run(name, func(t *testing.T) {
				var rb readBack
				switch tt.read {
				case "applied":
					rb = applied(op)
				case "not applied":
					rb = notApplied(op)
				case "user gone":
					rb = readBack{userGone: true}
				}
				w := tt.add
				if op == client.OpRemove {
					w = tt.remove
				}
				got := decide(op, client.LicenseUpdateStatus{UserID: "u", LicenseID: lic, Result: tt.result}, rb)
				if got.held != w.held || got.failed != w.failed {
					t.Errorf("got held=%v failed=%v (%q), want held=%v failed=%v", got.held, got.failed, got.reason, w.held, w.failed)
				}
				if w.failed && !strings.Contains(got.reason, w.reason) {
					t.Errorf("reason %q does not contain %q", got.reason, w.reason)
				}
			})
		}
	}
}

// applyVerdicts records confirmed and possibly held licenses, and lists every failure.
func TestApplyVerdicts(t *testing.T) {
	t.Parallel()
	changes := []client.LicenseChange{
		{UserID: "u", LicenseID: "a", Op: client.OpAdd},
		{UserID: "u", LicenseID: "b", Op: client.OpAdd},
		{UserID: "u", LicenseID: "c", Op: client.OpAdd},
		{UserID: "u", LicenseID: "old", Op: client.OpRemove},
		{UserID: "u", LicenseID: "stuck", Op: client.OpRemove},
	}
	verdicts := []verdict{
		{held: true},
		{held: false, failed: true, reason: "NoSeatsAvailable"},
		{held: true, failed: true, reason: "outcome unknown"},
		{held: false},
		{held: true, failed: true, reason: "Refused"},
	}
	out := applyVerdicts([]string{"keep", "old", "stuck"}, changes, verdicts, licenseOf)
	if got := strings.Join(out.after, ","); got != "a,c,keep,stuck" {
		t.Errorf("after = %s, want a,c,keep,stuck", got)
	}
	if got := strings.Join(out.assigned, ","); got != "a" {
		t.Errorf("assigned = %s", got)
	}
	if got := strings.Join(out.possibly, ","); got != "c,stuck" {
		t.Errorf("possibly = %s", got)
	}
	if out.ok() || len(out.failures) != 3 || !strings.Contains(out.failureDetail("X."), "did not apply 3 of 5") {
		t.Errorf("failures %v", out.failures)
	}
}

// For purecloud_license_assignment the members are users: one license's changes across many
// users, and a long failure list is cut after maxListed lines.
func TestApplyVerdictsPerLicense(t *testing.T) {
	t.Parallel()
	var changes []client.LicenseChange
	var verdicts []verdict
	for i := range 60 {
		changes = append(changes, client.LicenseChange{UserID: fmt.Sprintf("u%02d", i), LicenseID: "cloudCX2", Op: client.OpAdd})
		verdicts = append(verdicts, verdict{failed: true, reason: "NoSeatsAvailable"})
	}
	changes = append(changes,
		client.LicenseChange{UserID: "ok", LicenseID: "cloudCX2", Op: client.OpAdd},
		client.LicenseChange{UserID: "gone", LicenseID: "cloudCX2", Op: client.OpRemove})
	verdicts = append(verdicts, verdict{held: true}, verdict{})
	out := applyVerdicts([]string{"gone", "kept"}, changes, verdicts, userOf)
	if got := strings.Join(out.after, ","); got != "kept,ok" {
		t.Errorf("after = %s, want kept,ok", got)
	}
	if got := strings.Join(out.assigned, ","); got != "ok" {
		t.Errorf("assigned = %s", got)
	}
	detail := out.failureDetail("X.")
	if !strings.Contains(detail, "did not apply 60 of 62") || !strings.Contains(detail, "user u49, license cloudCX2 (add): NoSeatsAvailable") ||
		strings.Contains(detail, "user u50,") || !strings.Contains(detail, "and 10 more") {
		t.Errorf("failure detail:\n%s", detail)
	}
	if got := listIDs(out.after); got != "kept, ok" {
		t.Errorf("listIDs = %q", got)
	}
}
