package listmarshal

import (
	"context"
	"sync/atomic"

	entgo "entgo.io/ent"
	"github.com/99designs/gqlgen/graphql"
)

type countKey struct{}

// WithQueryCounter returns a context that counts the Ent queries run under
// it, which MarshalSlice reads to tell an element that waited on the
// database from one that did not.
func WithQueryCounter(ctx context.Context) context.Context {
	return context.WithValue(ctx, countKey{}, new(atomic.Int64))
}

func countFrom(ctx context.Context) *atomic.Int64 {
	n, _ := ctx.Value(countKey{}).(*atomic.Int64)
	return n
}

// CountQueries is an Ent interceptor, for every entity of a client
// (ent.Client.Intercept), that counts each query run under a context of
// WithQueryCounter. A query run by another goroutine of the same request
// while an element is marshalled counts against that element too: the
// list then fans out as gqlgen would have, never the other way round.
func CountQueries() entgo.Interceptor {
	return entgo.InterceptFunc(func(next entgo.Querier) entgo.Querier {
		return entgo.QuerierFunc(func(ctx context.Context, q entgo.Query) (entgo.Value, error) {
			if n := countFrom(ctx); n != nil {
				n.Add(1)
			}
			return next.Query(ctx, q)
		})
	})
}

// Extension is the gqlgen handler extension that gives every response of
// an executor its query counter.
type Extension struct{}

var _ interface {
	graphql.HandlerExtension
	graphql.ResponseInterceptor
} = Extension{}

// ExtensionName names the extension in gqlgen's list.
func (Extension) ExtensionName() string { return "ListMarshalQueryCounter" }

// Validate accepts every schema.
func (Extension) Validate(graphql.ExecutableSchema) error { return nil }

// InterceptResponse runs the response under a fresh query counter.
func (Extension) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	return next(WithQueryCounter(ctx))
}
