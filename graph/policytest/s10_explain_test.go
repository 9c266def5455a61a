package policytest

import (
	"strings"
	"testing"
	"time"

	"caseload/ent"
	"caseload/ent/schema/access"
	"caseload/ent/schema/pulid"
	"caseload/graph/graphtest"
)

// Policy §10: "For any member and client, the API can say whether the
// member sees the client, through which rules of section 3, which rule was
// cut and by what ..., and the effective level per section. Admins may ask
// about anyone; a member may ask about themselves and a client they can
// see. A member or client of another practice, or a client the asking
// member cannot see, gives NOT_FOUND exactly as an unknown ID."

const explainQuery = `query($m: ID!, $c: ID!) { explainAccess(memberId: $m, clientId: $c) { ...explained } }
fragment explained on AccessExplanation { sees level rules { rule level } cut { rule level by }
	sections { section level roleLevel relationshipLevel } canEdit canAssign canShare canChangeResponsible }`

func explainAs(e *graphtest.Env, asker, m *ent.Member, c pulid.ID) *graphtest.Response {
	return e.As(asker, explainQuery, map[string]any{"m": m.ID, "c": c})
}

func TestExplainAccess_NotFoundExactlyAsAnUnknownID(t *testing.T) {
	e := graphtest.New(t)
	p, other := e.Practice(), e.Practice()
	admin, m, colleague := e.Member(p, graphtest.Admin()), e.Member(p), e.Member(p)
	mine := e.NewClient(p, graphtest.ResponsibleIs(m))
	theirs := e.NewClient(p, graphtest.ResponsibleIs(colleague), graphtest.Visibility(access.CareTeam))
	foreignMember := e.Member(other)
	foreignClient := e.NewClient(other, graphtest.Visibility(access.AllTeam))
	unknownMember, unknownClient := &ent.Member{ID: pulid.MustNew("ME")}, pulid.MustNew("CL")

	// The answers that are allowed.
	explainAs(e, admin, colleague, mine.ID).RequireNoErrors(t)
	explainAs(e, m, m, mine.ID).RequireNoErrors(t)

	unknown := explainAs(e, m, m, unknownClient)
	for name, r := range map[string]*graphtest.Response{
		"a member about a colleague":                      explainAs(e, m, colleague, mine.ID),
		"a member about an unknown member":                explainAs(e, m, unknownMember, mine.ID),
		"a member about themselves and a hidden client":   explainAs(e, m, m, theirs.ID),
		"a member about another practice's client":        explainAs(e, m, m, foreignClient.ID),
		"a member about another practice's member":        explainAs(e, m, foreignMember, mine.ID),
		"an admin about another practice's member":        explainAs(e, admin, foreignMember, mine.ID),
		"an admin about another practice's client":        explainAs(e, admin, m, foreignClient.ID),
		"an admin about an unknown member":                explainAs(e, admin, unknownMember, mine.ID),
		"an admin about an unknown client":                explainAs(e, admin, m, unknownClient),
		"a member asking about a client by a member's ID": explainAs(e, m, m, m.ID),
	} {
		t.Run(name, func(t *testing.T) { requireSameAnswer(t, r, unknown) })
	}
}

// explanation is explainAccess's answer.
type explanation struct {
	Sees  bool
	Level access.Level
	Rules []struct {
		Rule  access.Rule
		Level access.Level
	}
	Cut []struct {
		Rule  access.Rule
		Level access.Level
		By    access.Cut
	}
	Sections []struct {
		Section                             access.Section
		Level, RoleLevel, RelationshipLevel access.Level
	}
	CanEdit, CanAssign, CanShare, CanChangeResponsible bool
}

func explained(t *testing.T, r *graphtest.Response) explanation {
	t.Helper()
	r.RequireNoErrors(t)
	var out struct{ ExplainAccess explanation }
	r.Decode(t, &out)
	return out.ExplainAccess
}

// cutsOf renders an explanation's cuts as "RULE:LEVEL by CUT", in order.
func cutsOf(x explanation) string {
	var parts []string
	for _, c := range x.Cut {
		parts = append(parts, string(c.Rule)+":"+string(c.Level)+" by "+string(c.By))
	}
	return strings.Join(parts, "; ")
}

