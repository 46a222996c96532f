package client

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/purecloud-terraform/terraform-provider-purecloud/internal/mockapi"
)

// BenchmarkBatcher_100Callers: 100 concurrent writes (BeginWrite + ApplyLicenseChanges, one
// user each, add then remove on alternate iterations) per op, through the batcher.
func BenchmarkBatcher_100Callers(b *testing.B) {
	srv, base := newMock(b, mockapi.Options{Users: 100})
	cfg := testConfig(base)
	cfg.BatchWindow = time.Second
	c := newTestClient(b, cfg)
	ctx := context.Background()
	before := requests(srv, mockapi.RoutePostOrganization)
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		op := OpAdd
		if n%2 == 1 {
			op = OpRemove
		}
		ends := make([]func(), 100)
		for i := range ends {
			ends[i] = c.BeginWrite()
		}
		var wg sync.WaitGroup
		for i := range 100 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer ends[i]()
				st, err := c.ApplyLicenseChanges(ctx, []LicenseChange{{UserID: mockapi.UserID(i + 1), LicenseID: mockapi.LicenseCommunicate, Op: op}})
				if err != nil || !st[0].Succeeded() {
					b.Errorf("caller %d: %v %v", i, st, err)
				}
			}()
		}
		wg.Wait()
	}
	b.StopTimer()
	perOp := float64(requests(srv, mockapi.RoutePostOrganization)-before) / float64(b.N)
	b.ReportMetric(perOp, "requests/op")
	// Target: 100 concurrent writes that all began together leave in at most 2 requests.
	if perOp > 2 {
		b.Errorf("%.2f postLicenseOrganization requests per 100 writes, target at most 2", perOp)
	}
}

// BenchmarkPlanRequests_10000Users: turning one flush of 10,000 users' changes (two licenses
// each, some users adding and removing the same license) into requests. Target: well under a
// second of CPU per flush, so that planning never rivals the network time of the requests.
func BenchmarkPlanRequests_10000Users(b *testing.B) {
	var items []*batchItem
	for i := range 10000 {
		user := mockapi.UserID(i + 1)
		items = append(items,
			&batchItem{change: LicenseChange{UserID: user, LicenseID: mockapi.LicenseCloudCX2, Op: OpAdd}},
			&batchItem{change: LicenseChange{UserID: user, LicenseID: mockapi.LicenseWallboardUser, Op: OpRemove}})
		if i%10 == 0 {
			items = append(items, &batchItem{change: LicenseChange{UserID: user, LicenseID: mockapi.LicenseCloudCX2, Op: OpRemove}})
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	var requests int
	for n := 0; n < b.N; n++ {
		requests = 0
		for _, round := range planRequests(items, DefaultMaxBatchUsers, maxEntriesPerRequest) {
			requests += len(round)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(requests), "requests")
	if perOp := b.Elapsed() / time.Duration(b.N); perOp > time.Second {
		b.Errorf("planning 10,000 users took %v, target under 1s", perOp)
	}
}

// BenchmarkGetLicenseUser: one getLicenseUser per op (token cached, no pacing).
func BenchmarkGetLicenseUser(b *testing.B) {
	srv, base := newMock(b, mockapi.Options{})
	c := newTestClient(b, testConfig(base))
	ctx := context.Background()
	srv.SetUserLicenses(mockapi.UserID(1), []string{mockapi.LicenseCloudCX2})
	before := requests(srv, mockapi.RouteGetUser) + requests(srv, mockapi.RouteToken)
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		if _, err := c.GetLicenseUser(ctx, mockapi.UserID(1)); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	after := requests(srv, mockapi.RouteGetUser) + requests(srv, mockapi.RouteToken)
	b.ReportMetric(float64(after-before)/float64(b.N), "requests/op")
}
