package graph

import (
	"context"
	"time"

	"entgo.io/ent/dialect"

	"caseload/ent"
	"caseload/ent/member"
	"caseload/ent/outboundemail"
	"caseload/ent/schema/access"
	"caseload/graph/errcode"
)

// How long the codes sent by email work. A reset is short: whoever holds
// the mailbox holds the account for that long. A sign-up confirmation
// waits a day for someone who signs up in the evening.
const (
	passwordResetTTL = time.Hour
	signUpConfirmTTL = 24 * time.Hour
	// emailRepeat is how often requestPasswordReset and requestSignUp
	// email one address at most.
	emailRepeat = 2 * time.Minute
)

// recentlyEmailed reports whether to received a message of kind within the
// last period: the requests that email an address the caller names send at
// most one in that time, so that nobody can flood a mailbox through them
// from many client addresses.
func recentlyEmailed(ctx context.Context, db *ent.Client, to string, kind outboundemail.Kind, period time.Duration) (bool, error) {
	return db.OutboundEmail.Query().
		Where(outboundemail.RecipientEQ(to), outboundemail.KindEQ(kind), outboundemail.CreatedAtGT(time.Now().Add(-period))).
		Exist(ctx)
}

// errInvalidCode is the answer to a reset or confirmation code that is
// unknown, used or expired: one message for all three, which reveals
// nothing about which.
func errInvalidCode(what string) error {
	return errcode.New(errcode.BadUserInput, "this "+what+" code is unknown, used or expired: ask for a new one")
}

// createPractice creates a practice and its first member, an admin
// practitioner: sign-up's one write, whether confirmed by email or not.
// The caller has bypassed privacy, since no viewer exists yet.
func createPractice(ctx context.Context, db *ent.Client, practiceName, name, email, passwordHash string) (*ent.Member, error) {
	p, err := db.Practice.Create().SetName(practiceName).Save(ctx)
	if err != nil {
		return nil, err
	}
	return db.Member.Create().
		SetPracticeID(p.ID).
		SetName(name).
		SetEmail(email).
		SetPasswordHash(passwordHash).
		SetAccountType(access.Practitioner).
		SetAdmin(true).
		Save(ctx)
}

// activeMember returns the active member with the address, or nil.
func activeMember(ctx context.Context, db *ent.Client, email string) (*ent.Member, error) {
	m, err := db.Member.Query().Where(member.EmailEQ(email), member.Active(true)).Only(ctx)
	if ent.IsNotFound(err) {
		return nil, nil
	}
	return m, err
}

// lockAddress holds, until the request's transaction ends, every other
// request that would email the same address, so that two at once cannot
// both find that none was sent lately. On SQLite the mutation's
// transaction already holds the database's write lock.
func (r *Resolver) lockAddress(ctx context.Context, db *ent.Client, address string) error {
	if r.dialect != dialect.Postgres {
		return nil
	}
	_, err := db.ExecContext(ctx, "SELECT pg_advisory_xact_lock(hashtextextended($1, 7))", "caseload email "+address)
	return err
}

// emailInvitation writes the invitation's email, in the invitation's
// transaction, naming the practice and who invites.
func (r *Resolver) emailInvitation(ctx context.Context, db *ent.Client, inv *ent.Invitation, code string) error {
	p, err := db.Practice.Get(ctx, inv.PracticeID)
	if err != nil {
		return err
	}
	inviter, err := db.Member.Get(ctx, inv.InvitedByID)
	if err != nil {
		return err
	}
	return r.mail.Enqueue(ctx, db, r.mail.Invitation(inv.Email, inv.Name, p.Name, inviter.Name, code, inv.ExpiresAt))
}
