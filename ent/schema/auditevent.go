package schema

import (
	"caseload/ent/schema/pulid"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// AuditEvent is one record of the audit log (policy §9): who did what to
// which client, when, from which request, and the decision. Records are
// append-only: ent/audit writes them in batches, each chained to the one
// before it in its practice by a keyed hash, and database triggers refuse
// to change or delete them. Nothing in the API writes them otherwise.
type AuditEvent struct{ ent.Schema }

// Mixin of AuditEvent: no TenantMixin, whose practice_id index and write
// hooks an append-only log does not need (every read of it starts with the
// practice, its chain's place, client or member); its policy applies the
// tenancy filter itself.
func (AuditEvent) Mixin() []ent.Mixin {
	return []ent.Mixin{pulid.MixinWithPrefix(prefixAuditEvent)}
}

// Fields of AuditEvent.
func (AuditEvent) Fields() []ent.Field {
	return []ent.Field{
		field.String("practice_id").GoType(pulidID).Immutable().Annotations(entgql.Skip()),
		field.Int64("seq").Immutable().Annotations(entgql.OrderField("SEQ")).
			Comment("the record's place in its practice's chain, from 1"),
		field.Time("at").Immutable(),
		field.String("actor_id").GoType(pulidID).Optional().Nillable().Immutable().Annotations(entgql.Skip()).
			Comment("the member who acted; empty for a person without an account"),
		field.String("client_id").GoType(pulidID).Optional().Nillable().Immutable().Annotations(entgql.Skip()),
		field.String("action").NotEmpty().MaxLen(100).Immutable(),
		field.JSON("fields", []string{}).Optional().Immutable().
			Comment("the fields or sections read or changed: names, never values"),
		field.Enum("decision").Values("ALLOWED", "DENIED").Immutable(),
		field.String("request_id").Optional().MaxLen(100).Immutable().Annotations(entgql.Skip()),
		field.String("client_address").Optional().MaxLen(100).Immutable().Annotations(entgql.Skip()),
		field.String("reason").Optional().MaxLen(1000).Immutable(),
		field.String("subject").Optional().MaxLen(400).Immutable().
			Comment("what was asked for, as given: an ID that may not exist, an email that failed to log in"),
		field.String("prev_hash").Immutable().Annotations(entgql.Skip()),
		field.String("hash").Immutable().Annotations(entgql.Skip()),
	}
}

// Indexes of AuditEvent: one chain per practice, read by place, client and
// member; a time range is read along the chain. Every index is written by
// every record, so there are no more than these.
func (AuditEvent) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("practice_id", "seq").Unique(),
		index.Fields("practice_id", "client_id", "seq"),
		index.Fields("practice_id", "actor_id", "seq"),
	}
}

// Annotations of AuditEvent.
func (AuditEvent) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection(), readOnlyGraphQL()}
}

// AuditHead is the head of a practice's audit chain: the last record's
// place and hash. Writers lock it, so that the chain stays one chain
// whatever writes at once. It is a convenience, not a proof: the proof is
// the chain and the signed checkpoints kept outside the database.
type AuditHead struct{ ent.Schema }

// Fields of AuditHead.
func (AuditHead) Fields() []ent.Field {
	return []ent.Field{
		field.String("id").GoType(pulidID).StorageKey("practice_id").Immutable().
			Comment("the practice whose chain this is"),
		field.Int64("seq"),
		field.String("hash"),
	}
}

// Annotations of AuditHead: not in the GraphQL schema.
func (AuditHead) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip()}
}
