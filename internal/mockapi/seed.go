package mockapi

import (
	"fmt"
	"sort"
)

// Seeded license definition ids.
const (
	LicenseCommunicate   = "communicate"
	LicenseCollaborate   = "collaborate"
	LicenseCloudCX1      = "cloudCX1"
	LicenseCloudCX2      = "cloudCX2"
	LicenseCloudCX3      = "cloudCX3"
	LicenseWallboardUser = "wallboardUser"
	LicenseGC1WEMUpgrade = "gc1WEMupgrade" // prerequisite: cloudCX1
	LicenseGC2WEMUpgrade = "gc2WEMupgrade" // prerequisite: cloudCX2
)

// Seeded role ids and the licenses postLicenseInfer infers from them.
const (
	RoleEmployee     = "5b3c1e0a-7d4f-4f6e-9a51-2c8d0b7e4a01" // communicate
	RoleAgent        = "8e2f4a6b-1c3d-4e5f-8a7b-9c0d1e2f3a02" // cloudCX1
	RoleDigitalAgent = "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c03" // cloudCX2
	RoleSupervisor   = "c4d5e6f7-a8b9-4c0d-9e1f-2a3b4c5d6e04" // cloudCX3, wallboardUser
	RoleCollaborator = "d7e8f9a0-b1c2-4d3e-8f4a-5b6c7d8e9f05" // collaborate
	RoleMasterAdmin  = "f0e1d2c3-b4a5-4968-8776-655443322106" // no licenses
)

// OrganizationID is the id of the mock organization (legacy getLicenseOrganization).
const OrganizationID = "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d"

// OrganizationName is the name of the mock organization.
const OrganizationName = "Mock Organization"

// UserID returns the deterministic id of seeded user i (1-based).
func UserID(i int) string {
	return fmt.Sprintf("00000000-0000-4000-8000-%012d", i)
}

// definition is the mock's internal form of a license definition.
type definition struct {
	id            string
	description   string
	permissions   []string // effective set (own + comprised), sorted
	prerequisites []string
	comprises     []string
}

type seedDefinition struct {
	id, description string
	own             []string
	prerequisites   []string
	comprises       []string
}

var seedDefinitions = []seedDefinition{
	{
		id:          LicenseCommunicate,
		description: "Genesys Cloud Communicate: unified communications for every employee (calling, voicemail, directory).",
		own: []string{
			"directory:user:view", "directory:group:view", "telephony:phone:assign",
			"voicemail:voicemail:view", "conversation:call:add",
		},
	},
	{
		id:          LicenseCollaborate,
		description: "Genesys Cloud Collaborate: chat, video and document collaboration for employees.",
		own: []string{
			"directory:user:view", "directory:group:view", "chat:chat:access",
			"groups:team:view", "content-management:document:view",
		},
	},
	{
		id:          LicenseCloudCX1,
		description: "Genesys Cloud CX 1: inbound and outbound voice contact center, includes Communicate.",
		own: []string{
			"routing:queue:view", "routing:agent:onQueue", "conversation:call:accept",
			"outbound:campaign:view", "analytics:conversationDetail:view",
		},
		comprises: []string{LicenseCommunicate},
	},
	{
		id:          LicenseCloudCX2,
		description: "Genesys Cloud CX 2: omnichannel contact center (voice, email, chat, messaging), includes CX 1.",
		own: []string{
			"conversation:email:accept", "conversation:webchat:accept", "conversation:message:accept",
			"scripter:script:view",
		},
		comprises: []string{LicenseCloudCX1},
	},
	{
		id:          LicenseCloudCX3,
		description: "Genesys Cloud CX 3: omnichannel contact center with workforce engagement management, includes CX 2.",
		own: []string{
			"wfm:agentSchedule:view", "wfm:schedule:view", "quality:evaluation:view",
			"speechAndTextAnalytics:program:view",
		},
		comprises: []string{LicenseCloudCX2},
	},
	{
		id:          LicenseWallboardUser,
		description: "Wallboard user: read-only display of real-time queue and agent statistics.",
		own:         []string{"analytics:queueObservation:view", "analytics:userObservation:view"},
	},
	{
		id:            LicenseGC1WEMUpgrade,
		description:   "Genesys Cloud CX 1 WEM Add-on: workforce engagement management for CX 1 users.",
		own:           []string{"wfm:agentSchedule:view", "wfm:schedule:view", "quality:evaluation:view"},
		prerequisites: []string{LicenseCloudCX1},
	},
	{
		id:            LicenseGC2WEMUpgrade,
		description:   "Genesys Cloud CX 2 WEM Add-on: workforce engagement management for CX 2 users.",
		own:           []string{"wfm:agentSchedule:view", "wfm:schedule:view", "quality:evaluation:view", "quality:calibration:view"},
		prerequisites: []string{LicenseCloudCX2},
	},
}

var seedRoles = map[string][]string{
	RoleEmployee:     {LicenseCommunicate},
	RoleAgent:        {LicenseCloudCX1},
	RoleDigitalAgent: {LicenseCloudCX2},
	RoleSupervisor:   {LicenseCloudCX3, LicenseWallboardUser},
	RoleCollaborator: {LicenseCollaborate},
	RoleMasterAdmin:  {},
}

// buildDefinitions turns the seed into definitions with effective permissions.
func buildDefinitions() map[string]*definition {
	byID := make(map[string]seedDefinition, len(seedDefinitions))
	for _, d := range seedDefinitions {
		byID[d.id] = d
	}
	var effective func(id string) map[string]bool
	effective = func(id string) map[string]bool {
		d := byID[id]
		set := make(map[string]bool)
		for _, p := range d.own {
			set[p] = true
		}
		for _, c := range d.comprises {
			for p := range effective(c) {
				set[p] = true
			}
		}
		return set
	}
	defs := make(map[string]*definition, len(seedDefinitions))
	for _, d := range seedDefinitions {
		defs[d.id] = &definition{
			id:            d.id,
			description:   d.description,
			permissions:   sortedKeys(effective(d.id)),
			prerequisites: append([]string(nil), d.prerequisites...),
			comprises:     append([]string(nil), d.comprises...),
		}
	}
	return defs
}

func sortedKeys(set map[string]bool) []string {
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// uniqueSorted returns the distinct values of ids, sorted; never nil.
func uniqueSorted(ids []string) []string {
	set := make(map[string]bool, len(ids))
	for _, id := range ids {
		set[id] = true
	}
	return sortedKeys(set)
}
