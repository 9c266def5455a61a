package rule_test

import (
	"math/rand/v2"
	"testing"
	"time"

	"caseload/ent"
	"caseload/ent/rule"
	"caseload/ent/schema/access"
	"caseload/ent/schema/pulid"
	"caseload/ent/viewer"
	"caseload/ent/viewer/viewertest"
	"caseload/graph/graphtest"
)

// decideCase is one row of a table of policy §3: a client and a viewer, what
// the client is in the database (facts, checked first), and the decision.
type decideCase struct {
	name     string
	practice []func(*ent.PracticeCreate)
	build    func(f *fixture) (*ent.ClientRecord, *viewer.Viewer)
	facts    string
	level    access.Level
	rules    []rule.Applied // in the policy's order
	cuts     []rule.Cut
}

func runDecideTable(t *testing.T, cases []decideCase) {
	t.Helper()
	base := graphtest.New(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, base, tc.practice...)
			c, v := tc.build(f)
			f.requireFacts(c.ID, v.Now, tc.facts)
			got := f.decide(t, v, c.ID)
			want := rule.Decision{Level: tc.level, Rules: tc.rules, Cuts: tc.cuts}
			if show(got) != show(want) {
				t.Errorf("Decide:\n got  %s\n want %s", show(got), show(want))
			}
			if got.Visible() != tc.level.AtLeast(access.View) {
				t.Errorf("Visible() = %v with level %s", got.Visible(), got.Level)
			}
		})
	}
}

// Policy §3 rule 1: an admin sees every client of the practice with EDIT;
// nothing restricts an admin (§2).
func TestAdmin_SeesEveryClientWithEdit(t *testing.T) {
	runDecideTable(t, []decideCase{
		{
			name: "client of a colleague's care team",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				return f.client(graphtest.ResponsibleIs(f.other)), f.viewer(viewertest.Admin())
			},
			facts: "vis=PRACTICE_DEFAULT responsible=other",
			level: access.Edit,
			rules: []rule.Applied{applied(access.RuleAdmin, access.Edit)},
		},
		{
			name: "restricted client with no care team",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				return f.client(graphtest.Restricted()), f.viewer(viewertest.Admin())
			},
			facts: "vis=PRACTICE_DEFAULT restricted",
			level: access.Edit,
			rules: []rule.Applied{applied(access.RuleAdmin, access.Edit)},
		},
		{
			name: "administrative admin whose role gives no section",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				return f.client(graphtest.ResponsibleIs(f.other), graphtest.Visibility(access.CareTeam)),
					f.viewer(viewertest.Admin(), viewertest.Administrative(), viewertest.WithSections(access.SectionLevels{}), viewertest.WithCapabilities())
			},
			facts: "vis=CARE_TEAM responsible=other",
			level: access.Edit,
			rules: []rule.Applied{applied(access.RuleAdmin, access.Edit)},
		},
		{
			name: "the same client for a member who is not an admin",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				return f.client(graphtest.ResponsibleIs(f.other), graphtest.Visibility(access.CareTeam)), f.viewer()
			},
			facts: "vis=CARE_TEAM responsible=other",
			level: access.None,
		},
	})
}

// Policy §3 rule 2: a role with ACCESS_ALL_CLIENTS sees every client with
// EDIT; as a broad rule it is limited by the tag restriction and the
// restricted flag.
func TestAccessAllClients_ReachesEveryUnrestrictedClientWithEdit(t *testing.T) {
	allClients := viewertest.WithCapabilities(access.AccessAllClients)
	runDecideTable(t, []decideCase{
		{
			name: "client of a colleague's care team",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				return f.client(graphtest.ResponsibleIs(f.other)), f.viewer(allClients)
			},
			facts: "vis=PRACTICE_DEFAULT responsible=other",
			level: access.Edit,
			rules: []rule.Applied{applied(access.RuleAccessAllClients, access.Edit)},
		},
		{
			name: "administrative staff whose role views the profile only",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				return f.client(graphtest.ResponsibleIs(f.other)),
					f.viewer(viewertest.Administrative(), viewertest.WithSections(access.SectionLevels{access.Profile: access.View}), allClients)
			},
			facts: "vis=PRACTICE_DEFAULT responsible=other",
			level: access.Edit,
			rules: []rule.Applied{applied(access.RuleAccessAllClients, access.Edit)},
		},
		{
			name: "without the capability",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				return f.client(graphtest.ResponsibleIs(f.other)),
					f.viewer(viewertest.WithCapabilities(access.CreateClients, access.AssignPractitioners, access.ManageClientAccess))
			},
			facts: "vis=PRACTICE_DEFAULT responsible=other",
			level: access.None,
		},
		{
			name: "restricted client",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				return f.client(graphtest.ResponsibleIs(f.other), graphtest.Restricted()), f.viewer(allClients)
			},
			facts: "vis=PRACTICE_DEFAULT restricted responsible=other",
			level: access.None,
			cuts:  []rule.Cut{cutBy(access.RuleAccessAllClients, access.Edit, access.CutRestrictedFlag)},
		},
		{
			name: "role restricted to red, client tagged red",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				return f.client(graphtest.Tagged(f.red)), f.viewer(allClients, viewertest.RestrictedToTags(f.red.ID))
			},
			facts: "vis=PRACTICE_DEFAULT tags=red",
			level: access.Edit,
			rules: []rule.Applied{applied(access.RuleAccessAllClients, access.Edit)},
		},
		{
			name: "role restricted to red or blue, client tagged blue and green",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				return f.client(graphtest.Tagged(f.blue, f.green)), f.viewer(allClients, viewertest.RestrictedToTags(f.red.ID, f.blue.ID))
			},
			facts: "vis=PRACTICE_DEFAULT tags=blue,green",
			level: access.Edit,
			rules: []rule.Applied{applied(access.RuleAccessAllClients, access.Edit)},
		},
		{
			name: "role restricted to red, client tagged green",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				return f.client(graphtest.Tagged(f.green)), f.viewer(allClients, viewertest.RestrictedToTags(f.red.ID))
			},
			facts: "vis=PRACTICE_DEFAULT tags=green",
			level: access.None,
			cuts:  []rule.Cut{cutBy(access.RuleAccessAllClients, access.Edit, access.CutTagRestriction)},
		},
		{
			name: "role restricted to red, untagged restricted client",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				return f.client(graphtest.Restricted()), f.viewer(allClients, viewertest.RestrictedToTags(f.red.ID))
			},
			facts: "vis=PRACTICE_DEFAULT restricted",
			level: access.None,
			cuts: []rule.Cut{
				cutBy(access.RuleAccessAllClients, access.Edit, access.CutRestrictedFlag),
				cutBy(access.RuleAccessAllClients, access.Edit, access.CutTagRestriction),
			},
		},
		{
			name: "role restricted to red, restricted client tagged red",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				return f.client(graphtest.Restricted(), graphtest.Tagged(f.red)), f.viewer(allClients, viewertest.RestrictedToTags(f.red.ID))
			},
			facts: "vis=PRACTICE_DEFAULT restricted tags=red",
			level: access.None,
			cuts:  []rule.Cut{cutBy(access.RuleAccessAllClients, access.Edit, access.CutRestrictedFlag)},
		},
	})
}

