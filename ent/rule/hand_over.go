package rule

import (
	"context"

	"entgo.io/ent/dialect/sql"

	"caseload/ent"
	"caseload/ent/assignment"
	"caseload/ent/clientrecord"
	"caseload/ent/member"
	"caseload/ent/schema/access"
	"caseload/ent/viewer"
)

// Policy §2: "Deactivation is never refused because of what the member
// holds: their clients stay assigned to them, and admins see them in a list
// of caseloads to hand over." The text names admins; members with
// ASSIGN_PRACTITIONERS read it too, because they are the others who may do
// the hand-over (§6). Anyone else is refused outright: an empty list would
// tell them, wrongly, that nothing waits.

// SeesCaseloadsToHandOver reports whether the viewer reads the list of
// caseloads to hand over: admins, who hold every capability, and members
// with ASSIGN_PRACTITIONERS.
func SeesCaseloadsToHandOver(v *viewer.Viewer) bool {
	return v != nil && v.Can(access.AssignPractitioners)
}

// CaseloadsToHandOver returns the practice's deactivated practitioners who
// still hold an active client, as responsible practitioner or on a care
// team, by name; a Denial (FORBIDDEN) for those who do not read the list.
// The clients held are counted whether or not the viewer sees them: only
// the practitioners leave this function, a figure its readers already have
// through activeClientCount (§7).
func CaseloadsToHandOver(ctx context.Context, client *ent.Client) ([]*ent.Member, error) {
	if !SeesCaseloadsToHandOver(viewer.FromContext(ctx)) {
		return nil, deny("the caseloads to hand over are for admins and members with ASSIGN_PRACTITIONERS")
	}
	return client.Member.Query().
		Where(
			member.Active(false),
			member.AccountTypeEQ(access.Practitioner),
			member.Or(
				member.HasResponsibleClientsWith(clientrecord.StatusEQ(clientrecord.StatusACTIVE)),
				onActiveCareTeam,
			),
		).
		Order(ent.Asc(member.FieldName), ent.Asc(member.FieldID)).
		All(ctx)
}

// onActiveCareTeam holds for a member with an active care-team assignment
// to an active client.
func onActiveCareTeam(s *sql.Selector) {
	a, c := sql.Table(assignment.Table), sql.Table(clientrecord.Table)
	held := sql.Select(a.C(assignment.FieldMemberID)).From(a).
		Join(c).On(a.C(assignment.FieldClientID), c.C(clientrecord.FieldID)).
		Where(sql.And(
			sql.EQ(a.C(assignment.FieldKind), assignment.KindCARE_TEAM),
			sql.IsNull(a.C(assignment.FieldEndedAt)),
			sql.EQ(c.C(clientrecord.FieldStatus), clientrecord.StatusACTIVE),
		))
	s.Where(sql.In(s.C(member.FieldID), held))
}
