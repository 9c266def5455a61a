package rule

import (
	"entgo.io/ent/dialect/sql"

	"caseload/ent/emergencyaccess"
	"caseload/ent/schema/access"
	"caseload/ent/viewer"
)

// Policy §3 rule 7 and §8: an unexpired break-glass grant gives VIEW. It does
// not reach a restricted client unless the practice setting allows it.

func emergencyReach(v *viewer.Viewer, min access.Level) reach {
	if min == access.Edit { // break-glass gives VIEW only
		return reach{}
	}
	return clientsWhere(clientsAmongFew(emergencyaccess.Table, emergencyaccess.FieldClientID, func(t *sql.SelectTable) *sql.Predicate {
		return sql.And(sql.EQ(t.C(emergencyaccess.FieldMemberID), v.MemberID), sql.GT(t.C(emergencyaccess.FieldExpiresAt), v.Now))
	}))
}

// emergencyLimits: the restricted flag, unless the practice setting
// emergencyReachesRestricted is on.
func emergencyLimits(v *viewer.Viewer) []limit {
	if v.Settings.EmergencyReachesRestricted {
		return nil
	}
	return []limit{restrictedFlagLimit()}
}
