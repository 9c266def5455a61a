package graph

import (
	"context"

	"caseload/ent"
	"caseload/ent/assignment"
	"caseload/ent/clientrecord"
	"caseload/ent/privacy"
	"caseload/ent/schema/pulid"
)

// activeClientCount counts every active client a practitioner is responsible
// for or assigned to, including those the viewer cannot see: it is a
// capacity figure that reveals nothing else about them (policy §7).
func activeClientCount(ctx context.Context, db *ent.Client, practitioner pulid.ID) (int, error) {
	// Counting past privacy is what §7 asks for; only the number leaves.
	ctx = privacy.DecisionContext(ctx, privacy.Allow)
	return db.ClientRecord.Query().
		Where(
			clientrecord.StatusEQ(clientrecord.StatusACTIVE),
			clientrecord.Or(
				clientrecord.ResponsibleIDEQ(practitioner),
				clientrecord.HasAssignmentsWith(assignment.MemberIDEQ(practitioner), assignment.EndedAtIsNil()),
			),
		).
		Count(ctx)
}
