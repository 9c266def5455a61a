package graph

import (
	"context"
	"strings"
	"time"

	"caseload/ent"
	"caseload/ent/assignment"
	"caseload/ent/clientrecord"
	"caseload/ent/schema/access"
	"caseload/ent/schema/pulid"
	"caseload/ent/share"
	"caseload/ent/tag"
	"caseload/ent/viewer"
	"caseload/graph/errcode"
)

// Policy §6 workflows. Each loads the client through privacy (hidden is
// NOT_FOUND), checks the input, and writes; Ent privacy (ent/rule) decides
// whether the write is allowed. Every change of responsibility and care team
// writes history rows in the same transaction.

// reasonText bounds an optional reason.
func reasonText(reason *string) (string, error) {
	r := strings.TrimSpace(deref(reason))
	if len(r) > 1000 {
		return "", errcode.New(errcode.BadUserInput, "the reason is too long")
	}
	return r, nil
}

// setResponsiblePractitioner changes who is responsible for a client. The
// update only applies if the responsible practitioner is still the one this
// request read, so two concurrent changes cannot both win.
func (r *Resolver) setResponsiblePractitioner(ctx context.Context, clientID pulid.ID, practitionerID *pulid.ID, reason *string) (*ent.ClientRecord, error) {
	v := viewer.FromContext(ctx)
	db := r.db(ctx)
	c, err := r.visibleClient(ctx, clientID)
	if err != nil {
		return nil, err
	}
	why, err := reasonText(reason)
	if err != nil {
		return nil, err
	}
	if samePtr(c.ResponsibleID, practitionerID) {
		return nil, errcode.New(errcode.Conflict, "this practitioner is already responsible for the client")
	}
	upd := db.ClientRecord.UpdateOne(c)
	if c.ResponsibleID == nil {
		upd.Where(clientrecord.ResponsibleIDIsNil())
	} else {
		upd.Where(clientrecord.ResponsibleIDEQ(*c.ResponsibleID))
	}
	if practitionerID == nil {
		upd.ClearResponsibleID()
	} else {
		upd.SetResponsibleID(*practitionerID)
	}
	if _, err := upd.Save(ctx); ent.IsNotFound(err) {
		return nil, errcode.New(errcode.Conflict, "the responsible practitioner was changed meanwhile; reload and try again")
	} else if err != nil {
		return nil, err
	}
	now := time.Now()
	history := viewer.Bypass(ctx, "history of a change the client rule has allowed")
	if err := db.Assignment.Update().
		Where(assignment.ClientIDEQ(c.ID), assignment.KindEQ(assignment.KindRESPONSIBLE), assignment.EndedAtIsNil()).
		SetEndedAt(now).SetEndedByID(v.MemberID).SetEndReason(why).
		Exec(history); err != nil {
		return nil, err
	}
	if practitionerID != nil {
		if err := r.recordResponsibility(history, db, c, *practitionerID, v.MemberID, why, now); err != nil {
			return nil, err
		}
	}
	return r.answerClient(ctx, c.ID)
}

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

func samePtr(a, b *pulid.ID) bool {
	return (a == nil && b == nil) || (a != nil && b != nil && *a == *b)
}

// assignPractitioner adds a practitioner to a client's care team.
func (r *Resolver) assignPractitioner(ctx context.Context, clientID, practitionerID pulid.ID, reason *string) (*ent.ClientRecord, error) {
	v := viewer.FromContext(ctx)
	db := r.db(ctx)
	c, err := r.visibleClient(ctx, clientID)
	if err != nil {
		return nil, err
	}
	why, err := reasonText(reason)
	if err != nil {
		return nil, err
	}
	if c.ResponsibleID != nil && *c.ResponsibleID == practitionerID {
		return nil, errcode.New(errcode.Conflict, "this practitioner is the client's responsible practitioner")
	}
	err = db.Assignment.Create().SetClientID(c.ID).SetMemberID(practitionerID).
		SetKind(assignment.KindCARE_TEAM).SetAssignedByID(v.MemberID).SetReason(why).Exec(ctx)
	if ent.IsConstraintError(err) {
		return nil, errcode.New(errcode.Conflict, "this practitioner is already on the care team")
	}
	if err != nil {
		return nil, err
	}
	return r.answerClient(ctx, c.ID)
}

