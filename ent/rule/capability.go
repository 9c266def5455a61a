package rule

import (
	"context"

	"caseload/ent/privacy"
	"caseload/ent/schema/access"
	"caseload/ent/viewer"
)

// AllowIfCapable allows a mutation to a viewer whose role grants c (policy
// §4, §6). Admins hold every capability.
func AllowIfCapable(c access.Capability) privacy.QueryMutationRule {
	return privacy.ContextQueryMutationRule(func(ctx context.Context) error {
		if v := viewer.FromContext(ctx); v != nil && v.Can(c) {
			return privacy.Allow
		}
		return privacy.Skip
	})
}
