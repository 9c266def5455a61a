// Package gqldirective names the GraphQL directives that guard fields and
// gives the entgql annotations that put them on Ent fields. It sits below
// both ent/schema, which annotates fields with it, and graph/directive, which
// holds each directive's runtime, so the schema imports nothing from graph.
package gqldirective

import (
	"entgo.io/contrib/entgql"
	"github.com/vektah/gqlparser/v2/ast"

	"caseload/ent/schema/access"
)

// The directives' names in the GraphQL schema (schema/access.graphql and
// schema/capacity.graphql declare them).
const (
	// SectionName guards a field of a client section (policy §4).
	SectionName = "section"
	// ManagesAccessName guards who-else-has-access fields (policy §6).
	ManagesAccessName = "managesAccess"
	// TeamCapacityName guards capacity figures (policy §7).
	TeamCapacityName = "teamCapacity"
	// ScheduleName guards a practitioner's schedule (policy §7).
	ScheduleName = "schedule"
)

// Section marks an Ent field or edge as part of section s: GraphQL serves it
// only to a viewer with at least VIEW on s for the object (policy §4).
func Section(s access.Section) entgql.Directive {
	return entgql.NewDirective(SectionName, &ast.Argument{
		Name:  "section",
		Value: &ast.Value{Raw: string(s), Kind: ast.EnumValue},
	})
}
