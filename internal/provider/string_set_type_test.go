package provider

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

func tfStringSet(items ...any) tftypes.Value {
	elems := make([]tftypes.Value, len(items))
	for i, it := range items {
		elems[i] = tftypes.NewValue(tftypes.String, it)
	}
	return tftypes.NewValue(tftypes.Set{ElementType: tftypes.String}, elems)
}

func TestLargeStringSetType_Validate(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	at := path.Root("user_ids")
	tests := []struct {
		name string
		in   tftypes.Value
		dups []string
	}{
		{"empty", tfStringSet(), nil},
		{"distinct", tfStringSet("a", "b", "c"), nil},
		{"one duplicate", tfStringSet("a", "b", "a"), []string{`"a"`}},
		{"two duplicates", tfStringSet("a", "b", "a", "b", "c"), []string{`"a"`, `"b"`}},
		{"unknown elements are not compared", tfStringSet("a", tftypes.UnknownValue, tftypes.UnknownValue), nil},
		{"null set", tftypes.NewValue(tftypes.Set{ElementType: tftypes.String}, nil), nil},
		{"unknown set", tftypes.NewValue(tftypes.Set{ElementType: tftypes.String}, tftypes.UnknownValue), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			diags := newLargeStringSetType().Validate(ctx, tt.in, at)
			if len(diags) != len(tt.dups) {
				t.Fatalf("got %d diagnostics, want %d: %v", len(diags), len(tt.dups), diags)
			}
			for i, d := range diags {
				if d.Summary() != "Duplicate Set Element" || !strings.Contains(d.Detail(), tt.dups[i]) {
					t.Errorf("diagnostic %d = %q / %q, want a duplicate of %s", i, d.Summary(), d.Detail(), tt.dups[i])
				}
				withPath, ok := d.(diag.DiagnosticWithPath)
				if !ok || !withPath.Path().Equal(at) {
					t.Errorf("diagnostic %d does not point at %s", i, at)
				}
			}
			// The framework's own check must agree on how many duplicates there are.
			if want := newLargeStringSetType().SetType.Validate(ctx, tt.in, at); len(want) != len(diags) {
				t.Errorf("basetypes.SetType.Validate found %d, this type %d", len(want), len(diags))
			}
		})
	}
}

func TestLargeStringSetValue_Equal(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	var diags diag.Diagnostics
	abc := largeStringSet(ctx, []string{"a", "b", "c"}, &diags)
	cba := largeStringSet(ctx, []string{"c", "b", "a"}, &diags)
	ab := largeStringSet(ctx, []string{"a", "b"}, &diags)
	abd := largeStringSet(ctx, []string{"a", "b", "d"}, &diags)
	empty := largeStringSet(ctx, nil, &diags)
	null := largeStringSetValue{SetValue: types.SetNull(types.StringType)}
	unknown := largeStringSetValue{SetValue: types.SetUnknown(types.StringType)}
	if diags.HasError() {
		t.Fatal(diags)
	}
	for _, tt := range []struct {
		name string
		a, b largeStringSetValue
		want bool
	}{
		{"same elements, other order", abc, cba, true},
		{"subset", abc, ab, false},
		{"same size, other element", abc, abd, false},
		{"empty and empty", empty, largeStringSet(ctx, []string{}, &diags), true},
		{"empty and null", empty, null, false},
		{"null and null", null, null, true},
		{"null and unknown", null, unknown, false},
		{"unknown and unknown", unknown, unknown, true},
	} {
		if got := tt.a.Equal(tt.b); got != tt.want {
			t.Errorf("%s: Equal = %v, want %v", tt.name, got, tt.want)
		}
		if got, _ := tt.a.SetSemanticEquals(ctx, tt.b); got != tt.want {
			t.Errorf("%s: SetSemanticEquals = %v, want %v", tt.name, got, tt.want)
		}
		// The framework's element-by-element comparison must agree.
		if got := tt.a.SetValue.Equal(tt.b.SetValue); got != tt.want {
			t.Errorf("%s: basetypes.SetValue.Equal = %v, disagrees with want %v", tt.name, got, tt.want)
		}
	}
	if abc.Equal(abc.SetValue) {
		t.Error("a largeStringSetValue equals a plain SetValue")
	}
}

// BenchmarkLargeStringSetValidate compares this type's duplicate check with the framework's at
// the sizes purecloud_license_assignment is built for. Run it with
// `go test -run '^$' -bench LargeStringSet ./internal/provider/`.
func BenchmarkLargeStringSetValidate(b *testing.B) {
	ctx := context.Background()
	for _, n := range []int{1000, 10000} {
		items := make([]any, n)
		for i := range items {
			items[i] = fmt.Sprintf("00000000-0000-4000-8000-%012d", i)
		}
		in := tfStringSet(items...)
		b.Run(fmt.Sprintf("linear/n=%d", n), func(b *testing.B) {
			for b.Loop() {
				if d := newLargeStringSetType().Validate(ctx, in, path.Root("user_ids")); d.HasError() {
					b.Fatal(d)
				}
			}
		})
		if n > 1000 {
			continue // the framework's quadratic check takes seconds at 10,000
		}
		b.Run(fmt.Sprintf("framework/n=%d", n), func(b *testing.B) {
			for b.Loop() {
				if d := newLargeStringSetType().SetType.Validate(ctx, in, path.Root("user_ids")); d.HasError() {
					b.Fatal(d)
				}
			}
		})
	}
}