// Policy §3 rule 3, first half: the responsible practitioner edits their
// client; an explicit rule, which neither tags nor the restricted flag limit.
func TestResponsiblePractitioner_EditsTheirClient(t *testing.T) {
	runDecideTable(t, []decideCase{
		{
			name: "own client",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				return f.client(graphtest.ResponsibleIs(f.me)), f.viewer()
			},
			facts: "vis=PRACTICE_DEFAULT responsible=me",
			level: access.Edit,
			rules: []rule.Applied{applied(access.RuleResponsible, access.Edit)},
		},
		{
			name: "own restricted client",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				return f.client(graphtest.ResponsibleIs(f.me), graphtest.Restricted()), f.viewer()
			},
			facts: "vis=PRACTICE_DEFAULT restricted responsible=me",
			level: access.Edit,
			rules: []rule.Applied{applied(access.RuleResponsible, access.Edit)},
		},
		{
			name: "own untagged client, role restricted to red",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				return f.client(graphtest.ResponsibleIs(f.me)), f.viewer(viewertest.RestrictedToTags(f.red.ID))
			},
			facts: "vis=PRACTICE_DEFAULT responsible=me",
			level: access.Edit,
			rules: []rule.Applied{applied(access.RuleResponsible, access.Edit)},
		},
		{
			name: "own client, role giving no section (relationship level is not the role level)",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				return f.client(graphtest.ResponsibleIs(f.me)), f.viewer(viewertest.WithSections(access.SectionLevels{}))
			},
			facts: "vis=PRACTICE_DEFAULT responsible=me",
			level: access.Edit,
			rules: []rule.Applied{applied(access.RuleResponsible, access.Edit)},
		},
		{
			name: "a colleague's client",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				return f.client(graphtest.ResponsibleIs(f.other)), f.viewer()
			},
			facts: "vis=PRACTICE_DEFAULT responsible=other",
			level: access.None,
		},
		{
			name: "a client with no responsible practitioner",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				return f.client(), f.viewer()
			},
			facts: "vis=PRACTICE_DEFAULT",
			level: access.None,
		},
	})
}

// Policy §3 rule 3, second half: an active assignment (the care team) gives
// EDIT; an explicit rule.
func TestCareTeam_EditsAssignedClient(t *testing.T) {
	runDecideTable(t, []decideCase{
		{
			name: "assigned to a colleague's client",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				c := f.client(graphtest.ResponsibleIs(f.other))
				f.e.Assign(c, f.me)
				return c, f.viewer()
			},
			facts: "vis=PRACTICE_DEFAULT responsible=other team=me",
			level: access.Edit,
			rules: []rule.Applied{applied(access.RuleCareTeam, access.Edit)},
		},
		{
			name: "assignment ended",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				c := f.client(graphtest.ResponsibleIs(f.other))
				f.e.EndAssignment(f.e.Assign(c, f.me))
				return c, f.viewer()
			},
			facts: "vis=PRACTICE_DEFAULT responsible=other ended=me",
			level: access.None,
		},
		{
			name: "a colleague assigned, not me",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				c := f.client()
				f.e.Assign(c, f.other)
				return c, f.viewer()
			},
			facts: "vis=PRACTICE_DEFAULT team=other",
			level: access.None,
		},
		{
			name: "assigned to an untagged restricted client, role restricted to red",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				c := f.client(graphtest.Restricted())
				f.e.Assign(c, f.me)
				return c, f.viewer(viewertest.RestrictedToTags(f.red.ID))
			},
			facts: "vis=PRACTICE_DEFAULT restricted team=me",
			level: access.Edit,
			rules: []rule.Applied{applied(access.RuleCareTeam, access.Edit)},
		},
	})
}

