package email

import (
	"context"
	"time"

	"caseload/ent"
	"caseload/ent/txn"
	"caseload/ent/viewer"
)

// Outbox is where requests leave their email. Its zero value is not usable;
// make it with NewOutbox.
type Outbox struct {
	// AppURL is the web app's address, which links in member email open;
	// the email carries the code alone when empty.
	AppURL string
	// PublicURL is the address of the server's own public pages (booking
	// management); paths when empty.
	PublicURL string
	wake      chan struct{}
}

// NewOutbox returns an outbox whose links start with appURL and publicURL.
func NewOutbox(appURL, publicURL string) *Outbox {
	return &Outbox{AppURL: appURL, PublicURL: publicURL, wake: make(chan struct{}, 1)}
}

// Enqueue writes m to the outbox through db, which is the caller's
// transaction: the message is sent only if that transaction commits. Inside
// a mutation field the dispatcher is woken when the field's transaction
// commits; elsewhere the caller calls Wake after its own commit. The outbox
// is the server's own table, written past privacy: the caller has already
// decided that the message is due.
func (o *Outbox) Enqueue(ctx context.Context, db *ent.Client, m Message) error {
	ctx = viewer.Bypass(ctx, "the outbox is the server's own: the request has decided the message is due")
	err := db.OutboundEmail.Create().
		SetKind(m.Kind).
		SetRecipient(m.To).
		SetSubject(m.Subject).
		SetBody(m.Body).
		SetNextAttemptAt(time.Now()).
		Exec(ctx)
	if err != nil {
		return err
	}
	txn.AfterCommit(ctx, o.Wake)
	return nil
}

// Wake tells the dispatcher that a message is waiting; it never blocks.
func (o *Outbox) Wake() {
	if o == nil {
		return
	}
	select {
	case o.wake <- struct{}{}:
	default:
	}
}
