package directive

import (
	"context"

	"github.com/99designs/gqlgen/graphql"

	"caseload/ent/rule"
	"caseload/ent/viewer"
	"caseload/graph/errcode"
)

// teamCapacity is the runtime of @teamCapacity: capacity figures and
// schedules are for admins and members with VIEW_TEAM or
// ASSIGN_PRACTITIONERS (policy §7); anyone else gets null with a FORBIDDEN
// error.
func teamCapacity(ctx context.Context, _ any, next graphql.Resolver) (any, error) {
	if !rule.SeesTeamCapacity(viewer.FromContext(ctx)) {
		return nil, errcode.New(errcode.Forbidden, "team capacity needs VIEW_TEAM or ASSIGN_PRACTITIONERS")
	}
	return next(ctx)
}
