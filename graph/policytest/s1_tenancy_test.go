package policytest

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
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

// Policy §1, issue P: a page's responsible practitioners and tags are read
// by the clients' own statement, joined on Member's and Tag's own privacy
// filters. A client whose responsible_id names a member of another practice,
// and who carries another practice's tag (both planted below the API, as a
// broken import might), shows neither on any path, whether the edges are
// joined ({ id name }, tags { id name }) or loaded apart (a member's role,
// a tag's createdAt, which JSON would reformat); its own practice's member
// and tag are shown on every path, both ways.
func TestEdgesToOtherPractice_NotReadThroughAnyPath(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	tag := e.Tag(p, "North")
	admin := e.Member(p, graphtest.Admin())
	own := e.Member(p)
	other := e.Practice()
	foreign, foreignTag := e.Member(other), e.Tag(other, "Elsewhere")
	planted := e.NewClient(p, graphtest.ResponsibleIs(own), graphtest.Tagged(tag))
	kept := e.NewClient(p, graphtest.ResponsibleIs(own), graphtest.Tagged(tag))
	for _, q := range []string{
		fmt.Sprintf(`UPDATE clients SET responsible_id = '%s' WHERE id = '%s'`, foreign.ID, planted.ID),
		fmt.Sprintf(`INSERT INTO client_tags (client_id, tag_id) VALUES ('%s', '%s')`, planted.ID, foreignTag.ID),
	} {
		if _, err := e.DB.SQL.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	want := map[string]string{
		string(planted.ID): "null " + string(tag.ID),
		string(kept.ID):    string(own.ID) + " " + string(tag.ID),
	}
	for _, sel := range []string{
		"responsiblePractitioner { id name } tags { id name }",
		"responsiblePractitioner { id role { id } } tags: tags { id createdAt } more: tags { id name }",
	} {
		obj := "{ id " + sel + " }"
		paths := map[string]string{
			"clients":      `{ clients(first: 10) { edges { node ` + obj + ` } } }`,
			"client":       `query($a: ID!, $b: ID!) { a: client(id: $a) ` + obj + ` b: client(id: $b) ` + obj + ` }`,
			"node":         `query($a: ID!, $b: ID!) { a: node(id: $a) { ... on Client ` + obj + ` } b: node(id: $b) { ... on Client ` + obj + ` } }`,
			"nodes":        `query($a: ID!, $b: ID!) { nodes(ids: [$a, $b]) { ... on Client ` + obj + ` } }`,
			"tags.clients": `{ tags { clients(first: 10) { edges { node ` + obj + ` } } } }`,
			// A client's tags' clients: entgql limits the inner page per tag
			// by rewriting its SELECT, which no join may disturb.
			"node.tags.clients": `query($a: ID!) { node(id: $a) { ... on Client { tags { clients(first: 10) { edges { node ` + obj + ` } } } } } }`,
		}
		for path, q := range paths {
			vars := map[string]any{"a": string(planted.ID), "b": string(kept.ID)}
			if path == "node.tags.clients" {
				delete(vars, "b")
			}
			r := e.As(admin, q, vars)
			r.RequireNoErrors(t)
			got := map[string]string{}
			collectEdges(r.Data, got)
			if !maps.Equal(got, want) {
				t.Errorf("%s, %s: responsible practitioner and tags %v, want %v", path, sel, got, want)
			}
		}
	}
}

// collectEdges walks an answer and records, for every client object in it,
// the id of its responsible practitioner (or "null") and of its tags, as
// every tags key in the object (aliases included) lists them: a key that
// disagrees with another shows as a third word.
func collectEdges(raw json.RawMessage, into map[string]string) {
	var obj map[string]json.RawMessage
	if json.Unmarshal(raw, &obj) == nil {
		if rp, ok := obj["responsiblePractitioner"]; ok {
			var cid string
			_ = json.Unmarshal(obj["id"], &cid)
			out := "null"
			if m := (struct{ ID string }{}); json.Unmarshal(rp, &m) == nil && m.ID != "" {
				out = m.ID
			}
			var lists []string
			for _, key := range []string{"tags", "more"} {
				if v, ok := obj[key]; ok {
					var tags []struct{ ID string }
					_ = json.Unmarshal(v, &tags)
					var ids []string
					for _, t := range tags {
						ids = append(ids, t.ID)
					}
					slices.Sort(ids)
					if l := strings.Join(ids, ","); !slices.Contains(lists, l) {
						lists = append(lists, l)
					}
				}
			}
			into[cid] = strings.Join(append([]string{out}, lists...), " ")
			return
		}
		for _, v := range obj {
			collectEdges(v, into)
		}
		return
	}
	var list []json.RawMessage
	if json.Unmarshal(raw, &list) == nil {
		for _, v := range list {
			collectEdges(v, into)
		}
	}
}
