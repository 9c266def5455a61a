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

// EmergencyLookup notes that an emergency access search identified a client
// to a member (policy §8): breaking the glass on a client needs one that has
// not expired, so that a member can open only a person they have identified
// by full name and date of birth, never a client whose ID they came by
// otherwise. Only ent/rule reads and writes these rows; the API shows them
// nowhere.
type EmergencyLookup struct{ ent.Schema }

// Mixin of EmergencyLookup.
func (EmergencyLookup) Mixin() []ent.Mixin {
	return []ent.Mixin{pulid.MixinWithPrefix(prefixEmergencyLookup), TimeMixin{}, TenantMixin{}}
}

// Fields of EmergencyLookup.
func (EmergencyLookup) Fields() []ent.Field {
	return []ent.Field{
		field.String("member_id").GoType(pulidID).Immutable(),
		field.String("client_id").GoType(pulidID).Immutable(),
		field.Time("expires_at").Immutable().
			Comment("until when the identification lets the member break the glass on the client"),
	}
}

// Edges of EmergencyLookup.
func (EmergencyLookup) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("member", Member.Type).Field("member_id").Unique().Required().Immutable(),
		edge.To("client", ClientRecord.Type).Field("client_id").Unique().Required().Immutable(),
	}
}

// Indexes of EmergencyLookup: breakGlass looks for the member's recent
// identification of one client.
func (EmergencyLookup) Indexes() []ent.Index {
	return []ent.Index{index.Fields("member_id", "client_id", "expires_at")}
}

// Annotations of EmergencyLookup: not in the GraphQL schema.
func (EmergencyLookup) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip()}
}
