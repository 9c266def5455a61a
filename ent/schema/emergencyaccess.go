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
// limited time, with a mandatory reason (policy §3 rule 7, §8).
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
	}
}

// Edges of EmergencyAccess.
func (EmergencyAccess) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("client", ClientRecord.Type).Ref("emergency_accesses").Field("client_id").Unique().Required().Immutable(),
		edge.To("member", Member.Type).Field("member_id").Unique().Required().Immutable(),
	}
}

// Indexes of EmergencyAccess.
func (EmergencyAccess) Indexes() []ent.Index {
	return []ent.Index{index.Fields("member_id", "client_id", "expires_at")}
}

// Annotations of EmergencyAccess.
func (EmergencyAccess) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipWhereInput, entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)}
}
