package graph_test

import (
	"slices"
	"testing"

	"caseload/ent"
	"caseload/ent/schema/pulid"
	"caseload/graph/graphtest"
)

// visibleClients lists the clients m sees, through the list with its
// totalCount, and checks that the count agrees with the list.
func visibleClients(t *testing.T, e *graphtest.Env, m *ent.Member) []pulid.ID {
	t.Helper()
	r := e.As(m, `{ clients(first: 100) { totalCount edges { node { id } } } }`, nil)
	r.RequireNoErrors(t)
	var out struct {
		Clients struct {
			TotalCount int
			Edges      []struct{ Node struct{ ID pulid.ID } }
		}
	}
	r.Decode(t, &out)
	ids := make([]pulid.ID, 0, len(out.Clients.Edges))
	for _, edge := range out.Clients.Edges {
		ids = append(ids, edge.Node.ID)
	}
	if out.Clients.TotalCount != len(ids) {
		t.Fatalf("totalCount %d disagrees with the %d clients listed", out.Clients.TotalCount, len(ids))
	}
	slices.Sort(ids)
	return ids
}

// seesByID reports whether client(id) and node(id) return the client; they
// must agree.
func seesByID(t *testing.T, e *graphtest.Env, m *ent.Member, c *ent.ClientRecord) bool {
	t.Helper()
	r := e.As(m, `query($id: ID!) { client(id: $id) { id } node(id: $id) { id } }`, map[string]any{"id": c.ID})
	r.RequireNoErrors(t)
	var out struct {
		Client *struct{ ID string }
		Node   *struct{ ID string }
	}
	r.Decode(t, &out)
	if (out.Client == nil) != (out.Node == nil) {
		t.Fatalf("client(id) and node(id) disagree for %s", c.ID)
	}
	return out.Client != nil
}

// requireSees checks both sides: m sees exactly want among all, by list,
// count, client(id) and node(id).
func requireSees(t *testing.T, e *graphtest.Env, m *ent.Member, all []*ent.ClientRecord, want ...*ent.ClientRecord) {
	t.Helper()
	wantIDs := graphtest.IDs(want...)
	slices.Sort(wantIDs)
	if got := visibleClients(t, e, m); !slices.Equal(got, wantIDs) {
		t.Fatalf("clients: got %v, want %v", got, wantIDs)
	}
	for _, c := range all {
		if got, want := seesByID(t, e, m, c), slices.Contains(wantIDs, c.ID); got != want {
			t.Fatalf("client(id: %s): visible=%v, want %v", c.Name, got, want)
		}
	}
}