// Policy §3 rule 4: an active share gives the share's level; an explicit
// rule.
func TestShare_GivesTheSharesLevel(t *testing.T) {
	runDecideTable(t, []decideCase{
		{
			name: "VIEW share",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				c := f.client(graphtest.ResponsibleIs(f.other))
				f.e.Share(c, f.me, access.View)
				return c, f.viewer()
			},
			facts: "vis=PRACTICE_DEFAULT responsible=other share=me:VIEW",
			level: access.View,
			rules: []rule.Applied{applied(access.RuleShare, access.View)},
		},
		{
			name: "EDIT share",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				c := f.client(graphtest.ResponsibleIs(f.other))
				f.e.Share(c, f.me, access.Edit)
				return c, f.viewer()
			},
			facts: "vis=PRACTICE_DEFAULT responsible=other share=me:EDIT",
			level: access.Edit,
			rules: []rule.Applied{applied(access.RuleShare, access.Edit)},
		},
		{
			name: "VIEW share expiring in an hour",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				c := f.client(graphtest.ResponsibleIs(f.other))
				f.e.Share(c, f.me, access.View, graphtest.Expires(f.in(time.Hour)))
				return c, f.viewer()
			},
			facts: "vis=PRACTICE_DEFAULT responsible=other share=me:VIEW:until-later",
			level: access.View,
			rules: []rule.Applied{applied(access.RuleShare, access.View)},
		},
		{
			name: "shared with a colleague, not me",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				c := f.client(graphtest.ResponsibleIs(f.other))
				f.e.Share(c, f.third, access.Edit)
				return c, f.viewer()
			},
			facts: "vis=PRACTICE_DEFAULT responsible=other share=third:EDIT",
			level: access.None,
		},
		{
			name: "EDIT share of an untagged restricted client, role restricted to red",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				c := f.client(graphtest.Restricted())
				f.e.Share(c, f.me, access.Edit)
				return c, f.viewer(viewertest.RestrictedToTags(f.red.ID))
			},
			facts: "vis=PRACTICE_DEFAULT restricted share=me:EDIT",
			level: access.Edit,
			rules: []rule.Applied{applied(access.RuleShare, access.Edit)},
		},
		{
			name: "VIEW share to a member of the care team: the highest level wins",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				c := f.client(graphtest.ResponsibleIs(f.other))
				f.e.Assign(c, f.me)
				f.e.Share(c, f.me, access.View)
				return c, f.viewer()
			},
			facts: "vis=PRACTICE_DEFAULT responsible=other team=me share=me:VIEW",
			level: access.Edit,
			rules: []rule.Applied{applied(access.RuleCareTeam, access.Edit), applied(access.RuleShare, access.View)},
		},
	})
}

// Policy §3 rule 4: a share applies only while expiresAt is null or in the
// future, judged by the request's clock.
func TestShareExpired_HidesClient(t *testing.T) {
	runDecideTable(t, []decideCase{
		{
			name: "EDIT share expired a minute ago",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				c := f.client(graphtest.ResponsibleIs(f.other))
				f.e.Share(c, f.me, access.Edit, graphtest.Expires(f.in(-time.Minute)))
				return c, f.viewer()
			},
			facts: "vis=PRACTICE_DEFAULT responsible=other share=me:EDIT:expired",
			level: access.None,
		},
		{
			name: "share expiring exactly now",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				c := f.client(graphtest.ResponsibleIs(f.other))
				f.e.Share(c, f.me, access.View, graphtest.Expires(f.now))
				return c, f.viewer()
			},
			facts: "vis=PRACTICE_DEFAULT responsible=other share=me:VIEW:expired",
			level: access.None,
		},
		{
			name: "share expiring in an hour, asked two hours later",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				c := f.client(graphtest.ResponsibleIs(f.other))
				f.e.Share(c, f.me, access.View, graphtest.Expires(f.in(time.Hour)))
				return c, f.viewer(viewertest.At(f.in(2 * time.Hour)))
			},
			facts: "vis=PRACTICE_DEFAULT responsible=other share=me:VIEW:expired",
			level: access.None,
		},
		{
			name: "the same share asked a minute before it expires",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				c := f.client(graphtest.ResponsibleIs(f.other))
				f.e.Share(c, f.me, access.View, graphtest.Expires(f.in(time.Hour)))
				return c, f.viewer(viewertest.At(f.in(59 * time.Minute)))
			},
			facts: "vis=PRACTICE_DEFAULT responsible=other share=me:VIEW:until-later",
			level: access.View,
			rules: []rule.Applied{applied(access.RuleShare, access.View)},
		},
		{
			name: "expired EDIT share to a member of the care team",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				c := f.client()
				f.e.Assign(c, f.me)
				f.e.Share(c, f.me, access.Edit, graphtest.Expires(f.in(-time.Hour)))
				return c, f.viewer()
			},
			facts: "vis=PRACTICE_DEFAULT team=me share=me:EDIT:expired",
			level: access.Edit,
			rules: []rule.Applied{applied(access.RuleCareTeam, access.Edit)},
		},
	})
}

// Policy §3 rule 4: a revoked share no longer applies.
func TestShareRevoked_HidesClient(t *testing.T) {
	runDecideTable(t, []decideCase{
		{
			name: "revoked EDIT share",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				c := f.client(graphtest.ResponsibleIs(f.other))
				f.e.Share(c, f.me, access.Edit, graphtest.Revoked())
				return c, f.viewer()
			},
			facts: "vis=PRACTICE_DEFAULT responsible=other share=me:EDIT:revoked",
			level: access.None,
		},
		{
			name: "revoked share that would expire later",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				c := f.client(graphtest.ResponsibleIs(f.other))
				f.e.Share(c, f.me, access.View, graphtest.Expires(f.in(time.Hour)), graphtest.Revoked())
				return c, f.viewer()
			},
			facts: "vis=PRACTICE_DEFAULT responsible=other share=me:VIEW:until-later:revoked",
			level: access.None,
		},
		{
			name: "revoked EDIT share, VIEW share still open",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				c := f.client(graphtest.ResponsibleIs(f.other))
				f.e.Share(c, f.me, access.Edit, graphtest.Revoked())
				f.e.Share(c, f.me, access.View)
				return c, f.viewer()
			},
			facts: "vis=PRACTICE_DEFAULT responsible=other share=me:EDIT:revoked,me:VIEW",
			level: access.View,
			rules: []rule.Applied{applied(access.RuleShare, access.View)},
		},
	})
}

