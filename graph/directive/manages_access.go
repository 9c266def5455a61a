package directive

import (
	"context"

	"github.com/99designs/gqlgen/graphql"

	"caseload/graph/errcode"
)

// CheckFunc reports whether the viewer may read a field of obj.
type CheckFunc func(ctx context.Context, obj any) (bool, error)

// ManagesAccessFunc is the runtime of @managesAccess: the field (who else
// has access to a client) is read only by those who may manage that access
// (policy §6); anyone else gets null with a FORBIDDEN error.
func ManagesAccessFunc(check CheckFunc) func(ctx context.Context, obj any, next graphql.Resolver) (any, error) {
	return func(ctx context.Context, obj any, next graphql.Resolver) (any, error) {
		ok, err := check(ctx, obj)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, errcode.New(errcode.Forbidden, "only those who manage access to this client can see who else has it")
		}
		return next(ctx)
	}
}
