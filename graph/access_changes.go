package graph

// Writes shared by the access workflows of policy §6; Ent privacy decides
// each (ent/rule).

import (
	"context"
	"time"

	"caseload/ent"
	"caseload/ent/assignment"
	"caseload/ent/schema/pulid"
	"caseload/ent/tag"
	"caseload/ent/viewer"
	"caseload/graph/errcode"
)

// recordHandOver writes the history of a change of responsible practitioner
// that the client rule has just allowed: the end of the current
// responsibility row, the end of the new practitioner's care-team row if
// they had one (they are now responsible, not merely assigned), and their
// responsibility row. to nil leaves the client unassigned.
func recordHandOver(ctx context.Context, db *ent.Client, clientID pulid.ID, to *pulid.ID, by pulid.ID, why string, now time.Time) error {
	ctx = viewer.Bypass(ctx, "history of a change the client rule has allowed")
	if err := db.Assignment.Update().
		Where(assignment.ClientIDEQ(clientID), assignment.KindEQ(assignment.KindRESPONSIBLE), assignment.EndedAtIsNil()).
		SetEndedAt(now).SetEndedByID(by).SetEndReason(why).
		Exec(ctx); err != nil || to == nil {
		return err
	}
	if err := db.Assignment.Update().
		Where(assignment.ClientIDEQ(clientID), assignment.MemberIDEQ(*to), assignment.KindEQ(assignment.KindCARE_TEAM), assignment.EndedAtIsNil()).
		SetEndedAt(now).SetEndedByID(by).SetEndReason("became responsible practitioner").
		Exec(ctx); err != nil {
		return err
	}
	return db.Assignment.Create().SetClientID(clientID).SetMemberID(*to).
		SetKind(assignment.KindRESPONSIBLE).SetAssignedByID(by).SetReason(why).Exec(ctx)
}

// moveCareTeamPlace gives to a care-team place on c, unless they are on the
// team or responsible already, then ends from's place. Each write is one
// row, decided by the care-team rule as assignPractitioner's is, and in this
// order so that both are decided while the caller still sees the client:
// ending from's place may be what hides it from them (a supervisor who sees
// it through from), and policy §6 lets such a permitted change take effect.
// It reports false when from's place was already gone: a change that
// committed while the caller waited for the client's lock.
func moveCareTeamPlace(ctx context.Context, db *ent.Client, c *ent.ClientRecord, from, to, by pulid.ID, why string, now time.Time) (bool, error) {
	place, err := db.Assignment.Query().
		Where(assignment.ClientIDEQ(c.ID), assignment.MemberIDEQ(from), assignment.KindEQ(assignment.KindCARE_TEAM), assignment.EndedAtIsNil()).
		Only(ctx)
	if ent.IsNotFound(err) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	onTeam, err := db.Assignment.Query().Where(assignment.ClientIDEQ(c.ID), assignment.MemberIDEQ(to), assignment.EndedAtIsNil()).Exist(ctx)
	if err != nil {
		return false, err
	}
	if !onTeam && (c.ResponsibleID == nil || *c.ResponsibleID != to) {
		if err := db.Assignment.Create().SetClientID(c.ID).SetMemberID(to).
			SetKind(assignment.KindCARE_TEAM).SetAssignedByID(by).SetReason(why).Exec(ctx); err != nil {
			return false, err
		}
	}
	return true, db.Assignment.UpdateOne(place).SetEndedAt(now).SetEndedByID(by).SetEndReason(why).Exec(ctx)
}

// setClientAccessField changes a client's visibility or restricted flag.
func (r *Resolver) setClientAccessField(ctx context.Context, clientID pulid.ID, set func(*ent.ClientRecordUpdateOne)) (*ent.ClientRecord, error) {
	c, err := r.visibleClient(ctx, clientID)
	if err != nil {
		return nil, err
	}
	upd := r.db(ctx).ClientRecord.UpdateOne(c)
	set(upd)
	if err := upd.Exec(ctx); err != nil {
		return nil, err
	}
	return r.answerClient(ctx, c.ID)
}

// changeClientTags adds or removes tags of the practice on a client.
func (r *Resolver) changeClientTags(ctx context.Context, clientID pulid.ID, tagIDs []pulid.ID, add bool) (*ent.ClientRecord, error) {
	db := r.db(ctx)
	c, err := r.visibleClient(ctx, clientID)
	if err != nil {
		return nil, err
	}
	ids := uniqueIDs(tagIDs)
	if len(ids) == 0 {
		return nil, errcode.New(errcode.BadUserInput, "name at least one tag")
	}
	n, err := db.Tag.Query().Where(tag.IDIn(ids...)).Count(ctx)
	if err != nil {
		return nil, err
	}
	if n != len(ids) {
		return nil, errcode.New(errcode.BadUserInput, "a tag does not exist")
	}
	upd := db.ClientRecord.UpdateOne(c)
	if add {
		upd.AddTagIDs(ids...)
	} else {
		upd.RemoveTagIDs(ids...)
	}
	err = upd.Exec(ctx)
	if ent.IsConstraintError(err) {
		return nil, errcode.New(errcode.Conflict, "the client already carries one of these tags")
	}
	if err != nil {
		return nil, err
	}
	return r.answerClient(ctx, c.ID)
}
