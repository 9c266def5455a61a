package directive

import (
	"context"
	"fmt"

	"github.com/99designs/gqlgen/graphql"

	"caseload/ent"
	"caseload/ent/audit"
	"caseload/ent/rule"
	"caseload/ent/viewer"
	"caseload/graph/errcode"
)

// managesAccess is the runtime of @managesAccess: the field (who else has
// access to a client) is read only by those who may manage that access
// (policy §6, sharing: the same decision as viewerAccess.canShare); anyone
// else gets null with a FORBIDDEN error.
func managesAccess(ctx context.Context, obj any, next graphql.Resolver) (any, error) {
	c, ok := obj.(*ent.ClientRecord)
	if !ok {
		return nil, fmt.Errorf("@managesAccess on unsupported type %T", obj)
	}
	d, err := rule.DecisionOn(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	if !rule.ClientActions(viewer.FromContext(ctx), d).Share {
		// A denied access, recorded (policy §9).
		field := ""
		if fc := graphql.GetFieldContext(ctx); fc != nil {
			field = fc.Field.Name
		}
		audit.RecordDenied(ctx, audit.ActionForbidden, c.ID, "", field)
		return nil, errcode.New(errcode.Forbidden, "only those who manage access to this client can see who else has it")
	}
	return next(ctx)
}
