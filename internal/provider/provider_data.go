package provider

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/purecloud-terraform/terraform-provider-purecloud/internal/client"
)

// providerData is what Configure hands to every data source and resource: the API client, the
// settings the resources apply themselves, and the per-provider-instance cache of license
// definition ids used by plan-time validation.
type providerData struct {
	client *client.Client
	// readAfterWriteTolerance is how long after its own write a refresh keeps re-reading a user
	// whose licenses differ from the state before calling the difference drift.
	readAfterWriteTolerance time.Duration

	licenseIDsOnce sync.Once
	licenseIDs     []string // sorted
	licenseIDsErr  error
	warned         atomic.Bool
}

func newProviderData(c *client.Client, readAfterWriteTolerance time.Duration) *providerData {
	return &providerData{client: c, readAfterWriteTolerance: readAfterWriteTolerance}
}

// knownLicenseIDs returns the sorted ids of the organization's license definitions. They are
// fetched once per provider instance and the outcome, success or failure, is shared by every
// caller, so a failing listing is not retried by every resource of the plan. first is true for
// exactly one caller that gets the error, so that it is reported once.
func (d *providerData) knownLicenseIDs(ctx context.Context) (ids []string, first bool, err error) {
	d.licenseIDsOnce.Do(func() {
		defs, err := d.client.ListLicenseDefinitions(ctx)
		if err != nil {
			d.licenseIDsErr = err
			return
		}
		ids := make([]string, 0, len(defs))
		for _, def := range defs {
			ids = append(ids, def.ID)
		}
		slices.Sort(ids)
		d.licenseIDs = ids
	})
	if d.licenseIDsErr != nil {
		return nil, d.warned.CompareAndSwap(false, true), d.licenseIDsErr
	}
	return d.licenseIDs, false, nil
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
