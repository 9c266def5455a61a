//go:build !bootstrap

package schema

import "entgo.io/ent"

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
