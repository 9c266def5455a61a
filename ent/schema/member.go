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

// Member is a team member of a practice (policy §2).
type Member struct{ ent.Schema }

// Mixin of Member.
func (Member) Mixin() []ent.Mixin {
	return []ent.Mixin{pulid.MixinWithPrefix(prefixMember), TimeMixin{}, TenantMixin{}}
}

// Fields of Member.
func (Member) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").NotEmpty().MaxLen(200).
			Annotations(entgql.OrderField("NAME")),
		field.String("email").NotEmpty().MaxLen(320).
			Comment("stored lower-cased; unique across practices because login takes only an email"),
		field.String("password_hash").Sensitive().Optional(),
		field.Enum("account_type").GoType(access.AccountType("")).
			Annotations(entgql.Type("AccountType")),
		field.Bool("admin").Default(false),
		field.Bool("active").Default(true),
		field.String("role_id").GoType(pulidID).Optional().Nillable().
			Annotations(entgql.Skip()),
		field.Int("slot_minutes").Default(50).Range(5, 480).
			Comment("length of an appointment slot, for open-slot capacity (policy §7)"),
		field.Bool("bookable_online").Default(false).Annotations(entgql.Skip()).
			Comment("listed on the practice's online booking page"),
	}
}

// Edges of Member.
func (Member) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("role", Role.Type).Field("role_id").Unique(),
		edge.From("responsible_clients", ClientRecord.Type).Ref("responsible_practitioner").
			Annotations(entgql.Skip()),
		edge.To("availability", Availability.Type).
			Annotations(entgql.Skip()),
		edge.To("leave", Leave.Type).
			Annotations(entgql.Skip()),
	}
}

// Indexes of Member.
func (Member) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("email").Unique(),
		index.Fields("role_id"),
		index.Fields("practice_id", "name"),
	}
}

// Annotations of Member.
func (Member) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.RelayConnection(),
		entgql.Skip(entgql.SkipWhereInput, entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput),
	}
}
