package server_test

import (
	"fmt"
	"strings"
	"testing"

	"caseload/ent"
	"caseload/graph/graphtest"
	"caseload/graph/server"
)

// limitsFixture is a practice with an admin and one tagged client whose
// responsible practitioner is the admin, so that nested queries resolve.
type limitsFixture struct {
	e     *graphtest.Env
	admin *ent.Member
	token string
}

func newLimitsFixture(t *testing.T) limitsFixture {
	e := graphtest.New(t)
	p := e.Practice()
	admin := e.Member(p, graphtest.Admin())
	tag := e.Tag(p, "North")
	e.NewClient(p, graphtest.ResponsibleIs(admin), graphtest.Tagged(tag))
	return limitsFixture{e: e, admin: admin, token: e.Token(admin)}
}

func (f limitsFixture) do(t *testing.T, query string, vars map[string]any) answer {
	t.Helper()
	return post(t, f.e.Handler, f.token, query, vars)
}

// Depth 8: clients, edges, node, tags, clients, edges, node, id.
const depth8 = `{ clients(first: 1) { edges { node { tags { clients(first: 1) { edges { node { id } } } } } } } }`

// Depth 9: the same, one level deeper.
const depth9 = `{ clients(first: 1) { edges { node { tags { clients(first: 1) { edges { node { responsiblePractitioner { id } } } } } } } } }`

func TestDepthLimit_EightAcceptedNineRefused(t *testing.T) {
	f := newLimitsFixture(t)
	f.do(t, depth8, nil).requireOK(t)

	err := f.do(t, depth9, nil).requireRefused(t, "QUERY_TOO_COMPLEX", "depth")
	if intExt(t, err, "value") != 9 || intExt(t, err, "max") != 8 {
		t.Fatalf("want value 9, max 8: %+v", err.Extensions)
	}
}

func TestDepthLimit_CountsThroughFragments(t *testing.T) {
	f := newLimitsFixture(t)
	q := `{ clients(first: 1) { ...Page } }
	fragment Page on ClientConnection { edges { node { ...Client } } }
	fragment Client on Client { tags { clients(first: 1) { edges { node { responsiblePractitioner { ...Name } } } } } }
	fragment Name on Member { name }`
	err := f.do(t, q, nil).requireRefused(t, "QUERY_TOO_COMPLEX", "depth")
	if intExt(t, err, "value") != 9 {
		t.Fatalf("fragments expanded, the depth is 9: %+v", err.Extensions)
	}
}

func TestAliasLimit_FifteenAcceptedSixteenRefused(t *testing.T) {
	f := newLimitsFixture(t)
	aliases := func(n int) string {
		return "{ " + repeat(n, func(i int) string { return fmt.Sprintf("a%d: viewer { id }", i) }) + "}"
	}
	f.do(t, aliases(15), nil).requireOK(t)

	err := f.do(t, aliases(16), nil).requireRefused(t, "QUERY_TOO_COMPLEX", "aliases")
	if intExt(t, err, "value") != 16 || intExt(t, err, "max") != 15 {
		t.Fatalf("want value 16, max 15: %+v", err.Extensions)
	}
}

func TestAliasLimit_CountsEverySpreadOfAFragment(t *testing.T) {
	f := newLimitsFixture(t)
	// 4 aliases in a fragment spread 4 times: 16 aliased fields.
	q := `{ viewer { ...A } a: viewer { ...A } b: viewer { ...A } c: viewer { ...A } }
	fragment A on Member { x: id y: name z: email w: active }`
	err := f.do(t, q, nil).requireRefused(t, "QUERY_TOO_COMPLEX", "aliases")
	if intExt(t, err, "value") != 19 {
		t.Fatalf("want 19 aliases (3 + 4 x 4): %+v", err.Extensions)
	}
}

func TestDirectiveLimit_FiftyAcceptedFiftyOneRefused(t *testing.T) {
	f := newLimitsFixture(t)
	directives := func(n int) string {
		return "{ viewer { " + repeat(n, func(int) string { return "id @include(if: true)" }) + "} }"
	}
	f.do(t, directives(50), nil).requireOK(t)

	err := f.do(t, directives(51), nil).requireRefused(t, "QUERY_TOO_COMPLEX", "directives")
	if intExt(t, err, "value") != 51 || intExt(t, err, "max") != 50 {
		t.Fatalf("want value 51, max 50: %+v", err.Extensions)
	}
}

