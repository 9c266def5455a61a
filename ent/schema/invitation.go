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

// Invitation lets an admin bring a new member into the practice. Only a hash
// of its token is stored: the token itself is shown once, to the inviter.
type Invitation struct{ ent.Schema }

// Mixin of Invitation.
func (Invitation) Mixin() []ent.Mixin {
	return []ent.Mixin{pulid.MixinWithPrefix(prefixInvitation), TimeMixin{}, TenantMixin{}}
}

// Fields of Invitation.
func (Invitation) Fields() []ent.Field {
	return []ent.Field{
		field.String("email").NotEmpty().MaxLen(320),
		field.String("name").NotEmpty().MaxLen(200),
		field.Enum("account_type").GoType(access.AccountType("")).
			Annotations(entgql.Type("AccountType")),
		field.Bool("admin").Default(false),
		field.String("role_id").GoType(pulidID).Optional().Nillable(),
		field.String("token_hash").Sensitive().NotEmpty(),
		field.Time("expires_at"),
		field.String("invited_by_id").GoType(pulidID),
		field.Time("accepted_at").Optional().Nillable(),
	}
}

// Edges of Invitation.
func (Invitation) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("role", Role.Type).Field("role_id").Unique(),
		edge.To("invited_by", Member.Type).Field("invited_by_id").Unique().Required(),
	}
}

// Indexes of Invitation.
func (Invitation) Indexes() []ent.Index {
	return []ent.Index{index.Fields("token_hash").Unique()}
}

// Annotations of Invitation.
func (Invitation) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip()}
}
