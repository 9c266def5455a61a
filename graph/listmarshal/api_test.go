package listmarshal_test

import (
	"slices"
	"testing"

	"caseload/graph/graphtest"
)

// TestMain drops the PostgreSQL template database the tests share.
func TestMain(m *testing.M) { graphtest.Main(m) }

// TestLazyEdgeOfEveryClient_EachClientGetsItsOwn sends a page whose
// elements each run a query (the care team is loaded per client): the
// first element's query hands the rest to gqlgen's concurrent marshaller,
// which numbers them from 0 again. Each client must appear once, with its
// own care team: an element marshalled from the wrong row would repeat a
// client. (The error paths of shifted elements are listmarshal_test's.)
func TestLazyEdgeOfEveryClient_EachClientGetsItsOwn(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	admin := e.Member(p, graphtest.Admin())
	want := map[string][]string{}
	for i := range 6 {
		c := e.NewClient(p)
		var team []string
		for range i {
			m := e.Member(p)
			e.Assign(c, m)
			team = append(team, m.Name)
		}
		slices.Sort(team)
		want[c.Name] = team
	}
	var page struct {
		Clients struct {
			Edges []struct {
				Node struct {
					Name     string
					CareTeam []struct{ Name string }
				}
			}
		}
	}
	e.As(admin, `{ clients(first: 10) { edges { node { name careTeam { name } } } } }`, nil).Decode(t, &page)
	if len(page.Clients.Edges) != len(want) {
		t.Fatalf("%d clients, want %d", len(page.Clients.Edges), len(want))
	}
	seen := map[string]bool{}
	for _, edge := range page.Clients.Edges {
		if seen[edge.Node.Name] {
			t.Errorf("client %q is on the page twice", edge.Node.Name)
		}
		seen[edge.Node.Name] = true
		var got []string
		for _, m := range edge.Node.CareTeam {
			got = append(got, m.Name)
		}
		if team, ok := want[edge.Node.Name]; !ok || !slices.Equal(got, team) {
			t.Errorf("client %q has care team %v, want %v", edge.Node.Name, got, team)
		}
	}
}
