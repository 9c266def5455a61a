package rule

import (
	"caseload/ent/schema/access"
	"caseload/ent/viewer"
)

// Policy §3 rule 2: a role with ACCESS_ALL_CLIENTS sees every client, with
// EDIT. It is a broad rule: the tag restriction and the restricted flag limit
// it.

func accessAllClientsReach(v *viewer.Viewer, _ access.Level) reach {
	if v.Can(access.AccessAllClients) {
		return everyClient()
	}
	return reach{}
}
