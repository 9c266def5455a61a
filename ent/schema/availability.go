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

// Availability is one weekly working window of a practitioner, in the
// practice's time zone (policy §7, open slots).
type Availability struct{ ent.Schema }

// Mixin of Availability.
func (Availability) Mixin() []ent.Mixin {
	return []ent.Mixin{pulid.MixinWithPrefix(prefixAvailability), TimeMixin{}, TenantMixin{}}
}

// Fields of Availability.
func (Availability) Fields() []ent.Field {
	return []ent.Field{
		field.String("member_id").GoType(pulidID).Annotations(entgql.Skip()),
		field.Int("weekday").Range(0, 6).Comment("0 is Sunday, as time.Weekday"),
		field.Int("start_minute").Range(0, 24*60),
		field.Int("end_minute").Range(0, 24*60),
	}
}

// Edges of Availability.
func (Availability) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("member", Member.Type).Ref("availability").Field("member_id").Unique().Required(),
	}
}

// Indexes of Availability.
func (Availability) Indexes() []ent.Index {
	return []ent.Index{index.Fields("member_id", "weekday")}
}

// Annotations of Availability.
func (Availability) Annotations() []schema.Annotation {
	return []schema.Annotation{readOnlyGraphQL()}
}
