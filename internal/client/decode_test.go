package client

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestDecodeUserLicenseIDs(t *testing.T) {
	t.Parallel()
	accepted := map[string][]string{
		`["a","b"]`:                              {"a", "b"},
		`[{"id":"a","selfUri":"/x"},{"id":"b"}]`: {"a", "b"},
		`{"id":"u","licenses":["a"],"selfUri":"/api/v2/license/users/u"}`: {"a"},
		`{"id":"u","licenses":[{"id":"a","selfUri":"/x"}]}`:               {"a"},
		`{"licenses":["a"]}`:            {"a"},
		`{"licenses":[{"id":"a"},"b"]}`: {"a", "b"},
		`{"id":"U"}`:                    {},
		`{"id":"u","licenses":null}`:    {},
		`null`:                          {},
		`[]`:                            {},
		` ["x"] `:                       {"x"},
	}
	for in, want := range accepted {
		got, err := decodeUserLicenseIDs("u", json.RawMessage(in))
		if err != nil || got == nil || !equalStrings(got, want) {
			t.Errorf("%s: got %v, %v; want %v", in, got, err, want)
		}
	}
	rejected := []string{
		`"a"`, `5`, `true`, `[5]`, `[""]`, `[{"licenseId":"c"}]`, `[{"id":""}]`, `{}`,
		`{"licenses":"a"}`, `{"selfUri":"/x"}`, `{"id":"other","licenses":["a"]}`, `{"licenses":{"a":1}}`,
	}
	for _, in := range rejected {
		if got, err := decodeUserLicenseIDs("u", json.RawMessage(in)); err == nil {
			t.Errorf("%s: no error (got %v)", in, got)
		}
	}
}

// Every operation's decoder refuses an answer it does not recognise with a *DecodeError that
// names the operation and shows the start of the body, never an empty result.
func TestDecodersRefuseUnknownShapes(t *testing.T) {
	t.Parallel()
	type call func(c *Client) error
	userCall := func(c *Client) error { _, err := c.GetLicenseUser(context.Background(), "u1"); return err }
	usersCall := func(c *Client) error {
		_, err := c.postLicenseUsers(context.Background(), []string{"u1", "u2"})
		return err
	}
	pageCall := func(c *Client) error { _, err := c.GetLicenseUsersPage(context.Background(), 10, 1); return err }
	defsCall := func(c *Client) error { _, err := c.ListLicenseDefinitions(context.Background()); return err }
	defCall := func(c *Client) error { _, err := c.GetLicenseDefinition(context.Background(), "cloudCX1"); return err }
	inferCall := func(c *Client) error { _, err := c.InferLicenses(context.Background(), []string{"r"}); return err }
	orgCall := func(c *Client) error {
		_, err := c.PostLicenseOrganization(context.Background(), LicenseBatchAssignmentRequest{})
		return err
	}
	tests := []struct {
		name, op, body string
		call           call
	}{
		{"user empty body", "getLicenseUser", ``, userCall},
		{"user null", "getLicenseUser", `null`, userCall},
		{"user empty object", "getLicenseUser", `{}`, userCall},
		{"user other user", "getLicenseUser", `{"id":"u2","licenses":[]}`, userCall},
		{"user licenses not array", "getLicenseUser", `{"id":"u1","licenses":"cloudCX1"}`, userCall},
		{"user license without id", "getLicenseUser", `{"id":"u1","licenses":[{"description":"x"}]}`, userCall},
		{"user array", "getLicenseUser", `[{"id":"u1"}]`, userCall},
		{"users empty body", "postLicenseUsers", ``, usersCall},
		{"users array", "postLicenseUsers", `[{"id":"u1","licenses":[]}]`, usersCall},
		{"users listing", "postLicenseUsers", `{"entities":[{"id":"u1","licenses":["a"]}],"total":1}`, usersCall},
		{"users number value", "postLicenseUsers", `{"u1":5}`, usersCall},
		{"users value for another user", "postLicenseUsers", `{"u1":{"id":"u2","licenses":["a"]}}`, usersCall},
		{"page empty body", "getLicenseUsers", ``, pageCall},
		{"page without entities", "getLicenseUsers", `{"pageSize":10,"pageNumber":1,"total":3}`, pageCall},
		{"page entity without id", "getLicenseUsers", `{"entities":[{"licenses":["a"]}]}`, pageCall},
		{"page array", "getLicenseUsers", `[{"id":"u1"}]`, pageCall},
		{"definitions object", "getLicenseDefinitions", `{"entities":[{"id":"cloudCX1"}]}`, defsCall},
		{"definitions empty body", "getLicenseDefinitions", ``, defsCall},
		{"definitions without id", "getLicenseDefinitions", `[{"description":"x"}]`, defsCall},
		{"definition other id", "getLicenseDefinition", `{"id":"cloudCX2"}`, defCall},
		{"definition empty body", "getLicenseDefinition", ``, defCall},
		{"infer object", "postLicenseInfer", `{"licenses":["a"]}`, inferCall},
		{"infer empty body", "postLicenseInfer", ``, inferCall},
		{"statuses object", "postLicenseOrganization", `{"results":[]}`, orgCall},
		{"statuses null", "postLicenseOrganization", `null`, orgCall},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := newTestClient(t, bodyServerConfig(t, tt.body))
			err := tt.call(c)
			var decErr *DecodeError
			if !errors.As(err, &decErr) {
				t.Fatalf("want a *DecodeError, got %v", err)
			}
			if decErr.Operation != tt.op {
				t.Errorf("operation %q, want %q", decErr.Operation, tt.op)
			}
			msg := err.Error()
			if !strings.Contains(msg, tt.op) || !strings.Contains(msg, "unrecognised answer") {
				t.Errorf("error does not name the operation: %s", msg)
			}
			if snippet := tt.body[:min(len(tt.body), 15)]; !strings.Contains(msg, snippet) {
				t.Errorf("error does not show the body %q: %s", snippet, msg)
			}
		})
	}
}

// The documented and accepted shapes decode to what they say.
func TestDecodersAcceptDocumentedShapes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	c := newTestClient(t, bodyServerConfig(t, `{"id":"u1","selfUri":"/x"}`))
	user, err := c.GetLicenseUser(ctx, "u1")
	if err != nil || user.Licenses == nil || len(user.Licenses) != 0 {
		t.Errorf("user without licenses key: %+v, %v", user, err)
	}

	c = newTestClient(t, bodyServerConfig(t, ``))
	statuses, err := c.PostLicenseOrganization(ctx, LicenseBatchAssignmentRequest{})
	if err != nil || statuses == nil || len(statuses) != 0 {
		t.Errorf("empty write answer: %v, %v; want no statuses and no error", statuses, err)
	}

	c = newTestClient(t, bodyServerConfig(t, `{"U1":{"id":"U1","licenses":[{"id":"b"},{"id":"a"}]},"u2":[]}`))
	users, err := c.postLicenseUsers(ctx, []string{"u1", "u2"})
	if err != nil || !equalStrings(users["u1"], []string{"b", "a"}) || users["u2"] == nil {
		t.Errorf("postLicenseUsers: %v, %v", users, err)
	}
}

// bodyServerConfig is a client configuration for a server that answers every API request with
// 200 and body (a token request gets a token).
func bodyServerConfig(t *testing.T, body string) Config {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/oauth/token" {
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"access_token":"test-token-0123456789","token_type":"bearer","expires_in":3600}`))
			return
		}
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	cfg := testConfig(srv.URL)
	cfg.MaxRetries = -1
	return cfg
}
