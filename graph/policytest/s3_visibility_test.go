package policytest

import (
	"testing"
	"time"

	"caseload/ent"
	"caseload/ent/practice"
	"caseload/ent/schema/access"
	"caseload/graph/graphtest"
)

// Policy §3: each rule, with the side it opens and the side it leaves shut.

func TestAdmin_SeesEveryClientOfOwnPracticeOnly(t *testing.T) {
	e := graphtest.New(t)
	p, other := e.Practice(), e.Practice()
	admin := e.Member(p, graphtest.Admin())
	a := e.NewClient(p, graphtest.Restricted(), graphtest.Visibility(access.CareTeam))
	b := e.NewClient(p)
	foreign := e.NewClient(other, graphtest.Visibility(access.AllTeam))
	requireSees(t, e, admin, []*ent.ClientRecord{a, b, foreign}, a, b)
}

func TestNoRule_HidesClient(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	m := e.Member(p)
	c := e.NewClient(p, graphtest.ResponsibleIs(e.Member(p)))
	requireSees(t, e, m, []*ent.ClientRecord{c})
}

func TestAccessAllClients_SeesUnrestrictedClients(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	role := profileOnlyRole(e, p)
	m := e.Member(p, graphtest.Administrative(), graphtest.WithRole(role))
	open := e.NewClient(p)
	restricted := e.NewClient(p, graphtest.Restricted())
	requireSees(t, e, m, []*ent.ClientRecord{open, restricted}, open)
}

func TestResponsibleAndCareTeam_SeeClient(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	owner, assigned, formerly := e.Member(p), e.Member(p), e.Member(p)
	c := e.NewClient(p, graphtest.ResponsibleIs(owner), graphtest.Restricted())
	e.Assign(c, assigned)
	e.EndAssignment(e.Assign(c, formerly))
	requireSees(t, e, owner, []*ent.ClientRecord{c}, c)
	requireSees(t, e, assigned, []*ent.ClientRecord{c}, c)
	requireSees(t, e, formerly, []*ent.ClientRecord{c})
}

func TestShare_ActiveShowsClient_ExpiredAndRevokedHide(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	m := e.Member(p)
	active := e.NewClient(p, graphtest.Restricted())
	future := e.NewClient(p)
	expired := e.NewClient(p)
	revoked := e.NewClient(p)
	e.Share(active, m, access.View)
	e.Share(future, m, access.Edit, graphtest.Expires(time.Now().Add(time.Hour)))
	e.Share(expired, m, access.Edit, graphtest.Expires(time.Now().Add(-time.Minute)))
	e.Share(revoked, m, access.Edit, graphtest.Revoked())
	requireSees(t, e, m, []*ent.ClientRecord{active, future, expired, revoked}, active, future)
}

func TestWholeTeamVisibility_FollowsClientAndPracticeSetting(t *testing.T) {
	e := graphtest.New(t)
	careTeamPractice := e.Practice(func(c *ent.PracticeCreate) { c.SetClientVisibility(access.CareTeam) })
	allTeamPractice := e.Practice(func(c *ent.PracticeCreate) { c.SetClientVisibility(access.AllTeam) })

	m := e.Member(careTeamPractice)
	allTeam := e.NewClient(careTeamPractice, graphtest.Visibility(access.AllTeam))
	byDefault := e.NewClient(careTeamPractice)
	requireSees(t, e, m, []*ent.ClientRecord{allTeam, byDefault}, allTeam)

	n := e.Member(allTeamPractice)
	defaultOpen := e.NewClient(allTeamPractice)
	careTeamOnly := e.NewClient(allTeamPractice, graphtest.Visibility(access.CareTeam))
	restricted := e.NewClient(allTeamPractice, graphtest.Restricted())
	requireSees(t, e, n, []*ent.ClientRecord{defaultOpen, careTeamOnly, restricted}, defaultOpen)
}

