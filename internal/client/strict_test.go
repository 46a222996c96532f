package client

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/purecloud-terraform/terraform-provider-purecloud/internal/mockapi"
)

// A redirect is refused: the token never reaches the other host, and the caller gets an error
// instead of the other host's answer.
func TestRedirectsAreRefused(t *testing.T) {
	t.Parallel()
	var leaked atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "" {
			leaked.Add(1)
		}
		_, _ = w.Write([]byte(`{"id":"u1","licenses":[{"id":"cloudCX3"}]}`))
	}))
	t.Cleanup(other.Close)
	srv, _ := newMock(t, mockapi.Options{})
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/api/") {
			http.Redirect(w, r, other.URL+r.URL.Path, http.StatusFound)
			return
		}
		srv.ServeHTTP(w, r)
	}))
	t.Cleanup(front.Close)
	c := newTestClient(t, testConfig(front.URL))
	_, err := c.GetLicenseUser(context.Background(), "u1")
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusFound || !strings.Contains(err.Error(), "does not follow") {
		t.Fatalf("want a refused redirect, got %v", err)
	}
	if leaked.Load() != 0 {
		t.Errorf("the other host received %d requests with a token", leaked.Load())
	}
}

// A 403 names the permissions the operation needs.
func TestForbiddenNamesPermissions(t *testing.T) {
	t.Parallel()
	srv, _ := newMock(t, mockapi.Options{})
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/api/v2/license/organization" {
			w.WriteHeader(http.StatusForbidden)
			_, _ = w.Write([]byte(`{"status":403,"code":"missing.permissions","message":"You are missing the following permission(s): authorization:grant:add"}`))
			return
		}
		srv.ServeHTTP(w, r)
	}))
	t.Cleanup(front.Close)
	c := newTestClient(t, testConfig(front.URL))
	_, err := c.PostLicenseOrganization(context.Background(), LicenseBatchAssignmentRequest{})
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Operation != "postLicenseOrganization" ||
		len(apiErr.RequiredPermissions) != 1 || apiErr.RequiredPermissions[0] != "authorization:grant:add" {
		t.Fatalf("got %#v", err)
	}
}

// Paging goes on while the answer does not say it is over: without pageCount and total, a
// page as long as the page size the answer reports is not the last; a server that silently
// caps the page size below the one asked for is walked to the end; a server refusing the page
// size is walked with its default.
func TestWalkLicenseUsers_PagingRules(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		rewrite   func(page map[string]any)
		maxSize   int
		wantPages int
	}{
		"no pageCount nor total": {
			rewrite:   func(p map[string]any) { delete(p, "pageCount"); delete(p, "total") },
			wantPages: 3, // 100, 100, 30: the short page ends it
		},
		"nothing but entities": {
			rewrite:   func(p map[string]any) { delete(p, "pageCount"); delete(p, "total"); delete(p, "pageSize") },
			wantPages: 3,
		},
		"largest page size 25 refused above": {
			maxSize:   25,
			rewrite:   func(map[string]any) {},
			wantPages: 1 + 10, // the refused first page, then 230 users by 25
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv, _ := newMock(t, mockapi.Options{Users: 230, MaxPageSize: tt.maxSize})
			var pages atomic.Int32
			front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Method != http.MethodGet || r.URL.Path != "/api/v2/license/users" {
					srv.ServeHTTP(w, r)
					return
				}
				pages.Add(1)
				rec := httptest.NewRecorder()
				srv.ServeHTTP(rec, r)
				if rec.Code != http.StatusOK {
					w.WriteHeader(rec.Code)
					_, _ = w.Write(rec.Body.Bytes())
					return
				}
				var page map[string]any
				_ = json.Unmarshal(rec.Body.Bytes(), &page)
				tt.rewrite(page)
				_ = json.NewEncoder(w).Encode(page)
			}))
			t.Cleanup(front.Close)
			c := newTestClient(t, testConfig(front.URL))
			users, err := c.ListLicenseUsers(context.Background())
			if err != nil || len(users) != 230 {
				t.Fatalf("got %d users, %v; want 230", len(users), err)
			}
			if int(pages.Load()) != tt.wantPages {
				t.Errorf("%d page requests, want %d", pages.Load(), tt.wantPages)
			}
		})
	}
}
