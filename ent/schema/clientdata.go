package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// clientField is the client_id column of a row that belongs to one client's
// record, in one of its sections.
func clientField() ent.Field {
	return field.String("client_id").GoType(pulidID).Immutable().Annotations(entgql.Skip())
}

// clientEdge is the inverse of the client's edge named ref.
func clientEdge(ref string) ent.Edge {
	return edge.From("client", ClientRecord.Type).Ref(ref).Field("client_id").Unique().Required().Immutable().
		Annotations(entgql.Skip())
}

// clientIndex indexes client_id: section rows are always read per client.
func clientIndex() ent.Index { return index.Fields("client_id") }

// readOnlyGraphQL keeps generated inputs out of the API: writes go through the
// hand-written mutations, which carry the policy's rules.
func readOnlyGraphQL() schema.Annotation {
	return entgql.Skip(entgql.SkipWhereInput, entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)
}
