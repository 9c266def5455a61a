package rule

import (
	"caseload/ent/schema/access"
	"caseload/ent/schema/pulid"
	"caseload/ent/viewer"
)

// NoteContentLevel is the viewer's level on a session note's content (policy
// §5): the effective SESSION_NOTES level, except that a private
// (psychotherapy) note's content is read by its author alone — not even by an
// admin, who still sees that it exists, its author and date.
func NoteContentLevel(v *viewer.Viewer, d Decision, author pulid.ID, private bool) access.Level {
	if private && author != v.MemberID {
		return access.None
	}
	return EffectiveLevel(v, d, access.SessionNotes)
}
