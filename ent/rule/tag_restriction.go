package rule

import (
	"slices"

	"caseload/ent/clientrecord"
	"caseload/ent/predicate"
	"caseload/ent/tag"
	"caseload/ent/viewer"
)

// Policy §3, tag restriction: when the viewer's role lists restrictToTags, the
// broad rules (2, 5, 6) only reach clients carrying at least one of them.

// tagScope is the SQL side; nil when the role has no tag restriction.
func tagScope(v *viewer.Viewer) predicate.ClientRecord {
	if !v.TagRestricted() {
		return nil
	}
	return clientrecord.HasTagsWith(tag.IDIn(v.RestrictToTags...))
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
