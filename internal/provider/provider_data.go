package provider

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

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

	// claims maps each user id (or license id) planned in this run to the instance that planned
	// it first; see duplicates.go.
	claimsMu sync.Mutex
	claims   map[string]planClaim

	// ledger keeps a write from removing a pair another write of this run keeps (apply time).
	ledger claimLedger
	// pairs compares the pairs every planned instance keeps and removes (plan time).
	pairs planPairs
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
		diags.AddError(summaryProviderDataType,
			fmt.Sprintf("Expected *provider.providerData, got %T. This is a bug in the provider; please report it.", raw))
		return nil
	}
	return data
}

// checkLicenseIDs fails the plan for license ids the organization does not have; attr is the
// attribute naming them (license_ids, or license_id).
func (d *providerData) checkLicenseIDs(ctx context.Context, attr path.Path, wanted []string, diags *diag.Diagnostics) {
	if len(wanted) == 0 {
		return
	}
	valid, first, err := d.knownLicenseIDs(ctx)
	switch {
	case errors.Is(err, client.ErrAuthentication):
		// Wrong credentials would fail every write: say so now rather than at apply.
		addAPIError(diags, summaryAuthenticate, "Genesys Cloud refused the provider's credentials "+
			"while listing license definitions to check "+attr.String()+". Check oauthclient_id and oauthclient_secret "+
			"(or access_token) and the region.", err)
		return
	case err != nil:
		if first {
			diags.AddAttributeWarning(attr, summaryUncheckedLicenseIDs,
				"The license definitions could not be listed, so "+attr.String()+" was not checked at plan time; an "+
					"unknown id will fail at apply instead. The OAuth client needs authorization:license:view or "+
					"authorization:grant:add.\n\n"+apiErrorDetail(err))
		}
		return
	}
	var unknown []string
	for _, id := range wanted {
		if _, found := slices.BinarySearch(valid, id); !found {
			unknown = append(unknown, id)
		}
	}
	if len(unknown) > 0 {
		addUnknownLicenseError(diags, attr, unknown, valid, wanted)
	}
}

// startWrite is the common preamble of a write (Create, Update, Delete): it bounds the write by
// its timeout (timeout is timeouts.Value.Create, .Update or .Delete) and tells the batcher a
// write is in flight, so that a batch can leave as soon as every write in flight is waiting for
// it. Call done when the write ends.
func (d *providerData) startWrite(ctx context.Context, tv timeouts.Value,
	timeout func(timeouts.Value, context.Context, time.Duration) (time.Duration, diag.Diagnostics),
	diags *diag.Diagnostics) (wctx context.Context, done func(), ok bool) {
	t, tdiags := timeout(tv, ctx, defaultTimeout)
	diags.Append(tdiags...)
	if diags.HasError() {
		return ctx, nil, false
	}
	wctx, cancel := context.WithTimeout(ctx, t)
	endWrite := d.client.BeginWrite()
	return wctx, func() {
		endWrite()
		cancel()
	}, true
}
