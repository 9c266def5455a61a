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
		// Unset, SetTenant puts the row in the viewer's practice.
		if id, ok := m.Field("practice_id"); ok && id != v.PracticeID {
			return privacy.Denyf("a row must be created in the viewer's practice")
		}
		return privacy.Skip
	})
}

// SetTenant is the hook of every tenant table that puts a new row in the
// practice of whoever writes it: the viewer's, or for a write without one (a
// public intake form or booking page) the practice the page belongs to
// (viewer.WithPractice). A row that names its practice keeps it; for a
// viewer, DenyIfOtherPractice has checked it.
func SetTenant() ent.Hook {
	return func(next ent.Mutator) ent.Mutator {
		return ent.MutateFunc(func(ctx context.Context, m ent.Mutation) (ent.Value, error) {
			if _, set := m.Field("practice_id"); m.Op().Is(ent.OpCreate) && !set {
				if id := viewer.PracticeOf(ctx); id != "" {
					if err := m.SetField("practice_id", id); err != nil {
						return nil, err
					}
				}
			}
			return next.Mutate(ctx, m)
		})
	}
}
