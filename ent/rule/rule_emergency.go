package rule

import (
	"entgo.io/ent/dialect/sql"

	"caseload/ent/clientrecord"
	"caseload/ent/emergencyaccess"
	"caseload/ent/schema/access"
	"caseload/ent/viewer"
)

// Policy §3 rule 7 and §8: an unexpired break-glass grant gives VIEW. It does
// not reach a restricted client unless the practice setting allows it. A
// member the viewer's statement found without an unexpired grant is reached
// by nobody here.

func emergencyReach(v *viewer.Viewer, min access.Level) reach {
	if !v.MayHold(viewer.EmergencyGrant) {
		return reach{}
	}
	return grantsWhere(v, min, func(t *sql.SelectTable) *sql.Predicate {
		return viewer.UnexpiredEmergency(t, v.Now)
	})
}

// emergencyLimits: the restricted flag, unless the practice setting
// emergencyReachesRestricted is on.
func emergencyLimits(v *viewer.Viewer) []limit {
	if v.Settings.EmergencyReachesRestricted {
		return nil
	}
	return []limit{restrictedFlagLimit()}
}

// emergencyMisses (policy §10): a grant past its expiry is cut by EXPIRED;
// an unexpired grant on a restricted client, which the restricted flag
// cuts, is also cut by PRACTICE_SETTING, since emergencyReachesRestricted
// would let it through.
var emergencyMisses = []nearMiss{
	{access.CutExpired, func(v *viewer.Viewer, min access.Level) reach {
		return grantsWhere(v, min, func(t *sql.SelectTable) *sql.Predicate {
			return viewer.ExpiredEmergency(t, v.Now)
		})
	}},
	{access.CutPracticeSetting, func(v *viewer.Viewer, min access.Level) reach {
		r := emergencyReach(v, min)
		if len(emergencyLimits(v)) == 0 || r.none() {
			return reach{}
		}
		return clientsWhere(clientrecord.And(r.pred, clientrecord.Restricted(true)))
	}},
}

// grantsWhere reaches the clients of the viewer's break-glass grants in the
// given state; nobody at EDIT, since a grant gives VIEW only.
func grantsWhere(v *viewer.Viewer, min access.Level, state func(t *sql.SelectTable) *sql.Predicate) reach {
	if min == access.Edit {
		return reach{}
	}
	return clientsWhere(clientsAmongFew(emergencyaccess.Table, emergencyaccess.FieldClientID, func(t *sql.SelectTable) *sql.Predicate {
		return sql.And(sql.EQ(t.C(emergencyaccess.FieldMemberID), v.MemberID), state(t))
	}))
}
