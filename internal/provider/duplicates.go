package provider

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
