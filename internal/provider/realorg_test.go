//go:build realorg

package provider

// Acceptance tests against a real Genesys Cloud organization, opt-in: they build only with
// `-tags realorg` (make testacc TAGS=realorg RUN=^TestRealOrg) and then require their environment, failing when it is
// missing. They change the licenses of one test user and put them back.
//
//	GENESYSCLOUD_OAUTHCLIENT_ID, GENESYSCLOUD_OAUTHCLIENT_SECRET, GENESYSCLOUD_REGION (or PURECLOUD_API_URL)
//	PURECLOUD_ACC_USER_ID      a user that exists only for these tests
//	PURECLOUD_ACC_LICENSE_IDS  two comma-separated license ids the user does NOT hold and can be
//	                           given without prerequisites, such as "wallboardUser,collaborate"

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/purecloud-terraform/terraform-provider-purecloud/internal/client"
)

// realOrg reads the test's environment and a client on the same credentials.
func realOrg(t *testing.T) (c *client.Client, user string, licenses []string) {
	t.Helper()
	user = os.Getenv("PURECLOUD_ACC_USER_ID")
	licenses = strings.Split(os.Getenv("PURECLOUD_ACC_LICENSE_IDS"), ",")
	if user == "" || len(licenses) != 2 || licenses[0] == "" || licenses[1] == "" {
		t.Fatal("realorg tests need PURECLOUD_ACC_USER_ID and PURECLOUD_ACC_LICENSE_IDS (two ids) in the environment")
	}
	c, err := client.New(context.Background(), client.Config{
		ClientID:     os.Getenv(envClientID),
		ClientSecret: os.Getenv(envClientSecret),
		AccessToken:  os.Getenv(envAccessToken),
		Region:       os.Getenv(envRegion),
		APIURL:       os.Getenv(envAPIURL),
		LoginURL:     os.Getenv(envLoginURL),
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	held := realOrgHeld(t, c, user)
	for _, l := range licenses {
		if slices.Contains(held, l) {
			t.Fatalf("the test user already holds %s; choose licenses it does not hold, so the test removes nothing of its own", l)
		}
	}
	return c, user, licenses
}

func realOrgHeld(t *testing.T, c *client.Client, user string) []string {
	t.Helper()
	read := c.ReadLicenses(context.Background(), []string{user}, client.Fresh)[user]
	held, err := read.LicenseIDs, read.Err
	if err != nil {
		t.Fatalf("reading test user %s: %v", user, err)
	}
	return held
}

// realOrgFactories serve the provider with the process environment, as Terraform would.
var realOrgFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"purecloud": providerserver.NewProtocol6WithError(New("realorg-test")()),
}

func TestRealOrgUserLicenseAssignment(t *testing.T) {
	c, user, licenses := realOrg(t)
	config := func(ids ...string) string {
		return `provider "purecloud" {}` + testAccUserLicenseAssignmentConfig_basic(user, ids...)
	}
	heldOnly := func(want ...string) resource.TestCheckFunc {
		return func(*terraform.State) error {
			held := realOrgHeld(t, c, user)
			for _, l := range licenses {
				if slices.Contains(held, l) != slices.Contains(want, l) {
					return fmt.Errorf("user %s holds %v; of the test licenses %v it should hold exactly %v", user, held, licenses, want)
				}
			}
			return nil
		}
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: realOrgFactories,
		CheckDestroy:             heldOnly(),
		Steps: []resource.TestStep{
			{
				Config: config(licenses[0]),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(testAccAssignment, tfjsonpath.New("license_ids"),
						knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact(licenses[0])})),
				},
				Check: heldOnly(licenses[0]),
			},
			{
				Config: config(licenses...),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(testAccAssignment, plancheck.ResourceActionUpdate),
				}},
				Check: heldOnly(licenses...),
			},
			{
				Config: config(licenses[1]),
				Check:  heldOnly(licenses[1]),
			},
		},
	})
}

func TestRealOrgLicenseDefinitions(t *testing.T) {
	_, _, licenses := realOrg(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: realOrgFactories,
		Steps: []resource.TestStep{{
			Config: `provider "purecloud" {}` + testAccLicenseDefinitionDataSourceConfig_id(licenses[0]),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.purecloud_license_definition.test", tfjsonpath.New("description"), knownvalue.NotNull()),
			},
		}},
	})
}
