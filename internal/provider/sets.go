package provider

import (
	"context"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// stringSet builds a set of strings; an empty input gives an empty (not null) set.
func stringSet(_ context.Context, items []string, diags *diag.Diagnostics) types.Set {
	// Built element by element: types.SetValueFrom checks for duplicates by comparing every
	// element with every other, seconds of CPU at thousands of users. Duplicates are dropped
	// here instead, in linear time.
	seen := make(map[string]bool, len(items))
	elems := make([]attr.Value, 0, len(items))
	for _, it := range items {
		if !seen[it] {
			seen[it] = true
			elems = append(elems, types.StringValue(it))
		}
	}
	s, d := types.SetValue(types.StringType, elems)
	diags.Append(d...)
	return s
}

// difference returns the sorted elements of a that are not in b.
func difference(a, b []string) []string {
	in := setOf(b)
	var out []string
	for _, x := range a {
		if !in[x] {
			out = append(out, x)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// intersection returns the sorted elements of a that are also in b.
func intersection(a, b []string) []string {
	in := setOf(b)
	out := []string{}
	for _, x := range a {
		if in[x] {
			out = append(out, x)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// setOf returns the elements of items as a set; the set operations above stay linear for the
// thousands of users of a purecloud_license_assignment.
func setOf(items []string) map[string]bool {
	m := make(map[string]bool, len(items))
	for _, x := range items {
		m[x] = true
	}
	return m
}

// sortedUnique returns a sorted copy of items with each element once.
func sortedUnique(items []string) []string {
	out := slices.Clone(items)
	slices.Sort(out)
	return slices.Compact(out)
}

// knownStrings returns the known elements of a set of strings, sorted, and whether every
// element is known (an element may stay unknown until apply, such as another resource's output).
func knownStrings(s types.Set) ([]string, bool) {
	if s.IsNull() || s.IsUnknown() {
		return nil, false
	}
	out := make([]string, 0, len(s.Elements()))
	all := true
	for _, e := range s.Elements() {
		str, ok := e.(types.String)
		if !ok || str.IsUnknown() || str.IsNull() {
			all = false
			continue
		}
		out = append(out, str.ValueString())
	}
	slices.Sort(out)
	return out, all
}