func TestWholeTeamSetting_ChangeAppliesOnNextRequest(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	m := e.Member(p)
	c := e.NewClient(p)
	requireSees(t, e, m, []*ent.ClientRecord{c})
	if err := e.Client().Practice.Update().Where(practice.IDEQ(p.ID)).SetClientVisibility(access.AllTeam).Exec(e.Ctx); err != nil {
		t.Fatal(err)
	}
	requireSees(t, e, m, []*ent.ClientRecord{c}, c)
}

func TestTeamMemberAccess_ReachesTargetsCareTeamClients(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	supervisor, junior, other := e.Member(p), e.Member(p), e.Member(p)
	e.TeamAccess(supervisor, junior, access.View)
	owned := e.NewClient(p, graphtest.ResponsibleIs(junior))
	assigned := e.NewClient(p, graphtest.ResponsibleIs(other))
	e.Assign(assigned, junior)
	notTheirs := e.NewClient(p, graphtest.ResponsibleIs(other))
	restricted := e.NewClient(p, graphtest.ResponsibleIs(junior), graphtest.Restricted())
	requireSees(t, e, supervisor, []*ent.ClientRecord{owned, assigned, notTheirs, restricted}, owned, assigned)
}

func TestTeamMemberAccessToAll_ReachesClientsWithACareTeam(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	m, owner := e.Member(p), e.Member(p)
	e.TeamAccess(m, nil, access.View)
	staffed := e.NewClient(p, graphtest.ResponsibleIs(owner))
	unassigned := e.NewClient(p)
	requireSees(t, e, m, []*ent.ClientRecord{staffed, unassigned}, staffed)
}

func TestEmergencyAccess_ActiveShowsClient_ExpiredAndRestrictedHide(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	m := e.Member(p)
	active := e.NewClient(p)
	expired := e.NewClient(p)
	restricted := e.NewClient(p, graphtest.Restricted())
	e.Emergency(active, m, time.Now().Add(time.Hour))
	e.Emergency(expired, m, time.Now().Add(-time.Minute))
	e.Emergency(restricted, m, time.Now().Add(time.Hour))
	requireSees(t, e, m, []*ent.ClientRecord{active, expired, restricted}, active)
}

func TestEmergencyAccess_ReachesRestrictedWhenPracticeAllows(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice(func(c *ent.PracticeCreate) { c.SetEmergencyReachesRestricted(true) })
	m := e.Member(p)
	restricted := e.NewClient(p, graphtest.Restricted())
	e.Emergency(restricted, m, time.Now().Add(time.Hour))
	requireSees(t, e, m, []*ent.ClientRecord{restricted}, restricted)
}

func TestTagRestriction_LimitsBroadRulesOnly(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	north, south := e.Tag(p, "North"), e.Tag(p, "South")
	role := e.Role(p, access.Administrative, access.SectionLevels{access.Profile: access.View},
		[]access.Capability{access.AccessAllClients}, north)
	m := e.Member(p, graphtest.Administrative(), graphtest.WithRole(role))
	northern := e.NewClient(p, graphtest.Tagged(north))
	southern := e.NewClient(p, graphtest.Tagged(south))
	untagged := e.NewClient(p)
	sharedSouthern := e.NewClient(p, graphtest.Tagged(south))
	e.Share(sharedSouthern, m, access.View)
	requireSees(t, e, m, []*ent.ClientRecord{northern, southern, untagged, sharedSouthern}, northern, sharedSouthern)
}

func TestDeactivatedMember_IsRefusedOnNextRequest(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	m := e.Member(p)
	e.NewClient(p, graphtest.ResponsibleIs(m))
	token := e.Token(m)
	if r := e.Do(token, `{ viewer { id } }`, nil); r.Status != 200 {
		t.Fatalf("active member refused: %d %+v", r.Status, r.Errors)
	}
	if err := e.Client().Member.UpdateOne(m).SetActive(false).Exec(e.Ctx); err != nil {
		t.Fatal(err)
	}
	r := e.Do(token, `{ clients { totalCount } }`, nil)
	if r.Status != 401 || len(r.Errors) != 1 || r.Errors[0].Code() != "UNAUTHENTICATED" {
		t.Fatalf("deactivated member: status %d, errors %+v", r.Status, r.Errors)
	}
}
