package schema

import (
	"time"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
	"entgo.io/ent/schema/mixin"
)

// TimeMixin records when a row was created. Rows that are history (shares,
// assignments, grants) are never updated in place except to end them.
type TimeMixin struct{ mixin.Schema }

// Fields returns created_at.
func (TimeMixin) Fields() []ent.Field {
	return []ent.Field{
		field.Time("created_at").
			Default(time.Now).
			Immutable().
			Annotations(entgql.OrderField("CREATED_AT"), entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
	}
}

// TenantMixin puts a row in exactly one practice (policy §1). Every tenant
// table carries practice_id so that the tenancy filter is one indexed
// equality, whatever the path to the row.
type TenantMixin struct{ mixin.Schema }

// Fields returns practice_id.
func (TenantMixin) Fields() []ent.Field {
	return []ent.Field{
		field.String("practice_id").
			GoType(pulidID).
			Immutable().
			Annotations(entgql.Skip()),
	}
}

// Edges returns the practice edge.
func (TenantMixin) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("practice", Practice.Type).
			Field("practice_id").
			Unique().
			Required().
			Immutable().
			Annotations(entgql.Skip()),
	}
}

// Indexes indexes practice_id: every query of a tenant table filters on it.
func (TenantMixin) Indexes() []ent.Index {
	return []ent.Index{index.Fields("practice_id", "id")}
}
