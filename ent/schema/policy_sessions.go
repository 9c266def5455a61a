//go:build !bootstrap

package schema

import (
	"caseload/ent/privacy"
	"caseload/ent/rule"

	"entgo.io/ent"
)

// Policy of Session (policy §2, sessions): admins read and end every
// session of the practice, members their own; a session starts only at
// sign-in, past privacy, on the credentials just checked.
func (Session) Policy() ent.Policy {
	return privacy.Policy{
		Query: privacy.QueryPolicy{
			rule.FilterSessions(),
			privacy.AlwaysDenyRule(),
		},
		Mutation: privacy.MutationPolicy{
			rule.AllowEndingSessions(),
			privacy.AlwaysDenyRule(),
		},
	}
}

// Hooks of Member: deactivating a member or changing their password ends
// their sessions, on every path that writes it (policy §2).
func (Member) Hooks() []ent.Hook {
	return []ent.Hook{rule.EndSessionsOnMemberWrite()}
}
