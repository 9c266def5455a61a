package rule_test

import (
	"testing"

	"caseload/ent/rule"
	"caseload/ent/schema/access"
	"caseload/ent/schema/pulid"
	"caseload/ent/viewer"
	"caseload/ent/viewer/viewertest"
)

// Ids for the grant limits, which read no database.
var (
	gPractice = pulid.MustNew("PR")
	gMe       = pulid.MustNew("ME")
	gX        = pulid.MustNew("ME")
	gY        = pulid.MustNew("ME")
	gRed      = pulid.MustNew("TG")
	gBlue     = pulid.MustNew("TG")
	gGreen    = pulid.MustNew("TG")
)

func granter(opts ...viewertest.Option) *viewer.Viewer {
	return viewertest.New(gPractice, gMe, opts...)
}

func tagIDs(ids ...pulid.ID) []pulid.ID { return ids }

// Policy §6: no one can grant a level or capability they do not hold
// themselves; an admin holds everything. Built-in defaults (policy §4):
// a practitioner holds EDIT everywhere, CREATE_CLIENTS and EMERGENCY_ACCESS;
// administrative staff PROFILE and SCHEDULING VIEW.
func TestCanGrant_NoOneGrantsWhatTheyDoNotHold(t *testing.T) {
	practitionerDefaults := access.Practitioner.DefaultSections()
	cases := []struct {
		name     string
		v        *viewer.Viewer
		sections access.SectionLevels
		caps     []access.Capability
		tags     []pulid.ID
		want     bool
	}{
		{"admin grants every level and capability", granter(viewertest.Admin(), viewertest.Administrative()),
			access.AllSections(access.Edit), access.Capabilities, nil, true},
		{"practitioner grants their own defaults", granter(),
			practitionerDefaults, []access.Capability{access.CreateClients, access.EmergencyAccess}, nil, true},
		{"practitioner grants ACCESS_ALL_CLIENTS they lack", granter(),
			practitionerDefaults, []access.Capability{access.AccessAllClients}, nil, false},
		{"practitioner grants MANAGE_TEAM they lack", granter(),
			access.SectionLevels{}, []access.Capability{access.ManageTeam}, nil, false},
		{"manager grants MANAGE_TEAM they hold", granter(viewertest.WithCapabilities(access.ManageTeam)),
			access.SectionLevels{}, []access.Capability{access.ManageTeam}, nil, true},
		{"administrative staff grant their own defaults", granter(viewertest.Administrative()),
			access.SectionLevels{access.Profile: access.View, access.Scheduling: access.View}, nil, nil, true},
		{"administrative staff grant nothing", granter(viewertest.Administrative()),
			access.SectionLevels{}, nil, nil, true},
		{"administrative staff grant PROFILE EDIT", granter(viewertest.Administrative()),
			access.SectionLevels{access.Profile: access.Edit}, nil, nil, false},
		{"administrative staff grant BILLING VIEW", granter(viewertest.Administrative()),
			access.SectionLevels{access.Billing: access.View}, nil, nil, false},
		{"manager with MEDICAL_HISTORY VIEW grants it EDIT", granter(viewertest.WithSections(access.SectionLevels{access.MedicalHistory: access.View}), viewertest.WithCapabilities(access.ManageTeam)),
			access.SectionLevels{access.MedicalHistory: access.Edit}, nil, nil, false},
		{"manager with MEDICAL_HISTORY VIEW grants it VIEW", granter(viewertest.WithSections(access.SectionLevels{access.MedicalHistory: access.View}), viewertest.WithCapabilities(access.ManageTeam)),
			access.SectionLevels{access.MedicalHistory: access.View}, nil, nil, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := rule.CanGrant(tc.v, tc.sections, tc.caps, tc.tags); got != tc.want {
				t.Errorf("CanGrant(%v, %v, tags %v) = %v, want %v", tc.sections, tc.caps, tc.tags, got, tc.want)
			}
		})
	}
}

// Policy §3 and §6: a tag-restricted member holds broad access only within
// their tags, so they may hand out only a restriction within theirs: never
// none, never another tag. An unrestricted member may hand out any
// restriction, which only narrows.
func TestCanGrant_TagRestrictedGrantsOnlyWithinTheirTags(t *testing.T) {
	redOrBlue := viewertest.RestrictedToTags(gRed, gBlue)
	cases := []struct {
		name string
		v    *viewer.Viewer
		tags []pulid.ID
		want bool
	}{
		{"restricted to red or blue, grants no restriction", granter(redOrBlue), nil, false},
		{"restricted to red or blue, grants an empty restriction", granter(redOrBlue), []pulid.ID{}, false},
		{"restricted to red or blue, grants red", granter(redOrBlue), tagIDs(gRed), true},
		{"restricted to red or blue, grants blue or red", granter(redOrBlue), tagIDs(gBlue, gRed), true},
		{"restricted to red or blue, grants red or green", granter(redOrBlue), tagIDs(gRed, gGreen), false},
		{"restricted to red or blue, grants green", granter(redOrBlue), tagIDs(gGreen), false},
		{"unrestricted, grants green", granter(), tagIDs(gGreen), true},
		{"unrestricted, grants no restriction", granter(), nil, true},
		{"admin listing tags, grants no restriction", granter(viewertest.Admin(), redOrBlue), nil, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			// Levels and capabilities within the granter's own, so that only
			// the tags decide.
			if got := rule.CanGrant(tc.v, access.SectionLevels{access.Profile: access.View}, []access.Capability{access.CreateClients}, tc.tags); got != tc.want {
				t.Errorf("CanGrant(restrictToTags %v) = %v, want %v", tc.tags, got, tc.want)
			}
		})
	}
}

