package policytest

import (
	"fmt"
	"strings"
	"testing"

	"caseload/graph/graphtest"
)

// Bounded lists (README, "Query limits and cost"): every connection pages at
// most 100 items, and the cost computed at the edge is the cost paid. The
// same null variable as both first and last of a nested connection would
// page nothing and load every row: it is refused.
func TestNestedConnection_NullFirstAndLastFromOneVariable_IsRefused(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	admin := e.Member(p, graphtest.Admin())
	north := e.Tag(p, "North")
	for range 110 {
		e.NewClient(p, graphtest.Tagged(north))
	}
	q := `query($n: Int) { tags { clients(first: $n, last: $n) { edges { node { id } } } } }`
	r := e.As(admin, q, map[string]any{"n": nil})
	if strings.Count(string(r.Data), `"id"`) > 100 {
		t.Fatalf("a nested connection returned more than a page: %d rows", strings.Count(string(r.Data), `"id"`))
	}
	requireCode(t, r, "BAD_USER_INPUT")
	// The other side: the same variable with a value pages as asked.
	r = e.As(admin, `query($n: Int) { tags { clients(first: $n) { edges { node { id } } } } }`, map[string]any{"n": 20})
	r.RequireNoErrors(t)
	if n := strings.Count(string(r.Data), `"id"`); n != 20 {
		t.Fatalf("first: 20 returned %d rows", n)
	}
}

// The contract's cost budget: nodes(ids) costs once per id, whether the ids
// are written in the document or come from the default of a variable the
// request leaves out.
func TestNodesCost_CountsIDsFromAVariablesDefault(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	admin := e.Member(p, graphtest.Admin())
	tag := e.Tag(p, "North")
	ids := make([]string, 100)
	for i := range ids {
		ids[i] = fmt.Sprintf("%q", string(tag.ID))
	}
	list := "[" + strings.Join(ids, ", ") + "]"
	sel := `{ ... on Tag { clients(first: 100) { edges { node { id name status } } } } }`
	for _, q := range []string{
		`{ nodes(ids: ` + list + `) ` + sel + ` }`,
		`query($ids: [ID!]! = ` + list + `) { nodes(ids: $ids) ` + sel + ` }`,
	} {
		r := e.As(admin, q, nil)
		if len(r.Errors) != 1 || r.Errors[0].Code() != "QUERY_TOO_COMPLEX" {
			t.Fatalf("%.60s…: want QUERY_TOO_COMPLEX, got %+v", q, r.Errors)
		}
	}
}
