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
	b.ReportMetric(float64(requests(srv, mockapi.RoutePostOrganization)-before)/float64(b.N), "requests/op")
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
