package schema

import (
	"regexp"

	"caseload/ent/schema/access"
	"caseload/ent/schema/forms"
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
		// Online booking (policy §6, new clients; §11). Read and changed
		// through Practice.bookingSettings and updateBookingSettings.
		field.Bool("booking_enabled").Default(false).Annotations(entgql.Skip()),
		field.String("booking_slug").Optional().Nillable().Unique().MaxLen(63).
			Match(regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)).
			Annotations(entgql.Skip()).
			Comment("the booking page's address: /book/{slug}"),
		field.JSON("booking_appointment_types", []forms.AppointmentType{}).Optional().
			Annotations(entgql.Skip()),
		field.Int("booking_min_notice_minutes").Default(120).Range(0, 30*24*60).Annotations(entgql.Skip()),
		field.Int("booking_horizon_days").Default(30).Range(1, 365).Annotations(entgql.Skip()),
		field.Int("booking_buffer_minutes").Default(0).Range(0, 240).Annotations(entgql.Skip()),
		field.JSON("public_frame_ancestors", []string{}).Optional().
			Annotations(entgql.Skip()).
			Comment("origins whose pages may embed the public intake and booking pages"),
	}
}

// Annotations of Practice.
func (Practice) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipWhereInput, entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)}
}
