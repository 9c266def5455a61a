package policytest

import (
	"testing"

	"caseload/ent/invitation"
	"caseload/ent/member"
	"caseload/ent/schema/access"
	"caseload/graph/auth"
	"caseload/graph/graphtest"
)

// A sign-in's answer is read as the member it signed in: selecting the
// member's role must neither fail nor undo the sign-up or acceptance.

func TestSignUp_AnswerReadsOwnMemberAndRole(t *testing.T) {
	e := graphtest.New(t)
	r := e.Do("", `mutation { signUp(practiceName: "North Clinic", name: "Ann", email: "ann@north.example", password: "a long enough passphrase 42") { token member { id name admin role { id } } } }`, nil)
	r.RequireNoErrors(t)
	if !contains(string(r.Data), `"name":"Ann"`) || !contains(string(r.Data), `"role":null`) {
		t.Fatalf("answer: %s", r.Data)
	}
	if n := e.Client().Member.Query().Where(member.EmailEQ("ann@north.example")).CountX(e.Ctx); n != 1 {
		t.Fatalf("sign-up saved %d members", n)
	}
}

func TestAcceptInvitation_AnswerReadsOwnRoleAndCannotBeReplayed(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	admin := e.Member(p, graphtest.Admin())
	role := e.Role(p, access.Practitioner, access.AllSections(access.View), nil)
	r := e.As(admin, `mutation($r: ID!) { inviteMember(input: { name: "Bo", email: "bo@test.example", accountType: PRACTITIONER, roleId: $r }) { token } }`, map[string]any{"r": role.ID})
	r.RequireNoErrors(t)
	var inv struct{ InviteMember struct{ Token string } }
	r.Decode(t, &inv)
	accept := `mutation($t: String!) { acceptInvitation(token: $t, password: "another long passphrase 7") { member { name role { id name } } } }`
	r = e.Do("", accept, map[string]any{"t": inv.InviteMember.Token})
	r.RequireNoErrors(t)
	if !contains(string(r.Data), string(role.ID)) {
		t.Fatalf("the answer must show the member's role: %s", r.Data)
	}
	if n := e.Client().Invitation.Query().Where(invitation.AcceptedAtNotNil()).CountX(e.Ctx); n != 1 {
		t.Fatalf("the invitation must be accepted once, found %d accepted", n)
	}
	r = e.Do("", accept, map[string]any{"t": inv.InviteMember.Token})
	requireCode(t, r, "BAD_USER_INPUT")
}

func TestLogin_AnswerReadsOwnRoleButNoOtherRootField(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	hash, err := auth.NewFastHasher().Hash("a long enough passphrase 42")
	if err != nil {
		t.Fatal(err)
	}
	m := e.Member(p, graphtest.WithPassword(hash))
	r := e.Do("", `mutation($e: String!) { login(email: $e, password: "a long enough passphrase 42") { member { id role { id } } } }`, map[string]any{"e": m.Email})
	r.RequireNoErrors(t)
	// The sign-in reaches its own answer only: a second field of the same
	// request is still anonymous.
	r = e.Do("", `mutation($e: String!) { login(email: $e, password: "a long enough passphrase 42") { token } updateMember(id: "`+string(m.ID)+`", input: { active: false }) { id } }`, map[string]any{"e": m.Email})
	if len(r.Errors) != 1 || r.Errors[0].Code() != "UNAUTHENTICATED" {
		t.Fatalf("the second field must be refused as anonymous: %+v", r.Errors)
	}
}
