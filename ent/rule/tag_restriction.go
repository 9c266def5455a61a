package rule

import (
	"entgo.io/ent/dialect/sql"

	"slices"

	"caseload/ent/clienttag"
	"caseload/ent/predicate"
	"caseload/ent/viewer"
)

// Policy §3, tag restriction: when the viewer's role lists restrictToTags, the
// broad rules (2, 5, 6) only reach clients carrying at least one of them.

// tagScope is the SQL side; nil when the role has no tag restriction.
func tagScope(v *viewer.Viewer) predicate.ClientRecord {
	if !v.TagRestricted() {
		return nil
	}
	tags := make([]any, len(v.RestrictToTags))
	for i, t := range v.RestrictToTags {
		tags[i] = t
	}
	return clientsIn(clienttag.Table, clienttag.FieldClientID, func(t *sql.SelectTable) *sql.Predicate {
		return sql.In(t.C(clienttag.FieldTagID), tags...)
	})
}

// withinTagScope is the level side.
func withinTagScope(v *viewer.Viewer, f *ClientFacts) bool {
	if !v.TagRestricted() {
		return true
	}
	for _, t := range f.Tags {
		if slices.Contains(v.RestrictToTags, t) {
			return true
		}
	}
	return false
}