// unassignPractitioner ends a care-team assignment; its row stays as history.
func (r *Resolver) unassignPractitioner(ctx context.Context, clientID, practitionerID pulid.ID, reason *string) (*ent.ClientRecord, error) {
	v := viewer.FromContext(ctx)
	db := r.db(ctx)
	c, err := r.visibleClient(ctx, clientID)
	if err != nil {
		return nil, err
	}
	why, err := reasonText(reason)
	if err != nil {
		return nil, err
	}
	a, err := db.Assignment.Query().
		Where(assignment.ClientIDEQ(c.ID), assignment.MemberIDEQ(practitionerID),
			assignment.KindEQ(assignment.KindCARE_TEAM), assignment.EndedAtIsNil()).
		Only(ctx)
	if ent.IsNotFound(err) {
		return nil, errcode.New(errcode.BadUserInput, "this practitioner is not on the client's care team")
	}
	if err != nil {
		return nil, err
	}
	if err := db.Assignment.UpdateOne(a).Where(assignment.EndedAtIsNil()).
		SetEndedAt(time.Now()).SetEndedByID(v.MemberID).SetEndReason(why).Exec(ctx); ent.IsNotFound(err) {
		return nil, errcode.New(errcode.Conflict, "the assignment was ended meanwhile")
	} else if err != nil {
		return nil, err
	}
	return r.answerClient(ctx, c.ID)
}

// shareClient gives a member access to a client.
func (r *Resolver) shareClient(ctx context.Context, clientID, memberID pulid.ID, level access.Level, expiresAt *time.Time) (*ent.Share, error) {
	v := viewer.FromContext(ctx)
	db := r.db(ctx)
	c, err := r.visibleClient(ctx, clientID)
	if err != nil {
		return nil, err
	}
	switch {
	case !level.GrantLevel():
		return nil, errcode.New(errcode.BadUserInput, "a share gives VIEW or EDIT; use revokeShare to remove one")
	case memberID == v.MemberID:
		return nil, errcode.New(errcode.BadUserInput, "you cannot share a client with yourself")
	case expiresAt != nil && !expiresAt.After(time.Now()):
		return nil, errcode.New(errcode.BadUserInput, "the expiry must be in the future")
	}
	if expiresAt != nil {
		utc := expiresAt.UTC()
		expiresAt = &utc
	}
	s, err := db.Share.Create().SetClientID(c.ID).SetMemberID(memberID).
		SetLevel(level).SetNillableExpiresAt(expiresAt).SetGrantedByID(v.MemberID).Save(ctx)
	if err != nil {
		return nil, err
	}
	return s, nil
}

// revokeShare ends a share; its row stays for the record.
func (r *Resolver) revokeShare(ctx context.Context, id pulid.ID) (pulid.ID, error) {
	v := viewer.FromContext(ctx)
	db := r.db(ctx)
	s, err := db.Share.Query().Where(share.IDEQ(id), share.RevokedAtIsNil()).Only(ctx)
	if ent.IsNotFound(err) {
		return "", errcode.NotFoundError()
	}
	if err != nil {
		return "", err
	}
	if err := db.Share.UpdateOne(s).SetRevokedAt(time.Now()).SetRevokedByID(v.MemberID).Exec(ctx); err != nil {
		return "", err
	}
	return s.ID, nil
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

// clientShares lists a client's active shares (the directive has checked
// that the viewer manages access to it).
func clientShares(ctx context.Context, c *ent.ClientRecord) ([]*ent.Share, error) {
	v := viewer.FromContext(ctx)
	return c.QueryShares().
		Where(share.RevokedAtIsNil(), share.Or(share.ExpiresAtIsNil(), share.ExpiresAtGT(v.Now))).
		Order(ent.Desc(share.FieldCreatedAt)).
		All(ctx)
}
