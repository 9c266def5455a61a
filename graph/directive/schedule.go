package directive

import (
	"context"
	"fmt"

	"github.com/99designs/gqlgen/graphql"

	"caseload/ent"
	"caseload/ent/rule"
	"caseload/ent/viewer"
	"caseload/graph/errcode"
)

// schedule is the runtime of @schedule: a practitioner's schedule is read by
// those who see team capacity, those who manage the team, and the
// practitioner themself (policy §7; docs/access-policy.md, "Schedules");
// anyone else gets null with a FORBIDDEN error.
func schedule(ctx context.Context, obj any, next graphql.Resolver) (any, error) {
	m, ok := obj.(*ent.Member)
	if !ok {
		return nil, fmt.Errorf("@schedule on unsupported type %T", obj)
	}
	if !rule.SeesScheduleOf(viewer.FromContext(ctx), m.ID) {
		return nil, errcode.New(errcode.Forbidden, "a schedule is read by its practitioner, the team's managers and those who see team capacity")
	}
	return next(ctx)
}
