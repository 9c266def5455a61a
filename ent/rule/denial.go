package rule

import "caseload/ent/privacy"

// Denial is a privacy denial whose reason is safe to show the viewer: it
// says what the policy refuses, never what data exists.
type Denial struct{ Reason string }

// Error implements error.
func (d *Denial) Error() string { return d.Reason }

// Unwrap makes the error a privacy denial for Ent.
func (d *Denial) Unwrap() error { return privacy.Deny }

func deny(reason string) error { return &Denial{Reason: reason} }

// Invalid is a privacy denial because the write names something the policy
// does not allow there (an inactive member as a share's recipient, an
// administrative member as a responsible practitioner): the API reports it
// as BAD_USER_INPUT, since it describes the request, never data.
type Invalid struct{ Reason string }

// Error implements error.
func (e *Invalid) Error() string { return e.Reason }

// BadUserInput marks the error as the caller's, for the error presenter.
func (e *Invalid) BadUserInput() bool { return true }

// Unwrap makes the error a privacy denial for Ent.
func (e *Invalid) Unwrap() error { return privacy.Deny }

// Conflict is a privacy denial because the write would leave the practice in
// a state the policy forbids, given what is there now (no active admin): the
// API reports it as CONFLICT.
type Conflict struct{ Reason string }

// Error implements error.
func (e *Conflict) Error() string { return e.Reason }

// Unwrap makes the error a privacy denial for Ent.
func (e *Conflict) Unwrap() error { return privacy.Deny }
