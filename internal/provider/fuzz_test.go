package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
)

// Import ids, fed anything: no panic; an id is accepted exactly when it is shaped like a
// Genesys Cloud user id (a lower-case UUID), and a refusal is an error that names the import.
func FuzzImportID(f *testing.F) {
	for _, seed := range []string{"", "00000000-0000-4000-8000-000000000001", "not-a-user", " 00000000-0000-4000-8000-000000000001",
		"00000000-0000-4000-8000-00000000000g", "00000000-0000-4000-8000-00000000000A", "00000000-0000-4000-8000-000000000001\n", "ünïcode", "\x00"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, id string) {
		var diags diag.Diagnostics
		got, ok := importedUserID(context.Background(), resource.ImportStateRequest{ID: id}, &diags)
		want := id != "" && uuidShaped(id)
		if id == "" {
			return // an empty id falls through to the identity, tested elsewhere
		}
		if ok != want || (ok && got != id) {
			t.Fatalf("id %q: accepted %v (%q), want %v", id, ok, got, want)
		}
		if !ok && (!diags.HasError() || diags.Errors()[0].Summary() != summaryImport) {
			t.Fatalf("id %q refused without an import error: %v", id, diags)
		}
	})
}

// uuidShaped is a check of the UUID shape written independently of userIDPattern.
func uuidShaped(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			digit := '0' <= c && c <= '9'
			letter := 'a' <= c && c <= 'f' // lower case only: one spelling per user
			if !digit && !letter {
				return false
			}
		}
	}
	return true
}
