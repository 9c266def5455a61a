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

// wholeTeamMisses: a PRACTICE_DEFAULT client while the practice setting
// clientVisibility is CARE_TEAM would be visible to the whole team but for
// that setting (policy §10, PRACTICE_SETTING).
var wholeTeamMisses = []nearMiss{
	{access.CutPracticeSetting, func(v *viewer.Viewer, _ access.Level) reach {
		if v.Settings.ClientVisibility == access.AllTeam {
			return reach{}
		}
		return clientsWhere(clientrecord.VisibilityEQ(access.PracticeDefault))
	}},
}
