// Writes shared by the access workflows of policy §6; Ent privacy decides
// each (ent/rule).
package graph

import (
	"context"
	"time"

	"caseload/ent"
	"caseload/ent/assignment"
	"caseload/ent/schema/pulid"
	"caseload/ent/tag"
	"caseload/graph/errcode"
)

// recordResponsibility writes the history of a new responsible practitioner:
// their responsibility row, and the end of their care-team row if they had
// one (they are now responsible, not merely assigned).
func (r *Resolver) recordResponsibility(ctx context.Context, db *ent.Client, c *ent.ClientRecord, to, by pulid.ID, why string, now time.Time) error {
	if err := db.Assignment.Update().
		Where(assignment.ClientIDEQ(c.ID), assignment.MemberIDEQ(to), assignment.KindEQ(assignment.KindCARE_TEAM), assignment.EndedAtIsNil()).
		SetEndedAt(now).SetEndedByID(by).SetEndReason("became responsible practitioner").
		Exec(ctx); err != nil {
		return err
	}
	return db.Assignment.Create().SetClientID(c.ID).SetMemberID(to).
		SetKind(assignment.KindRESPONSIBLE).SetAssignedByID(by).SetReason(why).Exec(ctx)
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
