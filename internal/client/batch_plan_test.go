package client

import (
	"encoding/json"
	"fmt"
	"testing"
)

func items(changes ...LicenseChange) []*batchItem {
	call := newApplyCall(changes)
	out := make([]*batchItem, len(changes))
	for i, ch := range changes {
		out[i] = &batchItem{call: call, idx: i, change: ch}
	}
	return out
}

func bodies(rounds [][]*plannedRequest) string {
	var s []string
	for _, r := range rounds {
		var rs []string
		for _, pr := range r {
			b, _ := json.Marshal(pr.body)
			rs = append(rs, string(b))
		}
		s = append(s, fmt.Sprint(rs))
	}
	return fmt.Sprint(s)
}

func TestPlanRequests(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		changes []LicenseChange
		max     int
		want    string
	}{
		{
			name:    "grouped per license, sorted",
			changes: []LicenseChange{add("u2", "b"), add("u1", "b"), remove("u3", "a"), add("u1", "a")},
			max:     10,
			want:    `[[{"assignments":[{"licenseId":"a","userIdsAdd":["u1"],"userIdsRemove":["u3"]},{"licenseId":"b","userIdsAdd":["u1","u2"],"userIdsRemove":[]}]}]]`,
		},
		{
			name:    "identical changes deduplicated",
			changes: []LicenseChange{add("u1", "a"), add("u1", "a"), add("u1", "a")},
			max:     10,
			want:    `[[{"assignments":[{"licenseId":"a","userIdsAdd":["u1"],"userIdsRemove":[]}]}]]`,
		},
		{
			name:    "add then remove of a pair go to successive requests",
			changes: []LicenseChange{add("u1", "a"), add("u2", "a"), remove("u1", "a"), add("u1", "a"), add("u1", "a")},
			max:     10,
			want: `[[{"assignments":[{"licenseId":"a","userIdsAdd":["u1","u2"],"userIdsRemove":[]}]}] ` +
				`[{"assignments":[{"licenseId":"a","userIdsAdd":[],"userIdsRemove":["u1"]}]}] ` +
				`[{"assignments":[{"licenseId":"a","userIdsAdd":["u1"],"userIdsRemove":[]}]}]]`,
		},
		{
			name:    "split by distinct users, a user's changes together",
			changes: []LicenseChange{add("u3", "a"), add("u1", "a"), add("u1", "b"), add("u2", "c"), remove("u3", "b")},
			max:     2,
			want: `[[{"assignments":[{"licenseId":"a","userIdsAdd":["u1"],"userIdsRemove":[]},{"licenseId":"b","userIdsAdd":["u1"],"userIdsRemove":[]},{"licenseId":"c","userIdsAdd":["u2"],"userIdsRemove":[]}]} ` +
				`{"assignments":[{"licenseId":"a","userIdsAdd":["u3"],"userIdsRemove":[]},{"licenseId":"b","userIdsAdd":[],"userIdsRemove":["u3"]}]}]]`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := bodies(planRequests(items(tt.changes...), tt.max, maxEntriesPerRequest)); got != tt.want {
				t.Errorf("\n got %s\nwant %s", got, tt.want)
			}
		})
	}
	// Entries limit.
	var many []LicenseChange
	for i := range 5 {
		many = append(many, add(fmt.Sprintf("u%d", i), "a"), add(fmt.Sprintf("u%d", i), "b"))
	}
	rounds := planRequests(items(many...), 100, 4)
	if len(rounds) != 1 || len(rounds[0]) != 3 {
		t.Errorf("entries limit: %s", bodies(rounds))
	}
}
