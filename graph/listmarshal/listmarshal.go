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
	if length < 2 || workerLimit > 0 {
		return graphql.MarshalSliceConcurrently(ctx, length, workerLimit, omitPanicHandler, marshalElement)
	}
	// The list's own counter: queries of other fields of the request,
	// running meanwhile, are not its elements'.
	ctx, queries := querycount.Under(ctx)
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
