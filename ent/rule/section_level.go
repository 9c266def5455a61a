package rule

import (
	"caseload/ent/schema/access"
	"caseload/ent/schema/pulid"
	"caseload/ent/viewer"
)

// Policy §4: the effective level of a member on a section of a client is the
// lower of their role level and their relationship level. This file is the
// one place that says so; the @section directive, viewerAccess, the section
// row filter, search and mutations all ask it.

// SectionLevel is the viewer's effective level on section s of a client on
// which the decision is d. Admins have EDIT.
func SectionLevel(v *viewer.Viewer, d Decision, s access.Section) access.Level {
	if v == nil {
		return access.None
	}
	return access.Min(v.RoleLevel(s), d.Level)
}

// MayRead reports whether the viewer may read section s of a client on which
// the decision is d.
func MayRead(v *viewer.Viewer, d Decision, s access.Section) bool {
	return SectionLevel(v, d, s).AtLeast(access.View)
}

// anyVisible is the decision every client a viewer can see carries at the
// least: a filter over rows that privacy has already limited to visible
// clients decides with it, since the effective level on such a client reaches
// VIEW exactly when the role level does.
var anyVisible = Decision{Level: access.View}

// MayReadOnVisibleClients reports whether the viewer may read section s on
// the clients they see: what the section row filter, search and filters need.
func MayReadOnVisibleClients(v *viewer.Viewer, s access.Section) bool {
	return MayRead(v, anyVisible, s)
}

// NoteContentLevel is the viewer's level on a session note's content (policy
// §5): the effective SESSION_NOTES level, except that a private
// (psychotherapy) note's content is read by its author alone — not even by an
// admin, who still sees that it exists, its author and date.
func NoteContentLevel(v *viewer.Viewer, d Decision, author pulid.ID, private bool) access.Level {
	if v == nil || (private && author != v.MemberID) {
		return access.None
	}
	return SectionLevel(v, d, access.SessionNotes)
}