func TestExplainAccess_SaysWhatCutEachRule(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	admin, m, owner := e.Member(p, graphtest.Admin()), e.Member(p), e.Member(p)
	tagged := e.Tag(p, "north")
	scheduler := e.Member(p, graphtest.WithRole(e.Role(p, access.Administrative,
		access.SectionLevels{access.Profile: access.View, access.Scheduling: access.Edit},
		[]access.Capability{access.AccessAllClients}, tagged)))
	gone := e.Member(p, graphtest.Inactive())

	expired := e.NewClient(p, graphtest.ResponsibleIs(owner), graphtest.Visibility(access.CareTeam))
	e.Share(expired, m, access.Edit, graphtest.Expires(time.Now().Add(-time.Minute)))
	revoked := e.NewClient(p, graphtest.ResponsibleIs(owner), graphtest.Visibility(access.CareTeam))
	e.Share(revoked, m, access.View, graphtest.Revoked())
	byDefault := e.NewClient(p, graphtest.ResponsibleIs(owner))
	restricted := e.NewClient(p, graphtest.ResponsibleIs(gone), graphtest.Restricted(), graphtest.Tagged(tagged), graphtest.Visibility(access.CareTeam))
	untagged := e.NewClient(p, graphtest.ResponsibleIs(owner), graphtest.Visibility(access.CareTeam))
	lapsed := e.NewClient(p, graphtest.ResponsibleIs(owner), graphtest.Visibility(access.CareTeam))
	e.Emergency(lapsed, m, time.Now().Add(-time.Second))

	for _, tc := range []struct {
		name   string
		member *ent.Member
		client *ent.ClientRecord
		cuts   string
	}{
		{"expired share", m, expired, "SHARE:EDIT by EXPIRED"},
		{"revoked share", m, revoked, "SHARE:VIEW by REVOKED"},
		{"PRACTICE_DEFAULT in a CARE_TEAM practice", m, byDefault, "WHOLE_TEAM_VISIBILITY:EDIT by PRACTICE_SETTING"},
		{"expired break-glass grant", m, lapsed, "EMERGENCY_ACCESS:VIEW by EXPIRED"},
		{"tag restriction", scheduler, untagged, "ACCESS_ALL_CLIENTS:EDIT by TAG_RESTRICTION"},
		{"restricted flag", scheduler, restricted, "ACCESS_ALL_CLIENTS:EDIT by RESTRICTED_FLAG"},
		{"deactivated member", gone, restricted, "RESPONSIBLE:EDIT by INACTIVE"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			x := explained(t, explainAs(e, admin, tc.member, tc.client.ID))
			if x.Sees || x.Level != access.None || len(x.Rules) != 0 || cutsOf(x) != tc.cuts {
				t.Fatalf("got sees=%v level=%s rules=%v cuts %q, want hidden, cut %q", x.Sees, x.Level, x.Rules, cutsOf(x), tc.cuts)
			}
			for _, s := range x.Sections {
				if s.Level != access.None || s.RelationshipLevel != access.None {
					t.Fatalf("section of a hidden client: %+v", s)
				}
			}
		})
	}
}

// The sections show the two levels the effective level is the lower of, and
// a member asking about themselves is told what an admin is told.
func TestExplainAccess_SectionsAndActions(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	admin, owner := e.Member(p, graphtest.Admin()), e.Member(p)
	clerk := e.Member(p, graphtest.WithRole(e.Role(p, access.Administrative,
		access.SectionLevels{access.Profile: access.Edit, access.Billing: access.Edit}, nil)))
	c := e.NewClient(p, graphtest.ResponsibleIs(owner), graphtest.Visibility(access.CareTeam))
	e.Share(c, clerk, access.View)

	x := explained(t, explainAs(e, admin, clerk, c.ID))
	if !x.Sees || x.Level != access.View || len(x.Rules) != 1 || x.Rules[0].Rule != access.RuleShare || x.CanEdit || x.CanShare {
		t.Fatalf("explanation: %+v", x)
	}
	for _, s := range x.Sections {
		want := access.Min(s.RoleLevel, access.View)
		if s.RelationshipLevel != access.View || s.Level != want {
			t.Fatalf("section %s: %+v", s.Section, s)
		}
		if s.Section == access.Billing && s.RoleLevel != access.Edit {
			t.Fatalf("billing's role level: %+v", s)
		}
	}
	if self := explained(t, explainAs(e, clerk, clerk, c.ID)); cutsOf(self) != cutsOf(x) || self.Level != x.Level || len(self.Sections) != len(x.Sections) {
		t.Fatalf("the member's own explanation differs from the admin's: %+v vs %+v", self, x)
	}
}