// Policy §3 rule 6 and §6: team member access is granted only by someone who
// holds that reach: an admin, ACCESS_ALL_CLIENTS (EDIT on every client rule 6
// can reach), or a grant of their own reaching at least as far at least as
// high. Rule 6 is broad: a tag-restricted granter holds reach only within
// their tags, so the recipient must be restricted within them too.
func TestCanGrantTeamAccess_NoOneGrantsWiderOrHigherThanTheyHold(t *testing.T) {
	allClients := viewertest.WithCapabilities(access.AccessAllClients)
	cases := []struct {
		name          string
		v             *viewer.Viewer
		recipientTags []pulid.ID
		target        *pulid.ID
		level         access.Level
		want          bool
	}{
		{"admin, EDIT to ALL", granter(viewertest.Admin()), nil, nil, access.Edit, true},
		{"admin listing tags, EDIT to ALL for an unrestricted recipient", granter(viewertest.Admin(), viewertest.RestrictedToTags(gRed)), nil, nil, access.Edit, true},
		{"ACCESS_ALL_CLIENTS, EDIT to ALL", granter(allClients), nil, nil, access.Edit, true},
		{"ACCESS_ALL_CLIENTS, EDIT to X", granter(allClients), nil, ptr(gX), access.Edit, true},
		{"ACCESS_ALL_CLIENTS within red, unrestricted recipient", granter(allClients, viewertest.RestrictedToTags(gRed)), nil, ptr(gX), access.View, false},
		{"ACCESS_ALL_CLIENTS within red, recipient within red", granter(allClients, viewertest.RestrictedToTags(gRed)), tagIDs(gRed), ptr(gX), access.Edit, true},
		{"ACCESS_ALL_CLIENTS within red or blue, recipient within blue", granter(allClients, viewertest.RestrictedToTags(gRed, gBlue)), tagIDs(gBlue), nil, access.Edit, true},
		{"ACCESS_ALL_CLIENTS within red, recipient within green", granter(allClients, viewertest.RestrictedToTags(gRed)), tagIDs(gGreen), ptr(gX), access.View, false},
		{"no reach at all, VIEW to X", granter(), nil, ptr(gX), access.View, false},
		{"MANAGE_TEAM without reach, VIEW to X", granter(viewertest.WithCapabilities(access.ManageTeam)), nil, ptr(gX), access.View, false},
		{"own EDIT to ALL, EDIT to ALL", granter(viewertest.WithTeamAccess(nil, access.Edit)), nil, nil, access.Edit, true},
		{"own EDIT to ALL, EDIT to X", granter(viewertest.WithTeamAccess(nil, access.Edit)), nil, ptr(gX), access.Edit, true},
		{"own VIEW to ALL, VIEW to X", granter(viewertest.WithTeamAccess(nil, access.View)), nil, ptr(gX), access.View, true},
		{"own VIEW to ALL, EDIT to X", granter(viewertest.WithTeamAccess(nil, access.View)), nil, ptr(gX), access.Edit, false},
		{"own EDIT to X, EDIT to X", granter(viewertest.WithTeamAccess(ptr(gX), access.Edit)), nil, ptr(gX), access.Edit, true},
		{"own EDIT to X, VIEW to X", granter(viewertest.WithTeamAccess(ptr(gX), access.Edit)), nil, ptr(gX), access.View, true},
		{"own EDIT to X, VIEW to Y", granter(viewertest.WithTeamAccess(ptr(gX), access.Edit)), nil, ptr(gY), access.View, false},
		{"own EDIT to X, VIEW to ALL", granter(viewertest.WithTeamAccess(ptr(gX), access.Edit)), nil, nil, access.View, false},
		{"own VIEW to X and EDIT to Y, EDIT to X", granter(viewertest.WithTeamAccess(ptr(gX), access.View), viewertest.WithTeamAccess(ptr(gY), access.Edit)), nil, ptr(gX), access.Edit, false},
		{"own VIEW to X and EDIT to Y, EDIT to Y", granter(viewertest.WithTeamAccess(ptr(gX), access.View), viewertest.WithTeamAccess(ptr(gY), access.Edit)), nil, ptr(gY), access.Edit, true},
		{"own EDIT to ALL within red, recipient within red", granter(viewertest.WithTeamAccess(nil, access.Edit), viewertest.RestrictedToTags(gRed)), tagIDs(gRed), ptr(gX), access.Edit, true},
		{"own EDIT to ALL within red, unrestricted recipient", granter(viewertest.WithTeamAccess(nil, access.Edit), viewertest.RestrictedToTags(gRed)), nil, ptr(gX), access.Edit, false},
		{"own EDIT to X, recipient within green", granter(viewertest.WithTeamAccess(ptr(gX), access.Edit)), tagIDs(gGreen), ptr(gX), access.Edit, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := rule.CanGrantTeamAccess(tc.v, tc.recipientTags, tc.target, tc.level); got != tc.want {
				t.Errorf("CanGrantTeamAccess(recipient tags %v, target %v, %s) = %v, want %v", tc.recipientTags, tc.target, tc.level, got, tc.want)
			}
		})
	}
}
