package schema

import (
	"caseload/ent/schema/pulid"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// Leave is a period a practitioner is away: no open slots during it
// (policy §7).
type Leave struct{ ent.Schema }

// Mixin of Leave.
func (Leave) Mixin() []ent.Mixin {
	return []ent.Mixin{pulid.MixinWithPrefix(prefixLeave), TimeMixin{}, TenantMixin{}}
}

// Fields of Leave.
func (Leave) Fields() []ent.Field {
	return []ent.Field{
		field.String("member_id").GoType(pulidID).Immutable().Annotations(entgql.Skip()),
		field.Time("starts_at").Immutable(),
		field.Time("ends_at").Immutable(),
		field.String("reason").Optional().MaxLen(200).Immutable(),
	}
}

// Edges of Leave.
func (Leave) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("member", Member.Type).Ref("leave").Field("member_id").Unique().Required().Immutable(),
	}
}

// Indexes of Leave.
func (Leave) Indexes() []ent.Index {
	return []ent.Index{index.Fields("member_id", "starts_at")}
}

// Annotations of Leave.
func (Leave) Annotations() []schema.Annotation {
	return []schema.Annotation{readOnlyGraphQL(), entgql.Skip(entgql.SkipWhereInput, entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput, entgql.SkipOrderField)}
}
