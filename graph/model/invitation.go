package model

import "caseload/ent"

// Invitation is an invitation with the token that accepts it. The token is
// not stored (only its hash is), so it exists only in the response that
// creates the invitation.
type Invitation struct {
	*ent.Invitation
	Token string
}
