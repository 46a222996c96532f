package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// Looking users up by email.
//
// The Users API offers two ways to turn many emails into user ids:
//
//   - GET /api/v2/users (getUsers) pages through every user of the organization (the official
//     Genesys provider reads it 100 users a page) and needs no permission. Its cost depends on
//     the organization, not on the emails asked: ceil(users / 100) requests, 100 for an
//     organization of 10,000 users whether 10 or 2,000 emails are asked.
//   - POST /api/v2/users/search (postUsersSearch) with one EXACT criterion on the field "email"
//     and a list of values finds the users of many emails in one request. Its cost depends on the
//     emails asked only: ceil(emails / UsersSearchBatch) requests, 1 for 10 emails and 20 for
//     2,000, whatever the size of the organization. It needs directory:user:view.
//
// The client uses the search: for 2,000 emails in an organization of 10,000 users it sends 20
// requests instead of 100, and for 10 emails 1 instead of 100; listing would only win for an
// organization smaller than the list of emails. Measured figures are in BENCHMARKS.md.
//
// Emails compare case-insensitively (Genesys Cloud treats addresses that differ only in case
// as the same address): the values are sent as given, and a result matches every asked email
// equal to its email under Unicode case folding.

// UsersSearchBatch is the number of emails per postUsersSearch request, and UsersSearchPageSize
// the page size asked for (the search API documents 100 as its largest page). A batch of
// distinct emails matches at most as many users as it has emails, so one page answers it.
const (
	UsersSearchBatch    = 100
	UsersSearchPageSize = 100
)

const pathUsersSearch = "/api/v2/users/search"

// User is the part of a Genesys Cloud user (the User model of the Users API) the provider uses.
type User struct {
	ID       string `json:"id"`
	Name     string `json:"name,omitempty"`
	Email    string `json:"email,omitempty"`
	Username string `json:"username,omitempty"`
	// State is "active", "inactive" or "deleted".
	State   string `json:"state,omitempty"`
	SelfURI string `json:"selfUri,omitempty"`
}

// UserSearchCriteria is one criterion of a UserSearchRequest.
type UserSearchCriteria struct {
	Type   string   `json:"type"`
	Fields []string `json:"fields,omitempty"`
	Value  string   `json:"value,omitempty"`
	Values []string `json:"values,omitempty"`
}

// UserSearchRequest is the body of postUsersSearch.
type UserSearchRequest struct {
	PageSize   int                  `json:"pageSize,omitempty"`
	PageNumber int                  `json:"pageNumber,omitempty"`
	Query      []UserSearchCriteria `json:"query"`
}

// UsersSearchResponse is one page of postUsersSearch.
type UsersSearchResponse struct {
	Total      int    `json:"total"`
	PageCount  int    `json:"pageCount"`
	PageSize   int    `json:"pageSize"`
	PageNumber int    `json:"pageNumber"`
	Results    []User `json:"results"`
}

// UsersByEmail returns the users whose email is one of emails: asked email (as given) → the
// users with that email, usually one. Emails no user has are absent from the map. Emails are
// compared case-insensitively and trimmed of surrounding white space; empty ones are ignored.
// The lookup costs ceil(distinct emails / UsersSearchBatch) postUsersSearch requests (more only
// if a batch's answer runs over one page), sent concurrently up to the size of the token pool.
func (c *Client) UsersByEmail(ctx context.Context, emails []string) (map[string][]User, error) {
	asked := map[string][]string{} // folded email → emails as given
	var distinct []string          // trimmed emails, one per folded value, in order
	for _, e := range emails {
		t := strings.TrimSpace(e)
		if t == "" {
			continue
		}
		k := foldEmail(t)
		if _, ok := asked[k]; !ok {
			distinct = append(distinct, t)
		}
		asked[k] = append(asked[k], e)
	}

	var (
		mu       sync.Mutex
		byFolded = map[string][]User{}
		firstErr error
		wg       sync.WaitGroup
		sem      = make(chan struct{}, len(c.slots))
	)
	for batch := range slices.Chunk(distinct, UsersSearchBatch) {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			users, err := c.searchEmailsSplitting(ctx, batch)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				if firstErr == nil {
					firstErr = err
				}
				return
			}
			for _, u := range users {
				k := foldEmail(u.Email)
				if !slices.ContainsFunc(byFolded[k], func(o User) bool { return o.ID == u.ID }) {
					byFolded[k] = append(byFolded[k], u)
				}
			}
		}()
	}
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	out := map[string][]User{}
	for k, users := range byFolded {
		slices.SortFunc(users, func(a, b User) int { return strings.Compare(a.ID, b.ID) })
		for _, e := range asked[k] {
			out[e] = users
		}
	}
	return out, nil
}

// searchEmailsSplitting is searchEmails, but a batch refused with 400 or 413 (a smaller limit on
// values per criterion than UsersSearchBatch, which the API does not document) is split in two
// and each half sent again, down to single emails, so a lower limit costs requests, never the
// lookup.
func (c *Client) searchEmailsSplitting(ctx context.Context, emails []string) ([]User, error) {
	users, err := c.searchEmails(ctx, emails)
	var apiErr *APIError
	if err == nil || len(emails) < 2 || !errors.As(err, &apiErr) ||
		(apiErr.StatusCode != http.StatusBadRequest && apiErr.StatusCode != http.StatusRequestEntityTooLarge) {
		return users, err
	}
	tflog.SubsystemWarn(c.logCtx(ctx), logSubsystem, "postUsersSearch refused a batch of emails; sending it in halves",
		map[string]any{"emails": len(emails), "error": err.Error()})
	half := len(emails) / 2
	first, err := c.searchEmailsSplitting(ctx, emails[:half])
	if err != nil {
		return nil, err
	}
	second, err := c.searchEmailsSplitting(ctx, emails[half:])
	if err != nil {
		return nil, err
	}
	return append(first, second...), nil
}

// searchEmails finds the users of one batch of emails, following the pages of the answer.
// Every result must carry an id and one of the emails asked.
func (c *Client) searchEmails(ctx context.Context, emails []string) ([]User, error) {
	want := make(map[string]bool, len(emails))
	for _, e := range emails {
		want[foldEmail(e)] = true
	}
	req := UserSearchRequest{
		PageSize: UsersSearchPageSize,
		Query:    []UserSearchCriteria{{Type: "EXACT", Fields: []string{"email"}, Values: emails}},
	}
	var users []User
	for page := 1; ; page++ {
		req.PageNumber = page
		out := &usersSearchAnswer{asked: want}
		if err := c.do(ctx, http.MethodPost, pathUsersSearch, nil, req, out); err != nil {
			return nil, err
		}
		p := out.page
		users = append(users, p.Results...)
		switch {
		case len(p.Results) == 0, p.PageCount > 0 && page >= p.PageCount, p.PageCount == 0 && len(users) >= p.Total:
			return users, nil
		case page >= maxPages:
			return nil, fmt.Errorf("POST %s: more than %d pages", pathUsersSearch, maxPages)
		}
	}
}

// foldEmail is the form under which emails compare.
func foldEmail(email string) string {
	return strings.ToLower(strings.TrimSpace(email))
}