// Policy §3 rule 5: a client visible to the whole team (ALL_TEAM, or
// PRACTICE_DEFAULT in an ALL_TEAM practice) is seen by every member with
// EDIT; a broad rule.
func TestWholeTeamVisibility_GivesEveryMemberEdit(t *testing.T) {
	runDecideTable(t, []decideCase{
		{
			name: "ALL_TEAM client in a CARE_TEAM practice",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				return f.client(graphtest.ResponsibleIs(f.other), graphtest.Visibility(access.AllTeam)), f.viewer()
			},
			facts: "vis=ALL_TEAM responsible=other",
			level: access.Edit,
			rules: []rule.Applied{applied(access.RuleWholeTeam, access.Edit)},
		},
		{
			name:     "PRACTICE_DEFAULT client in an ALL_TEAM practice",
			practice: []func(*ent.PracticeCreate){allTeamPractice},
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				return f.client(graphtest.ResponsibleIs(f.other)), f.viewer()
			},
			facts: "vis=PRACTICE_DEFAULT responsible=other",
			level: access.Edit,
			rules: []rule.Applied{applied(access.RuleWholeTeam, access.Edit)},
		},
		{
			name: "PRACTICE_DEFAULT client in a CARE_TEAM practice",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				return f.client(graphtest.ResponsibleIs(f.other)), f.viewer()
			},
			facts: "vis=PRACTICE_DEFAULT responsible=other",
			level: access.None,
		},
		{
			name:     "CARE_TEAM client in an ALL_TEAM practice",
			practice: []func(*ent.PracticeCreate){allTeamPractice},
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				return f.client(graphtest.ResponsibleIs(f.other), graphtest.Visibility(access.CareTeam)), f.viewer()
			},
			facts: "vis=CARE_TEAM responsible=other",
			level: access.None,
		},
		{
			name: "ALL_TEAM client, administrative staff with the built-in defaults",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				return f.client(graphtest.Visibility(access.AllTeam)), f.viewer(viewertest.Administrative())
			},
			facts: "vis=ALL_TEAM",
			level: access.Edit,
			rules: []rule.Applied{applied(access.RuleWholeTeam, access.Edit)},
		},
		{
			name: "restricted ALL_TEAM client",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				return f.client(graphtest.Visibility(access.AllTeam), graphtest.Restricted()), f.viewer()
			},
			facts: "vis=ALL_TEAM restricted",
			level: access.None,
			cuts:  []rule.Cut{cutBy(access.RuleWholeTeam, access.Edit, access.CutRestrictedFlag)},
		},
		{
			name: "ALL_TEAM client tagged green, role restricted to red",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				return f.client(graphtest.Visibility(access.AllTeam), graphtest.Tagged(f.green)), f.viewer(viewertest.RestrictedToTags(f.red.ID))
			},
			facts: "vis=ALL_TEAM tags=green",
			level: access.None,
			cuts:  []rule.Cut{cutBy(access.RuleWholeTeam, access.Edit, access.CutTagRestriction)},
		},
		{
			name: "ALL_TEAM client tagged red and green, role restricted to red",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				return f.client(graphtest.Visibility(access.AllTeam), graphtest.Tagged(f.red, f.green)), f.viewer(viewertest.RestrictedToTags(f.red.ID))
			},
			facts: "vis=ALL_TEAM tags=green,red",
			level: access.Edit,
			rules: []rule.Applied{applied(access.RuleWholeTeam, access.Edit)},
		},
	})
}

// Policy §3 rule 6: team member access to one of the client's care team (the
// responsible practitioner or an actively assigned one), or to ALL members,
// gives the grant's level; a broad rule. A deactivated practitioner's
// clients are still reached through them.
func TestTeamMemberAccess_ReachesTheCareTeamsOfItsTarget(t *testing.T) {
	runDecideTable(t, []decideCase{
		{
			name: "VIEW grant to the responsible practitioner",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				return f.client(graphtest.ResponsibleIs(f.other)), f.viewer(viewertest.WithTeamAccess(ptr(f.other.ID), access.View))
			},
			facts: "vis=PRACTICE_DEFAULT responsible=other",
			level: access.View,
			rules: []rule.Applied{applied(access.RuleTeamAccess, access.View)},
		},
		{
			name: "EDIT grant to an assigned practitioner",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				c := f.client(graphtest.ResponsibleIs(f.third))
				f.e.Assign(c, f.other)
				return c, f.viewer(viewertest.WithTeamAccess(ptr(f.other.ID), access.Edit))
			},
			facts: "vis=PRACTICE_DEFAULT responsible=third team=other",
			level: access.Edit,
			rules: []rule.Applied{applied(access.RuleTeamAccess, access.Edit)},
		},
		{
			name: "grant to a practitioner whose assignment ended",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				c := f.client(graphtest.ResponsibleIs(f.third))
				f.e.EndAssignment(f.e.Assign(c, f.other))
				return c, f.viewer(viewertest.WithTeamAccess(ptr(f.other.ID), access.Edit))
			},
			facts: "vis=PRACTICE_DEFAULT responsible=third ended=other",
			level: access.None,
		},
		{
			name: "grant to a practitioner not on the care team",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				return f.client(graphtest.ResponsibleIs(f.third)), f.viewer(viewertest.WithTeamAccess(ptr(f.other.ID), access.Edit))
			},
			facts: "vis=PRACTICE_DEFAULT responsible=third",
			level: access.None,
		},
		{
			name: "VIEW grant to ALL, client with a responsible practitioner",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				return f.client(graphtest.ResponsibleIs(f.third)), f.viewer(viewertest.WithTeamAccess(nil, access.View))
			},
			facts: "vis=PRACTICE_DEFAULT responsible=third",
			level: access.View,
			rules: []rule.Applied{applied(access.RuleTeamAccess, access.View)},
		},
		{
			name: "EDIT grant to ALL, client with an assigned practitioner only",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				c := f.client()
				f.e.Assign(c, f.third)
				return c, f.viewer(viewertest.WithTeamAccess(nil, access.Edit))
			},
			facts: "vis=PRACTICE_DEFAULT team=third",
			level: access.Edit,
			rules: []rule.Applied{applied(access.RuleTeamAccess, access.Edit)},
		},
		{
			name: "grant to ALL, client with no care team",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				return f.client(), f.viewer(viewertest.WithTeamAccess(nil, access.Edit))
			},
			facts: "vis=PRACTICE_DEFAULT",
			level: access.None,
		},
		{
			name: "grant to ALL, client whose only assignment ended",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				c := f.client()
				f.e.EndAssignment(f.e.Assign(c, f.third))
				return c, f.viewer(viewertest.WithTeamAccess(nil, access.Edit))
			},
			facts: "vis=PRACTICE_DEFAULT ended=third",
			level: access.None,
		},
		{
			name: "grant to a deactivated practitioner who is still responsible",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				return f.client(graphtest.ResponsibleIs(f.gone)), f.viewer(viewertest.WithTeamAccess(ptr(f.gone.ID), access.View))
			},
			facts: "vis=PRACTICE_DEFAULT responsible=gone",
			level: access.View,
			rules: []rule.Applied{applied(access.RuleTeamAccess, access.View)},
		},
		{
			name: "VIEW grant to the practitioner and EDIT grant to ALL",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				return f.client(graphtest.ResponsibleIs(f.other)),
					f.viewer(viewertest.WithTeamAccess(ptr(f.other.ID), access.View), viewertest.WithTeamAccess(nil, access.Edit))
			},
			facts: "vis=PRACTICE_DEFAULT responsible=other",
			level: access.Edit,
			rules: []rule.Applied{applied(access.RuleTeamAccess, access.Edit)},
		},
		{
			name: "EDIT grant, restricted client",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				return f.client(graphtest.ResponsibleIs(f.other), graphtest.Restricted()),
					f.viewer(viewertest.WithTeamAccess(ptr(f.other.ID), access.Edit))
			},
			facts: "vis=PRACTICE_DEFAULT restricted responsible=other",
			level: access.None,
			cuts:  []rule.Cut{cutBy(access.RuleTeamAccess, access.Edit, access.CutRestrictedFlag)},
		},
		{
			name: "VIEW grant, untagged client, role restricted to red",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				return f.client(graphtest.ResponsibleIs(f.other)),
					f.viewer(viewertest.WithTeamAccess(ptr(f.other.ID), access.View), viewertest.RestrictedToTags(f.red.ID))
			},
			facts: "vis=PRACTICE_DEFAULT responsible=other",
			level: access.None,
			cuts:  []rule.Cut{cutBy(access.RuleTeamAccess, access.View, access.CutTagRestriction)},
		},
		{
			name: "VIEW grant, client tagged red, role restricted to red",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				return f.client(graphtest.ResponsibleIs(f.other), graphtest.Tagged(f.red)),
					f.viewer(viewertest.WithTeamAccess(ptr(f.other.ID), access.View), viewertest.RestrictedToTags(f.red.ID))
			},
			facts: "vis=PRACTICE_DEFAULT tags=red responsible=other",
			level: access.View,
			rules: []rule.Applied{applied(access.RuleTeamAccess, access.View)},
		},
	})
}

