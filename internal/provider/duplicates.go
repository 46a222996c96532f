package provider

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
)

// Two instances of one resource type that manage the same user (or, for
// purecloud_license_assignment, the same license) undo each other's changes. Terraform does not
// show a provider the other resources of a configuration, but every instance of one provider
// configuration is planned through the same providerData, so the plans of one run can be
// compared as they arrive. The framework does not tell a resource its address either: the
// diagnostic lands on the instance planned second, and describes the first by its settings.

// planClaim is what one instance planned for a key (a user id or a license id).
type planClaim struct {
	token string
	// ids are the license ids (or user ids) the instance manages, sorted.
	ids []string
	// takesAll is exclusive (or authoritative): the instance removes whatever it does not list.
	takesAll bool
}

// claim records c for key and returns the claim of another instance planned earlier for the
// same key in this run, if any.
func (d *providerData) claim(key string, c planClaim) (planClaim, bool) {
	d.claimsMu.Lock()
	defer d.claimsMu.Unlock()
	if d.claims == nil {
		d.claims = map[string]planClaim{}
	}
	if other, ok := d.claims[key]; ok && other.token != c.token {
		return other, true
	}
	d.claims[key] = c
	return planClaim{}, false
}

// addDuplicateDiagnostic reports that key is planned by two instances: an error when they
// cannot both hold (one takes everything, or both manage some of the same ids), a warning when
// they manage different ids and neither removes what it does not list.
func addDuplicateDiagnostic(diags *diag.Diagnostics, n viewNames, key string, mine, other planClaim) {
	detail := fmt.Sprintf("%s %s is the %s of more than one %s of this provider configuration. The other one "+
		"has %s = [%s] and %s = %t; this one has %s = [%s] and %s = %t.", n.keyNoun, key, n.keyAttr, n.resource,
		n.membersAttr, listIDs(other.ids), n.takesAll, other.takesAll,
		n.membersAttr, listIDs(mine.ids), n.takesAll, mine.takesAll)
	shared := intersection(mine.ids, other.ids)
	switch {
	case mine.takesAll || other.takesAll:
		diags.AddAttributeError(path.Root(n.keyAttr), "Conflicting "+n.resource,
			detail+fmt.Sprintf(" With %s = true one of them removes what the other assigns, at every apply. %s",
				n.takesAll, n.fix))
	case len(shared) > 0:
		diags.AddAttributeError(path.Root(n.keyAttr), "Conflicting "+n.resource,
			detail+fmt.Sprintf(" Both manage %s, so destroying either, or removing them from its %s, removes "+
				"them although the other still lists them. %s", listIDs(shared), n.membersAttr, n.fix))
	default:
		diags.AddAttributeWarning(path.Root(n.keyAttr), "Duplicate "+n.resource,
			detail+" They manage different ids, which works, but the split is easy to break: "+
				"a later change that lists an id in both, or sets "+n.takesAll+", makes them undo each other. "+n.fix)
	}
}
