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
