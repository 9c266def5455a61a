package policytest

import (
	"strings"
	"testing"

	"caseload/ent"
	"caseload/ent/schema/access"
	"caseload/graph/graphtest"
)

// Policy §6: practice administration.

const settingsMutation = `mutation($in: PracticeSettingsInput!) { updatePracticeSettings(input: $in) { clientVisibility timeZone } }`

func teamManager(e *graphtest.Env, p *ent.Practice, sections access.SectionLevels, caps ...access.Capability) *ent.Member {
	role := e.Role(p, access.Administrative, sections, append(caps, access.ManageTeam))
	return e.Member(p, graphtest.Administrative(), graphtest.WithRole(role))
}

func TestPracticeSettings_ManagersChange_OthersForbidden(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	manager := teamManager(e, p, access.SectionLevels{access.Profile: access.View})
	m := e.Member(p)
	c := e.NewClient(p)
	requireCode(t, e.As(m, settingsMutation, map[string]any{"in": map[string]any{"clientVisibility": "ALL_TEAM"}}), "FORBIDDEN")
	requireSees(t, e, m, []*ent.ClientRecord{c})
	e.As(manager, settingsMutation, map[string]any{"in": map[string]any{"clientVisibility": "ALL_TEAM", "timeZone": "Australia/Sydney"}}).RequireNoErrors(t)
	requireSees(t, e, m, []*ent.ClientRecord{c}, c)
	for name, in := range map[string]map[string]any{
		"practice default": {"clientVisibility": "PRACTICE_DEFAULT"},
		"unknown zone":     {"timeZone": "Mars/Olympus"},
		"minutes":          {"emergencyAccessMinutes": 0},
	} {
		t.Run(name, func(t *testing.T) {
			requireCode(t, e.As(manager, settingsMutation, map[string]any{"in": in}), "BAD_USER_INPUT")
		})
	}
}

const createRoleMutation = `mutation($in: RoleInput!) { createRole(input: $in) { id name sections { section level } capabilities restrictToTags { name } } }`

func roleInput(name string, sections map[string]string, caps ...string) map[string]any {
	list := []any{}
	if caps == nil {
		caps = []string{}
	}
	for s, l := range sections {
		list = append(list, map[string]any{"section": s, "level": l})
	}
	return map[string]any{"in": map[string]any{"name": name, "accountType": "ADMINISTRATIVE", "sections": list, "capabilities": caps}}
}

func TestCreateRole_NoOneGrantsMoreThanTheyHold(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	manager := teamManager(e, p, access.SectionLevels{access.Profile: access.View})
	requireCode(t, e.As(manager, createRoleMutation, roleInput("Editor", map[string]string{"PROFILE": "EDIT"})), "FORBIDDEN")
	requireCode(t, e.As(manager, createRoleMutation, roleInput("All", map[string]string{}, "ACCESS_ALL_CLIENTS")), "FORBIDDEN")
	r := e.As(manager, createRoleMutation, roleInput("Reader", map[string]string{"PROFILE": "VIEW"}, "MANAGE_TEAM"))
	r.RequireNoErrors(t)
	if !strings.Contains(string(r.Data), `{"section":"PROFILE","level":"VIEW"}`) || !strings.Contains(string(r.Data), `{"section":"BILLING","level":"NONE"}`) {
		t.Fatalf("sections left out are NONE: %s", r.Data)
	}
	requireCode(t, e.As(manager, createRoleMutation, roleInput("Reader", map[string]string{"PROFILE": "VIEW"})), "CONFLICT")
	requireCode(t, e.As(e.Member(p), createRoleMutation, roleInput("Mine", nil)), "FORBIDDEN")
}

func TestCreateRole_BadInput(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	admin := e.Member(p, graphtest.Admin())
	dup := map[string]any{"in": map[string]any{"name": "Dup", "accountType": "ADMINISTRATIVE", "capabilities": []any{},
		"sections": []any{map[string]any{"section": "PROFILE", "level": "VIEW"}, map[string]any{"section": "PROFILE", "level": "EDIT"}}}}
	requireCode(t, e.As(admin, createRoleMutation, dup), "BAD_USER_INPUT")
	unknown := roleInput("Unknown", map[string]string{"SECRETS": "VIEW"})
	requireCode(t, e.As(admin, createRoleMutation, unknown), "BAD_USER_INPUT")
	otherTag := e.Tag(e.Practice(), "Elsewhere")
	foreign := roleInput("Foreign", nil)
	foreign["in"].(map[string]any)["restrictToTagIds"] = []any{otherTag.ID}
	requireCode(t, e.As(admin, createRoleMutation, foreign), "BAD_USER_INPUT")
}

