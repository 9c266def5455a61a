package policytest

import (
	"strings"
	"testing"

	"caseload/graph/graphtest"
)

// Policy §3 paths: node and nodes serve the same client data as the list,
// whatever the fragment shape. Field collection once matched fragments by the
// Go type name, so "... on Client" through node or nodes loaded only the id:
// every other field came back blank.
func TestNodePaths_FragmentsOnClientLoadTheSelectedFields(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	admin := e.Member(p, graphtest.Admin())
	c := e.NewClient(p)
	vars := map[string]any{"id": c.ID, "ids": []string{string(c.ID)}}
	for _, q := range []string{
		`query($ids: [ID!]!) { nodes(ids: $ids) { ... on Client { name phone } } }`,
		`query($ids: [ID!]!) { nodes(ids: $ids) { ... on Client { ...F } } } fragment F on Client { name phone }`,
		`query($ids: [ID!]!) { nodes(ids: $ids) { ...F } } fragment F on Client { name phone }`,
		`query($id: ID!) { node(id: $id) { ... on Client { name phone } } }`,
		`query($id: ID!) { node(id: $id) { ...F } } fragment F on Client { name phone viewerAccess { level } }`,
		`query($id: ID!) { n: node(id: $id) { ... on Node { ... on Client { name phone } } } }`,
	} {
		r := e.As(admin, q, vars)
		r.RequireNoErrors(t)
		if got := string(r.Data); !strings.Contains(got, `"name":"`+c.Name+`"`) || !strings.Contains(got, `"phone":"`+c.Phone+`"`) {
			t.Errorf("%s\n  got %s, want name %q and phone %q", q, got, c.Name, c.Phone)
		}
	}
}
