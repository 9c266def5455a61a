// Package listmarshal marshals the elements of a GraphQL list one after
// another, in the goroutine that marshals the list, for as long as they
// need no database round trip (issue P).
//
// gqlgen starts a goroutine for every element of every list of objects, so
// that elements whose resolvers wait on the database wait together. On this
// server the elements of a list almost never wait: entgql's field
// collection loads a page's edges with the page, and the access decisions
// of the whole page are made at once. A caseload page of 50 clients then
// started about 400 goroutines whose only effect was CPU spent starting
// them and growing their stacks; on two cores shared with PostgreSQL that
// CPU is other requests' time.
//
// So a list's elements are marshalled in order while each finishes without
// an Ent query (ent/querycount counts them); the first element that ran
// one shows that the rest may wait too, and they are handed to gqlgen's
// own concurrent marshaller, as before. Code generation
// (ent/entc_lists.go) makes the generated executor call MarshalSlice where
// gqlgen's template calls graphql.MarshalSliceConcurrently.
package listmarshal

import (
	"context"

	"github.com/99designs/gqlgen/graphql"

	"caseload/ent/querycount"
)

// MarshalSlice has the signature and the results of
// graphql.MarshalSliceConcurrently: ret[i] is marshalElement's value for
// element i, marshalled with a field context whose Index is i (the index
// of an error's path), and a panicking element is null with the error
// noted, unless omitPanicHandler. It runs the elements in order while they
// run no query; see the package comment. Under a worker limit it is
// gqlgen's function, whose limit it would otherwise have to reproduce.
func MarshalSlice(ctx context.Context, length int, workerLimit int64, omitPanicHandler bool,
	marshalElement func(ctx context.Context, i int) graphql.Marshaler) graphql.Array {
	if workerLimit > 0 {
		ctx = context.WithValue(ctx, inOrderKey{}, (*querycount.Counter)(nil))
		return graphql.MarshalSliceConcurrently(ctx, length, workerLimit, omitPanicHandler, marshalElement)
	}
	if length < 2 {
		// One element is marshalled in this goroutine anyway.
		return graphql.MarshalSliceConcurrently(ctx, length, workerLimit, omitPanicHandler, marshalElement)
	}
	// The list's own counter: queries of other fields of the request,
	// running meanwhile, are not its elements'.
	ctx, queries := querycount.Under(ctx)
	// What is marshalled under the elements may keep to this goroutine
	// too (graph/fieldmarshal), counting its queries here.
	ctx = context.WithValue(ctx, inOrderKey{}, queries)
	ret := make(graphql.Array, length)
	for i := range length {
		before := queries.N()
		ret[i] = marshalOne(ctx, i, omitPanicHandler, marshalElement)
		if queries.N() == before || i == length-1 {
			continue
		}
		// This element went to the database: the rest may too, so they
		// wait together, each under its own index.
		first := i + 1
		// Their fields wait together too.
		ctx := context.WithValue(ctx, inOrderKey{}, (*querycount.Counter)(nil))
		rest := graphql.MarshalSliceConcurrently(ctx, length-first, workerLimit, omitPanicHandler,
			func(ctx context.Context, j int) graphql.Marshaler {
				k := first + j
				graphql.GetFieldContext(ctx).Index = &k
				return marshalElement(ctx, k)
			})
		copy(ret[first:], rest)
		break
	}
	return ret
}

// marshalOne marshals element i as gqlgen's marshaller does: under a field
// context of its own carrying the index, a panic noted as the element's
// error and its value null.
func marshalOne(ctx context.Context, i int, omitPanicHandler bool,
	marshalElement func(ctx context.Context, i int) graphql.Marshaler) (ret graphql.Marshaler) {
	ctx = graphql.WithFieldContext(ctx, &graphql.FieldContext{Index: &i})
	if !omitPanicHandler {
		defer func() {
			if r := recover(); r != nil {
				graphql.AddError(ctx, graphql.Recover(ctx, r))
				ret = graphql.Null
			}
		}()
	}
	return marshalElement(ctx, i)
}

// inOrderKey is the context key of the counter of the list whose elements
// are being marshalled in order.
type inOrderKey struct{}

// InOrder is the query counter of the list whose elements ctx marshals one
// after another, or nil when ctx is not below one (a single object, a list
// whose elements wait together). A marshaller below such a list may keep
// its own work in the element's goroutine while the counter does not move.
// Every query below the list moves it; one of another goroutine below the
// same element (a field handed to gqlgen) can only move it too, sending
// more work to gqlgen's concurrency, never less.
func InOrder(ctx context.Context) *querycount.Counter {
	c, _ := ctx.Value(inOrderKey{}).(*querycount.Counter)
	return c
}
