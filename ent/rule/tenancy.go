package rule

import (
	"context"

	"entgo.io/ent/entql"

	"caseload/ent"
	"caseload/ent/privacy"
	"caseload/ent/viewer"
)

// Policy §1: nothing ever crosses a practice boundary.

// FilterTenant limits every query, update and delete of a tenant table to the
// viewer's practice. It is the same indexed equality whatever the path to the
// rows (lists, node, edges, counts).
func FilterTenant() privacy.QueryMutationRule {
	type practiceFilter interface {
		WherePracticeID(entql.StringP)
	}
	return privacy.FilterFunc(func(ctx context.Context, f privacy.Filter) error {
		v := viewer.FromContext(ctx)
		if v == nil {
			return privacy.Denyf("no viewer in context")
		}
		pf, ok := f.(practiceFilter)
		if !ok {
			return privacy.Denyf("type %T has no practice", f)
		}
		pf.WherePracticeID(entql.StringEQ(string(v.PracticeID)))
		return privacy.Skip
	})
}

// DenyIfOtherPractice refuses to create a row in another practice than the
// viewer's, so that a create can never plant data across the boundary.
func DenyIfOtherPractice() privacy.MutationRule {
	return privacy.MutationRuleFunc(func(ctx context.Context, m ent.Mutation) error {
		if !m.Op().Is(ent.OpCreate) {
			return privacy.Skip
		}
		v := viewer.FromContext(ctx)
		if v == nil {
			return privacy.Denyf("no viewer in context")
		}
		id, ok := m.Field("practice_id")
		if !ok || id == nil || id != v.PracticeID {
			return privacy.Denyf("a row must be created in the viewer's practice")
		}
		return privacy.Skip
	})
}