// Policy §3 rule 7 and §8: an unexpired break-glass grant gives VIEW, and
// only VIEW; an explicit rule that tags do not limit.
func TestEmergencyAccess_GivesViewUntilItExpires(t *testing.T) {
	runDecideTable(t, []decideCase{
		{
			name: "grant expiring in an hour",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				c := f.client(graphtest.ResponsibleIs(f.other))
				f.e.Emergency(c, f.me, f.in(time.Hour))
				return c, f.viewer()
			},
			facts: "vis=PRACTICE_DEFAULT responsible=other emergency=me",
			level: access.View,
			rules: []rule.Applied{applied(access.RuleEmergency, access.View)},
		},
		{
			name: "grant expired a minute ago",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				c := f.client(graphtest.ResponsibleIs(f.other))
				f.e.Emergency(c, f.me, f.in(-time.Minute))
				return c, f.viewer()
			},
			facts: "vis=PRACTICE_DEFAULT responsible=other emergency=me:expired",
			level: access.None,
		},
		{
			name: "grant expiring in an hour, asked two hours later",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				c := f.client(graphtest.ResponsibleIs(f.other))
				f.e.Emergency(c, f.me, f.in(time.Hour))
				return c, f.viewer(viewertest.At(f.in(2 * time.Hour)))
			},
			facts: "vis=PRACTICE_DEFAULT responsible=other emergency=me:expired",
			level: access.None,
		},
		{
			name: "a colleague's grant",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				c := f.client(graphtest.ResponsibleIs(f.other))
				f.e.Emergency(c, f.third, f.in(time.Hour))
				return c, f.viewer()
			},
			facts: "vis=PRACTICE_DEFAULT responsible=other emergency=third",
			level: access.None,
		},
		{
			name: "grant on an untagged client, role restricted to red",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				c := f.client(graphtest.ResponsibleIs(f.other))
				f.e.Emergency(c, f.me, f.in(time.Hour))
				return c, f.viewer(viewertest.RestrictedToTags(f.red.ID))
			},
			facts: "vis=PRACTICE_DEFAULT responsible=other emergency=me",
			level: access.View,
			rules: []rule.Applied{applied(access.RuleEmergency, access.View)},
		},
		{
			name: "grant with an EDIT share: the highest level wins",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				c := f.client(graphtest.ResponsibleIs(f.other))
				f.e.Share(c, f.me, access.Edit)
				f.e.Emergency(c, f.me, f.in(time.Hour))
				return c, f.viewer()
			},
			facts: "vis=PRACTICE_DEFAULT responsible=other share=me:EDIT emergency=me",
			level: access.Edit,
			rules: []rule.Applied{applied(access.RuleShare, access.Edit), applied(access.RuleEmergency, access.View)},
		},
	})
}

