// Package provider implements the purecloud Terraform provider on terraform-plugin-framework.
package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
)

var _ provider.Provider = (*purecloudProvider)(nil)

type purecloudProvider struct {
	version string
}

// New returns a constructor for the provider, as providerserver.Serve expects.
func New(version string) func() provider.Provider {
	return func() provider.Provider {
		return &purecloudProvider{version: version}
	}
}

func (p *purecloudProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "purecloud"
	resp.Version = p.version
}

func (p *purecloudProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manages Genesys Cloud (formerly PureCloud) license assignments through the License API.",
	}
}

func (p *purecloudProvider) Configure(context.Context, provider.ConfigureRequest, *provider.ConfigureResponse) {
}

func (p *purecloudProvider) Resources(context.Context) []func() resource.Resource {
	return nil
}

func (p *purecloudProvider) DataSources(context.Context) []func() datasource.DataSource {
	return nil
}