func TestDeleteRole_HeldRole_ConflictUnlessReassigned(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	admin := e.Member(p, graphtest.Admin())
	old := e.Role(p, access.Administrative, access.SectionLevels{access.Profile: access.View}, nil)
	replacement := e.Role(p, access.Administrative, access.SectionLevels{access.Scheduling: access.View}, nil)
	holder := e.Member(p, graphtest.Administrative(), graphtest.WithRole(old))
	del := `mutation($id: ID!, $to: ID) { deleteRole(id: $id, reassignToRoleId: $to) }`
	requireCode(t, e.As(admin, del, map[string]any{"id": old.ID}), "CONFLICT")
	e.As(admin, del, map[string]any{"id": old.ID, "to": replacement.ID}).RequireNoErrors(t)
	got, err := e.Client().Member.Get(e.Ctx, holder.ID)
	if err != nil || got.RoleID == nil || *got.RoleID != replacement.ID {
		t.Fatalf("the holder must move to the replacement role: %+v %v", got, err)
	}
}

func TestCreateTag_DuplicateName_Conflict(t *testing.T) {
	e := graphtest.New(t)
	admin := e.Member(e.Practice(), graphtest.Admin())
	q := `mutation($n: String!) { createTag(name: $n) { id name } }`
	e.As(admin, q, map[string]any{"n": "North"}).RequireNoErrors(t)
	requireCode(t, e.As(admin, q, map[string]any{"n": "North"}), "CONFLICT")
	requireCode(t, e.As(admin, q, map[string]any{"n": "  "}), "BAD_USER_INPUT")
}

const grantMutation = `mutation($m: ID!, $t: ID, $l: AccessLevel!) { grantTeamAccess(memberId: $m, targetMemberId: $t, level: $l) { id level } }`

func TestGrantTeamAccess_OpensTargetsClients_RevokeCloses(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	admin := e.Member(p, graphtest.Admin())
	supervisor, junior := e.Member(p), e.Member(p)
	c := e.NewClient(p, graphtest.ResponsibleIs(junior))
	r := e.As(admin, grantMutation, map[string]any{"m": supervisor.ID, "t": junior.ID, "l": "VIEW"})
	r.RequireNoErrors(t)
	var out struct{ GrantTeamAccess struct{ ID string } }
	r.Decode(t, &out)
	requireSees(t, e, supervisor, []*ent.ClientRecord{c}, c)
	e.As(admin, `mutation($id: ID!) { revokeTeamAccess(id: $id) }`, map[string]any{"id": out.GrantTeamAccess.ID}).RequireNoErrors(t)
	requireSees(t, e, supervisor, []*ent.ClientRecord{c})
}

func TestGrantTeamAccess_MoreThanHeld_ForbiddenAndBadTargets(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	manager := teamManager(e, p, access.SectionLevels{access.Profile: access.View})
	admin := e.Member(p, graphtest.Admin())
	m, target := e.Member(p), e.Member(p)
	requireCode(t, e.As(manager, grantMutation, map[string]any{"m": m.ID, "t": target.ID, "l": "VIEW"}), "FORBIDDEN")
	requireCode(t, e.As(m, grantMutation, map[string]any{"m": m.ID, "t": target.ID, "l": "VIEW"}), "FORBIDDEN")
	requireCode(t, e.As(admin, grantMutation, map[string]any{"m": m.ID, "t": m.ID, "l": "VIEW"}), "BAD_USER_INPUT")
	requireCode(t, e.As(admin, grantMutation, map[string]any{"m": m.ID, "t": e.Member(p, graphtest.Administrative()).ID, "l": "VIEW"}), "BAD_USER_INPUT")
	requireCode(t, e.As(admin, grantMutation, map[string]any{"m": m.ID, "l": "NONE"}), "BAD_USER_INPUT")
}

