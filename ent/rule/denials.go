package rule

import (
	"caseload/ent/privacy"
	"caseload/ent/schema/access"
)

// SectionDenied is a privacy denial because the viewer lacks EDIT on a
// section; the API reports it as FORBIDDEN with the section (policy §4).
type SectionDenied struct{ Section access.Section }

// Error implements error.
func (e *SectionDenied) Error() string {
	return "editing the " + string(e.Section) + " section is not permitted"
}

// Unwrap makes the error a privacy denial for Ent.
func (e *SectionDenied) Unwrap() error { return privacy.Deny }

// ErrHidden is the denial for a row the viewer cannot see; the API reports it
// exactly as an ID that was never issued (policy §3).
var ErrHidden = privacy.Denyf("not found")
