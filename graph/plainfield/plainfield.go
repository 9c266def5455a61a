// Package plainfield lets the generated executor answer a plain field
// without gqlgen's field machinery (issue P).
//
// A plain field reads a field of its object's Go struct, has no resolver
// and no directive (so no @section decision: those fields always take
// gqlgen's way), and is a non-null String, ID or Boolean, whose marshalling
// can neither fail nor panic. gqlgen still gave each such field a field
// context, a context, a recover, a call through the field middleware and
// its value boxed in an interface: about five allocations for a name. A
// caseload page of 50 clients has about 250 such fields. Code generation
// (ent/entc_plain.go) makes each plain field's generated resolver marshal
// the struct field directly when Direct says it may.
//
// The field context is seen only by field middleware (an extension that
// intercepts fields) and by what a field's resolver or directives call; a
// plain field has neither. So Direct allows the direct way only while the
// operation has no field middleware: an extension that intercepts fields
// (tracing every field, say) sees every field, plain ones included.
package plainfield

import (
	"context"
	"reflect"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/executor"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// Direct reports whether oc's plain fields may be marshalled directly:
// whether oc's field middleware is gqlgen's own, which only calls the
// resolver. Any field interceptor, or an operation interceptor that sets
// oc.ResolverMiddleware, makes it false.
func Direct(oc *graphql.OperationContext) bool {
	code := noFieldMiddleware()
	return code != 0 && reflect.ValueOf(oc.ResolverMiddleware).Pointer() == code
}

// noFieldMiddleware is the code of gqlgen's field middleware for an
// executor without field interceptors, read from one: an executor that
// has been given an extension, as a server's is, so that it is made the
// way a server's is.
var noFieldMiddleware = sync.OnceValue(func() (code uintptr) {
	defer func() {
		// Direct is then always false, which only costs speed: it must
		// never fail a request.
		if recover() != nil {
			code = 0
		}
	}()
	e := executor.New(stubSchema{})
	e.Use(stubExtension{})
	oc, errs := e.CreateOperationContext(graphql.StartOperationTrace(context.Background()), &graphql.RawParams{Query: "{ a }"})
	if len(errs) > 0 {
		// Cannot happen with the stub schema; 0 makes Direct always false,
		// which only costs speed.
		return 0
	}
	return reflect.ValueOf(oc.ResolverMiddleware).Pointer()
})

// stubSchema is the smallest executable schema an operation context can
// be made for.
type stubSchema struct{}

var stub = gqlparser.MustLoadSchema(&ast.Source{Name: "stub.graphql", Input: "type Query { a: Int }"})

// Schema implements graphql.ExecutableSchema.
func (stubSchema) Schema() *ast.Schema { return stub }

// Complexity implements graphql.ExecutableSchema.
func (stubSchema) Complexity(context.Context, string, string, int, map[string]any) (int, bool) {
	return 0, false
}

// Exec implements graphql.ExecutableSchema; the stub is never run.
func (stubSchema) Exec(context.Context) graphql.ResponseHandler {
	return func(context.Context) *graphql.Response { return nil }
}

// stubExtension is an extension that intercepts no field: it leaves the
// operation context as it is.
type stubExtension struct{}

// ExtensionName implements graphql.HandlerExtension.
func (stubExtension) ExtensionName() string { return "plainfield stub" }

// Validate implements graphql.HandlerExtension.
func (stubExtension) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationContext implements graphql.OperationContextMutator.
func (stubExtension) MutateOperationContext(context.Context, *graphql.OperationContext) *gqlerror.Error {
	return nil
}
