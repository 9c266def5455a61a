package graph_test

import (
	"strings"
	"testing"

	"caseload/ent"
	"caseload/ent/schema/access"
	"caseload/graph/graphtest"
)

// Regression tests for defects a security review found, each on both sides.

// Policy §6 with the §3 tag restriction: a tag-restricted manager holds broad
// access only within their tags, so they cannot give (or take) more.
func TestTagRestrictedManager_CannotWidenReachOfAnyRole(t *testing.T) {
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
func TestClearRole_DefaultsBeyondTheManager_Forbidden(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	manager := teamManager(e, p, access.SectionLevels{access.Profile: access.View})
	limited := e.Role(p, access.Practitioner, access.SectionLevels{access.Profile: access.View}, nil)
	practitioner := e.Member(p, graphtest.WithRole(limited))
	requireCode(t, e.As(manager, updateMemberMutation, map[string]any{"id": practitioner.ID, "in": map[string]any{"clearRole": true}}), "FORBIDDEN")
	admin := e.Member(p, graphtest.Admin())
	e.As(admin, updateMemberMutation, map[string]any{"id": practitioner.ID, "in": map[string]any{"clearRole": true}}).RequireNoErrors(t)
}

// Policy §4: which clients carry a tag is PROFILE data.
func TestTagClients_NeedProfile(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	noProfile := e.Role(p, access.Administrative, access.SectionLevels{access.Scheduling: access.View}, []access.Capability{access.AccessAllClients})
	blind := e.Member(p, graphtest.Administrative(), graphtest.WithRole(noProfile))
	reader := e.Member(p, graphtest.Admin())
	tag := e.Tag(p, "Eating disorder programme")
	c := e.NewClient(p, graphtest.Tagged(tag))
	q := `{ tags { name clients(first: 10) { totalCount edges { node { name } } } } }`
	denied := e.As(blind, q, nil)
	requireForbiddenSection(t, denied, "PROFILE")
	if strings.Contains(string(denied.Data), c.Name) {
		t.Fatalf("the tag revealed its client: %s", denied.Data)
	}
	if r := e.As(reader, q, nil); !strings.Contains(string(r.Data), c.Name) {
		t.Fatalf("a PROFILE reader sees the tag's clients: %s %+v", r.Data, r.Errors)
	}
}

// Policy §6, sharing: share records are for those who manage access and the
// recipient, through node as through Client.shares.
func TestShareRecords_OnlyManagersAndRecipient_EvenByNode(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	owner, x, y := e.Member(p), e.Member(p), e.Member(p)
	c := e.NewClient(p, graphtest.ResponsibleIs(owner))
	e.Share(c, x, access.View)
	ys := e.Share(c, y, access.Edit)
	q := `query($id: ID!) { node(id: $id) { ... on Share { level member { id } } } }`
	if r := e.As(x, q, map[string]any{"id": ys.ID}); !strings.Contains(string(r.Data), `"node":null`) {
		t.Fatalf("another recipient read the share: %s", r.Data)
	}
	for _, m := range []*ent.Member{owner, y} {
		if r := e.As(m, q, map[string]any{"id": ys.ID}); !strings.Contains(string(r.Data), `"level":"EDIT"`) {
			t.Fatalf("the manager and the recipient read the share: %s %+v", r.Data, r.Errors)
		}
	}
}

// Policy §1: an invitation does not reveal that an address has an account in
// another practice; its acceptance fails, telling only the address's owner.
func TestInviteMember_AddressOfAnotherPractice_NotRevealedToInviter(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	admin := e.Member(p, graphtest.Admin())
	elsewhere := e.Member(e.Practice())
	r := e.As(admin, inviteMutation, map[string]any{"in": map[string]any{"name": "X", "email": elsewhere.Email, "accountType": "PRACTITIONER"}})
	r.RequireNoErrors(t)
	var inv struct{ InviteMember struct{ Token string } }
	r.Decode(t, &inv)
	accept := `mutation($t: String!, $pw: String!) { acceptInvitation(token: $t, password: $pw) { token } }`
	requireCode(t, e.Do("", accept, map[string]any{"t": inv.InviteMember.Token, "pw": "a long enough passphrase"}), "CONFLICT")
	ownMember := e.Member(p)
	requireCode(t, e.As(admin, inviteMutation, map[string]any{"in": map[string]any{"name": "Y", "email": ownMember.Email, "accountType": "PRACTITIONER"}}), "CONFLICT")
}
