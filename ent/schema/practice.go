package schema

import (
	"caseload/ent/schema/access"
	"caseload/ent/schema/pulid"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
)

// Practice is a tenant: a clinic with its team, clients and settings.
type Practice struct{ ent.Schema }

// Mixin of Practice.
func (Practice) Mixin() []ent.Mixin {
	return []ent.Mixin{pulid.MixinWithPrefix(prefixPractice), TimeMixin{}}
}

// Fields of Practice.
func (Practice) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").NotEmpty().MaxLen(200),
		field.String("time_zone").Default("UTC").
			Comment("IANA zone used for availability and open slots"),
		field.String("client_visibility").
			GoType(access.ClientVisibility("")).
			Default(string(access.CareTeam)).
			Validate(func(s string) error { return validatePracticeVisibility(access.ClientVisibility(s)) }).
			Annotations(entgql.Type("ClientVisibility")).
			Comment("policy §3 rule 5: the default for clients with PRACTICE_DEFAULT visibility"),
		field.Bool("assign_new_clients_to_creator").Default(true),
		field.Bool("practitioners_manage_own_clients").Default(false),
		field.Int("emergency_access_minutes").Default(60).Range(1, 24*60),
		field.Bool("emergency_reaches_restricted").Default(false),
	}
}

// Annotations of Practice.
func (Practice) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipWhereInput, entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)}
}
