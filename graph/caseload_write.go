package graph

import (
	"context"
	"time"

	"caseload/ent"
	"caseload/ent/assignment"
	"caseload/ent/clientrecord"
	"caseload/ent/clienttag"
	"caseload/ent/member"
	"caseload/ent/rule"
	"caseload/ent/schema/access"
	"caseload/ent/schema/pulid"
	"caseload/ent/viewer"
	"caseload/graph/errcode"
	"caseload/graph/model"
)

// reassignCaseload hands a practitioner's active clients over to another
// (policy §6). The clients are locked first, so a single reassignment racing
// with the hand-over waits for it and then finds the client moved (a
// CONFLICT), and no client is lost or moved twice. Each client's change goes
// through its own privacy decision: one refusal refuses the whole hand-over.
func (r *Resolver) reassignCaseload(ctx context.Context, from, to pulid.ID, reason string, tagIDs []pulid.ID) (*model.ReassignCaseloadPayload, error) {
	v := viewer.FromContext(ctx)
	db := r.db(ctx)
	why, err := reasonText(&reason)
	if err != nil {
		return nil, err
	}
	if why == "" {
		return nil, errcode.New(errcode.BadUserInput, "give a reason for the hand-over")
	}
	if from == to {
		return nil, errcode.New(errcode.BadUserInput, "the practitioners must differ")
	}
	// Refused before anything moves, even when nothing would: the same
	// check as every write that names a responsible practitioner.
	if err := rule.CheckNamedMember(ctx, db, v, rule.ActivePractitioner, to, "the receiving practitioner must be an active practitioner of the practice"); err != nil {
		return nil, err
	}
	if ok, err := db.Member.Query().Where(member.IDEQ(from)).Exist(ctx); err != nil {
		return nil, err
	} else if !ok {
		return nil, errcode.NotFoundError()
	}
	scope := []func(*clientQuery){}
	if len(tagIDs) > 0 && !rule.MaySelectByProfile(v) {
		return nil, errcode.ForbiddenSection(access.Profile)
	}
	if len(tagIDs) > 0 {
		tags := uniqueIDs(tagIDs)
		scope = append(scope, func(q *clientQuery) {
			q.Where(clientrecord.HasClientTagsWith(clienttag.TagIDIn(tags...)))
		})
	}
	active := func() *clientQuery {
		q := db.ClientRecord.Query().Where(clientrecord.StatusEQ(clientrecord.StatusACTIVE))
		for _, s := range scope {
			s(q)
		}
		return q
	}
	owned, err := active().Where(clientrecord.ResponsibleIDEQ(from)).
		Order(ent.Asc(clientrecord.FieldID)).Modify(rule.LockRows).All(ctx)
	if err != nil {
		return nil, err
	}
	teamed, err := active().Where(clientrecord.HasAssignmentsWith(
		assignment.MemberIDEQ(from), assignment.KindEQ(assignment.KindCARE_TEAM), assignment.EndedAtIsNil())).
		Order(ent.Asc(clientrecord.FieldID)).Modify(rule.LockRows).All(ctx)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	moved := map[pulid.ID]*ent.ClientRecord{}
	for _, c := range owned {
		if err := db.ClientRecord.UpdateOne(c).Where(clientrecord.ResponsibleIDEQ(from)).SetResponsibleID(to).Exec(ctx); err != nil {
			return nil, err
		}
		history := viewer.Bypass(ctx, "history of a change the client rule has allowed")
		if err := db.Assignment.Update().
			Where(assignment.ClientIDEQ(c.ID), assignment.KindEQ(assignment.KindRESPONSIBLE), assignment.EndedAtIsNil()).
			SetEndedAt(now).SetEndedByID(v.MemberID).SetEndReason(why).Exec(history); err != nil {
			return nil, err
		}
		if err := r.recordResponsibility(history, db, c, to, v.MemberID, why, now); err != nil {
			return nil, err
		}
		moved[c.ID] = c
	}
	teamMoves := 0
	for _, c := range teamed {
		// One row at a time, so that the care-team rule decides each
		// change by its client, as assignPractitioner's is decided.
		place, err := db.Assignment.Query().
			Where(assignment.ClientIDEQ(c.ID), assignment.MemberIDEQ(from), assignment.KindEQ(assignment.KindCARE_TEAM), assignment.EndedAtIsNil()).
			Only(ctx)
		if err != nil {
			return nil, err
		}
		if err := db.Assignment.UpdateOne(place).SetEndedAt(now).SetEndedByID(v.MemberID).SetEndReason(why).Exec(ctx); err != nil {
			return nil, err
		}
		teamMoves++
		moved[c.ID] = c
		onTeam, err := db.Assignment.Query().Where(assignment.ClientIDEQ(c.ID), assignment.MemberIDEQ(to), assignment.EndedAtIsNil()).Exist(ctx)
		if err != nil {
			return nil, err
		}
		if onTeam || (c.ResponsibleID != nil && *c.ResponsibleID == to) {
			continue
		}
		if err := db.Assignment.Create().SetClientID(c.ID).SetMemberID(to).
			SetKind(assignment.KindCARE_TEAM).SetAssignedByID(v.MemberID).SetReason(why).Exec(ctx); err != nil {
			return nil, err
		}
	}
	ids := make([]pulid.ID, 0, len(moved))
	for id := range moved {
		ids = append(ids, id)
	}
	clients, err := db.ClientRecord.Query().Where(clientrecord.IDIn(ids...)).Order(ent.Asc(clientrecord.FieldName)).All(ctx)
	if err != nil {
		return nil, err
	}
	return &model.ReassignCaseloadPayload{ResponsibleCount: len(owned), CareTeamCount: teamMoves, Count: len(moved), Clients: clients}, nil
}

type clientQuery = ent.ClientRecordQuery
