package schema

import (
	"caseload/ent/schema/pulid"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// OutboundEmail is one message in the outbox: written in the transaction of
// the request that causes it (an invitation, a password reset, a
// confirmation), so that a message exists exactly when its cause committed,
// and sent afterwards by the dispatcher (graph/email), so that no request
// waits for a mail server. The body is cleared once sent: it may carry a
// one-time code and a client's name, which the outbox has no reason to keep.
type OutboundEmail struct{ ent.Schema }

// Mixin of OutboundEmail.
func (OutboundEmail) Mixin() []ent.Mixin {
	return []ent.Mixin{pulid.MixinWithPrefix(prefixOutboundEmail), TimeMixin{}}
}

// Fields of OutboundEmail.
func (OutboundEmail) Fields() []ent.Field {
	return []ent.Field{
		field.Enum("kind").
			Values("INVITATION", "PASSWORD_RESET", "SIGN_UP_CONFIRMATION", "SIGN_UP_EXISTING_ACCOUNT", "INTAKE_CONFIRMATION", "BOOKING_CONFIRMATION").
			Immutable().
			Comment("what caused the message, for metrics and the operator"),
		field.String("recipient").NotEmpty().MaxLen(320).Immutable(),
		field.String("subject").NotEmpty().MaxLen(300).Immutable(),
		field.Text("body").Sensitive().
			Comment("plain text; emptied once sent"),
		field.Int("attempts").Default(0).NonNegative(),
		field.Time("next_attempt_at").
			Comment("when the dispatcher may try next: now for a new message, later after a failure"),
		field.Time("lease_until").Optional().Nillable().
			Comment("a dispatcher has claimed the message until then; another replica leaves it alone"),
		field.Time("sent_at").Optional().Nillable(),
		field.Time("failed_at").Optional().Nillable().
			Comment("set when the dispatcher gives up after its last attempt"),
		field.String("last_error").Optional().MaxLen(500),
	}
}

// Indexes of OutboundEmail: the dispatcher looks for unsent messages that
// are due, and the requests that email an address the caller names look
// for what that address received lately.
func (OutboundEmail) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("sent_at", "failed_at", "next_attempt_at"),
		index.Fields("recipient", "created_at"),
	}
}

// Annotations of OutboundEmail: not in the GraphQL schema.
func (OutboundEmail) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip()}
}
