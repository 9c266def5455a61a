package rule

import (
	"slices"
	"time"

	"caseload/ent/schema/access"
	"caseload/ent/schema/pulid"
)

// ShareFact is a share on a client, as the level rules need it.
type ShareFact struct {
	Member    pulid.ID
	Level     access.Level
	ExpiresAt *time.Time
	Revoked   bool
}

// EmergencyFact is a break-glass grant on a client.
type EmergencyFact struct {
	Member    pulid.ID
	ExpiresAt time.Time
}

// ClientFacts are what the rules of policy §3 consult about one client.
type ClientFacts struct {
	ID          pulid.ID
	PracticeID  pulid.ID
	Responsible *pulid.ID
	// CareTeam holds the practitioners with an active assignment.
	CareTeam   []pulid.ID
	Tags       []pulid.ID
	Visibility access.ClientVisibility
	Restricted bool
	Shares     []ShareFact
	Emergency  []EmergencyFact
}

// isResponsible reports whether m is the client's responsible practitioner.
func (f *ClientFacts) isResponsible(m pulid.ID) bool {
	return f.Responsible != nil && *f.Responsible == m
}

// onCareTeam reports whether m is responsible for or assigned to the client.
func (f *ClientFacts) onCareTeam(m pulid.ID) bool {
	return f.isResponsible(m) || slices.Contains(f.CareTeam, m)
}

// hasCareTeam reports whether anyone is responsible for or assigned to the client.
func (f *ClientFacts) hasCareTeam() bool {
	return f.Responsible != nil || len(f.CareTeam) > 0
}
