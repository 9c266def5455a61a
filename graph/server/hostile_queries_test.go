package server_test

import (
	"fmt"
	"strings"
)

// hostile is a request probed as an attacker would (issue G), with how the
// server must refuse it.
type hostile struct {
	name      string
	anonymous bool
	query     string
	code      string
	limit     string
}

// nestingBomb nests tags { clients(first: 100) ... } levels times: each
// level multiplies the rows by 100 times the tags of a client.
func nestingBomb(levels int) string {
	q := "id"
	for range levels {
		q = "tags { clients(first: 100) { edges { node { " + q + " } } } }"
	}
	return "{ " + q + " }"
}

// shallowBomb is the nesting bomb at the deepest the depth limit allows:
// 100 clients, times 10 tags each, times 100 clients of each tag.
const shallowBomb = `{ clients(first: 100) { edges { node { tags { clients(first: 100) { edges { node { id } } } } } } } }`

// manyAliases asks n times for clients(first: 100) under aliases.
func manyAliases(n int) string {
	var b strings.Builder
	b.WriteString("{ ")
	for i := range n {
		fmt.Fprintf(&b, "c%d: clients(first: 100) { edges { node { id name } } } ", i)
	}
	b.WriteString("}")
	return b.String()
}

// manyTypenames selects __typename n times.
func manyTypenames(n int) string {
	return "{ " + strings.Repeat("__typename ", n) + "}"
}

// fragmentBomb spreads each fragment twice in the one before it: 2^levels
// copies of viewer { id } once expanded, in a few hundred bytes.
func fragmentBomb(levels int) string {
	var b strings.Builder
	b.WriteString("{ ...F0 }\n")
	for i := range levels {
		fmt.Fprintf(&b, "fragment F%d on Query { ...F%d ...F%d }\n", i, i+1, i+1)
	}
	fmt.Fprintf(&b, "fragment F%d on Query { viewer { id } }\n", levels)
	return b.String()
}

// introspectionCycle nests __Type's fields three times.
const introspectionCycle = `{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }`

// hostileQueries are the hostile requests of issue G and their refusals.
func hostileQueries() []hostile {
	return []hostile{
		{name: "nesting bomb", query: nestingBomb(6), code: "QUERY_TOO_COMPLEX", limit: "depth"},
		{name: "nesting bomb within the depth limit", query: shallowBomb, code: "QUERY_TOO_COMPLEX", limit: "cost"},
		{name: "1000 aliases of clients(first: 100)", query: manyAliases(1000), code: "QUERY_TOO_COMPLEX", limit: "tokens"},
		{name: "16 aliases of clients(first: 100)", query: manyAliases(16), code: "QUERY_TOO_COMPLEX", limit: "aliases"},
		{name: "huge first on Tag.clients", query: `{ tags { clients(first: 1000000000) { totalCount edges { node { id } } } } }`, code: "BAD_USER_INPUT"},
		{name: "huge first on Client.sessionNotes", query: `{ clients(first: 1) { edges { node { sessionNotes(first: 1000000000) { totalCount } } } } }`, code: "BAD_USER_INPUT"},
		{name: "huge first on a child list", query: `{ clients(first: 1) { edges { node { appointments(first: 1000000000) { id } } } } }`, code: "BAD_USER_INPUT"},
		{name: "fragment bomb", query: fragmentBomb(30), code: "QUERY_TOO_COMPLEX", limit: "cost"},
		{name: "introspection cycle", query: introspectionCycle, code: "QUERY_TOO_COMPLEX", limit: "depth"},
		{name: "10,000 __typename", query: manyTypenames(10000), code: "QUERY_TOO_COMPLEX", limit: "tokens"},
		{name: "10,000 __typename, anonymous", anonymous: true, query: manyTypenames(10000), code: "QUERY_TOO_COMPLEX", limit: "tokens"},
		{name: "90,000 __typename, anonymous", anonymous: true, query: manyTypenames(90000), code: "QUERY_TOO_COMPLEX", limit: "tokens"},
		{name: "anonymous query of a member's field", anonymous: true, query: `{ clients(first: 100) { edges { node { id } } } }`, code: "UNAUTHENTICATED"},
		{name: "anonymous introspection", anonymous: true, query: introspectionCycle, code: "UNAUTHENTICATED"},
	}
}
