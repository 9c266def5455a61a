package fieldmarshal_test

import (
	"fmt"
	"slices"
	"testing"

	"caseload/ent/schema/access"
	"caseload/graph/graphtest"
)

// TestMain drops the PostgreSQL template database the tests share.
func TestMain(m *testing.M) { graphtest.Main(m) }

// TestLazyFieldFirst_EachClientKeepsItsFieldsAndErrors sends a page whose
// clients' first resolver field runs a query (the care team is loaded per
// client), so the fields after it are handed to gqlgen mid-object, and
// whose invoices are forbidden to the viewer. Each client must keep its
// own care team and tags, and each forbidden field its own error at its
// own index, and the viewerAccess it has alone: a field resolved against
// the wrong object, or an error noted under another path, would show.
func TestLazyFieldFirst_EachClientKeepsItsFieldsAndErrors(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	north := e.Tag(p, "North")
	clerkRole := e.Role(p, access.Administrative, access.SectionLevels{access.Profile: access.View},
		[]access.Capability{access.AccessAllClients}, north)
	clerk := e.Member(p, graphtest.Administrative(), graphtest.WithRole(clerkRole))
	wantTeam, wantTags := map[string][]string{}, map[string][]string{}
	for i := range 5 {
		own := e.Tag(p, fmt.Sprintf("tag %d", i))
		c := e.NewClient(p, graphtest.Tagged(north, own))
		var team []string
		for range i {
			m := e.Member(p)
			e.Assign(c, m)
			team = append(team, m.Name)
		}
		slices.Sort(team)
		wantTeam[c.Name] = team
		wantTags[c.Name] = []string{"North", own.Name}
	}
	var page struct {
		Clients struct {
			Edges []struct {
				Node struct {
					ID, Name     string
					CareTeam     []struct{ Name string }
					Invoices     []struct{ ID string }
					Tags         []struct{ Name string }
					ViewerAccess struct{ Level string }
				}
			}
		}
	}
	r := e.As(clerk, `{ clients(first: 10) { edges { node {
		id name careTeam { name } invoices { id } tags { name } viewerAccess { level } } } } }`, nil)
	r.Decode(t, &page)
	if len(page.Clients.Edges) != len(wantTeam) {
		t.Fatalf("%d clients, want %d", len(page.Clients.Edges), len(wantTeam))
	}
	forbidden := map[string]bool{}
	for _, err := range r.Errors {
		if err.Extensions["code"] != "FORBIDDEN" {
			t.Fatalf("unexpected error %+v", err)
		}
		forbidden[fmt.Sprint(err.Path)] = true
	}
	for i, edge := range page.Clients.Edges {
		n := edge.Node
		var team, tags []string
		for _, m := range n.CareTeam {
			team = append(team, m.Name)
		}
		for _, tag := range n.Tags {
			tags = append(tags, tag.Name)
		}
		slices.Sort(tags)
		want := slices.Sorted(slices.Values(wantTags[n.Name]))
		if !slices.Equal(team, wantTeam[n.Name]) || !slices.Equal(tags, want) {
			t.Errorf("client %q: care team %v and tags %v, want %v and %v", n.Name, team, tags, wantTeam[n.Name], want)
		}
		if n.Invoices != nil || !forbidden[fmt.Sprint([]any{"clients", "edges", i, "node", "invoices"})] {
			t.Errorf("client %d: invoices %v, errors at %v: want null with FORBIDDEN at its own path", i, n.Invoices, forbidden)
		}
		// The client alone is marshalled outside any list, as gqlgen does.
		var alone struct {
			Client struct{ ViewerAccess struct{ Level string } }
		}
		e.As(clerk, `query($id: ID!) { client(id: $id) { viewerAccess { level } } }`,
			map[string]any{"id": n.ID}).Decode(t, &alone)
		if n.ViewerAccess.Level != alone.Client.ViewerAccess.Level || n.ViewerAccess.Level == "" {
			t.Errorf("client %q: viewerAccess level %q on the page, %q alone", n.Name, n.ViewerAccess.Level, alone.Client.ViewerAccess.Level)
		}
	}
	if len(forbidden) != len(wantTeam) {
		t.Errorf("errors at %v: want one per client", forbidden)
	}
}
