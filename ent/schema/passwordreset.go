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

// PasswordReset is one requestPasswordReset for a member with an account:
// only a hash of its code is stored, the code itself goes to the member's
// address, and it works once, before it expires.
type PasswordReset struct{ ent.Schema }

// Mixin of PasswordReset.
func (PasswordReset) Mixin() []ent.Mixin {
	return []ent.Mixin{pulid.MixinWithPrefix(prefixPasswordReset), TimeMixin{}}
}

// Fields of PasswordReset.
func (PasswordReset) Fields() []ent.Field {
	return []ent.Field{
		field.String("member_id").GoType(pulidID).Immutable(),
		field.String("token_hash").Sensitive().NotEmpty().Immutable(),
		field.Time("expires_at").Immutable(),
		field.Time("used_at").Optional().Nillable(),
	}
}

// Edges of PasswordReset.
func (PasswordReset) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("member", Member.Type).Field("member_id").Unique().Required().Immutable(),
	}
}

// Indexes of PasswordReset: resetPassword finds the code by its hash, and
// requestPasswordReset a member's recent codes.
func (PasswordReset) Indexes() []ent.Index {
	return []ent.Index{index.Fields("token_hash").Unique(), index.Fields("member_id", "created_at")}
}

// Annotations of PasswordReset: not in the GraphQL schema.
func (PasswordReset) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip()}
}
