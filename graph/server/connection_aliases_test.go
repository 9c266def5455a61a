package server_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"
)

// A connection answers the same whatever aliases its fields carry. entgql
// found a connection's edges, totalCount and pageInfo by their aliases: an
// aliased edges came back empty, an aliased totalCount 0, with no error.

// seen is what a test reads of one connection: its count, whether it has a
// next page, and its nodes' IDs and names (those selected).
type seen struct {
	Total   int
	HasNext bool
	IDs     []string
	Names   []string
}

// connectionIn reads the connection at path in data, its fields under the
// names the query gave them.
func connectionIn(t *testing.T, data json.RawMessage, path []any, total, pageInfo, edges, node string) seen {
	t.Helper()
	var v any
	mustDecode(t, data, &v)
	for _, step := range path {
		switch s := step.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				t.Fatalf("no object at %v in %s", step, data)
			}
			v = m[s]
		case int:
			l, ok := v.([]any)
			if !ok || len(l) <= s {
				t.Fatalf("no element %d in %s", s, data)
			}
			v = l[s]
		}
	}
	conn, ok := v.(map[string]any)
	if !ok {
		t.Fatalf("no connection at %v in %s", path, data)
	}
	var out seen
	if n, ok := conn[total].(float64); ok {
		out.Total = int(n)
	}
	if p, ok := conn[pageInfo].(map[string]any); ok {
		out.HasNext, _ = p["hasNextPage"].(bool)
	}
	list, _ := conn[edges].([]any)
	for _, e := range list {
		n, _ := e.(map[string]any)[node].(map[string]any)
		if id, ok := n["id"].(string); ok {
			out.IDs = append(out.IDs, id)
		}
		if name, ok := n["name"].(string); ok {
			out.Names = append(out.Names, name)
		}
	}
	return out
}

func TestConnectionAliases_AnswerAsWithout(t *testing.T) {
	f := newPageFixture(t)
	ask := func(q string) json.RawMessage {
		t.Helper()
		r := post(t, f.e.Handler, f.token, q, map[string]any{"id": f.client.ID})
		r.requireOK(t)
		return r.Data
	}
	for _, c := range []struct {
		name, plain, aliased string
		// plainAt and aliasedAt are the paths to the connection.
		plainAt, aliasedAt []any
		// ids is the number of nodes the page holds.
		ids int
	}{
		{
			"clients",
			`{ r: clients(first: 5) { totalCount pageInfo { hasNextPage } edges { node { id name } } } }`,
			`{ r: clients(first: 5) { n: totalCount p: pageInfo { hasNextPage } e: edges { x: node { id name } } } }`,
			[]any{"r"}, []any{"r"}, 5,
		},
		{
			"clients, last",
			`{ r: clients(last: 3) { totalCount edges { node { id } } } }`,
			`{ r: clients(last: 3) { n: totalCount e: edges { x: node { id } } } }`,
			[]any{"r"}, []any{"r"}, 3,
		},
		{
			"clients, a count alone",
			`{ r: clients { totalCount pageInfo { hasNextPage } } }`,
			`{ r: clients { n: totalCount p: pageInfo { hasNextPage } } }`,
			[]any{"r"}, []any{"r"}, 0,
		},
		{
			"Tag.clients",
			`{ tags { r: clients(first: 5) { totalCount edges { node { id name } } } } }`,
			`{ tags { r: clients(first: 5) { n: totalCount e: edges { x: node { id name } } } } }`,
			[]any{"tags", 0, "r"}, []any{"tags", 0, "r"}, 5,
		},
		{
			"Client.sessionNotes, loaded with its page of clients",
			`query($id: ID!) { clients(first: 1, where: { id: $id }) { edges { node { r: sessionNotes(first: 3) { totalCount pageInfo { hasNextPage } edges { node { id } } } } } } }`,
			`query($id: ID!) { clients(first: 1, where: { id: $id }) { e: edges { x: node { r: sessionNotes(first: 3) { n: totalCount p: pageInfo { hasNextPage } e: edges { x: node { id } } } } } } }`,
			[]any{"clients", "edges", 0, "node", "r"}, []any{"clients", "e", 0, "x", "r"}, 3,
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			want := connectionIn(t, ask(c.plain), c.plainAt, "totalCount", "pageInfo", "edges", "node")
			got := connectionIn(t, ask(c.aliased), c.aliasedAt, "n", "p", "e", "x")
			if want.Total != pageRows || len(want.IDs) != c.ids {
				t.Fatalf("unaliased: %+v; want %d IDs of %d", want, c.ids, pageRows)
			}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Fatalf("aliased %+v, unaliased %+v", got, want)
			}
		})
	}
}

// Two aliases of the same connection field each get what they select.
func TestConnectionAliases_EdgesTwice_EachGetsItsFields(t *testing.T) {
	f := newPageFixture(t)
	r := post(t, f.e.Handler, f.token, `{ clients(first: 5) { totalCount
  a: edges { node { id } } b: edges { node { name } } edges { cursor } } }`, nil)
	r.requireOK(t)
	a := connectionIn(t, r.Data, []any{"clients"}, "totalCount", "pageInfo", "a", "node")
	b := connectionIn(t, r.Data, []any{"clients"}, "totalCount", "pageInfo", "b", "node")
	plain := post(t, f.e.Handler, f.token, `{ clients(first: 5) { edges { node { id name } } } }`, nil)
	plain.requireOK(t)
	want := connectionIn(t, plain.Data, []any{"clients"}, "totalCount", "pageInfo", "edges", "node")
	if a.Total != pageRows || !slices.Equal(a.IDs, want.IDs) || !slices.Equal(b.Names, want.Names) || len(want.Names) != 5 {
		t.Fatalf("a %+v, b %+v; want the IDs and names of %+v and a count of %d", a, b, want, pageRows)
	}
}
