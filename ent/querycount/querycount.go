// Package querycount counts the Ent queries run under a context, so that
// code marshalling a response can tell work that waited on the database
// from work that did not (graph/listmarshal). Every client the server uses
// counts (ent/database.NewClient). Statements run through the driver
// (ent.Client.QueryDriver: the viewer's, read before any field is
// marshalled, and a root list's kept count, ent/rule/count_maintained.go,
// which no list marshaller waits on) pass no interceptor and are not
// counted.
package querycount

import (
	"context"
	"sync/atomic"

	"entgo.io/ent"
)

// Counter is how many queries have run under one context. Counters nest: a
// query counts on the innermost counter of its context and on every
// counter that one is under.
type Counter struct {
	n      atomic.Int64
	parent *Counter
}

type key struct{}

// Under returns a context with a new counter, nested in ctx's, and the
// counter.
func Under(ctx context.Context) (context.Context, *Counter) {
	c := &Counter{parent: from(ctx)}
	return context.WithValue(ctx, key{}, c), c
}

// N is how many queries have run under c so far.
func (c *Counter) N() int64 { return c.n.Load() }

func from(ctx context.Context) *Counter {
	c, _ := ctx.Value(key{}).(*Counter)
	return c
}

// Interceptor counts each query of the client it is registered on
// (ent.Client.Intercept) against the counters of the query's context.
type Interceptor struct{}

// Intercept counts the query, then runs it.
func (Interceptor) Intercept(next ent.Querier) ent.Querier {
	return ent.QuerierFunc(func(ctx context.Context, q ent.Query) (ent.Value, error) {
		for c := from(ctx); c != nil; c = c.parent {
			c.n.Add(1)
		}
		return next.Query(ctx, q)
	})
}

// ObservesOnly marks an interceptor that changes neither a query nor its
// rows: an edge load joined into its owner's statement (ent/schema/joinload)
// may go without it, the owner's query having been counted.
func (Interceptor) ObservesOnly() {}
