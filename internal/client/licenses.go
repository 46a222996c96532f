package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// ListLicenseUsersPageSize is the page size ListLicenseUsers asks for.
const ListLicenseUsersPageSize = 100

// maxPages stops a paging walk against a server whose page counts never end.
const maxPages = 100000

const (
	pathDefinitions  = "/api/v2/license/definitions"
	pathToggles      = "/api/v2/license/toggles"
	pathUsers        = "/api/v2/license/users"
	pathInfer        = "/api/v2/license/infer"
	pathInferPerms   = "/api/v2/license/infer/permissions"
	pathOrganization = "/api/v2/license/organization"
)

// GetLicenseDefinition returns one license definition (getLicenseDefinition), with its
// permissions. An unknown id gives an error matching ErrNotFound.
func (c *Client) GetLicenseDefinition(ctx context.Context, licenseID string) (*LicenseDefinition, error) {
	if licenseID == "" {
		return nil, fmt.Errorf("license id is empty")
	}
	out := &definitionAnswer{licenseID: licenseID}
	if err := c.do(ctx, http.MethodGet, pathDefinitions+"/"+url.PathEscape(licenseID), nil, nil, out); err != nil {
		return nil, err
	}
	return &out.def, nil
}

// ListLicenseDefinitions returns every license definition of the organization
// (getLicenseDefinitions). Permissions may be absent from the list.
func (c *Client) ListLicenseDefinitions(ctx context.Context) ([]LicenseDefinition, error) {
	out := &definitionsAnswer{}
	if err := c.do(ctx, http.MethodGet, pathDefinitions, nil, nil, out); err != nil {
		return nil, err
	}
	return out.defs, nil
}

