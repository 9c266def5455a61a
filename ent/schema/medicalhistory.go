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

// MedicalHistory is a client's medical history, medications, allergies and
// diagnoses: the MEDICAL_HISTORY section. One per client.
type MedicalHistory struct{ ent.Schema }

// Mixin of MedicalHistory.
func (MedicalHistory) Mixin() []ent.Mixin {
	return []ent.Mixin{pulid.MixinWithPrefix(prefixMedicalHistory), TimeMixin{}, TenantMixin{}}
}

// Fields of MedicalHistory.
func (MedicalHistory) Fields() []ent.Field {
	return []ent.Field{
		field.String("client_id").GoType(pulidID).Immutable().Annotations(entgql.Skip()),
		field.Text("text").Default(""),
		field.Text("medications").Default(""),
		field.Text("allergies").Default(""),
		field.Text("diagnoses").Default(""),
		field.Time("updated_at").Optional().Nillable(),
		field.String("updated_by_id").GoType(pulidID).Optional().Nillable().Annotations(entgql.Skip()),
	}
}

// Edges of MedicalHistory.
func (MedicalHistory) Edges() []ent.Edge {
	return []ent.Edge{
		clientEdge("medical_history"),
		edge.To("updated_by", Member.Type).Field("updated_by_id").Unique(),
	}
}

// Indexes of MedicalHistory.
func (MedicalHistory) Indexes() []ent.Index {
	return []ent.Index{index.Fields("client_id").Unique()}
}

// Annotations of MedicalHistory.
func (MedicalHistory) Annotations() []schema.Annotation {
	return []schema.Annotation{readOnlyGraphQL()}
}
