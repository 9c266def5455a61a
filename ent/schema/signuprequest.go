package schema

import (
	"caseload/ent/schema/pulid"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// SignUpRequest is a sign-up waiting for its address to be confirmed, when
// the server sends email: the practice and its first member are created
// only when the code sent to the address comes back, with the password its
// holder chooses then, so that nobody can open a practice under an address
// that is not theirs, nor choose the password of one.
type SignUpRequest struct{ ent.Schema }

// Mixin of SignUpRequest.
func (SignUpRequest) Mixin() []ent.Mixin {
	return []ent.Mixin{pulid.MixinWithPrefix(prefixSignUpRequest), TimeMixin{}}
}

// Fields of SignUpRequest.
func (SignUpRequest) Fields() []ent.Field {
	return []ent.Field{
		field.String("practice_name").NotEmpty().MaxLen(200).Immutable(),
		field.String("name").NotEmpty().MaxLen(200).Immutable(),
		field.String("email").NotEmpty().MaxLen(320).Immutable(),
		field.String("token_hash").Sensitive().NotEmpty().Immutable(),
		field.Time("expires_at").Immutable(),
		field.Time("confirmed_at").Optional().Nillable(),
	}
}

// Indexes of SignUpRequest: confirmSignUp finds the request by its code's
// hash.
func (SignUpRequest) Indexes() []ent.Index {
	return []ent.Index{index.Fields("token_hash").Unique()}
}

// Annotations of SignUpRequest: not in the GraphQL schema.
func (SignUpRequest) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip()}
}
