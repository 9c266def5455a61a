// Package inlinedefer answers fields under @defer in the response itself.
//
// The server answers every request in one response: its transports (POST
// and GET) have no incremental delivery. gqlgen's executor still set a
// deferred resolver field aside for a later payload that these transports
// never send, so `... @defer { viewerAccess { level } }` came back as
// `"viewerAccess": null` without an error, a null the schema says cannot
// be. The incremental-delivery proposal lets a server deliver deferred
// fields with the initial payload, and that is what this package makes the
// executor do. Code generation (ent/entc_defer.go) points the generated
// executor's field collection and deferred groups here.
//
// An object whose fields are never deferred also needs no deferred group:
// gqlgen's built one per object (its path, a field set and a map), about
// 3% of the CPU of a caseload page.
package inlinedefer

import (
	"context"
	"slices"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
)

// CollectFields is graphql.CollectFields with every field answered inline:
// no field it returns is deferred. gqlgen caches the collection for the
// operation and shares it, so a collection holding a deferred field is
// copied, never changed.
func CollectFields(oc *graphql.OperationContext, sel ast.SelectionSet, satisfies []string) []graphql.CollectedField {
	fields := graphql.CollectFields(oc, sel, satisfies)
	if !anyDeferred(fields) {
		return fields
	}
	inline := slices.Clone(fields)
	for i := range inline {
		inline[i].Deferrables = nil
		inline[i].IsNonDeferrable = true
	}
	return inline
}

// Group is the deferred group of an object whose fields are fields. None
// is deferred once CollectFields has collected them, so the group stays
// empty and costs nothing; if one ever were, it is gqlgen's own group, as
// before.
func Group(ctx context.Context, fields []graphql.CollectedField) graphql.DeferredGroup {
	if anyDeferred(fields) {
		return graphql.NewDeferredGroup(ctx)
	}
	return graphql.DeferredGroup{Context: ctx}
}

func anyDeferred(fields []graphql.CollectedField) bool {
	for i := range fields {
		if fields[i].IsDeferred() {
			return true
		}
	}
	return false
}
