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

// Assignment is one period of a practitioner's responsibility for, or
// membership of the care team of, a client (policy §3 rule 3, §6). Rows are
// history: they are only ever ended, never edited or deleted.
type Assignment struct{ ent.Schema }

// Mixin of Assignment.
func (Assignment) Mixin() []ent.Mixin {
	return []ent.Mixin{pulid.MixinWithPrefix(prefixAssignment), TimeMixin{}, TenantMixin{}}
}

// Fields of Assignment.
func (Assignment) Fields() []ent.Field {
	return []ent.Field{
		field.Enum("kind").Values("RESPONSIBLE", "CARE_TEAM").Immutable(),
		field.String("client_id").GoType(pulidID).Immutable().Annotations(entgql.Skip()),
		field.String("member_id").GoType(pulidID).Immutable().Annotations(entgql.Skip()),
		field.String("assigned_by_id").GoType(pulidID).Optional().Nillable().Immutable().Annotations(entgql.Skip()),
		field.String("reason").Optional().MaxLen(1000).Immutable(),
		field.Time("ended_at").Optional().Nillable(),
		field.String("ended_by_id").GoType(pulidID).Optional().Nillable().Annotations(entgql.Skip()),
		field.String("end_reason").Optional().MaxLen(1000),
		field.Enum("source").Values("STAFF", "INTAKE_RULE", "INTAKE_LINK", "INTAKE_FORM_DEFAULT", "ONLINE_BOOKING", "APPOINTMENT").
			Default("STAFF").Immutable().
			Comment("what made the assignment: a member, or the routing of a new client (policy §6)"),
		field.String("intake_form_id").GoType(pulidID).Optional().Nillable().Immutable().Annotations(entgql.Skip()),
		field.String("intake_link_id").GoType(pulidID).Optional().Nillable().Immutable().Annotations(entgql.Skip()),
		field.Int("intake_rule_position").Optional().Nillable().Immutable().
			Comment("the matching form rule, counted from 1"),
		field.String("appointment_id").GoType(pulidID).Optional().Nillable().Immutable().Annotations(entgql.Skip()),
	}
}

// Edges of Assignment.
func (Assignment) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("client", ClientRecord.Type).Ref("assignments").Field("client_id").Unique().Required().Immutable(),
		edge.To("member", Member.Type).Field("member_id").Unique().Required().Immutable(),
		edge.To("assigned_by", Member.Type).Field("assigned_by_id").Unique().Immutable(),
		edge.To("ended_by", Member.Type).Field("ended_by_id").Unique(),
		edge.To("intake_form", IntakeForm.Type).Field("intake_form_id").Unique().Immutable(),
		edge.To("intake_link", IntakeLink.Type).Field("intake_link_id").Unique().Immutable(),
		edge.To("appointment", Appointment.Type).Field("appointment_id").Unique().Immutable(),
	}
}

// Indexes of Assignment. The partial unique indexes make "one responsible
// practitioner" and "assigned once" facts the database enforces, whatever
// races between requests.
func (Assignment) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("client_id", "ended_at"),
		index.Fields("member_id", "ended_at"),
		index.Fields("client_id").Unique().
			StorageKey("assignment_one_responsible").
			Annotations(entsql.IndexWhere("kind = 'RESPONSIBLE' AND ended_at IS NULL")),
		index.Fields("client_id", "member_id").Unique().
			StorageKey("assignment_once_on_care_team").
			Annotations(entsql.IndexWhere("kind = 'CARE_TEAM' AND ended_at IS NULL")),
	}
}

// Annotations of Assignment.
func (Assignment) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipWhereInput, entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)}
}
