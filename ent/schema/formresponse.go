package schema

import (
	"caseload/ent/schema/pulid"

	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
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
	}
}

// Edges of FormResponse.
func (FormResponse) Edges() []ent.Edge {
	return []ent.Edge{clientEdge("form_responses")}
}

// Indexes of FormResponse.
func (FormResponse) Indexes() []ent.Index {
	return []ent.Index{clientIndex()}
}

// Annotations of FormResponse.
func (FormResponse) Annotations() []schema.Annotation {
	return []schema.Annotation{readOnlyGraphQL()}
}
