package rule

import (
	"context"
	"slices"

	entgo "entgo.io/ent"

	"caseload/ent"
)

// AlwaysLoad is an interceptor that adds fields to every query of its type
// that loads entities with only some columns selected, as entgql's field
// collection does. A decision that consults a loaded row (a session note's
// author and private flag, policy §5) then never reads a column the GraphQL
// selection happened to leave out: it is always there.
func AlwaysLoad(fields ...string) ent.Interceptor {
	return ent.InterceptFunc(func(next ent.Querier) ent.Querier {
		return ent.QuerierFunc(func(ctx context.Context, q ent.Query) (ent.Value, error) {
			qc := entgo.QueryFromContext(ctx)
			if qc != nil && len(qc.Fields) > 0 && slices.Contains(entityOps, qc.Op) {
				for _, f := range fields {
					qc.AppendFieldOnce(f)
				}
			}
			return next.Query(ctx, q)
		})
	})
}

// entityOps are the query operations that return whole entities; the others
// (ids, counts, selects into values) must keep their own columns.
var entityOps = []string{entgo.OpQueryFirst, entgo.OpQueryOnly, entgo.OpQueryAll}
