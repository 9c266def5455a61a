package schema

import (
	"caseload/ent/schema/access"
	"caseload/ent/schema/gqldirective"
	"caseload/ent/schema/pulid"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// Tag labels clients (a clinic location, a program) and scopes roles
// (policy §3, tag restriction).
type Tag struct{ ent.Schema }

// Mixin of Tag.
func (Tag) Mixin() []ent.Mixin {
	return []ent.Mixin{pulid.MixinWithPrefix(prefixTag), TimeMixin{}, TenantMixin{}}
}

// Fields of Tag.
func (Tag) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").NotEmpty().MaxLen(100).
			Annotations(entgql.OrderField("NAME")),
	}
}

// Edges of Tag.
func (Tag) Edges() []ent.Edge {
	return []ent.Edge{
		// Which clients carry a tag is PROFILE data of each (policy §4).
		edge.From("clients", ClientRecord.Type).Ref("tags").
			Through("tag_clients", ClientTag.Type).
			Comment(sectionNote(access.Profile)).
			Annotations(entgql.RelayConnection(), entgql.Directives(gqldirective.Section(access.Profile))),
		edge.From("roles", Role.Type).Ref("restrict_to_tags").
			Annotations(entgql.Skip()),
	}
}

// Indexes of Tag.
func (Tag) Indexes() []ent.Index {
	return []ent.Index{index.Fields("practice_id", "name").Unique()}
}

// Annotations of Tag.
func (Tag) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipWhereInput, entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)}
}
