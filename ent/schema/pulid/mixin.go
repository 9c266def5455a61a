package pulid

import (
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/mixin"
)

// Mixin gives a schema a prefixed ULID primary key.
type Mixin struct {
	mixin.Schema
	prefix string
}

// MixinWithPrefix returns the ID mixin for a type with the given prefix.
func MixinWithPrefix(prefix string) Mixin {
	if len(prefix) != PrefixLen {
		panic("pulid: prefix must have two characters: " + prefix)
	}
	return Mixin{prefix: prefix}
}

// Fields returns the id field.
func (m Mixin) Fields() []ent.Field {
	return []ent.Field{
		field.String("id").
			GoType(ID("")).
			MaxLen(PrefixLen + 26).
			Immutable().
			DefaultFunc(func() ID { return MustNew(m.prefix) }),
	}
}

// Annotation carries the prefix into code generation, where the
// prefix-to-table map for node lookups is generated from it.
type Annotation struct {
	Prefix string
}

// Name implements schema.Annotation.
func (Annotation) Name() string { return "PULID" }

// Annotations returns the prefix annotation.
func (m Mixin) Annotations() []schema.Annotation {
	return []schema.Annotation{Annotation{Prefix: m.prefix}}
}
