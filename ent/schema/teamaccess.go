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

// TeamAccess lets a member see the clients of another member's care teams,
// or of every member's when target is empty (policy §3 rule 6).
type TeamAccess struct{ ent.Schema }

// Mixin of TeamAccess.
func (TeamAccess) Mixin() []ent.Mixin {
	return []ent.Mixin{pulid.MixinWithPrefix(prefixTeamAccess), TimeMixin{}, TenantMixin{}}
}

// Fields of TeamAccess.
func (TeamAccess) Fields() []ent.Field {
	return []ent.Field{
		field.String("member_id").GoType(pulidID).Immutable().Annotations(entgql.Skip()),
		field.String("target_member_id").GoType(pulidID).Optional().Nillable().Immutable().Annotations(entgql.Skip()),
		field.Enum("level").GoType(access.Level("")).Immutable().
			Annotations(entgql.Type("AccessLevel")),
		field.String("granted_by_id").GoType(pulidID).Optional().Nillable().Immutable().Annotations(entgql.Skip()),
		field.Time("revoked_at").Optional().Nillable(),
	}
}

// Edges of TeamAccess.
func (TeamAccess) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("member", Member.Type).Field("member_id").Unique().Required().Immutable(),
		edge.To("target_member", Member.Type).Field("target_member_id").Unique().Immutable(),
		edge.To("granted_by", Member.Type).Field("granted_by_id").Unique().Immutable(),
	}
}

// Indexes of TeamAccess.
func (TeamAccess) Indexes() []ent.Index {
	return []ent.Index{index.Fields("member_id"), index.Fields("target_member_id")}
}

// Annotations of TeamAccess.
func (TeamAccess) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipWhereInput, entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)}
}
