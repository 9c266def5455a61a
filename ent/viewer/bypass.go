package viewer

import (
	"context"

	"caseload/ent/privacy"
)

// Bypass returns a context in which reads and writes are allowed past the
// privacy rules: the one way the code does so. Each use gives its reason,
// which says why the policy does not apply there (the decision itself needs
// the facts, the viewer does not exist yet, a history row records a change
// the policy has just allowed, fixtures). Nothing read this way is shown to a
// viewer unless the reason says why it may be.
func Bypass(ctx context.Context, reason string) context.Context {
	return context.WithValue(privacy.DecisionContext(ctx, privacy.Allow), bypassKey{}, reason)
}

type bypassKey struct{}

// BypassReason returns the reason a context bypasses privacy, or "" when it
// does not: for logs and, later, the audit trail.
func BypassReason(ctx context.Context) string {
	r, _ := ctx.Value(bypassKey{}).(string)
	return r
}
