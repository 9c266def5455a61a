package joinload_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"caseload/ent"
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
