package schema

import (
	"caseload/ent/schema/pulid"

	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// Invoice bills a client: the BILLING section.
type Invoice struct{ ent.Schema }

// Mixin of Invoice.
func (Invoice) Mixin() []ent.Mixin {
	return []ent.Mixin{pulid.MixinWithPrefix(prefixInvoice), TimeMixin{}, TenantMixin{}}
}

// Fields of Invoice.
func (Invoice) Fields() []ent.Field {
	return []ent.Field{
		clientField(),
		field.String("number").NotEmpty().MaxLen(40),
		field.Int64("amount_cents").NonNegative(),
		field.String("currency").Default("AUD").MaxLen(3),
		field.Enum("status").Values("DRAFT", "ISSUED", "PAID", "VOID").Default("ISSUED"),
		field.Time("issued_at"),
		field.Time("due_at").Optional().Nillable(),
		field.Time("paid_at").Optional().Nillable(),
	}
}

// Edges of Invoice.
func (Invoice) Edges() []ent.Edge {
	return []ent.Edge{clientEdge("invoices")}
}

// Indexes of Invoice.
func (Invoice) Indexes() []ent.Index {
	return []ent.Index{clientIndex(), index.Fields("practice_id", "number").Unique()}
}

// Annotations of Invoice.
func (Invoice) Annotations() []schema.Annotation {
	return []schema.Annotation{readOnlyGraphQL()}
}
