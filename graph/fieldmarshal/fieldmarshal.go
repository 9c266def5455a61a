// Package fieldmarshal resolves an object's resolver fields one after
// another, in the goroutine that marshals the object, for as long as they
// need no database round trip (issue P).
//
// gqlgen resolves the fields of an object that have resolvers (edges,
// computed fields) in goroutines of their own, one per field after the
// first, so that fields waiting on the database wait together. On this
// server they almost never wait: entgql's field collection loads a page's
// edges with the page, and the access decisions of the whole page are made
// at once. A caseload page of 50 clients, each with its tags, responsible
// practitioner and viewerAccess, then started 100 goroutines whose only
// effect was CPU spent starting, scheduling and growing them: about a
// seventh of the CPU of a page, on two cores shared with PostgreSQL.
//
// So below a list whose elements graph/listmarshal marshals one after
// another, an object's resolver fields run in order while each finishes
// without an Ent query (ent/querycount counts them on the list's counter);
// once one has run a query, the rest of the object's fields may wait too,
// and they are handed to gqlgen's own concurrent resolution, as before (and
// listmarshal hands the list's remaining elements to gqlgen). An object
// outside such a list, the client of a detail view or a mutation's payload,
// keeps gqlgen's resolution: its fields that query wait together, and
// there is only one object's goroutines to save. Code generation
// (ent/entc_fields.go) makes the generated executor call InOrder.Resolve
// where gqlgen's template calls FieldSet.ResolveConcurrently.
package fieldmarshal

import (
	"context"
	"sync/atomic"

	"github.com/99designs/gqlgen/graphql"

	"caseload/ent/querycount"
	"caseload/graph/listmarshal"
)

// InOrder is the state of one object's resolver fields. Its zero value
// resolves them in order; the generated marshaller of an object declares
// one per object it marshals.
type InOrder struct {
	// concurrent is set once a field has run a query: the fields after it
	// are gqlgen's to resolve concurrently.
	concurrent bool
}

// Resolve has the arguments and the effect of
// m.ResolveConcurrently(oc, deferred, i, recoverFromPanic, nonNull,
// resolve), with ctx the object's context, which gqlgen's Dispatch would
// hand resolve: field i's value is resolve's, a panic is noted as the
// field's error and makes it null (unless !recoverFromPanic), and the value
// counts against m.Invalids when gqlgen's would (see invalidResult). It
// resolves the field now, in this goroutine, when the object is below a
// list marshalled in order, no earlier field of the object ran a query and
// the object has no field under @defer; otherwise it schedules the field on
// m as gqlgen does, for m.Dispatch to run.
func (o *InOrder) Resolve(ctx context.Context, m *graphql.FieldSet, oc *graphql.OperationContext,
	deferred *graphql.DeferredGroup, i int, recoverFromPanic, nonNull bool,
	resolve func(context.Context) graphql.Marshaler) {
	// A group with a field set holds fields under @defer, which gqlgen
	// answers in later payloads (graph/inlinedefer normally answers them
	// in place, so that this is rare).
	var queries *querycount.Counter
	if !o.concurrent && deferred.FieldSet == nil {
		queries = listmarshal.InOrder(ctx)
	}
	if queries == nil {
		m.ResolveConcurrently(oc, deferred, i, recoverFromPanic, nonNull, resolve)
		return
	}
	before := queries.N()
	v := resolveOne(ctx, oc, recoverFromPanic, resolve)
	m.Values[i] = v
	if v == invalidResult(nonNull) {
		atomic.AddUint32(&m.Invalids, 1)
	}
	o.concurrent = queries.N() != before
}

// resolveOne runs resolve as gqlgen's concurrent resolution does: a panic
// is reported through oc and resolves to null.
func resolveOne(ctx context.Context, oc *graphql.OperationContext, recoverFromPanic bool,
	resolve func(context.Context) graphql.Marshaler) (v graphql.Marshaler) {
	if recoverFromPanic {
		defer func() {
			if r := recover(); r != nil {
				oc.Error(ctx, oc.Recover(ctx, r))
				v = graphql.Null
			}
		}()
	}
	return resolve(ctx)
}

// invalidResult is the value of a field that makes the object holding it
// null, as gqlgen's resolution counts it (graphql.invalidResultFor): Null
// from a non-null field, RequiredNull from a nullable one.
func invalidResult(nonNull bool) graphql.Marshaler {
	if nonNull {
		return graphql.Null
	}
	return graphql.RequiredNull
}
