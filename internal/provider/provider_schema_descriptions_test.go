package provider

import (
	"context"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// Every schema the provider serves (provider, resources, data sources, list resources, resource
// identities) describes itself and each attribute in full sentences: a MarkdownDescription that
// starts with a capital letter and ends with a period. The docs are generated from these.
//
// Two kinds of description cannot be Markdown: the attributes of the timeouts block, written by
// terraform-plugin-framework-timeouts, and identity attributes, which the framework gives only a
// plain Description. They must still be full sentences.
func TestProviderSchemas_fullSentenceDescriptions(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	server := providerserver.NewProtocol6(newWithEnv("test", func(string) string { return "" })())()

	schemas, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	testDiagnosticsEmpty(t, schemas.Diagnostics)
	var problems []string
	check := func(where string, description string, kind tfprotov6.StringKind, markdown bool) {
		if p := sentenceProblem(description, kind, markdown); p != "" {
			problems = append(problems, where+": "+p)
		}
	}
	walkSchema("provider", schemas.Provider, check)
	counts := map[string]int{}
	for kind, byName := range map[string]map[string]*tfprotov6.Schema{
		"resource":      schemas.ResourceSchemas,
		"data source":   schemas.DataSourceSchemas,
		"list resource": schemas.ListResourceSchemas,
	} {
		for name, s := range byName {
			walkSchema(kind+" "+name, s, check)
			counts[kind]++
		}
	}

	identities, err := server.GetResourceIdentitySchemas(ctx, &tfprotov6.GetResourceIdentitySchemasRequest{})
	if err != nil {
		t.Fatal(err)
	}
	testDiagnosticsEmpty(t, identities.Diagnostics)
	for name, s := range identities.IdentitySchemas {
		counts["identity"]++
		for _, a := range s.IdentityAttributes {
			check("identity "+name+" attribute "+a.Name, a.Description, tfprotov6.StringKindPlain, false)
		}
	}

	// The walk must have seen everything the provider serves, or it proves nothing.
	want := map[string]int{"resource": 2, "data source": 6, "list resource": 1, "identity": 2}
	for kind, n := range want {
		if counts[kind] != n {
			t.Errorf("walked %d %s schemas, want %d", counts[kind], kind, n)
		}
	}
	for _, p := range problems {
		t.Error(p)
	}
}

// The check itself: what it accepts and refuses.
func TestSentenceProblem(t *testing.T) {
	t.Parallel()
	md, plain := tfprotov6.StringKindMarkdown, tfprotov6.StringKindPlain
	tests := []struct {
		description string
		kind        tfprotov6.StringKind
		markdown    bool
		ok          bool
	}{
		{"Ids of the licenses the user must hold.", md, true, true},
		{"Ids of the licenses.\n\nSee `purecloud_license_definitions`.", md, true, true},
		{"", md, true, false},
		{"ids of the licenses.", md, true, false},
		{"Ids of the licenses", md, true, false},
		{"`user_id` of the user.", md, true, false},
		{"Ids of the licenses.", plain, true, false},
		{"A plain sentence.", plain, false, true},
	}
	for _, tt := range tests {
		if got := sentenceProblem(tt.description, tt.kind, tt.markdown) == ""; got != tt.ok {
			t.Errorf("sentenceProblem(%q, markdown=%v) accepted = %v, want %v", tt.description, tt.markdown, got, tt.ok)
		}
	}
}

// walkSchema calls check for the schema's own description and for every attribute and nested
// block in it, at any depth.
func walkSchema(where string, s *tfprotov6.Schema, check func(where, description string, kind tfprotov6.StringKind, markdown bool)) {
	if s == nil || s.Block == nil {
		check(where, "", tfprotov6.StringKindPlain, true)
		return
	}
	check(where, s.Block.Description, s.Block.DescriptionKind, true)
	walkBlock(where, s.Block, true, check)
}

func walkBlock(where string, b *tfprotov6.SchemaBlock, markdown bool, check func(string, string, tfprotov6.StringKind, bool)) {
	for _, a := range b.Attributes {
		walkAttribute(where+" attribute "+a.Name, a, markdown, check)
	}
	for _, nb := range b.BlockTypes {
		// The timeouts block comes from terraform-plugin-framework-timeouts: plain descriptions,
		// and none on the block itself.
		inner := markdown && nb.TypeName != "timeouts"
		if inner {
			check(where+" block "+nb.TypeName, nb.Block.Description, nb.Block.DescriptionKind, true)
		}
		walkBlock(where+" block "+nb.TypeName, nb.Block, inner, check)
	}
}

func walkAttribute(where string, a *tfprotov6.SchemaAttribute, markdown bool, check func(string, string, tfprotov6.StringKind, bool)) {
	check(where, a.Description, a.DescriptionKind, markdown)
	if a.NestedType != nil {
		for _, nested := range a.NestedType.Attributes {
			walkAttribute(where+"."+nested.Name, nested, markdown, check)
		}
	}
}

// sentenceProblem says what is wrong with a description, or "" when it is a full sentence (a
// Markdown one when markdown is true).
func sentenceProblem(description string, kind tfprotov6.StringKind, markdown bool) string {
	d := strings.TrimSpace(description)
	first, _ := utf8.DecodeRuneInString(d)
	switch {
	case d == "":
		return "no description"
	case markdown && kind != tfprotov6.StringKindMarkdown:
		return "no MarkdownDescription (only a plain Description)"
	case !unicode.IsUpper(first):
		return "the description does not start with a capital letter: " + quoteShort(d)
	case !strings.HasSuffix(d, "."):
		return "the description does not end with a period: " + quoteShort(d)
	}
	return ""
}

func quoteShort(s string) string {
	if len(s) > 80 {
		s = s[:77] + "..."
	}
	return "\"" + s + "\""
}
