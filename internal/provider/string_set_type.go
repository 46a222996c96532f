package provider

import (
	"context"
	"fmt"
	"strconv"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// largeStringSetType is a set of strings for attributes that may hold thousands of elements
// (user_ids of purecloud_license_assignment; license_ids of purecloud_user_license_assignment,
// where thousands are a mistake that must fail fast). It behaves as types.Set of types.String, but compares two
// sets in linear time. The framework's own comparisons of sets are quadratic: SetValue.Equal
// scans the other set for each element, and after Create, Read and Update the framework's
// semantic-equality pass compares every new element with every prior one unless the set's
// type answers for the whole set. At 10,000 users that is 10^8 comparisons per operation.
// This type answers for the whole set when the sets are equal, which is the common case (a
// create or update that did what was planned, a refresh without drift); when they differ the
// framework still compares element by element.
type largeStringSetType struct {
	basetypes.SetType
}

var (
	_ basetypes.SetTypable                    = largeStringSetType{}
	_ basetypes.SetValuableWithSemanticEquals = largeStringSetValue{}
)

func newLargeStringSetType() largeStringSetType {
	return largeStringSetType{SetType: basetypes.SetType{ElemType: types.StringType}}
}

func (t largeStringSetType) Equal(o attr.Type) bool {
	other, ok := o.(largeStringSetType)
	return ok && t.SetType.Equal(other.SetType)
}

func (t largeStringSetType) String() string { return "largeStringSetType" }

// Validate refuses a set holding one string twice, as basetypes.SetType.Validate does, but in
// linear time: the framework's own check compares every element with every later one, and the
// framework validates the whole set each time it reads or writes an attribute of the resource.
// At thousands of users that was most of a refresh's CPU time (see BENCHMARKS.md).
func (t largeStringSetType) Validate(_ context.Context, in tftypes.Value, at path.Path) diag.Diagnostics {
	var diags diag.Diagnostics
	if in.Type() == nil || !in.IsKnown() || in.IsNull() {
		return diags
	}
	var elems []tftypes.Value
	if !in.Type().Is(tftypes.Set{}) {
		diags.AddAttributeError(at, summarySetValidation,
			fmt.Sprintf("Expected a set of strings, got %s. This is always an error in the provider. Please report it to the provider developer.", in.Type()))
		return diags
	}
	if err := in.As(&elems); err != nil {
		diags.AddAttributeError(at, summarySetValidation,
			"An unexpected error was encountered trying to validate a set of strings. This is always an error in the provider. Please report the following to the provider developer:\n\n"+err.Error())
		return diags
	}
	seen := make(map[string]bool, len(elems))
	for _, e := range elems {
		if !e.IsKnown() || e.IsNull() {
			continue
		}
		var s string
		if err := e.As(&s); err != nil {
			diags.AddAttributeError(at, summarySetValidation,
				"An unexpected error was encountered trying to validate a set of strings. This is always an error in the provider. Please report the following to the provider developer:\n\n"+err.Error())
			return diags
		}
		if seen[s] {
			diags.AddAttributeError(at, summaryDuplicateSetElement,
				fmt.Sprintf("This attribute contains duplicate values of: %s", strconv.Quote(s)))
			continue
		}
		seen[s] = true
	}
	return diags
}

func (t largeStringSetType) ValueFromSet(_ context.Context, in basetypes.SetValue) (basetypes.SetValuable, diag.Diagnostics) {
	return largeStringSetValue{SetValue: in}, nil
}

func (t largeStringSetType) ValueFromTerraform(ctx context.Context, in tftypes.Value) (attr.Value, error) {
	v, err := t.SetType.ValueFromTerraform(ctx, in)
	if err != nil {
		return nil, err
	}
	set, ok := v.(basetypes.SetValue)
	if !ok {
		return nil, fmt.Errorf("unexpected value type %T", v)
	}
	return largeStringSetValue{SetValue: set}, nil
}

func (t largeStringSetType) ValueType(context.Context) attr.Value { return largeStringSetValue{} }

// largeStringSetValue is a value of largeStringSetType.
type largeStringSetValue struct {
	basetypes.SetValue
}

func (v largeStringSetValue) Type(context.Context) attr.Type { return newLargeStringSetType() }

// Equal compares in linear time.
func (v largeStringSetValue) Equal(o attr.Value) bool {
	other, ok := o.(largeStringSetValue)
	return ok && stringSetsEqual(v.SetValue, other.SetValue)
}

// SetSemanticEquals tells the framework that equal sets need no element-by-element comparison.
func (v largeStringSetValue) SetSemanticEquals(ctx context.Context, prior basetypes.SetValuable) (bool, diag.Diagnostics) {
	p, diags := prior.ToSetValue(ctx)
	return stringSetsEqual(v.SetValue, p), diags
}

// stringSetsEqual compares two sets of strings in linear time.
func stringSetsEqual(a, b basetypes.SetValue) bool {
	if a.IsNull() || a.IsUnknown() || b.IsNull() || b.IsUnknown() {
		return a.IsNull() == b.IsNull() && a.IsUnknown() == b.IsUnknown()
	}
	ae, be := a.Elements(), b.Elements()
	if len(ae) != len(be) {
		return false
	}
	in := make(map[attr.Value]bool, len(ae))
	for _, e := range ae {
		in[e] = true
	}
	for _, e := range be {
		if !in[e] {
			return false
		}
	}
	return true
}

// largeStringSet builds a largeStringSetValue; an empty input gives an empty (not null) set.
func largeStringSet(ctx context.Context, items []string, diags *diag.Diagnostics) largeStringSetValue {
	return largeStringSetValue{SetValue: stringSet(ctx, items, diags)}
}
