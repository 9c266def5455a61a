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
