package graph

import (
	"context"
	"sync"
	"time"

	"caseload/ent"
	"caseload/ent/member"
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

// emailTaken reports whether any member already uses the email; logins are
// by email alone, so emails are unique across practices.
func emailTaken(ctx context.Context, db *ent.Client, email string) (bool, error) {
	return db.Member.Query().Where(member.EmailEQ(email)).Exist(viewer.Bypass(ctx, "emails are unique across practices"))
}

func errEmailTaken() error {
	return errcode.New(errcode.Conflict, "an account with this email already exists")
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

// errIf returns err when cond holds.
func errIf(cond bool, err error) error {
	if cond {
		return err
	}
	return nil
}
