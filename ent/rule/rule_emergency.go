package rule

import (
	"entgo.io/ent/dialect/sql"

	"caseload/ent/clientrecord"
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
	p := clientsAmongFew(emergencyaccess.Table, emergencyaccess.FieldClientID, func(t *sql.SelectTable) *sql.Predicate {
		return sql.And(sql.EQ(t.C(emergencyaccess.FieldMemberID), v.MemberID), sql.GT(t.C(emergencyaccess.FieldExpiresAt), v.Now))
	})
	if !v.Settings.EmergencyReachesRestricted {
		p = clientrecord.And(p, clientrecord.RestrictedEQ(false))
	}
	return clientsWhere(p)
}

func emergencyLevel(v *viewer.Viewer, f *ClientFacts) access.Level {
	if f.Restricted && !v.Settings.EmergencyReachesRestricted {
		return access.None
	}
	for _, e := range f.Emergency {
		if e.Member == v.MemberID && e.ExpiresAt.After(v.Now) {
			return access.View
		}
	}
	return access.None
}
