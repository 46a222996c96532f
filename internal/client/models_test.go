package client

import (
	"encoding/json"
	"testing"
)

func TestAssignmentRequestMarshalsEmptyArrays(t *testing.T) {
	t.Parallel()
	b, err := json.Marshal(LicenseBatchAssignmentRequest{Assignments: []LicenseAssignmentRequest{{LicenseID: "x"}}})
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"assignments":[{"licenseId":"x","userIdsAdd":[],"userIdsRemove":[]}]}`; string(b) != want {
		t.Errorf("got %s, want %s", b, want)
	}
	b, _ = json.Marshal(LicenseBatchAssignmentRequest{})
	if string(b) != `{"assignments":[]}` {
		t.Errorf("empty batch: %s", b)
	}
	b, _ = json.Marshal(&LicenseAssignmentRequest{LicenseID: "y", UserIDsAdd: []string{"u"}})
	if string(b) != `{"licenseId":"y","userIdsAdd":["u"],"userIdsRemove":[]}` {
		t.Errorf("pointer: %s", b)
	}
}

func TestSucceeded(t *testing.T) {
	t.Parallel()
	for result, want := range map[string]bool{"Success": true, "SUCCESS": true, " success ": true, "": false, "UserNotFound": false, "Successful": false} {
		if got := (LicenseUpdateStatus{Result: result}).Succeeded(); got != want {
			t.Errorf("%q: got %v", result, got)
		}
	}
}

func TestDecodeUserLicenseIDs(t *testing.T) {
	t.Parallel()
	tests := map[string][]string{
		`["a","b"]`:                              {"a", "b"},
		`[{"id":"a","selfUri":"/x"},{"id":"b"}]`: {"a", "b"},
		`{"licenses":["a"]}`:                     {"a"},
		`{"id":"u","licenses":[{"id":"a"}]}`:     {"a"},
		`[{"licenseId":"c"}]`:                    {"c"},
		`null`:                                   {},
		`[]`:                                     {},
		`{}`:                                     {},
		` ["x"] `:                                {"x"},
		`{"licenses":[{"id":"a"},"b"]}`:          {"a", "b"},
		`{"licenses":null,"selfUri":"/api/v2/x"}`: {},
	}
	for in, want := range tests {
		got, err := decodeUserLicenseIDs(json.RawMessage(in))
		if err != nil || got == nil || !equalStrings(got, want) {
			t.Errorf("%s: got %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{`"a"`, `5`, `[5]`, `{"licenses":"a"}`} {
		if _, err := decodeUserLicenseIDs(json.RawMessage(bad)); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}
