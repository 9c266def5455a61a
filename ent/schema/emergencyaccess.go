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

// EmergencyAccess is a break-the-glass grant: VIEW on one client for a
// limited time, with a mandatory reason (policy §3 rule 7, §8). Its
// created_at is when the glass was broken. Admins review each one, once,
// with an optional note; nothing else about it ever changes.
type EmergencyAccess struct{ ent.Schema }

// Mixin of EmergencyAccess.
func (EmergencyAccess) Mixin() []ent.Mixin {
	return []ent.Mixin{pulid.MixinWithPrefix(prefixEmergencyAccess), TimeMixin{}, TenantMixin{}}
}

// Fields of EmergencyAccess.
func (EmergencyAccess) Fields() []ent.Field {
	return []ent.Field{
		field.String("client_id").GoType(pulidID).Immutable().Annotations(entgql.Skip()),
		field.String("member_id").GoType(pulidID).Immutable().Annotations(entgql.Skip()),
		field.String("reason").NotEmpty().MaxLen(1000).Immutable(),
		field.Time("expires_at").Immutable(),
		field.Time("reviewed_at").Optional().Nillable().
			Comment("when an admin reviewed the emergency access (policy §8); null until then"),
		field.String("reviewed_by_id").GoType(pulidID).Optional().Nillable().Annotations(entgql.Skip()),
		field.String("review_note").Optional().Nillable().MaxLen(1000).
			Comment("what the reviewing admin noted, if anything"),
	}
}

// Edges of EmergencyAccess.
func (EmergencyAccess) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("client", ClientRecord.Type).Ref("emergency_accesses").Field("client_id").Unique().Required().Immutable(),
		// The member who broke the glass: the API calls them the holder.
		edge.To("member", Member.Type).Field("member_id").Unique().Required().Immutable().
			Annotations(entgql.MapsTo("holder")),
		edge.To("reviewed_by", Member.Type).Field("reviewed_by_id").Unique(),
	}
}

// Indexes of EmergencyAccess.
func (EmergencyAccess) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("member_id", "client_id", "expires_at"),
		// The review list pages a practice's grants, newest first.
		index.Fields("practice_id", "created_at"),
	}
}

// Annotations of EmergencyAccess.
func (EmergencyAccess) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.RelayConnection(),
		entgql.Skip(entgql.SkipWhereInput, entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput),
	}
}
