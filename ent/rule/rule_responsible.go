package rule

import (
	"caseload/ent/clientrecord"
	"caseload/ent/schema/access"
	"caseload/ent/viewer"
)

// Policy §3 rule 3, first half: the client's responsible practitioner sees it,
// with EDIT. An explicit decision about this person: tags and the restricted
// flag do not limit it.

func responsibleReach(v *viewer.Viewer, _ access.Level) reach {
	return clientsWhere(clientrecord.ResponsibleIDEQ(v.MemberID))
}
