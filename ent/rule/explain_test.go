package rule_test

import (
	"testing"
	"time"

	"caseload/ent"
	"caseload/ent/rule"
	"caseload/ent/schema/access"
	"caseload/ent/viewer"
	"caseload/ent/viewer/viewertest"
	"caseload/graph/graphtest"
)

// runExplainTable runs rows of policy §10 through rule.ExplainClient: the
// decision with its near misses. Every row also checks that the
// explanation's level and rules are Decide's, and that it keeps every cut
// Decide reports: the explanation is the decision, with more cuts.
func runExplainTable(t *testing.T, cases []decideCase) {
	t.Helper()
	base := graphtest.New(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, base, tc.practice...)
			c, v := tc.build(f)
			f.requireFacts(c.ID, v.Now, tc.facts)
			got, err := rule.ExplainClient(t.Context(), f.e.Client(), v, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			want := rule.Decision{Level: tc.level, Rules: tc.rules, Cuts: tc.cuts}
			if show(got) != show(want) {
				t.Errorf("ExplainClient:\n got  %s\n want %s", show(got), show(want))
			}
			requireExplainsDecision(t, f.decide(t, v, c.ID), got)
		})
	}
}

// requireExplainsDecision fails unless ex has d's level and rules and every
// cut of d.
func requireExplainsDecision(t *testing.T, d, ex rule.Decision) {
	t.Helper()
	if show(rule.Decision{Level: ex.Level, Rules: ex.Rules}) != show(rule.Decision{Level: d.Level, Rules: d.Rules}) {
		t.Fatalf("the explanation's level and rules differ from the decision:\n explain %s\n decide  %s", show(ex), show(d))
	}
	for _, c := range d.Cuts {
		found := false
		for _, e := range ex.Cuts {
			found = found || e == c
		}
		if !found {
			t.Fatalf("the explanation lost the decision's cut %v:\n explain %s\n decide  %s", c, show(ex), show(d))
		}
	}
}

// Policy §10: a share that no longer gives access is a cut by EXPIRED or
// REVOKED (§3 rule 4), at the level it gave.
func TestExplain_SharesCutByExpiryAndRevocation(t *testing.T) {
	runExplainTable(t, []decideCase{
		{
			name: "expired share",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				c := f.client(graphtest.ResponsibleIs(f.other), graphtest.Visibility(access.CareTeam))
				f.e.Share(c, f.me, access.View, graphtest.Expires(f.in(-time.Minute)))
				return c, f.viewer()
			},
			facts: "vis=CARE_TEAM responsible=other share=me:VIEW:expired",
			level: access.None,
			cuts:  []rule.Cut{cutBy(access.RuleShare, access.View, access.CutExpired)},
		},
		{
			name: "share expiring exactly now",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				c := f.client(graphtest.Visibility(access.CareTeam))
				f.e.Share(c, f.me, access.Edit, graphtest.Expires(f.now))
				return c, f.viewer()
			},
			facts: "vis=CARE_TEAM share=me:EDIT:expired",
			level: access.None,
			cuts:  []rule.Cut{cutBy(access.RuleShare, access.Edit, access.CutExpired)},
		},
		{
			name: "revoked share, even past its expiry",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				c := f.client(graphtest.Visibility(access.CareTeam))
				f.e.Share(c, f.me, access.Edit, graphtest.Revoked(), graphtest.Expires(f.in(-time.Minute)))
				return c, f.viewer()
			},
			facts: "vis=CARE_TEAM share=me:EDIT:expired:revoked",
			level: access.None,
			cuts:  []rule.Cut{cutBy(access.RuleShare, access.Edit, access.CutRevoked)},
		},
		{
			name: "an open VIEW share beside an expired EDIT share",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				c := f.client(graphtest.Visibility(access.CareTeam))
				f.e.Share(c, f.me, access.View)
				f.e.Share(c, f.me, access.Edit, graphtest.Expires(f.in(-time.Hour)))
				return c, f.viewer()
			},
			facts: "vis=CARE_TEAM share=me:EDIT:expired,me:VIEW",
			level: access.View,
			rules: []rule.Applied{applied(access.RuleShare, access.View)},
			cuts:  []rule.Cut{cutBy(access.RuleShare, access.Edit, access.CutExpired)},
		},
		{
			name: "a colleague's revoked share is not mine",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				c := f.client(graphtest.Visibility(access.CareTeam))
				f.e.Share(c, f.other, access.Edit, graphtest.Revoked())
				return c, f.viewer()
			},
			facts: "vis=CARE_TEAM share=other:EDIT:revoked",
			level: access.None,
		},
	})
}

