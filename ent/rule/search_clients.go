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
	if v.RoleLevel(access.Profile).AtLeast(access.View) {
		return clientrecord.Or(byName, clientrecord.EmailContainsFold(term))
	}
	return byName
}
