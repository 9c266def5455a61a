package server

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
)

// maxLoggedName bounds the operation name in a log line: the caller
// chooses it.
const maxLoggedName = 100

// logOperation is the gqlgen extension that names the request's GraphQL
// operation in its access log line (requestlog.go), so that a slow or
// failing line says what ran without logging the query.
type logOperation struct{}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationInterceptor
} = logOperation{}

// ExtensionName implements graphql.HandlerExtension.
func (logOperation) ExtensionName() string { return "LogOperation" }

// Validate implements graphql.HandlerExtension.
func (logOperation) Validate(graphql.ExecutableSchema) error { return nil }

// InterceptOperation implements graphql.OperationInterceptor. An operation
// the document leaves unnamed is logged as "anonymous".
func (logOperation) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	if l, ok := ctx.Value(logFieldsKey{}).(*logFields); ok {
		if oc := graphql.GetOperationContext(ctx); oc.Operation != nil {
			name := oc.Operation.Name
			if name == "" {
				name = opAnonymous
			}
			if len(name) > maxLoggedName {
				name = name[:maxLoggedName]
			}
			l.operation = name
		}
	}
	return next(ctx)
}
