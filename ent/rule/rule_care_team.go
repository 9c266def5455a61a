package rule

import (
	"entgo.io/ent/dialect/sql"

	"caseload/ent/assignment"
	"caseload/ent/schema/access"
	"caseload/ent/viewer"
)

// Policy §3 rule 3, second half: every practitioner with an active assignment
// (the care team) sees the client, with EDIT. An explicit decision about this
// person: tags and the restricted flag do not limit it. A member the viewer's
// statement found on no care team is reached by nobody here.

func careTeamReach(v *viewer.Viewer, _ access.Level) reach {
	if !v.MayHold(viewer.CareTeamGrant) {
		return reach{}
	}
	return clientsWhere(clientsAmongFew(assignment.Table, assignment.FieldClientID, func(t *sql.SelectTable) *sql.Predicate {
		return sql.And(sql.EQ(t.C(assignment.FieldMemberID), v.MemberID), viewer.ActiveCareTeam(t))
	}))
}
