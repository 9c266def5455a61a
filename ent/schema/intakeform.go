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

// IntakeForm is a form through which new clients arrive by themselves
// (policy §6, new clients; §11). Its questions live in versions, so that a
// response keeps what it answered; its rules and links decide who the new
// client is routed to.
type IntakeForm struct{ ent.Schema }

// Mixin of IntakeForm.
func (IntakeForm) Mixin() []ent.Mixin {
	return []ent.Mixin{pulid.MixinWithPrefix(prefixIntakeForm), TimeMixin{}, TenantMixin{}}
}

// Fields of IntakeForm.
func (IntakeForm) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").NotEmpty().MaxLen(200).Annotations(entgql.OrderField("NAME")),
		field.Int("version").Default(1).Positive().
			Comment("the current version: the one the public form shows"),
		field.String("default_practitioner_id").GoType(pulidID).Optional().Nillable().
			Annotations(entgql.Skip()).
			Comment("who a response goes to when no rule matches and its link names no practitioner"),
	}
}

// Edges of IntakeForm.
func (IntakeForm) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("default_practitioner", Member.Type).Field("default_practitioner_id").Unique(),
		edge.To("versions", IntakeFormVersion.Type).Annotations(entgql.Skip()),
		edge.To("rules", IntakeRule.Type).Annotations(entgql.Skip()),
		edge.To("links", IntakeLink.Type).Annotations(entgql.Skip()),
	}
}

// Annotations of IntakeForm.
func (IntakeForm) Annotations() []schema.Annotation {
	return []schema.Annotation{readOnlyGraphQL()}
}

// IntakeFormVersion is what a form asked at one version. Versions are never
// changed: updating a form writes the next one.
type IntakeFormVersion struct{ ent.Schema }

// Mixin of IntakeFormVersion.
func (IntakeFormVersion) Mixin() []ent.Mixin {
	return []ent.Mixin{pulid.MixinWithPrefix(prefixIntakeFormVersion), TimeMixin{}, TenantMixin{}}
}

// Fields of IntakeFormVersion.
func (IntakeFormVersion) Fields() []ent.Field {
	return []ent.Field{
		field.String("form_id").GoType(pulidID).Immutable().Annotations(entgql.Skip()),
		field.Int("version").Positive().Immutable(),
		field.String("name").NotEmpty().MaxLen(200).Immutable(),
		field.JSON("questions", []forms.Question{}).Immutable().
			Annotations(entgql.Type("[IntakeQuestion!]")),
	}
}

// Edges of IntakeFormVersion.
func (IntakeFormVersion) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("form", IntakeForm.Type).Ref("versions").Field("form_id").Unique().Required().Immutable(),
	}
}

// Indexes of IntakeFormVersion.
func (IntakeFormVersion) Indexes() []ent.Index {
	return []ent.Index{index.Fields("form_id", "version").Unique()}
}

// Annotations of IntakeFormVersion.
func (IntakeFormVersion) Annotations() []schema.Annotation {
	return []schema.Annotation{readOnlyGraphQL()}
}

// IntakeRule is one ordered rule of a form: when the answer to a question
// matches, the new client goes to the rule's practitioner, with its tags.
// The first matching rule wins. A form's rules are replaced together.
type IntakeRule struct{ ent.Schema }

// Mixin of IntakeRule.
func (IntakeRule) Mixin() []ent.Mixin {
	return []ent.Mixin{pulid.MixinWithPrefix(prefixIntakeRule), TimeMixin{}, TenantMixin{}}
}

// Fields of IntakeRule.
func (IntakeRule) Fields() []ent.Field {
	return []ent.Field{
		field.String("form_id").GoType(pulidID).Immutable().Annotations(entgql.Skip()),
		field.Int("position").NonNegative().Immutable(),
		field.String("question_key").NotEmpty().MaxLen(100).Immutable(),
		field.String("operator").GoType(forms.Operator("")).Immutable().
			Annotations(entgql.Type("IntakeRuleOperator")),
		field.JSON("values", []string{}).Immutable(),
		field.String("practitioner_id").GoType(pulidID).Immutable().Annotations(entgql.Skip()),
		field.JSON("tag_ids", forms.TagIDs{}).Optional().Immutable().Annotations(entgql.Skip()),
	}
}

// Edges of IntakeRule.
func (IntakeRule) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("form", IntakeForm.Type).Ref("rules").Field("form_id").Unique().Required().Immutable(),
		edge.To("practitioner", Member.Type).Field("practitioner_id").Unique().Required().Immutable(),
	}
}

// Indexes of IntakeRule.
func (IntakeRule) Indexes() []ent.Index {
	return []ent.Index{index.Fields("form_id", "position").Unique()}
}

// Annotations of IntakeRule.
func (IntakeRule) Annotations() []schema.Annotation {
	return []schema.Annotation{readOnlyGraphQL()}
}

// IntakeLink is a public link to a form: the general one, or one per
// practitioner, whose responses go to that practitioner unless a rule
// chooses another. A link can be disabled and its token rotated.
type IntakeLink struct{ ent.Schema }

// Mixin of IntakeLink.
func (IntakeLink) Mixin() []ent.Mixin {
	return []ent.Mixin{pulid.MixinWithPrefix(prefixIntakeLink), TimeMixin{}, TenantMixin{}}
}

// Fields of IntakeLink.
func (IntakeLink) Fields() []ent.Field {
	return []ent.Field{
		field.String("form_id").GoType(pulidID).Immutable().Annotations(entgql.Skip()),
		field.String("practitioner_id").GoType(pulidID).Optional().Nillable().Immutable().Annotations(entgql.Skip()),
		field.String("token").NotEmpty().MaxLen(100).Unique().
			Comment("the link's public token: unguessable, replaced when the link is rotated"),
		field.Bool("enabled").Default(true),
	}
}

// Edges of IntakeLink.
func (IntakeLink) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("form", IntakeForm.Type).Ref("links").Field("form_id").Unique().Required().Immutable(),
		edge.To("practitioner", Member.Type).Field("practitioner_id").Unique().Immutable(),
	}
}

// Indexes of IntakeLink: one general link per form, one per practitioner.
func (IntakeLink) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("form_id").Unique().StorageKey("intake_link_one_general").
			Annotations(entsql.IndexWhere("practitioner_id IS NULL")),
		index.Fields("form_id", "practitioner_id").Unique().StorageKey("intake_link_one_per_practitioner").
			Annotations(entsql.IndexWhere("practitioner_id IS NOT NULL")),
	}
}

// Annotations of IntakeLink.
func (IntakeLink) Annotations() []schema.Annotation {
	return []schema.Annotation{readOnlyGraphQL()}
}
