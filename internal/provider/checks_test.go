package provider

import (
	"slices"
	"strings"
)

// Helpers shared by the check functions of the resources' tests.

// planSetStrings returns the sorted strings of set attribute attr in a plan's before or after
// object (a tfjson.Change's Before or After).
func planSetStrings(obj any, attr string) []string {
	m, _ := obj.(map[string]any)
	raw, _ := m[attr].([]any)
	out := make([]string, 0, len(raw))
	for _, v := range raw {
		s, _ := v.(string)
		out = append(out, s)
	}
	slices.Sort(out)
	return out
}

// stateSetStrings returns the sorted strings of set attribute attr in a resource's flatmapped
// state attributes (attr.# and attr.<hash> keys).
func stateSetStrings(attrs map[string]string, attr string) []string {
	var out []string
	for k, v := range attrs {
		if strings.HasPrefix(k, attr+".") && k != attr+".#" {
			out = append(out, v)
		}
	}
	slices.Sort(out)
	return out
}
