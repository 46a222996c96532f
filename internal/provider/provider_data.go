package provider

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/purecloud-terraform/terraform-provider-purecloud/internal/client"
)

// providerData is what Configure hands to every data source and resource: the API client and
// the per-provider-instance cache of license definition ids used by plan-time validation.
type providerData struct {
	client *client.Client

	mu         sync.Mutex
	licenseIDs []string // sorted; nil until loaded
}

func newProviderData(c *client.Client) *providerData {
	return &providerData{client: c}
}

// knownLicenseIDs returns the sorted ids of the organization's license definitions, fetched once
// per provider instance. A failed fetch is not cached, so the next caller tries again.
func (d *providerData) knownLicenseIDs(ctx context.Context) ([]string, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.licenseIDs != nil {
		return d.licenseIDs, nil
	}
	defs, err := d.client.ListLicenseDefinitions(ctx)
	if err != nil {
		return nil, err
	}
	ids := make([]string, 0, len(defs))
	for _, def := range defs {
		ids = append(ids, def.ID)
	}
	slices.Sort(ids)
	d.licenseIDs = ids
	return ids, nil
}

// providerDataFrom is the one place that checks the ProviderData handed to Configure methods.
// It returns nil without error while the provider itself is not configured yet (validation).
func providerDataFrom(raw any, diags *diag.Diagnostics) *providerData {
	if raw == nil {
		return nil
	}
	data, ok := raw.(*providerData)
	if !ok {
		diags.AddError("Unexpected Provider Data Type",
			fmt.Sprintf("Expected *provider.providerData, got %T. This is a bug in the provider; please report it.", raw))
		return nil
	}
	return data
}
