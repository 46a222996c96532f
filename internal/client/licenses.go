package client

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
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
	var out LicenseDefinition
	if err := c.do(ctx, http.MethodGet, pathDefinitions+"/"+url.PathEscape(licenseID), nil, nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// ListLicenseDefinitions returns every license definition of the organization
// (getLicenseDefinitions). Permissions may be absent from the list.
func (c *Client) ListLicenseDefinitions(ctx context.Context) ([]LicenseDefinition, error) {
	var out []LicenseDefinition
	if err := c.do(ctx, http.MethodGet, pathDefinitions, nil, nil, &out); err != nil {
		return nil, err
	}
	if out == nil {
		out = []LicenseDefinition{}
	}
	return out, nil
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
// user gives an error matching ErrNotFound.
func (c *Client) GetLicenseUser(ctx context.Context, userID string) (*LicenseUser, error) {
	if userID == "" {
		return nil, fmt.Errorf("user id is empty")
	}
	var out LicenseUser
	if err := c.do(ctx, http.MethodGet, pathUsers+"/"+url.PathEscape(userID), nil, nil, &out); err != nil {
		return nil, err
	}
	if out.Licenses == nil {
		out.Licenses = []LicenseDefinition{}
	}
	return &out, nil
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
	var out UserLicensesEntityListing
	if err := c.do(ctx, http.MethodGet, pathUsers, q, nil, &out); err != nil {
		return nil, err
	}
	if out.Entities == nil {
		out.Entities = []UserLicenses{}
	}
	return &out, nil
}

// ListLicenseUsers walks every page of getLicenseUsers (ListLicenseUsersPageSize per page)
// and returns all users. Pages are read one after the other; a user moving between pages
// during the walk may be missed or seen twice (duplicates are dropped).
func (c *Client) ListLicenseUsers(ctx context.Context) ([]UserLicenses, error) {
	all := []UserLicenses{}
	seen := map[string]bool{}
	for page := 1; page <= maxPages; page++ {
		p, err := c.GetLicenseUsersPage(ctx, ListLicenseUsersPageSize, page)
		if err != nil {
			return nil, err
		}
		for _, u := range p.Entities {
			if !seen[u.ID] {
				seen[u.ID] = true
				all = append(all, u)
			}
		}
		last := len(p.Entities) == 0
		if p.PageCount > 0 {
			last = last || page >= p.PageCount
		} else {
			last = last || len(p.Entities) < ListLicenseUsersPageSize
		}
		if last {
			return all, nil
		}
	}
	return nil, fmt.Errorf("GET %s: more than %d pages", pathUsers, maxPages)
}

// GetLicenseUsersByID returns the license ids of the given users (postLicenseUsers), sending
// at most MaxBatchUsers ids per request. Users the server does not answer for are absent from
// the map.
func (c *Client) GetLicenseUsersByID(ctx context.Context, userIDs []string) (map[string][]string, error) {
	out := map[string][]string{}
	ids := make([]string, 0, len(userIDs))
	seen := map[string]bool{}
	for _, id := range userIDs {
		if id != "" && !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	for start := 0; start < len(ids); start += c.cfg.MaxBatchUsers {
		chunk := ids[start:min(start+c.cfg.MaxBatchUsers, len(ids))]
		var raw map[string]json.RawMessage
		if err := c.do(ctx, http.MethodPost, pathUsers, nil, chunk, &raw); err != nil {
			return nil, err
		}
		for user, v := range raw {
			lic, err := decodeUserLicenseIDs(v)
			if err != nil {
				return nil, fmt.Errorf("POST %s: decoding the licenses of user %s: %w", pathUsers, user, err)
			}
			out[user] = lic
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
	if out == nil {
		out = []string{}
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
// is false, not errors.
func (c *Client) PostLicenseOrganization(ctx context.Context, req LicenseBatchAssignmentRequest) ([]LicenseUpdateStatus, error) {
	var out []LicenseUpdateStatus
	if err := c.do(ctx, http.MethodPost, pathOrganization, nil, req, &out); err != nil {
		return nil, err
	}
	if out == nil {
		out = []LicenseUpdateStatus{}
	}
	return out, nil
}
