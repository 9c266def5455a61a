package schema

import (
	"caseload/ent/schema/forms"
	"caseload/ent/schema/pulid"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// FormResponse is a completed intake or questionnaire form: the FORMS section.
type FormResponse struct{ ent.Schema }

// Mixin of FormResponse.
func (FormResponse) Mixin() []ent.Mixin {
	return []ent.Mixin{pulid.MixinWithPrefix(prefixFormResponse), TimeMixin{}, TenantMixin{}}
}

// Fields of FormResponse.
func (FormResponse) Fields() []ent.Field {
	return []ent.Field{
		clientField(),
		field.String("form_name").NotEmpty().MaxLen(200),
		field.Time("submitted_at"),
		field.Text("answers").Default("").Comment("question and answer lines as the client submitted them"),
		field.String("form_id").GoType(pulidID).Optional().Nillable().Immutable().
			Annotations(entgql.Skip()).
			Comment("the intake form answered, for responses that came through one"),
		field.Int("form_version").Optional().Nillable().Immutable(),
		field.String("link_id").GoType(pulidID).Optional().Nillable().Immutable().
			Annotations(entgql.Skip()),
		field.JSON("data", []forms.Answer{}).Optional().Immutable().
			Annotations(entgql.Type("[IntakeAnswer!]")).
			Comment("the answers as structured data, each with its question as asked"),
		field.String("idempotency_key").Optional().Nillable().Immutable().MaxLen(100).
			Annotations(entgql.Skip()).
			Comment("the submission's key: a repeated submission creates one client"),
	}
}

// Edges of FormResponse.
func (FormResponse) Edges() []ent.Edge {
	return []ent.Edge{
		clientEdge("form_responses"),
		edge.To("form", IntakeForm.Type).Field("form_id").Unique().Immutable(),
	}
}

// Indexes of FormResponse.
func (FormResponse) Indexes() []ent.Index {
	return []ent.Index{
		clientIndex(),
		index.Fields("practice_id", "idempotency_key").Unique().
			Annotations(entsql.IndexWhere("idempotency_key IS NOT NULL")),
	}
}

// Annotations of FormResponse.
func (FormResponse) Annotations() []schema.Annotation {
	return []schema.Annotation{readOnlyGraphQL()}
}
