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

// Share gives one member access to one client (policy §3 rule 4), until it
// expires or is revoked. Expiry is judged at read time, so no job is needed.
type Share struct{ ent.Schema }

// Mixin of Share.
func (Share) Mixin() []ent.Mixin {
	return []ent.Mixin{pulid.MixinWithPrefix(prefixShare), TimeMixin{}, TenantMixin{}}
}

// Fields of Share.
func (Share) Fields() []ent.Field {
	return []ent.Field{
		field.String("client_id").GoType(pulidID).Immutable().Annotations(entgql.Skip()),
		field.String("member_id").GoType(pulidID).Immutable().Annotations(entgql.Skip()),
		field.Enum("level").GoType(access.Level("")).Immutable().
			Annotations(entgql.Type("AccessLevel")),
		field.Time("expires_at").Optional().Nillable().Immutable(),
		field.String("granted_by_id").GoType(pulidID).Optional().Nillable().Immutable().Annotations(entgql.Skip()),
		field.Time("revoked_at").Optional().Nillable(),
		field.String("revoked_by_id").GoType(pulidID).Optional().Nillable().Annotations(entgql.Skip()),
	}
}

// Edges of Share.
func (Share) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("client", ClientRecord.Type).Ref("shares").Field("client_id").Unique().Required().Immutable(),
		edge.To("member", Member.Type).Field("member_id").Unique().Required().Immutable(),
		edge.To("granted_by", Member.Type).Field("granted_by_id").Unique().Immutable(),
		edge.To("revoked_by", Member.Type).Field("revoked_by_id").Unique(),
	}
}

// Indexes of Share.
func (Share) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("member_id", "client_id"),
		index.Fields("client_id"),
	}
}

// Annotations of Share.
func (Share) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipWhereInput, entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)}
}