// GetLicenseToggle reads a license feature toggle (getLicenseToggle).
//
// Deprecated: the API deprecated toggles; the answer is always enabled.
func (c *Client) GetLicenseToggle(ctx context.Context, featureName string) (*LicenseOrgToggle, error) {
	if featureName == "" {
		return nil, fmt.Errorf("feature name is empty")
	}
	var out LicenseOrgToggle
	if err := c.do(ctx, http.MethodGet, pathToggles+"/"+url.PathEscape(featureName), nil, nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// PostLicenseToggle switches a license feature toggle (postLicenseToggle).
//
// Deprecated: the API deprecated toggles; the call has no effect.
func (c *Client) PostLicenseToggle(ctx context.Context, featureName string) (*LicenseOrgToggle, error) {
	if featureName == "" {
		return nil, fmt.Errorf("feature name is empty")
	}
	var out LicenseOrgToggle
	if err := c.do(ctx, http.MethodPost, pathToggles+"/"+url.PathEscape(featureName), nil, nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// GetLicenseUser returns a user's licenses as full definitions (getLicenseUser). An unknown
// user gives an error matching ErrNotFound; an answer about another user is a *DecodeError.
func (c *Client) GetLicenseUser(ctx context.Context, userID string) (*LicenseUser, error) {
	if userID == "" {
		return nil, fmt.Errorf("user id is empty")
	}
	out := &licenseUserAnswer{userID: userID}
	if err := c.do(ctx, http.MethodGet, pathUsers+"/"+url.PathEscape(userID), nil, nil, out); err != nil {
		return nil, err
	}
	return &out.user, nil
}

// GetLicenseUsersPage returns one page of users with their license ids (getLicenseUsers).
// pageSize and pageNumber 0 leave the server's defaults (25 and 1).
func (c *Client) GetLicenseUsersPage(ctx context.Context, pageSize, pageNumber int) (*UserLicensesEntityListing, error) {
	q := url.Values{}
	if pageSize > 0 {
		q.Set("pageSize", strconv.Itoa(pageSize))
	}
	if pageNumber > 0 {
		q.Set("pageNumber", strconv.Itoa(pageNumber))
	}
	out := &usersPageAnswer{}
	if err := c.do(ctx, http.MethodGet, pathUsers, q, nil, out); err != nil {
		return nil, err
	}
	return &out.page, nil
}

// WalkLicenseUsers pages through getLicenseUsers (ListLicenseUsersPageSize per page) and calls
// fn with each page's users, in order, until fn returns false or the pages end. A page is the
// last when the answer says so (pageCount, or total), when it is shorter than the page size the
// answer reports, or when it is empty; an answer that reports neither is followed until an
// empty page. If the first page is refused with 400 (a smaller largest page size than the
// provider's), the walk starts again with the server's default page size.
func (c *Client) WalkLicenseUsers(ctx context.Context, fn func([]UserLicenses) bool) error {
	first, size, err := c.firstLicenseUsersPage(ctx)
	if err != nil {
		return err
	}
	return c.walkLicenseUsersFrom(ctx, first, size, fn)
}

// firstLicenseUsersPage reads page 1 of getLicenseUsers and returns it with the page size the
// walk goes on with: ListLicenseUsersPageSize, or 0 (the server's default) when the server
// refuses that size with 400.
func (c *Client) firstLicenseUsersPage(ctx context.Context) (*UserLicensesEntityListing, int, error) {
	size := ListLicenseUsersPageSize
	p, err := c.GetLicenseUsersPage(ctx, size, 1)
	var apiErr *APIError
	if errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusBadRequest {
		tflog.SubsystemWarn(c.logCtx(ctx), logSubsystem, "getLicenseUsers refused the page size; paging with the server's default",
			map[string]any{"page_size": size, "error": err.Error()})
		size = 0
		p, err = c.GetLicenseUsersPage(ctx, size, 1)
	}
	return p, size, err
}

// walkLicenseUsersFrom is WalkLicenseUsers from a page 1 already read with the given size.
func (c *Client) walkLicenseUsersFrom(ctx context.Context, p *UserLicensesEntityListing, size int, fn func([]UserLicenses) bool) error {
	seen := 0
	for page := 1; ; page++ {
		if len(p.Entities) == 0 || !fn(p.Entities) {
			return nil
		}
		seen += len(p.Entities)
		if lastLicenseUsersPage(p, page, seen, size) {
			return nil
		}
		if page >= maxPages {
			return fmt.Errorf("GET %s: more than %d pages", pathUsers, maxPages)
		}
		var err error
		if p, err = c.GetLicenseUsersPage(ctx, size, page+1); err != nil {
			return err
		}
	}
}

// lastLicenseUsersPage reports whether page (holding p, seen users so far, asked with size)
// ends the listing: see WalkLicenseUsers.
func lastLicenseUsersPage(p *UserLicensesEntityListing, page, seen, size int) bool {
	switch {
	case p.PageCount > 0:
		return page >= p.PageCount
	case p.Total > 0:
		return seen >= p.Total
	default:
		reported := p.PageSize
		if reported == 0 {
			reported = size
		}
		return reported > 0 && len(p.Entities) < reported
	}
}

// licenseUsersPages estimates how many pages the listing has from its first page (asked with
// size), or 0 when the answer says neither pageCount nor total.
func licenseUsersPages(p *UserLicensesEntityListing, size int) int {
	reported := p.PageSize
	if reported <= 0 {
		reported = size
	}
	switch {
	case p.PageCount > 0:
		return p.PageCount
	case p.Total > 0 && reported > 0:
		return (p.Total + reported - 1) / reported
	}
	return 0
}

// ListLicenseUsers returns every user of getLicenseUsers (see WalkLicenseUsers). Pages are read
// one after the other; a user moving between pages during the walk may be missed or seen twice
// (duplicates are dropped).
func (c *Client) ListLicenseUsers(ctx context.Context) ([]UserLicenses, error) {
	all := []UserLicenses{}
	seen := map[string]bool{}
	err := c.WalkLicenseUsers(ctx, func(users []UserLicenses) bool {
		for _, u := range users {
			if !seen[u.ID] {
				seen[u.ID] = true
				all = append(all, u)
			}
		}
		return true
	})
	if err != nil {
		return nil, err
	}
	return all, nil
}

// GetLicenseUsersByID returns the license ids of the given users, fresh (see ReadLicenses): batched
// postLicenseUsers requests, with getLicenseUser for users an answer leaves out. Users that do
// not exist are absent from the map; any other failure is an error.
func (c *Client) GetLicenseUsersByID(ctx context.Context, userIDs []string) (map[string][]string, error) {
	out := map[string][]string{}
	for id, r := range c.ReadLicenses(ctx, userIDs, Fresh) {
		switch {
		case r.Err == nil:
			out[id] = r.LicenseIDs
		case errors.Is(r.Err, ErrNotFound):
		default:
			return nil, r.Err
		}
	}
	return out, nil
}

// InferLicenses returns the license ids that a set of roles implies (postLicenseInfer).
func (c *Client) InferLicenses(ctx context.Context, roleIDs []string) ([]string, error) {
	return c.postStrings(ctx, pathInfer, roleIDs)
}

// InferLicensesFromPermissions returns the license ids that a set of permissions implies
// (postLicenseInferPermissions, a preview API).
func (c *Client) InferLicensesFromPermissions(ctx context.Context, permissions []string) ([]string, error) {
	return c.postStrings(ctx, pathInferPerms, permissions)
}

func (c *Client) postStrings(ctx context.Context, path string, in []string) ([]string, error) {
	if in == nil {
		in = []string{}
	}
	var out []string
	if err := c.do(ctx, http.MethodPost, path, nil, in, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// GetLicenseOrganization returns license id → users (getLicenseOrganization).
//
// Deprecated: legacy operation, removed from the live API in 2019 (expect a 404 there); only
// the mock and old SDK seeds still serve it.
func (c *Client) GetLicenseOrganization(ctx context.Context) (*LicenseOrganization, error) {
	var out LicenseOrganization
	if err := c.do(ctx, http.MethodGet, pathOrganization, nil, nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// PostLicenseOrganization sends one postLicenseOrganization request as given (no batching, no
// splitting) and returns the server's statuses. Per-item failures are statuses whose Succeeded
// is false, not errors. An answer with no body gives no statuses; the caller must then find out
// what was applied by reading the users.
func (c *Client) PostLicenseOrganization(ctx context.Context, req LicenseBatchAssignmentRequest) ([]LicenseUpdateStatus, error) {
	out := &statusesAnswer{}
	if err := c.do(ctx, http.MethodPost, pathOrganization, nil, req, out); err != nil {
		return nil, err
	}
	return out.statuses, nil
}
