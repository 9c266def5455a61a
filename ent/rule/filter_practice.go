package rule

import (
	"context"

	"entgo.io/ent/entql"

	"caseload/ent/privacy"
	"caseload/ent/viewer"
)

// FilterOwnPractice limits the practices table to the viewer's own practice
// (policy §1): there is no cross-practice role.
func FilterOwnPractice() privacy.QueryMutationRule {
	type idFilter interface{ WhereID(entql.StringP) }
	return privacy.FilterFunc(func(ctx context.Context, f privacy.Filter) error {
		v := viewer.FromContext(ctx)
		if v == nil {
			return privacy.Denyf("no viewer in context")
		}
		pf, ok := f.(idFilter)
		if !ok {
			return privacy.Denyf("type %T is not a practice", f)
		}
		pf.WhereID(entql.StringEQ(string(v.PracticeID)))
		return privacy.Skip
	})
}
