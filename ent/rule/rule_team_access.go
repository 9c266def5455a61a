package rule

import (
	"caseload/ent/assignment"
	"caseload/ent/clientrecord"
	"caseload/ent/predicate"
	"caseload/ent/schema/access"
	"caseload/ent/schema/pulid"
	"caseload/ent/viewer"
)

// Policy §3 rule 6: team member access to one of the client's care team (its
// responsible practitioner or an actively assigned practitioner) gives the
// grant's level; a grant to ALL members reaches every client that has a care
// team. A broad rule.

func teamAccessReach(v *viewer.Viewer) reach {
	var targets []pulid.ID
	for _, g := range v.TeamAccess {
		if g.Target == nil {
			return clientsWhere(clientrecord.Or(
				clientrecord.ResponsibleIDNotNil(),
				clientrecord.HasAssignmentsWith(activeAssignment()),
			))
		}
		targets = append(targets, *g.Target)
	}
	if len(targets) == 0 {
		return reach{}
	}
	return clientsWhere(clientrecord.Or(
		clientrecord.ResponsibleIDIn(targets...),
		clientrecord.HasAssignmentsWith(activeAssignment(), assignment.MemberIDIn(targets...)),
	))
}

func teamAccessLevel(v *viewer.Viewer, f *ClientFacts) access.Level {
	level := access.None
	for _, g := range v.TeamAccess {
		reaches := f.hasCareTeam()
		if g.Target != nil {
			reaches = f.onCareTeam(*g.Target)
		}
		if reaches {
			level = access.Max(level, g.Level)
		}
	}
	return level
}

// activeAssignment matches assignments that have not ended.
func activeAssignment() predicate.Assignment { return assignment.EndedAtIsNil() }
