package rule

import (
	"entgo.io/ent/dialect/sql"

	"caseload/ent/assignment"
	"caseload/ent/clientrecord"
	"caseload/ent/schema/access"
	"caseload/ent/schema/pulid"
	"caseload/ent/viewer"
)

// Policy §3 rule 6: team member access to one of the client's care team (its
// responsible practitioner or an actively assigned practitioner) gives the
// grant's level; a grant to ALL members reaches every client that has a care
// team. A broad rule.

func teamAccessReach(v *viewer.Viewer, min access.Level) reach {
	var targets []pulid.ID
	for _, g := range v.TeamAccess {
		if !g.Level.AtLeast(min) {
			continue
		}
		if g.Target == nil {
			return clientsWhere(clientrecord.Or(
				clientrecord.ResponsibleIDNotNil(),
				clientsIn(assignment.Table, assignment.FieldClientID, func(t *sql.SelectTable) *sql.Predicate {
					return sql.IsNull(t.C(assignment.FieldEndedAt))
				}),
			))
		}
		targets = append(targets, *g.Target)
	}
	if len(targets) == 0 {
		return reach{}
	}
	members := make([]any, len(targets))
	for i, m := range targets {
		members[i] = m
	}
	return clientsWhere(clientrecord.Or(
		clientrecord.ResponsibleIDIn(targets...),
		clientsAmongFew(assignment.Table, assignment.FieldClientID, func(t *sql.SelectTable) *sql.Predicate {
			return sql.And(sql.IsNull(t.C(assignment.FieldEndedAt)), sql.In(t.C(assignment.FieldMemberID), members...))
		}),
	))
}
