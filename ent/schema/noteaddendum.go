package schema

import (
	"caseload/ent/schema/pulid"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// NoteAddendum is text added to a signed session note (policy §5: "after
// that only an addendum can be added"). It is written by the note's author
// and read as its note is: its author and private flag are the note's,
// copied when it is written, so that the content's level is decided by the
// same function as the note's.
type NoteAddendum struct{ ent.Schema }

// Mixin of NoteAddendum.
func (NoteAddendum) Mixin() []ent.Mixin {
	return []ent.Mixin{pulid.MixinWithPrefix(prefixNoteAddendum), TimeMixin{}, TenantMixin{}}
}

// Fields of NoteAddendum.
func (NoteAddendum) Fields() []ent.Field {
	return []ent.Field{
		clientField(),
		field.String("note_id").GoType(pulidID).Immutable().Annotations(entgql.Skip()),
		field.String("author_id").GoType(pulidID).Immutable().Annotations(entgql.Skip()),
		field.Text("content").Immutable().Annotations(entgql.Skip()),
		field.Bool("private").Immutable().Annotations(entgql.Skip()),
	}
}

// Edges of NoteAddendum.
func (NoteAddendum) Edges() []ent.Edge {
	return []ent.Edge{
		clientEdge("note_addenda"),
		edge.From("note", SessionNote.Type).Ref("addenda").Field("note_id").Unique().Required().Immutable(),
		edge.To("author", Member.Type).Field("author_id").Unique().Required().Immutable(),
	}
}

// Indexes of NoteAddendum.
func (NoteAddendum) Indexes() []ent.Index {
	return []ent.Index{clientIndex(), index.Fields("note_id", "created_at")}
}

// Annotations of NoteAddendum.
func (NoteAddendum) Annotations() []schema.Annotation {
	return []schema.Annotation{entsql.Table("note_addenda"), readOnlyGraphQL()}
}