// Policy §3, tag restriction: rules 2, 5 and 6 only apply to clients carrying
// one of the role's tags; rules 1, 3, 4 and 7 always apply. Every row is the
// same kind of client, tagged green, for a viewer restricted to red.
func TestTagRestriction_CutsBroadRulesOnly(t *testing.T) {
	red := func(f *fixture) viewertest.Option { return viewertest.RestrictedToTags(f.red.ID) }
	runDecideTable(t, []decideCase{
		{
			name: "rule 1 admin",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				return f.client(graphtest.Tagged(f.green), graphtest.ResponsibleIs(f.other)), f.viewer(red(f), viewertest.Admin())
			},
			facts: "vis=PRACTICE_DEFAULT tags=green responsible=other",
			level: access.Edit,
			rules: []rule.Applied{applied(access.RuleAdmin, access.Edit)},
		},
		{
			name: "rule 2 ACCESS_ALL_CLIENTS",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				return f.client(graphtest.Tagged(f.green), graphtest.ResponsibleIs(f.other)),
					f.viewer(red(f), viewertest.WithCapabilities(access.AccessAllClients))
			},
			facts: "vis=PRACTICE_DEFAULT tags=green responsible=other",
			level: access.None,
			cuts:  []rule.Cut{cutBy(access.RuleAccessAllClients, access.Edit, access.CutTagRestriction)},
		},
		{
			name: "rule 3 responsible practitioner",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				return f.client(graphtest.Tagged(f.green), graphtest.ResponsibleIs(f.me)), f.viewer(red(f))
			},
			facts: "vis=PRACTICE_DEFAULT tags=green responsible=me",
			level: access.Edit,
			rules: []rule.Applied{applied(access.RuleResponsible, access.Edit)},
		},
		{
			name: "rule 3 care team",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				c := f.client(graphtest.Tagged(f.green), graphtest.ResponsibleIs(f.other))
				f.e.Assign(c, f.me)
				return c, f.viewer(red(f))
			},
			facts: "vis=PRACTICE_DEFAULT tags=green responsible=other team=me",
			level: access.Edit,
			rules: []rule.Applied{applied(access.RuleCareTeam, access.Edit)},
		},
		{
			name: "rule 4 share",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				c := f.client(graphtest.Tagged(f.green), graphtest.ResponsibleIs(f.other))
				f.e.Share(c, f.me, access.View)
				return c, f.viewer(red(f))
			},
			facts: "vis=PRACTICE_DEFAULT tags=green responsible=other share=me:VIEW",
			level: access.View,
			rules: []rule.Applied{applied(access.RuleShare, access.View)},
		},
		{
			name: "rule 5 whole-team visibility",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				return f.client(graphtest.Tagged(f.green), graphtest.ResponsibleIs(f.other), graphtest.Visibility(access.AllTeam)), f.viewer(red(f))
			},
			facts: "vis=ALL_TEAM tags=green responsible=other",
			level: access.None,
			cuts:  []rule.Cut{cutBy(access.RuleWholeTeam, access.Edit, access.CutTagRestriction)},
		},
		{
			name: "rule 6 team member access",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				return f.client(graphtest.Tagged(f.green), graphtest.ResponsibleIs(f.other)),
					f.viewer(red(f), viewertest.WithTeamAccess(ptr(f.other.ID), access.Edit))
			},
			facts: "vis=PRACTICE_DEFAULT tags=green responsible=other",
			level: access.None,
			cuts:  []rule.Cut{cutBy(access.RuleTeamAccess, access.Edit, access.CutTagRestriction)},
		},
		{
			name: "rule 7 emergency access",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				c := f.client(graphtest.Tagged(f.green), graphtest.ResponsibleIs(f.other))
				f.e.Emergency(c, f.me, f.in(time.Hour))
				return c, f.viewer(red(f))
			},
			facts: "vis=PRACTICE_DEFAULT tags=green responsible=other emergency=me",
			level: access.View,
			rules: []rule.Applied{applied(access.RuleEmergency, access.View)},
		},
		{
			name: "rules 2, 5 and 6 together, explicit rule 4 still applies",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				c := f.client(graphtest.Tagged(f.green), graphtest.ResponsibleIs(f.other), graphtest.Visibility(access.AllTeam))
				f.e.Share(c, f.me, access.View)
				return c, f.viewer(red(f), viewertest.WithCapabilities(access.AccessAllClients), viewertest.WithTeamAccess(nil, access.Edit))
			},
			facts: "vis=ALL_TEAM tags=green responsible=other share=me:VIEW",
			level: access.View,
			rules: []rule.Applied{applied(access.RuleShare, access.View)},
			cuts: []rule.Cut{
				cutBy(access.RuleAccessAllClients, access.Edit, access.CutTagRestriction),
				cutBy(access.RuleWholeTeam, access.Edit, access.CutTagRestriction),
				cutBy(access.RuleTeamAccess, access.Edit, access.CutTagRestriction),
			},
		},
		{
			name: "rules 2, 5 and 6 on a client that also carries red",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				c := f.client(graphtest.Tagged(f.green, f.red), graphtest.ResponsibleIs(f.other), graphtest.Visibility(access.AllTeam))
				return c, f.viewer(red(f), viewertest.WithCapabilities(access.AccessAllClients), viewertest.WithTeamAccess(nil, access.View))
			},
			facts: "vis=ALL_TEAM tags=green,red responsible=other",
			level: access.Edit,
			rules: []rule.Applied{
				applied(access.RuleAccessAllClients, access.Edit),
				applied(access.RuleWholeTeam, access.Edit),
				applied(access.RuleTeamAccess, access.View),
			},
		},
	})
}

