package client

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-log/tflog"
	"github.com/hashicorp/terraform-plugin-log/tflogtest"
	"golang.org/x/oauth2"
)

func TestLogCtxMasksSecrets(t *testing.T) {
	t.Parallel()
	const secret, static = "the-client-secret", "the-static-token"
	c := &Client{cfg: Config{ClientSecret: secret, AccessToken: static}}
	slot := newTokenSlot(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "issued-token-123"}), false, nil)
	slot.cur = &oauth2.Token{AccessToken: "issued-token-123"}
	c.slots = []*tokenSlot{slot}

	var buf bytes.Buffer
	ctx := c.logCtx(tflogtest.RootLogger(context.Background(), &buf))
	tflog.SubsystemDebug(ctx, logSubsystem, "message with the-client-secret and Bearer abc.def-ghi", map[string]any{
		"Authorization": "Bearer xyz",
		"header":        "bearer qwerty",
		"note":          "token issued-token-123 and the-static-token",
		"client_secret": "whatever",
		"status":        200,
	})
	out := buf.String()
	for _, leaked := range []string{secret, static, "issued-token-123", "abc.def-ghi", "xyz", "qwerty", "whatever"} {
		if strings.Contains(out, leaked) {
			t.Errorf("log contains %q: %s", leaked, out)
		}
	}
	if !strings.Contains(out, `"status":200`) || !strings.Contains(out, "purecloud_http") {
		t.Errorf("log lost its fields: %s", out)
	}

	// Without a Terraform logger, logging is a no-op rather than a failure.
	tflog.SubsystemDebug(c.logCtx(context.Background()), logSubsystem, "nobody listens")
}

func TestScrub(t *testing.T) {
	t.Parallel()
	c := &Client{cfg: Config{ClientSecret: "sec"}}
	if got := c.scrub("a sec b Bearer tok.en c"); got != "a *** b Bearer *** c" {
		t.Errorf("got %q", got)
	}
}
