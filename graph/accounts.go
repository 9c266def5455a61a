package graph

import (
	"context"
	"errors"
	"sync"
	"time"

	"caseload/ent"
	"caseload/ent/member"
	"caseload/ent/rule"
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

// errSignUpOff answers every sign-up mutation on a server whose members
// join by invitation only (-signup=false).
func errSignUpOff() error {
	return errcode.New(errcode.Forbidden, "sign-up is switched off on this server: members join their practice by invitation")
}

// errBadLogin is the one answer to every failed login: wrong email, wrong
// password and deactivated account are indistinguishable.
func errBadLogin() error { return errcode.New(errcode.Unauthenticated, "invalid email or password") }

// emailTaken reports whether any member already uses the email; logins are
// by email alone, so emails are unique across practices.
func emailTaken(ctx context.Context, db *ent.Client, email string) (bool, error) {
	return db.Member.Query().Where(member.EmailEQ(email)).Exist(viewer.Bypass(ctx, "emails are unique across practices"))
}

func errEmailTaken() error {
	return errcode.New(errcode.Conflict, "an account with this email already exists")
}

// signIn starts a session for m, returns a token for it, and makes m the
// viewer of the rest of this mutation field: the caller reads their own
// member in the answer, and a field of it they may not read is FORBIDDEN
// like anywhere else. (changePassword already has its viewer, who stays.)
func (r *Resolver) signIn(ctx context.Context, m *ent.Member) (*model.AuthPayload, error) {
	db := r.db(ctx)
	s, err := startSession(ctx, db, m)
	if err != nil {
		return nil, err
	}
	token, exp, err := r.tokens.Issue(m.ID, s.ID)
	if err != nil {
		return nil, err
	}
	v, err := viewer.Load(ctx, db, m.ID, s.ID, time.Now())
	if err != nil {
		return nil, err
	}
	viewer.SignIn(ctx, v)
	return &model.AuthPayload{Token: token, ExpiresAt: exp, Member: m}, nil
}

// startSession records a new session of m, with the client's address and
// user agent. The member is read again, locked, so that a deactivation
// committed while the password was being checked is seen: a session
// started for a deactivated member would come back to life on
// reactivation.
func startSession(ctx context.Context, db *ent.Client, m *ent.Member) (*ent.Session, error) {
	ctx = viewer.Bypass(ctx, "a session starts at sign-in, on the credentials just checked")
	active, err := db.Member.Query().
		Where(member.IDEQ(m.ID), member.Active(true)).
		Modify(rule.LockRows).
		IDs(ctx)
	if err != nil {
		return nil, err
	}
	if len(active) == 0 {
		return nil, errBadLogin()
	}
	req := auth.RequestOf(ctx)
	return db.Session.Create().
		SetMemberID(m.ID).
		SetPracticeID(m.PracticeID).
		SetLastSeenAt(time.Now()).
		SetUserAgent(req.UserAgent).
		SetClientAddress(req.Address).
		Save(ctx)
}

// signInError turns a refusal by the rate limits or the hashing queue into
// the contract's error: RATE_LIMITED with extensions.retryAfter (seconds),
// or UNAVAILABLE when the limits cannot be counted (their store is down),
// since admitting logins that cannot be counted would lift the limit.
func signInError(ctx context.Context, err error) error {
	if errors.Is(err, auth.ErrBusy) {
		e := errcode.New(errcode.RateLimited, err.Error())
		e.Extensions["retryAfter"] = 1
		return e
	}
	return auth.RefusalError(ctx, err)
}

// errIf returns err when cond holds.
func errIf(cond bool, err error) error {
	if cond {
		return err
	}
	return nil
}

// errInvalidInvitation is the one answer to an invitation that cannot be
// accepted: unknown, used or expired token, or an address that already has
// an account somewhere.
func errInvalidInvitation() error {
	return errcode.New(errcode.BadUserInput, "this invitation is not valid or has expired")
}

// checkCurrentPassword verifies the password a signed-in member gives to
// change it. Failures count against the login limits of the address and
// account, so a stolen token cannot be used to guess the password faster
// than a login could.
func (r *Resolver) checkCurrentPassword(ctx context.Context, me *ent.Member, password string) error {
	addr := auth.RequestOf(ctx).Address
	if err := r.limits.BeginLogin(ctx, addr, me.Email); err != nil {
		return signInError(ctx, err)
	}
	ok, err := r.hasher.Verify(ctx, password, me.PasswordHash)
	if err != nil {
		return signInError(ctx, err)
	}
	if !ok {
		if err := r.limits.LoginFailed(ctx, addr); err != nil {
			return signInError(ctx, err)
		}
		return errcode.New(errcode.BadUserInput, "the current password is not right")
	}
	return signInError(ctx, r.limits.LoginSucceeded(ctx, addr, me.Email))
}
