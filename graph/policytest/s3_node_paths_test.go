package policytest

import (
	"slices"
	"strings"
	"testing"

	"caseload/ent"
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

// Policy §3 through a nested connection: a client's tags' clients are
// paginated per tag (entgql's per-row limit), which reads them from a
// derived table holding only the columns asked. Every viewer's decisions
// on those clients must still be made, on exactly the clients the viewer
// may see: a decision reading a column the derived table lacks failed the
// request. The restricted client is the admin's alone; the other client is
// not the practitioner's.
func TestNestedConnection_TagsClients_DecidedForEveryViewer(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	north := e.Tag(p, "North")
	admin := e.Member(p, graphtest.Admin())
	practitioner := e.Member(p)
	clerk := e.Member(p, graphtest.Administrative(), graphtest.WithRole(profileOnlyRole(e, p, north)))
	own := e.NewClient(p, graphtest.ResponsibleIs(practitioner), graphtest.Tagged(north))
	other := e.NewClient(p, graphtest.Tagged(north))
	secret := e.NewClient(p, graphtest.Tagged(north), graphtest.Restricted())
	vars := map[string]any{"id": own.ID}
	for _, selection := range []string{"name", "name viewerAccess { level }", "id name viewerAccess { level canEdit }"} {
		q := `query($id: ID!) { node(id: $id) { ... on Client { tags { name clients(first: 5) { edges { node { ` +
			selection + ` } } } } } } }`
		for _, c := range []struct {
			m    *ent.Member
			want []*ent.ClientRecord
		}{
			{admin, []*ent.ClientRecord{own, other, secret}},
			{practitioner, []*ent.ClientRecord{own}},
			{clerk, []*ent.ClientRecord{own, other}},
		} {
			r := e.As(c.m, q, vars)
			r.RequireNoErrors(t)
			var d struct {
				Node struct {
					Tags []struct {
						Name    string
						Clients struct {
							Edges []struct{ Node struct{ Name string } }
						}
					}
				}
			}
			r.Decode(t, &d)
			if len(d.Node.Tags) != 1 || d.Node.Tags[0].Name != "North" {
				t.Fatalf("%s as %s: tags %+v, want North alone", q, c.m.Name, d.Node.Tags)
			}
			var got, want []string
			for _, edge := range d.Node.Tags[0].Clients.Edges {
				got = append(got, edge.Node.Name)
			}
			for _, client := range c.want {
				want = append(want, client.Name)
			}
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("%s as %s: clients %v, want %v", q, c.m.Name, got, want)
			}
			requireNoLeaks(t, r)
		}
	}
}
