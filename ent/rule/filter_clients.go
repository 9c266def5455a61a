package rule

import (
	"context"

	entgo "entgo.io/ent"

	"caseload/ent"
	"caseload/ent/predicate"
	"caseload/ent/privacy"
	"caseload/ent/viewer"
)

// FilterVisibleClients makes the database return only the clients the viewer
// sees (policy §3) — in lists, counts, node lookups, edges, filters and
// ordering alike, because all of them are client queries. It decides: the
// filtered query is allowed.
func FilterVisibleClients() privacy.QueryRule {
	return privacy.ClientRecordQueryRuleFunc(func(ctx context.Context, q *ent.ClientRecordQuery) error {
		v := viewer.FromContext(ctx)
		if v == nil {
			return privacy.Denyf("no viewer in context")
		}
		p := visibleClients(v)
		if counting(ctx) {
			p = countedClients(v)
		}
		if p != nil {
			q.Where(p)
		}
		return privacy.Allow
	})
}

// counting reports whether the query being filtered is a count, which
// visits every client of the practice instead of stopping after a page.
func counting(ctx context.Context) bool {
	qc := entgo.QueryFromContext(ctx)
	return qc != nil && qc.Op == entgo.OpQueryCount
}

// FilterClientRows limits rows that hang off a client (history, shares,
// grants) to those of clients the viewer sees, so that no other path reaches
// a hidden client's data.
func FilterClientRows() privacy.QueryMutationRule {
	type clientFilter interface {
		WhereHasClientWith(...predicate.ClientRecord)
	}
	return privacy.FilterFunc(func(ctx context.Context, f privacy.Filter) error {
		v := viewer.FromContext(ctx)
		if v == nil {
			return privacy.Denyf("no viewer in context")
		}
		cf, ok := f.(clientFilter)
		if !ok {
			return privacy.Denyf("type %T does not belong to a client", f)
		}
		if p := visibleClients(v); p != nil {
			cf.WhereHasClientWith(p)
		}
		return privacy.Skip
	})
}
