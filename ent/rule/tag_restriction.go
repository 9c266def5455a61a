package rule

import (
	"entgo.io/ent/dialect/sql"

	"caseload/ent/clienttag"
	"caseload/ent/schema/access"
	"caseload/ent/viewer"
)

// Policy §3, tag restriction: when the viewer's role lists restrictToTags, the
// broad rules (2, 5, 6) only reach clients carrying at least one of them.

// tagLimit is the limit, or false when the role has no tag restriction.
func tagLimit(v *viewer.Viewer) (limit, bool) {
	if !v.TagRestricted() {
		return limit{}, false
	}
	tags := make([]any, len(v.RestrictToTags))
	for i, t := range v.RestrictToTags {
		tags[i] = t
	}
	carries := func(t *sql.SelectTable) *sql.Predicate { return sql.In(t.C(clienttag.FieldTagID), tags...) }
	return limit{
		by: access.CutTagRestriction,
		// A page probes each client's tags by the primary key (client_id,
		// tag_id) and stops after the page; a count hashes the clients
		// carrying the tags once, read from the (tag_id, client_id)
		// index alone.
		pass:    clientsWithRow(clienttag.Table, clienttag.FieldClientID, carries),
		passAll: clientsIn(clienttag.Table, clienttag.FieldClientID, carries),
	}, true
}
