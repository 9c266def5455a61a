package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// ClientTag joins clients and tags. It is an edge schema only so that the
// join table can be indexed by tag: the tag restriction's count (policy §3)
// and Tag.clients look clients up by tag, and a page's tags are joined to
// the page's clients by (tag_id, client_id) pairs, which stay as cheap as
// the page however many clients carry the tag.
type ClientTag struct{ ent.Schema }

// Annotations of ClientTag.
func (ClientTag) Annotations() []schema.Annotation {
	return []schema.Annotation{
		field.ID("client_id", "tag_id"),
		entgql.Skip(),
	}
}

// Fields of ClientTag.
func (ClientTag) Fields() []ent.Field {
	return []ent.Field{
		field.String("client_id").GoType(pulidID),
		field.String("tag_id").GoType(pulidID),
	}
}

// Edges of ClientTag.
func (ClientTag) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("client", ClientRecord.Type).Unique().Required().Field("client_id"),
		edge.To("tag", Tag.Type).Unique().Required().Field("tag_id"),
	}
}

// Indexes of ClientTag.
func (ClientTag) Indexes() []ent.Index {
	return []ent.Index{index.Fields("tag_id", "client_id")}
}
