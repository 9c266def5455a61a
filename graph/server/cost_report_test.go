package server_test

import (
	"testing"

	"caseload/graph/graphtest"
	"caseload/graph/server"
)

// caseloadPage is the README's example of what the budget allows.
const caseloadPage = `{ clients(first: 100) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node {
  id name status email phone tags { id name } responsiblePractitioner { id name } careTeam { id name }
  viewerAccess { level rules canEdit canAssign canShare canChangeResponsible sections { section level } } } } } }`

// Every executed response carries extensions.cost { requestedQueryCost
// maxQueryCost } (API contract, "Sessions and cost"), and so does a refused
// one, with what it would have cost.
func TestCostReport_OnEveryResponse(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	token := e.Token(e.Member(p, graphtest.Admin()))
	budget := server.DefaultLimits.MaxCost

	cases := []struct {
		name, token, query string
		cost               int
	}{
		// viewer 1 + id 1 + name 1.
		{"query", token, `{ viewer { id name } }`, 3},
		// clients 1 + edges (1 + 50 default x (node 1 + id 1)) + totalCount 1.
		{"default page", token, `{ clients { totalCount edges { node { id } } } }`, 103},
		// createTag 1 + id 1.
		{"mutation", token, `mutation { createTag(name: "North") { id } }`, 2},
		// login 1 + token 1; answered with an error, still executed.
		{"anonymous", "", `mutation { login(email: "nobody@test.example", password: "not the password") { token } }`, 2},
		// The README's caseload page: per client 71 (node 1, five fields,
		// tags 1 + 10 x 2, responsiblePractitioner 3, careTeam 1 + 10 x 2,
		// viewerAccess 1 + 6 + sections 1 + 6 x 2), plus its cursor.
		{"caseload page", token, caseloadPage, 7206},
		// Introspection costs 1 per field.
		{"introspection", token, `{ __schema { queryType { name } } }`, 3},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := post(t, e.Handler, c.token, c.query, nil)
			requested, max, has := got.cost(t)
			if !has || requested != c.cost || max != budget {
				t.Fatalf("want cost %d of %d, got %d of %d (%s)", c.cost, budget, requested, max, got.raw)
			}
		})
	}

	t.Run("refused", func(t *testing.T) {
		got := post(t, e.Handler, token, shallowBomb, nil)
		err := got.requireRefused(t, "QUERY_TOO_COMPLEX", "cost")
		requested, max, has := got.cost(t)
		if !has || requested != intExt(t, err, "value") || max != budget {
			t.Fatalf("want the refused cost %d of %d, got %d of %d", intExt(t, err, "value"), budget, requested, max)
		}
	})
	t.Run("over the token limit, before any cost", func(t *testing.T) {
		got := post(t, e.Handler, token, manyTypenames(server.DefaultLimits.MaxTokens+1), nil)
		got.requireRefused(t, "QUERY_TOO_COMPLEX", "tokens")
		if _, max, has := got.cost(t); has || max != budget {
			t.Fatalf("want only the budget, %d, got %s", budget, got.raw)
		}
	})
}
