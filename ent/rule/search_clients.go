package rule

import (
	"caseload/ent/clientrecord"
	"caseload/ent/predicate"
	"caseload/ent/schema/access"
	"caseload/ent/viewer"
)

// SearchClients matches clients by name, and by email only for a viewer who
// may read PROFILE (policy §4): a search must never let the viewer learn a
// value they could not read. Among visible clients the effective PROFILE level
// reaches VIEW exactly when the role level does, so the role decides.
func SearchClients(v *viewer.Viewer, term string) predicate.ClientRecord {
	byName := clientrecord.NameContainsFold(term)
	if MaySelectByProfile(v) {
		return clientrecord.Or(byName, clientrecord.EmailContainsFold(term))
	}
	return byName
}

// MaySelectByProfile reports whether the viewer may pick clients by a
// PROFILE value (email, tags): only with PROFILE VIEW, so that a selection
// never reveals a value the viewer could not read (policy §4).
func MaySelectByProfile(v *viewer.Viewer) bool {
	return MayReadOnVisibleClients(v, access.Profile)
}
