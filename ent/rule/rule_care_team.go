package rule

import (
	"caseload/ent/assignment"
	"caseload/ent/clientrecord"
	"caseload/ent/schema/access"
	"caseload/ent/viewer"
)

// Policy §3 rule 3: the responsible practitioner and every practitioner with
// an active assignment (the care team) see the client, with EDIT. An
// explicit decision about this person: tags and the restricted flag do not
// limit it.

func careTeamReach(v *viewer.Viewer) reach {
	return clientsWhere(clientrecord.Or(
		clientrecord.ResponsibleIDEQ(v.MemberID),
		clientrecord.HasAssignmentsWith(activeAssignment(), assignment.MemberIDEQ(v.MemberID)),
	))
}

func careTeamLevel(v *viewer.Viewer, f *ClientFacts) access.Level {
	if f.onCareTeam(v.MemberID) {
		return access.Edit
	}
	return access.None
}
