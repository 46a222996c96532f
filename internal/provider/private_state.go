package provider

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
)

// Private state: what the engine keeps beside an instance's state, per instance, that the
// user never sees.
const (
	// privateLastWrite records when this provider last wrote the instance's pairs, so that a
	// refresh shortly after can tell a late-showing write from drift.
	privateLastWrite = "last_write"
	// privatePlanToken holds a random token that identifies an instance across the plans of one
	// run: Terraform plans a replaced instance twice (the second time as a create, handing back
	// the private state of the first), and that must not look like a second instance.
	privatePlanToken = "plan_token"
	// privateAdopted holds the members an import found, until the first write after it (see
	// assignment.adopted).
	privateAdopted = "adopted"
)

type privateSetter interface {
	SetKey(ctx context.Context, key string, value []byte) diag.Diagnostics
}

type privateGetter interface {
	GetKey(ctx context.Context, key string) ([]byte, diag.Diagnostics)
}

// recordWrite notes in the private state when this provider wrote the instance's pairs.
func recordWrite(ctx context.Context, private privateSetter, diags *diag.Diagnostics) {
	v, _ := json.Marshal(time.Now().UTC().Format(time.RFC3339Nano))
	diags.Append(private.SetKey(ctx, privateLastWrite, v)...)
}

// lastWrite returns when this provider last wrote the instance's pairs, or zero.
func lastWrite(ctx context.Context, private privateGetter) time.Time {
	var s string
	if !getPrivate(ctx, private, privateLastWrite, &s) {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}
	}
	return t
}

// planToken returns the instance's token from its private state, creating and recording one
// in the planned private state when there is none.
func planToken(ctx context.Context, private privateGetter, planned privateSetter, diags *diag.Diagnostics) string {
	var token string
	if getPrivate(ctx, private, privatePlanToken, &token) && token != "" {
		return token
	}
	token = rand.Text()
	v, _ := json.Marshal(token)
	diags.Append(planned.SetKey(ctx, privatePlanToken, v)...)
	return token
}

// getPrivate decodes the JSON value of a private-state key into out; false when there is none
// or it cannot be decoded.
func getPrivate(ctx context.Context, private privateGetter, key string, out any) bool {
	raw, diags := private.GetKey(ctx, key)
	if diags.HasError() || len(raw) == 0 {
		return false
	}
	return json.Unmarshal(raw, out) == nil
}

// adoptedMembers returns the members an import found, if no write has happened since.
func adoptedMembers(ctx context.Context, private privateGetter) []string {
	var ids []string
	getPrivate(ctx, private, privateAdopted, &ids)
	return ids
}

// setAdoptedMembers records the members an import found; nil forgets them.
func setAdoptedMembers(ctx context.Context, private privateSetter, ids []string, diags *diag.Diagnostics) {
	var v []byte
	if ids != nil {
		v, _ = json.Marshal(ids)
	}
	diags.Append(private.SetKey(ctx, privateAdopted, v)...)
}
