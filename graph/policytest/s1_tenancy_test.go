package policytest

import (
	"encoding/json"
	"fmt"
	"maps"
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

// Policy §1, issue P: the page's responsible practitioner is read by the
// clients' own statement, joined on Member's own privacy filter. A client
// whose responsible_id names a member of another practice (planted below
// the API, as a broken import might) shows no responsible practitioner on
// any path, joined ({ id name }) or loaded apart ({ id role { id } }); one
// of its own practice is shown on every path, both ways.
func TestResponsibleInOtherPractice_NotReadThroughAnyPath(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	tag := e.Tag(p, "North")
	admin := e.Member(p, graphtest.Admin())
	own := e.Member(p)
	foreign := e.Member(e.Practice())
	planted := e.NewClient(p, graphtest.ResponsibleIs(own), graphtest.Tagged(tag))
	kept := e.NewClient(p, graphtest.ResponsibleIs(own), graphtest.Tagged(tag))
	if _, err := e.DB.SQL.Exec(fmt.Sprintf(`UPDATE clients SET responsible_id = '%s' WHERE id = '%s'`, foreign.ID, planted.ID)); err != nil {
		t.Fatal(err)
	}
	for _, sel := range []string{"responsiblePractitioner { id name }", "responsiblePractitioner { id role { id } }"} {
		obj := "{ id " + sel + " }"
		paths := map[string]string{
			"clients":      `{ clients(first: 10) { edges { node ` + obj + ` } } }`,
			"client":       `query($a: ID!, $b: ID!) { a: client(id: $a) ` + obj + ` b: client(id: $b) ` + obj + ` }`,
			"node":         `query($a: ID!, $b: ID!) { a: node(id: $a) { ... on Client ` + obj + ` } b: node(id: $b) { ... on Client ` + obj + ` } }`,
			"nodes":        `query($a: ID!, $b: ID!) { nodes(ids: [$a, $b]) { ... on Client ` + obj + ` } }`,
			"tags.clients": `{ tags { clients(first: 10) { edges { node ` + obj + ` } } } }`,
		}
		for path, q := range paths {
			r := e.As(admin, q, map[string]any{"a": string(planted.ID), "b": string(kept.ID)})
			r.RequireNoErrors(t)
			got := map[string]string{}
			collectResponsible(r.Data, got)
			if want := map[string]string{string(planted.ID): "null", string(kept.ID): string(own.ID)}; !maps.Equal(got, want) {
				t.Errorf("%s, %s: responsible practitioners %v, want %v", path, sel, got, want)
			}
		}
	}
}

// collectResponsible walks an answer and records, for every client object
// in it, the id of its responsible practitioner or "null".
func collectResponsible(raw json.RawMessage, into map[string]string) {
	var obj map[string]json.RawMessage
	if json.Unmarshal(raw, &obj) == nil {
		if rp, ok := obj["responsiblePractitioner"]; ok {
			var id string
			if m := (struct{ ID string }{}); json.Unmarshal(rp, &m) == nil && m.ID != "" {
				id = m.ID
			} else {
				id = "null"
			}
			var cid string
			_ = json.Unmarshal(obj["id"], &cid)
			into[cid] = id
			return
		}
		for _, v := range obj {
			collectResponsible(v, into)
		}
		return
	}
	var list []json.RawMessage
	if json.Unmarshal(raw, &list) == nil {
		for _, v := range list {
			collectResponsible(v, into)
		}
	}
}
