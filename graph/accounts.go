package graph

import (
	"context"
	"errors"
	"strings"
	"sync"
	"time"

	"caseload/ent"
	"caseload/ent/invitation"
	"caseload/ent/member"
	"caseload/ent/role"
	"caseload/ent/schema/access"
	"caseload/ent/schema/pulid"
	"caseload/ent/viewer"
	"caseload/graph/auth"
	"caseload/graph/errcode"
	"caseload/graph/model"
)

// dummyHash is verified against when no member has the email, so that a
// failed login takes as long whether or not the account exists. It is made
// on first use: hashing takes Argon2id's working memory, which a server
// that never sees such a login should not hold from start-up.
var dummyHash = sync.OnceValue(func() string {
	h, _ := auth.NewHasher().Hash("not a password of anyone's")
	return h
})

// errBadLogin is the one answer to every failed login: wrong email, wrong
// password and deactivated account are indistinguishable.
func errBadLogin() error { return errcode.New(errcode.Unauthenticated, "invalid email or password") }

// checkName refuses blank or overlong display names.
func checkName(what, s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 200 {
		return "", errcode.New(errcode.BadUserInput, what+" must have between 1 and 200 characters")
	}
	return s, nil
}

// checkCredentials normalises the email and checks the password's strength.
func checkCredentials(email, password string) (string, error) {
	e, err := auth.NormalizeEmail(email)
	if err != nil {
		return "", errcode.New(errcode.BadUserInput, err.Error())
	}
	if err := auth.CheckStrength(password, e); err != nil {
		return "", errcode.New(errcode.BadUserInput, err.Error())
	}
	return e, nil
}

// emailTaken reports whether any member already uses the email; logins are
// by email alone, so emails are unique across practices.
func emailTaken(ctx context.Context, db *ent.Client, email string) (bool, error) {
	return db.Member.Query().Where(member.EmailEQ(email)).Exist(viewer.Bypass(ctx, "emails are unique across practices"))
}

func errEmailTaken() error {
	return errcode.New(errcode.Conflict, "an account with this email already exists")
}

// signUp creates a practice with its first admin and logs them in.
func (r *Resolver) signUp(ctx context.Context, practiceName, name, email, password string) (*model.AuthPayload, error) {
	practiceName, err := checkName("the practice name", practiceName)
	if err != nil {
		return nil, err
	}
	if name, err = checkName("the name", name); err != nil {
		return nil, err
	}
	if email, err = checkCredentials(email, password); err != nil {
		return nil, err
	}
	// Sign-up creates the tenant itself, before any viewer exists: the one
	// place where a practice and its first member are written past privacy.
	ctx = viewer.Bypass(ctx, "sign-up creates the tenant before any viewer exists")
	db := r.db(ctx)
	if taken, err := emailTaken(ctx, db, email); err != nil || taken {
		return nil, errors.Join(err, errIf(taken, errEmailTaken()))
	}
	hash, err := r.hasher.Hash(password)
	if err != nil {
		return nil, err
	}
	p, err := db.Practice.Create().SetName(practiceName).Save(ctx)
	if err != nil {
		return nil, err
	}
	m, err := db.Member.Create().
		SetPracticeID(p.ID).
		SetName(name).
		SetEmail(email).
		SetPasswordHash(hash).
		SetAccountType(access.Practitioner).
		SetAdmin(true).
		Save(ctx)
	if err != nil {
		return nil, err
	}
	return r.issue(ctx, m)
}

// login exchanges credentials for a token.
func (r *Resolver) login(ctx context.Context, email, password string) (*model.AuthPayload, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	if !r.limiter.Allow(email) {
		return nil, errcode.New(errcode.RateLimited, "too many login attempts; try again in a minute")
	}
	// Authentication happens before a viewer exists: look the member up
	// past privacy, and reveal nothing but success or failure.
	m, err := r.db(ctx).Member.Query().Where(member.EmailEQ(email)).Only(viewer.Bypass(ctx, "authentication happens before a viewer exists"))
	if ent.IsNotFound(err) {
		r.hasher.Verify(password, dummyHash())
		return nil, errBadLogin()
	}
	if err != nil {
		return nil, err
	}
	if !r.hasher.Verify(password, m.PasswordHash) || !m.Active {
		return nil, errBadLogin()
	}
	return r.issue(ctx, m)
}

// issue returns a fresh token for m, and makes m the viewer of the rest of
// this mutation field: the caller reads their own member in the answer, and
// a field of it they may not read is FORBIDDEN like anywhere else.
func (r *Resolver) issue(ctx context.Context, m *ent.Member) (*model.AuthPayload, error) {
	token, exp, err := r.tokens.Issue(m.ID)
	if err != nil {
		return nil, err
	}
	v, err := viewer.Load(ctx, r.db(ctx), m.ID, time.Now())
	if err != nil {
		return nil, err
	}
	viewer.SignIn(ctx, v)
	return &model.AuthPayload{Token: token, ExpiresAt: exp, Member: m}, nil
}

// acceptInvitation creates the invited member and logs them in.
func (r *Resolver) acceptInvitation(ctx context.Context, token, password string) (*model.AuthPayload, error) {
	// The invitee has no account yet: the invitation token is their only
	// credential, so the look-up and the member's creation bypass privacy.
	ctx = viewer.Bypass(ctx, "the invitation token is the invitee's only credential")
	db := r.db(ctx)
	inv, err := db.Invitation.Query().
		Where(invitation.TokenHashEQ(auth.HashInvitationToken(token)), invitation.AcceptedAtIsNil(), invitation.ExpiresAtGT(time.Now())).
		Only(ctx)
	if ent.IsNotFound(err) {
		return nil, errcode.New(errcode.BadUserInput, "this invitation is not valid or has expired")
	}
	if err != nil {
		return nil, err
	}
	if _, err := checkCredentials(inv.Email, password); err != nil {
		return nil, err
	}
	if taken, err := emailTaken(ctx, db, inv.Email); err != nil || taken {
		return nil, errors.Join(err, errIf(taken, errcode.New(errcode.Conflict,
			"this email address already has a Caseload account; ask the practice to invite another address")))
	}
	hash, err := r.hasher.Hash(password)
	if err != nil {
		return nil, err
	}
	m, err := db.Member.Create().
		SetPracticeID(inv.PracticeID).
		SetName(inv.Name).
		SetEmail(inv.Email).
		SetPasswordHash(hash).
		SetAccountType(inv.AccountType).
		SetAdmin(inv.Admin).
		SetNillableRoleID(inv.RoleID).
		Save(ctx)
	if err != nil {
		return nil, err
	}
	if err := db.Invitation.UpdateOne(inv).SetAcceptedAt(time.Now()).Exec(ctx); err != nil {
		return nil, err
	}
	return r.issue(ctx, m)
}

// errIf returns err when cond holds.
func errIf(cond bool, err error) error {
	if cond {
		return err
	}
	return nil
}

// roleFor loads a role of the viewer's practice for an account type; a role
// the viewer cannot see, or of another account type, is bad input.
func roleFor(ctx context.Context, db *ent.Client, id pulid.ID, t access.AccountType) (*ent.Role, error) {
	ro, err := db.Role.Query().Where(role.IDEQ(id)).Only(ctx)
	if ent.IsNotFound(err) {
		return nil, errcode.New(errcode.BadUserInput, "the role does not exist")
	}
	if err != nil {
		return nil, err
	}
	if ro.AccountType != t {
		return nil, errcode.New(errcode.BadUserInput, "the role is for "+string(ro.AccountType)+" members")
	}
	return ro, nil
}