// Policy §3, restricted clients: only rules 1, 3 and 4 reach a restricted
// client, and rule 7 when the practice setting emergencyReachesRestricted is
// on; the broad rules 2, 5 and 6 never do.
func TestRestrictedFlag_ReachedOnlyByExplicitRules(t *testing.T) {
	runDecideTable(t, []decideCase{
		{
			name: "rule 1 admin",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				return f.client(graphtest.Restricted(), graphtest.ResponsibleIs(f.other)), f.viewer(viewertest.Admin())
			},
			facts: "vis=PRACTICE_DEFAULT restricted responsible=other",
			level: access.Edit,
			rules: []rule.Applied{applied(access.RuleAdmin, access.Edit)},
		},
		{
			name: "rule 2 ACCESS_ALL_CLIENTS",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				return f.client(graphtest.Restricted(), graphtest.ResponsibleIs(f.other)), f.viewer(viewertest.WithCapabilities(access.AccessAllClients))
			},
			facts: "vis=PRACTICE_DEFAULT restricted responsible=other",
			level: access.None,
			cuts:  []rule.Cut{cutBy(access.RuleAccessAllClients, access.Edit, access.CutRestrictedFlag)},
		},
		{
			name: "rule 3 responsible practitioner",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				return f.client(graphtest.Restricted(), graphtest.ResponsibleIs(f.me)), f.viewer()
			},
			facts: "vis=PRACTICE_DEFAULT restricted responsible=me",
			level: access.Edit,
			rules: []rule.Applied{applied(access.RuleResponsible, access.Edit)},
		},
		{
			name: "rule 3 care team",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				c := f.client(graphtest.Restricted(), graphtest.ResponsibleIs(f.other))
				f.e.Assign(c, f.me)
				return c, f.viewer()
			},
			facts: "vis=PRACTICE_DEFAULT restricted responsible=other team=me",
			level: access.Edit,
			rules: []rule.Applied{applied(access.RuleCareTeam, access.Edit)},
		},
		{
			name: "rule 4 share",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				c := f.client(graphtest.Restricted(), graphtest.ResponsibleIs(f.other))
				f.e.Share(c, f.me, access.Edit)
				return c, f.viewer()
			},
			facts: "vis=PRACTICE_DEFAULT restricted responsible=other share=me:EDIT",
			level: access.Edit,
			rules: []rule.Applied{applied(access.RuleShare, access.Edit)},
		},
		{
			name: "rule 5 ALL_TEAM client",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				return f.client(graphtest.Restricted(), graphtest.Visibility(access.AllTeam)), f.viewer()
			},
			facts: "vis=ALL_TEAM restricted",
			level: access.None,
			cuts:  []rule.Cut{cutBy(access.RuleWholeTeam, access.Edit, access.CutRestrictedFlag)},
		},
		{
			name:     "rule 5 PRACTICE_DEFAULT client in an ALL_TEAM practice",
			practice: []func(*ent.PracticeCreate){allTeamPractice},
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				return f.client(graphtest.Restricted()), f.viewer()
			},
			facts: "vis=PRACTICE_DEFAULT restricted",
			level: access.None,
			cuts:  []rule.Cut{cutBy(access.RuleWholeTeam, access.Edit, access.CutRestrictedFlag)},
		},
		{
			name: "rule 6 team member access",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				return f.client(graphtest.Restricted(), graphtest.ResponsibleIs(f.other)), f.viewer(viewertest.WithTeamAccess(nil, access.View))
			},
			facts: "vis=PRACTICE_DEFAULT restricted responsible=other",
			level: access.None,
			cuts:  []rule.Cut{cutBy(access.RuleTeamAccess, access.View, access.CutRestrictedFlag)},
		},
		{
			name: "rule 7 emergency access, practice setting off",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				c := f.client(graphtest.Restricted(), graphtest.ResponsibleIs(f.other))
				f.e.Emergency(c, f.me, f.in(time.Hour))
				return c, f.viewer()
			},
			facts: "vis=PRACTICE_DEFAULT restricted responsible=other emergency=me",
			level: access.None,
			cuts:  []rule.Cut{cutBy(access.RuleEmergency, access.View, access.CutRestrictedFlag)},
		},
		{
			name:     "rule 7 emergency access, practice setting emergencyReachesRestricted on",
			practice: []func(*ent.PracticeCreate){emergencyReachesRestricted},
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				c := f.client(graphtest.Restricted(), graphtest.ResponsibleIs(f.other))
				f.e.Emergency(c, f.me, f.in(time.Hour))
				return c, f.viewer()
			},
			facts: "vis=PRACTICE_DEFAULT restricted responsible=other emergency=me",
			level: access.View,
			rules: []rule.Applied{applied(access.RuleEmergency, access.View)},
		},
		{
			name:     "emergencyReachesRestricted does not open the broad rules",
			practice: []func(*ent.PracticeCreate){emergencyReachesRestricted, allTeamPractice},
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				return f.client(graphtest.Restricted(), graphtest.ResponsibleIs(f.other)),
					f.viewer(viewertest.WithCapabilities(access.AccessAllClients), viewertest.WithTeamAccess(ptr(f.other.ID), access.Edit))
			},
			facts: "vis=PRACTICE_DEFAULT restricted responsible=other",
			level: access.None,
			cuts: []rule.Cut{
				cutBy(access.RuleAccessAllClients, access.Edit, access.CutRestrictedFlag),
				cutBy(access.RuleWholeTeam, access.Edit, access.CutRestrictedFlag),
				cutBy(access.RuleTeamAccess, access.Edit, access.CutRestrictedFlag),
			},
		},
		{
			name:     "the same broad rules on the client unrestricted",
			practice: []func(*ent.PracticeCreate){emergencyReachesRestricted, allTeamPractice},
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				return f.client(graphtest.ResponsibleIs(f.other)),
					f.viewer(viewertest.WithCapabilities(access.AccessAllClients), viewertest.WithTeamAccess(ptr(f.other.ID), access.Edit))
			},
			facts: "vis=PRACTICE_DEFAULT responsible=other",
			level: access.Edit,
			rules: []rule.Applied{
				applied(access.RuleAccessAllClients, access.Edit),
				applied(access.RuleWholeTeam, access.Edit),
				applied(access.RuleTeamAccess, access.Edit),
			},
		},
	})
}

// Policy §2 and §3: a deactivated member can do nothing; no rule reaches
// them, not even rule 1.
func TestInactiveViewer_SeesNothing(t *testing.T) {
	inactive := viewertest.Inactive()
	runDecideTable(t, []decideCase{
		{
			name: "admin",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				return f.client(graphtest.ResponsibleIs(f.other)), f.viewer(inactive, viewertest.Admin())
			},
			facts: "vis=PRACTICE_DEFAULT responsible=other",
			level: access.None,
		},
		{
			name: "responsible practitioner",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				return f.client(graphtest.ResponsibleIs(f.me)), f.viewer(inactive)
			},
			facts: "vis=PRACTICE_DEFAULT responsible=me",
			level: access.None,
		},
		{
			name: "share, emergency grant and ALL_TEAM client",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				c := f.client(graphtest.ResponsibleIs(f.other), graphtest.Visibility(access.AllTeam))
				f.e.Share(c, f.me, access.Edit)
				f.e.Emergency(c, f.me, f.in(time.Hour))
				return c, f.viewer(inactive, viewertest.WithCapabilities(access.AccessAllClients), viewertest.WithTeamAccess(nil, access.Edit))
			},
			facts: "vis=ALL_TEAM responsible=other share=me:EDIT emergency=me",
			level: access.None,
		},
		{
			name: "the same client for the member active",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				c := f.client(graphtest.ResponsibleIs(f.other), graphtest.Visibility(access.AllTeam))
				f.e.Share(c, f.me, access.Edit)
				f.e.Emergency(c, f.me, f.in(time.Hour))
				return c, f.viewer(viewertest.WithCapabilities(access.AccessAllClients), viewertest.WithTeamAccess(nil, access.Edit))
			},
			facts: "vis=ALL_TEAM responsible=other share=me:EDIT emergency=me",
			level: access.Edit,
			rules: []rule.Applied{
				applied(access.RuleAccessAllClients, access.Edit),
				applied(access.RuleShare, access.Edit),
				applied(access.RuleWholeTeam, access.Edit),
				applied(access.RuleTeamAccess, access.Edit),
				applied(access.RuleEmergency, access.View),
			},
		},
	})
}

