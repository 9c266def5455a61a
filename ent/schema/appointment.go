package schema

import (
	"caseload/ent/schema/pulid"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// Appointment is a booked session with a practitioner: the SCHEDULING section.
type Appointment struct{ ent.Schema }

// Mixin of Appointment.
func (Appointment) Mixin() []ent.Mixin {
	return []ent.Mixin{pulid.MixinWithPrefix(prefixAppointment), TimeMixin{}, TenantMixin{}}
}

// Fields of Appointment.
func (Appointment) Fields() []ent.Field {
	return []ent.Field{
		clientField(),
		field.String("practitioner_id").GoType(pulidID).Annotations(entgql.Skip()),
		field.Time("starts_at").Annotations(entgql.OrderField("STARTS_AT")),
		field.Time("ends_at"),
		field.Enum("status").Values("BOOKED", "COMPLETED", "CANCELLED", "NO_SHOW").Default("BOOKED"),
		field.Bool("booked_online").Default(false),
		field.String("appointment_type").Optional().MaxLen(100).
			Comment("the kind of appointment, e.g. one of the practice's online booking types"),
		field.Bool("outside_availability").Default(false).
			Comment("booked on purpose outside the practitioner's weekly availability"),
		field.String("created_by_id").GoType(pulidID).Optional().Nillable().Immutable().
			Annotations(entgql.Skip()).
			Comment("the member who made it; empty when the client booked online"),
		field.Time("cancelled_at").Optional().Nillable(),
		field.String("cancel_reason").Optional().MaxLen(500),
		field.String("idempotency_key").Optional().Nillable().Immutable().MaxLen(100).
			Annotations(entgql.Skip()).
			Comment("an online booking's key: a repeated submission books once"),
	}
}

// Edges of Appointment.
func (Appointment) Edges() []ent.Edge {
	return []ent.Edge{
		clientEdge("appointments"),
		edge.To("practitioner", Member.Type).Field("practitioner_id").Unique().Required(),
		edge.To("created_by", Member.Type).Field("created_by_id").Unique().Immutable(),
	}
}

// Indexes of Appointment.
func (Appointment) Indexes() []ent.Index {
	return []ent.Index{
		clientIndex(),
		index.Fields("practitioner_id", "starts_at"),
		index.Fields("practice_id", "idempotency_key").Unique().
			Annotations(entsql.IndexWhere("idempotency_key IS NOT NULL")),
	}
}

// Annotations of Appointment.
func (Appointment) Annotations() []schema.Annotation {
	return []schema.Annotation{readOnlyGraphQL()}
}
