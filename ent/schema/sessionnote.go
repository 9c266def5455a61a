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

// SessionNote is a progress note: the SESSION_NOTES section (policy §5).
// Its content is resolved by hand so that a private note's content reaches
// no one but its author.
type SessionNote struct{ ent.Schema }

// Mixin of SessionNote.
func (SessionNote) Mixin() []ent.Mixin {
	return []ent.Mixin{pulid.MixinWithPrefix(prefixSessionNote), TimeMixin{}, TenantMixin{}}
}

// Fields of SessionNote.
func (SessionNote) Fields() []ent.Field {
	return []ent.Field{
		clientField(),
		field.String("author_id").GoType(pulidID).Immutable().Annotations(entgql.Skip()),
		field.Time("date").Annotations(entgql.OrderField("DATE")),
		field.Text("content").Annotations(entgql.Skip()),
		field.Bool("private").Default(false).Immutable(),
		field.Time("signed_at").Optional().Nillable(),
	}
}

// Edges of SessionNote.
func (SessionNote) Edges() []ent.Edge {
	return []ent.Edge{
		clientEdge("session_notes"),
		edge.To("author", Member.Type).Field("author_id").Unique().Required().Immutable(),
		edge.To("addenda", NoteAddendum.Type).Annotations(entgql.Skip()),
	}
}

// Indexes of SessionNote.
func (SessionNote) Indexes() []ent.Index {
	return []ent.Index{clientIndex(), index.Fields("author_id")}
}

// Annotations of SessionNote.
func (SessionNote) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection(), readOnlyGraphQL()}
}
