package rule

import (
	"context"

	"caseload/ent/privacy"
	"caseload/ent/viewer"
)

// DenyIfNoViewer denies any query or mutation without a viewer: an anonymous
// request reaches nothing. Internal code that must bypass privacy (migrations,
// seeding, authentication) says so with Bypass, which Ent
// honours before any rule runs.
func DenyIfNoViewer() privacy.QueryMutationRule {
	return privacy.ContextQueryMutationRule(func(ctx context.Context) error {
		if viewer.FromContext(ctx) == nil {
			return privacy.Denyf("no viewer in context")
		}
		return privacy.Skip
	})
}

// DenyIfInactive denies everything to a deactivated member (policy §2): their
// sessions stop working at once.
func DenyIfInactive() privacy.QueryMutationRule {
	return privacy.ContextQueryMutationRule(func(ctx context.Context) error {
		if v := viewer.FromContext(ctx); v != nil && !v.Active {
			return privacy.Denyf("member is deactivated")
		}
		return privacy.Skip
	})
}