// Policy §6 with the §3 tag restriction: a tag-restricted manager holds broad
// access only within their tags, so they cannot give (or take) more.
// Regression: a security review found this defect; checked on both sides.
func TestTagRestrictedManager_CannotWidenARole(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	north, south := e.Tag(p, "North"), e.Tag(p, "South")
	own := e.Role(p, access.Administrative, access.SectionLevels{access.Profile: access.View, access.Scheduling: access.View},
		[]access.Capability{access.AccessAllClients, access.ManageTeam}, north)
	m := e.Member(p, graphtest.Administrative(), graphtest.WithRole(own))
	northern, southern := e.NewClient(p, graphtest.Tagged(north)), e.NewClient(p, graphtest.Tagged(south))
	input := func(tags ...any) map[string]any {
		return map[string]any{"name": "Widened", "accountType": "ADMINISTRATIVE", "capabilities": []any{"ACCESS_ALL_CLIENTS", "MANAGE_TEAM"},
			"sections":         []any{map[string]any{"section": "PROFILE", "level": "VIEW"}, map[string]any{"section": "SCHEDULING", "level": "VIEW"}},
			"restrictToTagIds": tags}
	}
	update := `mutation($id: ID!, $in: RoleInput!) { updateRole(id: $id, input: $in) { id } }`
	requireCode(t, e.As(m, update, map[string]any{"id": own.ID, "in": input()}), "FORBIDDEN")
	requireCode(t, e.As(m, update, map[string]any{"id": own.ID, "in": input(south.ID)}), "FORBIDDEN")
	requireCode(t, e.As(m, createRoleMutation, map[string]any{"in": input()}), "FORBIDDEN")
	e.As(m, createRoleMutation, map[string]any{"in": input(north.ID)}).RequireNoErrors(t)
	requireSees(t, e, m, []*ent.ClientRecord{northern, southern}, northern)
	// Nor can they move themselves onto the untagged defaults.
	requireCode(t, e.As(m, updateMemberMutation, map[string]any{"id": m.ID, "in": map[string]any{"clearRole": true}}), "FORBIDDEN")
}

// Policy §6: leaving a member on the built-in defaults grants those defaults.
// Regression: a security review found this defect; checked on both sides.
func TestClearRole_GrantsTheBuiltInDefaults_NotBeyondTheManager(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	manager := teamManager(e, p, access.SectionLevels{access.Profile: access.View})
	limited := e.Role(p, access.Practitioner, access.SectionLevels{access.Profile: access.View}, nil)
	practitioner := e.Member(p, graphtest.WithRole(limited))
	requireCode(t, e.As(manager, updateMemberMutation, map[string]any{"id": practitioner.ID, "in": map[string]any{"clearRole": true}}), "FORBIDDEN")
	admin := e.Member(p, graphtest.Admin())
	e.As(admin, updateMemberMutation, map[string]any{"id": practitioner.ID, "in": map[string]any{"clearRole": true}}).RequireNoErrors(t)
}

// Policy §3, restricted clients: emergencyReachesRestricted is "(admins
// only)". A team manager may change the practice's other settings, not the
// one that opens restricted clients to break-glass access.
func TestPracticeSettings_EmergencyReachIsChangedByAdminsOnly(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	admin := e.Member(p, graphtest.Admin())
	manager := e.Member(p, graphtest.Administrative(), graphtest.WithRole(e.Role(p, access.Administrative, nil, []access.Capability{access.ManageTeam})))
	set := `mutation($in: PracticeSettingsInput!) { updatePracticeSettings(input: $in) { emergencyAccessMinutes } }`
	requireCode(t, e.As(manager, set, map[string]any{"in": map[string]any{"emergencyReachesRestricted": true}}), "FORBIDDEN")
	if e.Client().Practice.GetX(e.Ctx, p.ID).EmergencyReachesRestricted {
		t.Fatal("a team manager switched emergency reach on")
	}
	e.As(manager, set, map[string]any{"in": map[string]any{"emergencyAccessMinutes": 30}}).RequireNoErrors(t)
	e.As(admin, set, map[string]any{"in": map[string]any{"emergencyReachesRestricted": true}}).RequireNoErrors(t)
	if !e.Client().Practice.GetX(e.Ctx, p.ID).EmergencyReachesRestricted {
		t.Fatal("an admin could not switch emergency reach on")
	}
}
