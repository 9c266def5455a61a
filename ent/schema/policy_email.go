//go:build !bootstrap

package schema

import (
	"caseload/ent/privacy"

	"entgo.io/ent"
)

// Policy of OutboundEmail: the outbox is the server's own; requests write
// to it and the dispatcher reads it past privacy, and no viewer reaches it.
func (OutboundEmail) Policy() ent.Policy { return serverOnly() }

// Policy of PasswordReset: a reset happens before any viewer exists, so the
// codes are read and written past privacy, by requestPasswordReset and
// resetPassword alone.
func (PasswordReset) Policy() ent.Policy { return serverOnly() }

// Policy of SignUpRequest: a pending sign-up has no viewer; only signUp and
// confirmSignUp read and write it, past privacy.
func (SignUpRequest) Policy() ent.Policy { return serverOnly() }

// serverOnly is the policy of a table only the server's own code reaches,
// past privacy (viewer.Bypass): no viewer reads or writes a row of it.
func serverOnly() ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{privacy.AlwaysDenyRule()},
		Mutation: privacy.MutationPolicy{privacy.AlwaysDenyRule()},
	}
}
