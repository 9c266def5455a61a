// Package directive defines each GraphQL directive once: its name, the entgql
// annotation that puts it on Ent fields, and its runtime function.
package directive

import (
	"context"

	"entgo.io/contrib/entgql"
	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"caseload/ent/schema/access"
	"caseload/graph/errcode"
)

// sectionName is the directive's name in the GraphQL schema, where it shows
// analysts which section guards a field.
const sectionName = "section"

// Section marks an Ent field or edge as part of a section (policy §4).
func Section(s access.Section) entgql.Directive {
	return entgql.NewDirective(sectionName, &ast.Argument{
		Name:  "section",
		Value: &ast.Value{Raw: string(s), Kind: ast.EnumValue},
	})
}

// LevelFunc returns the viewer's effective level on section s of obj, the
// object whose field is being resolved.
type LevelFunc func(ctx context.Context, obj any, s access.Section) (access.Level, error)

// SectionFunc is the runtime of @section: reading a field of section S needs
// an effective level of at least VIEW on S (policy §4). A denied field is
// null with a FORBIDDEN error naming the section; the rest of the response is
// served.
func SectionFunc(level LevelFunc) func(ctx context.Context, obj any, next graphql.Resolver, section access.Section) (any, error) {
	return func(ctx context.Context, obj any, next graphql.Resolver, section access.Section) (any, error) {
		l, err := level(ctx, obj, section)
		if err != nil {
			return nil, err
		}
		if !l.AtLeast(access.View) {
			return nil, errcode.ForbiddenSection(section)
		}
		return next(ctx)
	}
}
