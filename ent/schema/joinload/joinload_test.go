package joinload_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"caseload/ent"
	"caseload/ent/clientrecord"
	"caseload/ent/schema/pulid"
	"caseload/ent/tag"
	"caseload/graph/graphtest"
)

// TestMain drops the PostgreSQL template database the tests share.
func TestMain(m *testing.M) { graphtest.Main(m) }

// The join passes over only interceptors that observe (ent/querycount's,
// which every server client carries). One that changes an edge's rows
// keeps the edge's load a statement of its own, so that what it does to
// the rows still happens on a page that selects the edge.
func TestInterceptorThatDropsTags_KeepsTagsOutOfTheJoin(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	admin := e.Member(p, graphtest.Admin())
	e.NewClient(p, graphtest.Tagged(e.Tag(p, "Shown"), e.Tag(p, "Dropped")))
	e.Client().Tag.Intercept(ent.InterceptFunc(func(next ent.Querier) ent.Querier {
		return ent.QuerierFunc(func(ctx context.Context, q ent.Query) (ent.Value, error) {
			v, err := next.Query(ctx, q)
			if tags, ok := v.([]*ent.Tag); ok {
				v = slices.DeleteFunc(tags, func(t *ent.Tag) bool { return t.Name == "Dropped" })
			}
			return v, err
		})
	}))
	r := e.As(admin, `{ clients(first: 10) { edges { node { tags { name } } } } }`, nil)
	r.RequireNoErrors(t)
	if got := string(r.Data); strings.Contains(got, "Dropped") || !strings.Contains(got, "Shown") {
		t.Fatalf("the page's tags are %s: want Shown without Dropped", got)
	}
}

// A joined edge reads back exactly what a query of its own reads: every
// tag of each client, none for a client without tags, and names that JSON
// must escape (quotes, backslashes, non-ASCII, separators) unchanged.
func TestJoinedTags_ReadBackAsTheirOwnQueryReadsThem(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	admin := e.Member(p, graphtest.Admin())
	names := []string{`Plain`, `"Quoted"`, `back\slash`, `Zoë – 5 €`, "line\u2028sep", `<&>`, `أحمد`, `\u0041`}
	var tags []*ent.Tag
	for _, n := range names {
		tags = append(tags, e.Tag(p, n))
	}
	e.NewClient(p) // no tags: the aggregate is NULL
	for i := range tags {
		e.NewClient(p, graphtest.Tagged(tags[i], tags[(i+3)%len(tags)]))
	}
	r := e.As(admin, `{ clients(first: 50) { edges { node { id tags { id name } } } } }`, nil)
	r.RequireNoErrors(t)
	var page struct {
		Clients struct {
			Edges []struct {
				Node struct {
					ID   string
					Tags []struct{ ID, Name string }
				}
			}
		}
	}
	r.Decode(t, &page)
	if len(page.Clients.Edges) != len(tags)+1 {
		t.Fatalf("%d clients on the page", len(page.Clients.Edges))
	}
	seen := map[string]bool{}
	for _, edge := range page.Clients.Edges {
		own := e.Client().ClientRecord.Query().Where(clientrecord.ID(pulid.ID(edge.Node.ID))).
			QueryTags().Order(ent.Asc(tag.FieldID)).AllX(e.Ctx)
		joined := edge.Node.Tags
		slices.SortFunc(joined, func(a, b struct{ ID, Name string }) int { return strings.Compare(a.ID, b.ID) })
		if len(own) != len(edge.Node.Tags) {
			t.Fatalf("client %s: %d joined tags, %d of its own", edge.Node.ID, len(edge.Node.Tags), len(own))
		}
		for i, tg := range own {
			if got := joined[i]; got.ID != string(tg.ID) || got.Name != tg.Name {
				t.Fatalf("client %s: joined %+v, own %s %q", edge.Node.ID, got, tg.ID, tg.Name)
			}
			seen[tg.Name] = true
		}
	}
	for _, n := range names {
		if !seen[n] {
			t.Fatalf("the tag %q was never read back", n)
		}
	}
}
