package policytest

import (
	"testing"

	"caseload/graph/graphtest"
)

// Policy §1: nothing crosses a practice boundary, not even the fact that a
// record of another practice exists.

// Policy §1: an invitation does not reveal that an address has an account in
// another practice; its acceptance fails exactly as an invalid token does,
// so whoever holds the token learns nothing either.
// Regression: a security review found this defect; checked on both sides.
func TestInvitation_DoesNotRevealAnAccountInAnotherPractice(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	admin := e.Member(p, graphtest.Admin())
	elsewhere := e.Member(e.Practice())
	r := e.As(admin, inviteMutation, map[string]any{"in": map[string]any{"name": "X", "email": elsewhere.Email, "accountType": "PRACTITIONER"}})
	r.RequireNoErrors(t)
	var inv struct{ InviteMember struct{ Token string } }
	r.Decode(t, &inv)
	accept := `mutation($t: String!, $pw: String!) { acceptInvitation(token: $t, password: $pw) { token } }`
	taken := e.Do("", accept, map[string]any{"t": inv.InviteMember.Token, "pw": "a long enough passphrase"})
	invalid := e.Do("", accept, map[string]any{"t": "not-a-token", "pw": "a long enough passphrase"})
	requireCode(t, invalid, "BAD_USER_INPUT")
	if got := requireCode(t, taken, "BAD_USER_INPUT"); got.Message != invalid.Errors[0].Message {
		t.Fatalf("a taken address must be answered as an invalid token: %q, %q", got.Message, invalid.Errors[0].Message)
	}
	ownMember := e.Member(p)
	requireCode(t, e.As(admin, inviteMutation, map[string]any{"in": map[string]any{"name": "Y", "email": ownMember.Email, "accountType": "PRACTITIONER"}}), "CONFLICT")
}
