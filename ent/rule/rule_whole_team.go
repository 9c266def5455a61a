package rule

import (
	"caseload/ent/clientrecord"
	"caseload/ent/schema/access"
	"caseload/ent/viewer"
)

// Policy §3 rule 5: a client visible to the whole team (visibility ALL_TEAM,
// or PRACTICE_DEFAULT while the practice setting is ALL_TEAM) is seen by every
// member, with EDIT. A broad rule.

func wholeTeamReach(v *viewer.Viewer, _ access.Level) reach {
	vis := []access.ClientVisibility{access.AllTeam}
	if v.Settings.ClientVisibility == access.AllTeam {
		vis = append(vis, access.PracticeDefault)
	}
	return clientsWhere(clientrecord.VisibilityIn(vis...))
}
