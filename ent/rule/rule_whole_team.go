package rule

import (
	"caseload/ent/clientrecord"
	"caseload/ent/schema/access"
	"caseload/ent/viewer"
)

// Policy §3 rule 5: a client visible to the whole team (visibility ALL_TEAM,
// or PRACTICE_DEFAULT while the practice setting is ALL_TEAM) is seen by every
// member, with EDIT. A broad rule.

// wholeTeamVisibilities are the client visibilities that open a client to the
// whole team under the practice's setting.
func wholeTeamVisibilities(v *viewer.Viewer) []access.ClientVisibility {
	if v.Settings.ClientVisibility == access.AllTeam {
		return []access.ClientVisibility{access.AllTeam, access.PracticeDefault}
	}
	return []access.ClientVisibility{access.AllTeam}
}

func wholeTeamReach(v *viewer.Viewer, _ access.Level) reach {
	return clientsWhere(clientrecord.VisibilityIn(wholeTeamVisibilities(v)...))
}

func wholeTeamLevel(v *viewer.Viewer, f *ClientFacts) access.Level {
	for _, vis := range wholeTeamVisibilities(v) {
		if f.Visibility == vis {
			return access.Edit
		}
	}
	return access.None
}
