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
	}
}

// Edges of Appointment.
func (Appointment) Edges() []ent.Edge {
	return []ent.Edge{
		clientEdge("appointments"),
		edge.To("practitioner", Member.Type).Field("practitioner_id").Unique().Required(),
	}
}

// Indexes of Appointment.
func (Appointment) Indexes() []ent.Index {
	return []ent.Index{clientIndex(), index.Fields("practitioner_id", "starts_at")}
}

// Annotations of Appointment.
func (Appointment) Annotations() []schema.Annotation {
	return []schema.Annotation{readOnlyGraphQL()}
}
