package schema

import (
	"caseload/ent/schema/access"
	"caseload/ent/schema/gqldirective"
	"caseload/ent/schema/joinload"
	"caseload/ent/schema/pulid"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// ClientRecord is a client of a practice: the person whose record the policy
// protects. It is called ClientRecord in Go only because Ent reserves
// ent.Client for the database client; the table is "clients" and the GraphQL
// type is Client (see ent/entc.go).
type ClientRecord struct{ ent.Schema }

// Mixin of ClientRecord.
func (ClientRecord) Mixin() []ent.Mixin {
	return []ent.Mixin{pulid.MixinWithPrefix(prefixClient), TimeMixin{}, TenantMixin{}}
}

// sectionNote is the description of a guarded field in the GraphQL schema:
// introspection does not show applied directives, so GraphiQL users read
// the section here.
func sectionNote(s access.Section) string {
	return "Section " + string(s) + ": null with a FORBIDDEN error unless the viewer has VIEW on " + string(s) + " for this client."
}

// profile marks a field of the PROFILE section (policy §4): readable with
// VIEW, and never filterable or orderable, so that a filter cannot reveal it.
func profile() schema.Annotation {
	return entgql.Annotation{
		Skip:       entgql.SkipWhereInput | entgql.SkipOrderField,
		Directives: []entgql.Directive{gqldirective.Section(access.Profile)},
	}
}

// Fields of ClientRecord.
func (ClientRecord) Fields() []ent.Field {
	return []ent.Field{
		// Always visible with the client (policy §4).
		field.String("name").NotEmpty().MaxLen(200).
			Annotations(entgql.OrderField("NAME")),
		field.Enum("status").Values("ACTIVE", "INACTIVE", "ARCHIVED").Default("ACTIVE").
			Annotations(entgql.OrderField("STATUS")),
		field.Enum("visibility").GoType(access.ClientVisibility("")).Default(string(access.PracticeDefault)).
			Annotations(entgql.Type("ClientVisibility")),
		field.Bool("restricted").Default(false),
		field.String("responsible_id").GoType(pulidID).Optional().Nillable().
			Annotations(entgql.Skip()),
		field.Enum("source").Values("STAFF", "ONLINE_BOOKING", "INTAKE_FORM").Default("STAFF").
			Immutable().
			Annotations(entgql.Skip(entgql.SkipWhereInput)),
		// PROFILE.
		field.String("email").Comment(sectionNote(access.Profile)).Optional().MaxLen(320).Annotations(profile()),
		field.String("phone").Comment(sectionNote(access.Profile)).Optional().MaxLen(50).Annotations(profile()),
		field.Time("date_of_birth").Comment(sectionNote(access.Profile)).Optional().Nillable().Annotations(profile()),
		field.String("address").Comment(sectionNote(access.Profile)).Optional().MaxLen(500).Annotations(profile()),
		field.String("emergency_contact").Comment(sectionNote(access.Profile)).Optional().MaxLen(500).Annotations(profile()),
	}
}

// Edges of ClientRecord. Edges into guarded sections carry their section's
// directive; care team, history and shares are exposed by hand-written
// resolvers because they show only active or only permitted rows, and so are
// appointments, invoices and form responses (schema/client.graphql), which
// take a bounded first: entgql would load every row.
func (ClientRecord) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("responsible_practitioner", Member.Type).Field("responsible_id").Unique().
			Annotations(joinload.Edge()),
		edge.To("tags", Tag.Type).Comment(sectionNote(access.Profile)).
			Through("client_tags", ClientTag.Type).
			Annotations(entgql.Directives(gqldirective.Section(access.Profile)), joinload.Edge()),
		edge.To("assignments", Assignment.Type).
			Annotations(entgql.Skip()),
		edge.To("shares", Share.Type).
			Annotations(entgql.Skip()),
		edge.To("emergency_accesses", EmergencyAccess.Type).
			Annotations(entgql.Skip()),
		edge.To("appointments", Appointment.Type).Comment(sectionNote(access.Scheduling)).
			Annotations(entgql.Skip(entgql.SkipType)),
		edge.To("invoices", Invoice.Type).Comment(sectionNote(access.Billing)).
			Annotations(entgql.Skip(entgql.SkipType)),
		edge.To("medical_history", MedicalHistory.Type).Comment(sectionNote(access.MedicalHistory)).Unique().
			Annotations(entgql.Directives(gqldirective.Section(access.MedicalHistory))),
		edge.To("session_notes", SessionNote.Type).Comment(sectionNote(access.SessionNotes)).
			Annotations(entgql.RelayConnection(), entgql.Directives(gqldirective.Section(access.SessionNotes))),
		edge.To("note_addenda", NoteAddendum.Type).
			Annotations(entgql.Skip()),
		edge.To("form_responses", FormResponse.Type).Comment(sectionNote(access.Forms)).
			Annotations(entgql.Skip(entgql.SkipType)),
	}
}

// Indexes of ClientRecord.
func (ClientRecord) Indexes() []ent.Index {
	return []ent.Index{
		// The caseload order (name, then id) within a practice, and
		// with id in it a practice's count reads this index alone.
		index.Fields("practice_id", "name", "id"),
		index.Fields("practice_id", "created_at"),
		index.Fields("responsible_id"),
		index.Fields("practice_id", "visibility"),
	}
}

// Annotations of ClientRecord.
func (ClientRecord) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entsql.Table("clients"),
		entgql.RelayConnection(),
		// Field collection matches fragments by GraphQL type name, and the
		// type is renamed Client (ent/entc.go): without this, node(id) and
		// nodes(ids) with "... on Client" loaded only the id column.
		entgql.Implements("Client"),
		entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput),
	}
}
