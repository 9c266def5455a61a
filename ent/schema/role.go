package schema

import (
	"caseload/ent/schema/access"
	"caseload/ent/schema/pulid"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// Role is a practice's named set of section levels and capabilities
// (policy §4). A level per section is a column, so that the levels a viewer
// holds are plain values, never parsed from a blob.
type Role struct{ ent.Schema }

// Mixin of Role.
func (Role) Mixin() []ent.Mixin {
	return []ent.Mixin{pulid.MixinWithPrefix(prefixRole), TimeMixin{}, TenantMixin{}}
}

// Fields of Role.
func (Role) Fields() []ent.Field {
	level := func(name string) ent.Field {
		return field.Enum(name).GoType(access.Level("")).Default(string(access.None)).
			Annotations(entgql.Skip())
	}
	return []ent.Field{
		field.String("name").NotEmpty().MaxLen(100),
		field.Enum("account_type").GoType(access.AccountType("")).
			Annotations(entgql.Type("AccountType")),
		level("profile_level"),
		level("scheduling_level"),
		level("billing_level"),
		level("medical_history_level"),
		level("session_notes_level"),
		level("forms_level"),
		field.JSON("capabilities", []access.Capability{}).Default([]access.Capability{}).
			Annotations(entgql.Skip()),
	}
}

// Edges of Role.
func (Role) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("restrict_to_tags", Tag.Type).
			Annotations(entgql.Skip()),
		edge.From("members", Member.Type).Ref("role").
			Annotations(entgql.Skip()),
	}
}

// Indexes of Role.
func (Role) Indexes() []ent.Index {
	return []ent.Index{index.Fields("practice_id", "name").Unique()}
}

// Annotations of Role.
func (Role) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipWhereInput, entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)}
}
