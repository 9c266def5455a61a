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

// Session is one sign-in of a member (policy §2, sessions): every bearer
// token names its session, and a token works only while its session is
// open. Ending the row ends every token issued for it, which a signed token
// alone could never do.
type Session struct{ ent.Schema }

// Mixin of Session.
func (Session) Mixin() []ent.Mixin {
	return []ent.Mixin{pulid.MixinWithPrefix(prefixSession), TimeMixin{}, TenantMixin{}}
}

// Fields of Session.
func (Session) Fields() []ent.Field {
	return []ent.Field{
		field.String("member_id").GoType(pulidID).Immutable(),
		field.Time("last_seen_at").Optional().Nillable().
			Comment("refreshed at most every few minutes, so that a request rarely writes"),
		field.Time("ended_at").Optional().Nillable(),
		field.Enum("end_reason").
			Values("LOGOUT", "PASSWORD_CHANGED", "DEACTIVATED", "ENDED_BY_ADMIN", "ENDED_BY_MEMBER").
			Optional().Nillable().
			Comment("why it ended: the member logged out, changed their password, was deactivated, or someone ended their sessions"),
		field.String("ended_by_id").GoType(pulidID).Optional().Nillable().
			Comment("the member who ended it, when one did"),
		field.String("user_agent").Optional().MaxLen(300).Immutable(),
		field.String("client_address").Optional().MaxLen(64).Immutable().
			Comment("the client address as the contract defines it: the TCP peer, or the forwarded address behind a trusted proxy"),
	}
}

// Edges of Session.
func (Session) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("member", Member.Type).Field("member_id").Unique().Required().Immutable(),
	}
}

// Indexes of Session: ending a member's open sessions finds them by member.
func (Session) Indexes() []ent.Index {
	return []ent.Index{index.Fields("member_id", "ended_at")}
}

// Annotations of Session: sessions are not in the GraphQL schema; the API
// ends them (logout, changePassword, endSessions) but never lists them.
func (Session) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip()}
}
