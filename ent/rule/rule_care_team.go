package rule

import (
	"entgo.io/ent/dialect/sql"

	"caseload/ent/assignment"
	"caseload/ent/clientrecord"
	"caseload/ent/schema/access"
	"caseload/ent/viewer"
)

// Policy §3 rule 3: the responsible practitioner and every practitioner with
// an active assignment (the care team) see the client, with EDIT. An
// explicit decision about this person: tags and the restricted flag do not
// limit it.

func careTeamReach(v *viewer.Viewer, _ access.Level) reach {
	return clientsWhere(clientrecord.Or(
		clientrecord.ResponsibleIDEQ(v.MemberID),
		clientsAmongFew(assignment.Table, assignment.FieldClientID, func(t *sql.SelectTable) *sql.Predicate {
			return sql.And(sql.EQ(t.C(assignment.FieldMemberID), v.MemberID), sql.IsNull(t.C(assignment.FieldEndedAt)))
		}),
	))
}

func careTeamLevel(v *viewer.Viewer, f *ClientFacts) access.Level {
	if f.onCareTeam(v.MemberID) {
		return access.Edit
	}
	return access.None
}
