package server

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"caseload/ent/viewer"
)

// writesKeepEveryRule gives every root field of an operation that is not a
// query the viewer for writes (viewer.Viewer.ForWrites). Loading the viewer
// found which personal grants the member holds, and a query's rules leave
// the others out of their SQL; a mutation may grant its own member one
// (break the glass, then read the client in the payload), which what it
// reads next must see.
func writesKeepEveryRule(ctx context.Context, next graphql.RootResolver) graphql.Marshaler {
	if oc := graphql.GetOperationContext(ctx); oc.Operation != nil && oc.Operation.Operation != ast.Query {
		if v := viewer.FromContext(ctx); v != nil {
			ctx = viewer.NewContext(ctx, v.ForWrites())
		}
	}
	return next(ctx)
}
