package graph

import (
	"context"
	"time"

	"caseload/ent"
	"caseload/ent/member"
	"caseload/ent/schema/pulid"
	"caseload/ent/viewer"
	"caseload/graph/auth"
	"caseload/graph/errcode"
	"caseload/graph/model"
)

// Policy §6: managing the team needs admin or MANAGE_TEAM; only an admin
// makes or unmakes admins; no one grants a level or capability they do not
// hold. Ent privacy enforces all three on every write (ent/rule); the
// resolvers check input and that the practice keeps an active admin.

// inviteMember creates an invitation and returns its one-time token.
func (r *Resolver) inviteMember(ctx context.Context, in model.InviteMemberInput) (*model.Invitation, error) {
	v := viewer.FromContext(ctx)
	db := r.db(ctx)
	name, err := checkName("the name", in.Name)
	if err != nil {
		return nil, err
	}
	email, err := auth.NormalizeEmail(in.Email)
	if err != nil {
		return nil, errcode.New(errcode.BadUserInput, err.Error())
	}
	admin := deref(in.Admin)
	if in.RoleID != nil {
		if _, err = roleFor(ctx, db, *in.RoleID, in.AccountType); err != nil {
			return nil, err
		}
	}
	// Only the inviter's own practice is consulted (through privacy): whether
	// an address has an account in another practice must not leak (policy
	// §1). An address taken elsewhere fails at acceptance, where only its
	// owner sees why.
	if taken, err := db.Member.Query().Where(member.EmailEQ(email)).Exist(ctx); err != nil {
		return nil, err
	} else if taken {
		return nil, errEmailTaken()
	}
	token, hash := auth.NewInvitationToken()
	inv, err := db.Invitation.Create().
		SetName(name).
		SetEmail(email).
		SetAccountType(in.AccountType).
		SetAdmin(admin).
		SetNillableRoleID(in.RoleID).
		SetTokenHash(hash).
		SetExpiresAt(time.Now().Add(r.invitationTTL)).
		SetInvitedByID(v.MemberID).
		Save(ctx)
	if err != nil {
		return nil, err
	}
	return &model.Invitation{Invitation: inv, Token: token}, nil
}

// updateMember changes a member's role, admin flag or active flag.
func (r *Resolver) updateMember(ctx context.Context, id pulid.ID, in model.UpdateMemberInput) (*ent.Member, error) {
	db := r.db(ctx)
	m, err := db.Member.Get(ctx, id)
	if ent.IsNotFound(err) {
		return nil, errcode.NotFoundError()
	}
	if err != nil {
		return nil, err
	}
	upd := db.Member.UpdateOne(m)
	if in.Admin != nil && *in.Admin != m.Admin {
		upd.SetAdmin(*in.Admin)
	}
	switch {
	case deref(in.ClearRole) && in.RoleID != nil:
		return nil, errcode.New(errcode.BadUserInput, "pass roleId or clearRole, not both")
	case deref(in.ClearRole):
		upd.ClearRoleID()
	case in.RoleID != nil:
		ro, err := roleFor(ctx, db, *in.RoleID, m.AccountType)
		if err != nil {
			return nil, err
		}
		upd.SetRoleID(ro.ID)
	}
	if in.Active != nil {
		upd.SetActive(*in.Active)
	}
	return upd.Save(ctx)
}
