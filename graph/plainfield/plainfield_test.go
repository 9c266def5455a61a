package plainfield_test

import (
	"context"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/executor"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"caseload/graph/plainfield"
)

type schema struct{}

var parsed = gqlparser.MustLoadSchema(&ast.Source{Input: "type Query { n: Int }"})

func (schema) Schema() *ast.Schema { return parsed }
func (schema) Complexity(context.Context, string, string, int, map[string]any) (int, bool) {
	return 0, false
}
func (schema) Exec(context.Context) graphql.ResponseHandler { return nil }

// fieldTracer intercepts every field.
type fieldTracer struct{}

func (fieldTracer) ExtensionName() string                   { return "field tracer" }
func (fieldTracer) Validate(graphql.ExecutableSchema) error { return nil }
func (fieldTracer) InterceptField(ctx context.Context, next graphql.Resolver) (any, error) {
	return next(ctx)
}

// middlewareSetter replaces the operation's field middleware itself.
type middlewareSetter struct{}

func (middlewareSetter) ExtensionName() string                   { return "middleware setter" }
func (middlewareSetter) Validate(graphql.ExecutableSchema) error { return nil }
func (middlewareSetter) MutateOperationContext(_ context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	oc.ResolverMiddleware = func(ctx context.Context, next graphql.Resolver) (any, error) { return next(ctx) }
	return nil
}

func direct(t *testing.T, exts ...graphql.HandlerExtension) bool {
	t.Helper()
	e := executor.New(schema{})
	for _, x := range exts {
		e.Use(x)
	}
	oc, errs := e.CreateOperationContext(graphql.StartOperationTrace(context.Background()), &graphql.RawParams{Query: "{ n }"})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	return plainfield.Direct(oc)
}

// Plain fields are answered directly under extensions that do not touch
// fields, with none, and with one; an extension that intercepts fields, or
// sets the field middleware, sends them through gqlgen's field middleware.
func TestDirect_OnlyWithoutFieldMiddleware(t *testing.T) {
	if !direct(t) {
		t.Error("an executor without extensions does not answer plain fields directly")
	}
	if !direct(t, extension.Introspection{}, extension.FixedComplexityLimit(100)) {
		t.Error("an executor whose extensions do not touch fields does not answer plain fields directly")
	}
	if direct(t, extension.Introspection{}, fieldTracer{}) {
		t.Error("an executor with a field interceptor answers plain fields directly")
	}
	if direct(t, middlewareSetter{}) {
		t.Error("an operation whose field middleware was set answers plain fields directly")
	}
}