// Policy §1 and §3: a client of another practice does not exist for the
// viewer, exactly as an ID that was never issued, whatever its rows say
// about the viewer.
func TestOtherPracticeClient_HiddenLikeAnUnknownID(t *testing.T) {
	base := graphtest.New(t)
	cases := []struct {
		name  string
		build func(f *fixture) (pulid.ID, *viewer.Viewer)
		facts string
	}{
		{
			name: "another practice's ALL_TEAM client naming me responsible, shared and assigned to me",
			build: func(f *fixture) (pulid.ID, *viewer.Viewer) {
				c := f.foreignClient(graphtest.ResponsibleIs(f.me), graphtest.Visibility(access.AllTeam))
				f.e.Assign(c, f.me)
				f.e.Share(c, f.me, access.Edit)
				f.e.Emergency(c, f.me, f.in(time.Hour))
				return c.ID, f.viewer(viewertest.WithCapabilities(access.AccessAllClients), viewertest.WithTeamAccess(nil, access.Edit))
			},
			facts: "foreign vis=ALL_TEAM responsible=me team=me share=me:EDIT emergency=me",
		},
		{
			name: "another practice's client, for an admin",
			build: func(f *fixture) (pulid.ID, *viewer.Viewer) {
				return f.foreignClient().ID, f.viewer(viewertest.Admin())
			},
			facts: "foreign vis=PRACTICE_DEFAULT",
		},
		{
			name: "an ID never issued, for an admin",
			build: func(f *fixture) (pulid.ID, *viewer.Viewer) {
				f.client()
				return pulid.MustNew("CL"), f.viewer(viewertest.Admin())
			},
			facts: "no such client",
		},
		{
			name: "a malformed ID, for an admin",
			build: func(f *fixture) (pulid.ID, *viewer.Viewer) {
				f.client()
				return pulid.ID("CL-not-an-id"), f.viewer(viewertest.Admin())
			},
			facts: "no such client",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, base)
			id, v := tc.build(f)
			f.requireFacts(id, v.Now, tc.facts)
			if got := f.decide(t, v, id); show(got) != show(rule.Hidden) {
				t.Errorf("Decide: got %s, want Hidden (%s)", show(got), show(rule.Hidden))
			}
			// The viewer's own practice is decided normally: the row is
			// hidden because of the boundary, not because Decide sees
			// nothing.
			own := f.client(graphtest.ResponsibleIs(f.me))
			if d := f.decide(t, v, own.ID); !d.Visible() {
				t.Errorf("Decide on a client of the viewer's own practice: %s", show(d))
			}
		})
	}
}

// DecideClients decides a page of clients in one statement; each decision is
// the one Decide gives the client alone, and a client of another practice or
// an unknown ID is left out of the answer.
func TestDecideClients_BatchAgreesWithOneByOne(t *testing.T) {
	base := graphtest.New(t)
	f := newFixture(t, base, allTeamPractice)
	clients := f.randomClients(rand.New(rand.NewPCG(50, 1)), 50)
	foreign := f.foreignClient(graphtest.ResponsibleIs(f.me))
	ids := graphtest.IDs(clients...)
	batch := append(append([]pulid.ID{}, ids...), foreign.ID, pulid.MustNew("CL"))

	viewers := []struct {
		name string
		v    *viewer.Viewer
	}{
		{"practitioner", f.viewer()},
		{"admin", f.viewer(viewertest.Admin())},
		{"administrative with ACCESS_ALL_CLIENTS within red", f.viewer(viewertest.Administrative(),
			viewertest.WithCapabilities(access.AccessAllClients), viewertest.RestrictedToTags(f.red.ID))},
		{"EDIT access to other, VIEW to ALL, within blue", f.viewer(viewertest.WithTeamAccess(ptr(f.other.ID), access.Edit),
			viewertest.WithTeamAccess(nil, access.View), viewertest.RestrictedToTags(f.blue.ID))},
		{"two hours later", f.viewer(viewertest.At(f.in(2 * time.Hour)))},
		{"break glass reaching restricted clients", f.viewer(viewertest.WithSettings(viewer.Settings{
			ClientVisibility: access.AllTeam, EmergencyReachesRestricted: true}))},
		{"deactivated admin", f.viewer(viewertest.Inactive(), viewertest.Admin())},
	}
	var visible, hidden, cut int
	for _, nv := range viewers {
		t.Run(nv.name, func(t *testing.T) {
			v := nv.v
			got, err := rule.DecideClients(t.Context(), f.e.Client(), v, batch)
			if err != nil {
				t.Fatal(err)
			}
			if v.Active && len(got) != len(ids) {
				t.Errorf("DecideClients answered %d clients, want the %d of the practice", len(got), len(ids))
			}
			if _, ok := got[foreign.ID]; ok {
				t.Errorf("DecideClients answered for a client of another practice")
			}
			for _, id := range ids {
				one := f.decide(t, v, id)
				d, ok := got[id]
				if !ok {
					d = rule.Hidden
				}
				if show(d) != show(one) {
					t.Errorf("client %s (%s):\n batch      %s\n one by one %s", id, f.facts(id, v.Now), show(d), show(one))
				}
				if one.Visible() {
					visible++
				} else {
					hidden++
				}
				if len(one.Cuts) > 0 {
					cut++
				}
			}
		})
	}
	// The comparison means something only if the batch mixes decisions.
	if visible == 0 || hidden == 0 || cut == 0 {
		t.Errorf("the random practice gave %d visible, %d hidden, %d cut decisions: every kind is needed", visible, hidden, cut)
	}
}
