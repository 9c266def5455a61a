package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
)

// ClientCount is a count of clients that the database keeps as clients,
// their restricted flag and their tags change, so that a list's totalCount
// costs one row read in a practice of any size (issue P). Triggers written
// by hand keep it (migration client_counts_maintained); ent/rule reads it
// for the viewers whose visible clients it counts (count_maintained.go).
// No one writes it through Ent, and the API shows it nowhere.
type ClientCount struct{ ent.Schema }

// Fields of ClientCount.
func (ClientCount) Fields() []ent.Field {
	return []ent.Field{
		field.String("id").GoType(pulidID).Immutable().
			Comment("what is counted: a practice (every client of it) or a tag (the clients carrying it)"),
		field.Int64("clients").
			Comment("the clients counted"),
		field.Int64("unrestricted").
			Comment("of them, those not flagged restricted: all that the broad rules of policy §3 reach"),
	}
}

// Annotations of ClientCount: not in the GraphQL schema.
func (ClientCount) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip()}
}
