package inlinedefer

import (
	"context"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
)

func TestGroup_IsEmptyUnlessAFieldIsDeferred(t *testing.T) {
	ctx := context.Background()
	plain := []graphql.CollectedField{{Field: &ast.Field{Name: "level"}}}
	if g := Group(ctx, plain); g.FieldSet != nil || g.Defers != nil || len(g.Path) != 0 {
		t.Fatalf("a group for fields none of which is deferred: %+v", g)
	}
	deferred := []graphql.CollectedField{{Field: &ast.Field{Name: "level"}, Deferrables: []*graphql.Deferrable{{Label: "l"}}}}
	if g := Group(ctx, deferred); g.FieldSet == nil || g.Defers == nil {
		t.Fatalf("a deferred field needs gqlgen's whole group, got %+v", g)
	}
}