// Policy §10, PRACTICE_SETTING: rule 5 for a PRACTICE_DEFAULT client while
// clientVisibility is CARE_TEAM, with the broad limits that would still
// apply; nothing for a client whose own visibility is CARE_TEAM.
func TestExplain_WholeTeamCutByPracticeSetting(t *testing.T) {
	runExplainTable(t, []decideCase{
		{
			name: "PRACTICE_DEFAULT client, practice CARE_TEAM",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				return f.client(graphtest.ResponsibleIs(f.other)), f.viewer()
			},
			facts: "vis=PRACTICE_DEFAULT responsible=other",
			level: access.None,
			cuts:  []rule.Cut{cutBy(access.RuleWholeTeam, access.Edit, access.CutPracticeSetting)},
		},
		{
			name: "the same client restricted",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				return f.client(graphtest.ResponsibleIs(f.other), graphtest.Restricted()), f.viewer()
			},
			facts: "vis=PRACTICE_DEFAULT restricted responsible=other",
			level: access.None,
			cuts: []rule.Cut{
				cutBy(access.RuleWholeTeam, access.Edit, access.CutPracticeSetting),
				cutBy(access.RuleWholeTeam, access.Edit, access.CutRestrictedFlag),
			},
		},
		{
			name: "the same client for a role restricted to red",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				return f.client(graphtest.ResponsibleIs(f.other), graphtest.Tagged(f.blue)), f.viewer(viewertest.RestrictedToTags(f.red.ID))
			},
			facts: "vis=PRACTICE_DEFAULT tags=blue responsible=other",
			level: access.None,
			cuts: []rule.Cut{
				cutBy(access.RuleWholeTeam, access.Edit, access.CutPracticeSetting),
				cutBy(access.RuleWholeTeam, access.Edit, access.CutTagRestriction),
			},
		},
		{
			name:     "PRACTICE_DEFAULT client, practice ALL_TEAM",
			practice: []func(*ent.PracticeCreate){allTeamPractice},
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				return f.client(graphtest.ResponsibleIs(f.other)), f.viewer()
			},
			facts: "vis=PRACTICE_DEFAULT responsible=other",
			level: access.Edit,
			rules: []rule.Applied{applied(access.RuleWholeTeam, access.Edit)},
		},
		{
			name: "CARE_TEAM client: no setting would open it",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				return f.client(graphtest.ResponsibleIs(f.other), graphtest.Visibility(access.CareTeam)), f.viewer()
			},
			facts: "vis=CARE_TEAM responsible=other",
			level: access.None,
		},
	})
}

// Policy §10 on rule 7: an expired grant is cut by EXPIRED; an unexpired
// grant on a restricted client, cut by the restricted flag, is also cut by
// the practice setting emergencyReachesRestricted.
func TestExplain_EmergencyGrantCuts(t *testing.T) {
	runExplainTable(t, []decideCase{
		{
			name: "expired grant",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				c := f.client(graphtest.ResponsibleIs(f.other), graphtest.Visibility(access.CareTeam))
				f.e.Emergency(c, f.me, f.in(-time.Second))
				return c, f.viewer()
			},
			facts: "vis=CARE_TEAM responsible=other emergency=me:expired",
			level: access.None,
			cuts:  []rule.Cut{cutBy(access.RuleEmergency, access.View, access.CutExpired)},
		},
		{
			name: "grant on a restricted client, setting off",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				c := f.client(graphtest.Restricted(), graphtest.Visibility(access.CareTeam))
				f.e.Emergency(c, f.me, f.in(time.Hour))
				return c, f.viewer()
			},
			facts: "vis=CARE_TEAM restricted emergency=me",
			level: access.None,
			cuts: []rule.Cut{
				cutBy(access.RuleEmergency, access.View, access.CutPracticeSetting),
				cutBy(access.RuleEmergency, access.View, access.CutRestrictedFlag),
			},
		},
		{
			name:     "grant on a restricted client, setting on",
			practice: []func(*ent.PracticeCreate){emergencyReachesRestricted},
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				c := f.client(graphtest.Restricted(), graphtest.Visibility(access.CareTeam))
				f.e.Emergency(c, f.me, f.in(time.Hour))
				return c, f.viewer()
			},
			facts: "vis=CARE_TEAM restricted emergency=me",
			level: access.View,
			rules: []rule.Applied{applied(access.RuleEmergency, access.View)},
		},
	})
}

// Policy §2 and §10, INACTIVE: a deactivated member sees nothing; every rule
// that would apply is cut by the deactivation, admins' rule 1 included. A
// deactivated practitioner as the target of team member access is no cut:
// rule 6 still reaches their clients (§3, "Deactivated practitioners").
func TestExplain_Deactivation(t *testing.T) {
	runExplainTable(t, []decideCase{
		{
			name: "deactivated responsible practitioner with an expired share",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				c := f.client(graphtest.ResponsibleIs(f.me), graphtest.Visibility(access.AllTeam))
				f.e.Share(c, f.me, access.View, graphtest.Expires(f.in(-time.Minute)))
				return c, f.viewer(viewertest.Inactive())
			},
			facts: "vis=ALL_TEAM responsible=me share=me:VIEW:expired",
			level: access.None,
			cuts: []rule.Cut{
				cutBy(access.RuleResponsible, access.Edit, access.CutInactive),
				cutBy(access.RuleShare, access.View, access.CutExpired),
				cutBy(access.RuleWholeTeam, access.Edit, access.CutInactive),
			},
		},
		{
			name: "deactivated admin",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				return f.client(graphtest.Restricted()), f.viewer(viewertest.Admin(), viewertest.Inactive())
			},
			facts: "vis=PRACTICE_DEFAULT restricted",
			level: access.None,
			cuts:  []rule.Cut{cutBy(access.RuleAdmin, access.Edit, access.CutInactive)},
		},
		{
			name: "an admin's expired share is no cut: rule 1 decides alone",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				c := f.client(graphtest.Visibility(access.CareTeam))
				f.e.Share(c, f.me, access.View, graphtest.Expires(f.in(-time.Minute)))
				return c, f.viewer(viewertest.Admin())
			},
			facts: "vis=CARE_TEAM share=me:VIEW:expired",
			level: access.Edit,
			rules: []rule.Applied{applied(access.RuleAdmin, access.Edit)},
		},
		{
			name: "team member access to a deactivated practitioner",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				return f.client(graphtest.ResponsibleIs(f.gone), graphtest.Visibility(access.CareTeam)),
					f.viewer(viewertest.WithTeamAccess(ptr(f.gone.ID), access.View))
			},
			facts: "vis=CARE_TEAM responsible=gone",
			level: access.View,
			rules: []rule.Applied{applied(access.RuleTeamAccess, access.View)},
		},
	})
}
