//go:build tools

// Package tools pins the code generators this repository runs, in a module of
// their own so that their dependencies stay out of the provider's go.mod.
package tools

import (
	_ "github.com/hashicorp/terraform-plugin-docs/cmd/tfplugindocs"
)
