package provider

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/purecloud-terraform/terraform-provider-purecloud/internal/client"
	"github.com/purecloud-terraform/terraform-provider-purecloud/internal/mockapi"
)

// Terraform does not show a test a refresh's warnings, so this calls Read directly: a user deleted
// outside Terraform stays in the state as it was (offboarding), with a warning that names it.
func TestUserLicenseAssignmentRead_deletedUserWarns(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	mock, url := mockapi.NewTestServer(t, mockapi.Options{Users: 1})
	user := mockapi.UserID(1)
	mock.DeleteUser(user)

	c, err := client.New(ctx, client.Config{ClientID: testClientID, ClientSecret: testClientSecret, APIURL: url, ReadBatching: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	r, _ := NewUserLicenseAssignmentResource().(*userLicenseAssignmentResource)
	r.data = newProviderData(c, time.Second)

	var schemaResp resource.SchemaResponse
	r.Schema(ctx, resource.SchemaRequest{}, &schemaResp)
	objType, ok := schemaResp.Schema.Type().TerraformType(ctx).(tftypes.Object)
	if !ok {
		t.Fatalf("schema type is %T", schemaResp.Schema.Type().TerraformType(ctx))
	}
	prior := tftypes.NewValue(objType, map[string]tftypes.Value{
		"id":          tftypes.NewValue(tftypes.String, user),
		"user_id":     tftypes.NewValue(tftypes.String, user),
		"license_ids": tftypes.NewValue(tftypes.Set{ElementType: tftypes.String}, []tftypes.Value{tftypes.NewValue(tftypes.String, "cloudCX1")}),
		"exclusive":   tftypes.NewValue(tftypes.Bool, false),
		"timeouts":    tftypes.NewValue(objType.AttributeTypes["timeouts"], nil),
	})
	state := tfsdk.State{Schema: schemaResp.Schema, Raw: prior}
	resp := resource.ReadResponse{State: state}
	r.Read(ctx, resource.ReadRequest{State: state}, &resp)

	if resp.Diagnostics.HasError() {
		t.Fatalf("Read failed: %v", resp.Diagnostics)
	}
	if !resp.State.Raw.Equal(prior) {
		t.Errorf("the state changed: %v, want %v", resp.State.Raw, prior)
	}
	warnings := resp.Diagnostics.Warnings()
	if len(warnings) != 1 || warnings[0].Summary() != "User No Longer Exists" || !strings.Contains(warnings[0].Detail(), user) {
		t.Errorf("want one warning naming user %s, got %v", user, warnings)
	}
}