// tokens returns a query of exactly n tokens: "{ viewer {" and "} }" are 5,
// each id 1.
func tokens(n int) string {
	return "{ viewer { " + strings.Repeat("id ", n-5) + "} }"
}

func TestTokenLimit_AtTheLimitAcceptedOneMoreRefused(t *testing.T) {
	f := newLimitsFixture(t)
	max := server.DefaultLimits.MaxTokens
	f.do(t, tokens(max), nil).requireOK(t)

	err := f.do(t, tokens(max+1), nil).requireRefused(t, "QUERY_TOO_COMPLEX", "tokens")
	if intExt(t, err, "value") != max+1 || intExt(t, err, "max") != max {
		t.Fatalf("want value %d, max %d: %+v", max+1, max, err.Extensions)
	}
	// gqlgen's parser counts comments, and so does the limit.
	f.do(t, tokens(max)+" # one more", nil).requireRefused(t, "QUERY_TOO_COMPLEX", "tokens")
}

func TestTokenLimit_AnonymousCallersHaveASmallerOne(t *testing.T) {
	f := newLimitsFixture(t)
	max := server.DefaultLimits.MaxAnonymousTokens
	login := func(n int) string {
		// 15 tokens of login, then padding of __typename at the root.
		return `mutation { login(email: "nobody@test.example", password: "wrong password") { token } ` +
			strings.Repeat("__typename ", n-15) + "}"
	}
	if got := post(t, f.e.Handler, "", login(max), nil); got.Errors[0].Code() == "QUERY_TOO_COMPLEX" {
		t.Fatalf("%d tokens must pass the anonymous limit: %+v", max, got.Errors)
	}
	err := post(t, f.e.Handler, "", login(max+1), nil).requireRefused(t, "QUERY_TOO_COMPLEX", "tokens")
	if intExt(t, err, "value") != max+1 || intExt(t, err, "max") != max {
		t.Fatalf("want value %d, max %d: %+v", max+1, max, err.Extensions)
	}
}

// clientsPage costs 2 + 2 x first: clients 1, edges 1, and per edge node 1
// and id 1.
func clientsPage(first int) string {
	return fmt.Sprintf(`{ clients(first: %d) { edges { node { id } } } }`, first)
}

func TestCostBudget_AtTheBudgetAcceptedOneMoreRefused(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	token := e.Token(e.Member(p, graphtest.Admin()))
	h := limited(e, server.Limits{MaxCost: 202}, nil)

	ok := post(t, h, token, clientsPage(100), nil)
	ok.requireOK(t)
	if requested, budget, _ := ok.cost(t); requested != 202 || budget != 202 {
		t.Fatalf("want cost 202 of 202, got %d of %d", requested, budget)
	}

	over := post(t, h, token, `{ __typename `+clientsPage(100)[1:], nil)
	err := over.requireRefused(t, "QUERY_TOO_COMPLEX", "cost")
	if intExt(t, err, "value") != 203 || intExt(t, err, "max") != 202 {
		t.Fatalf("want value 203, max 202: %+v", err.Extensions)
	}
	if requested, budget, has := over.cost(t); !has || requested != 203 || budget != 202 {
		t.Fatalf("a refused query reports what it would have cost: %d of %d", requested, budget)
	}
}

func TestCostBudget_NestedConnectionsMultiply(t *testing.T) {
	f := newLimitsFixture(t)
	err := f.do(t, shallowBomb, nil).requireRefused(t, "QUERY_TOO_COMPLEX", "cost")
	// clients: 2 + 100 x (node 1 + tags (1 + 10 x (clients 2 + 100 x 2))).
	if want := 2 + 100*(1+1+10*(2+100*2)); intExt(t, err, "value") != want {
		t.Fatalf("want cost %d: %+v", want, err.Extensions)
	}
}

func TestCostBudget_VariablesGiveTheListSizes(t *testing.T) {
	e := graphtest.New(t)
	token := e.Token(e.Member(e.Practice(), graphtest.Admin()))
	h := limited(e, server.Limits{MaxCost: 150}, nil)
	q := `query($n: Int) { clients(first: $n) { edges { node { id } } } }`
	post(t, h, token, q, map[string]any{"n": 74}).requireOK(t)
	post(t, h, token, q, map[string]any{"n": 75}).requireRefused(t, "QUERY_TOO_COMPLEX", "cost")
	// Without $n, the default page (50) is what it costs.
	if requested, _, _ := post(t, h, token, q, nil).cost(t); requested != 102 {
		t.Fatalf("want the default page's cost 102, got %d", requested)
	}
}
