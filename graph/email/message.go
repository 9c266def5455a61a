// Package email sends the server's email through an outbox: a request
// writes its message in its own transaction (Outbox.Enqueue), so a message
// exists exactly when what caused it committed, and the Dispatcher sends it
// afterwards with retries, so no request ever waits for a mail server. A
// Sender speaks SMTP (SMTPSender) or, by default, writes the message to the
// log (LogSender), so that a development server needs nothing.
package email

import "caseload/ent/outboundemail"

// Kind is what caused a message.
type Kind = outboundemail.Kind

// The kinds of message the server sends.
const (
	KindInvitation            = outboundemail.KindINVITATION
	KindPasswordReset         = outboundemail.KindPASSWORD_RESET
	KindSignUpConfirmation    = outboundemail.KindSIGN_UP_CONFIRMATION
	KindSignUpExistingAccount = outboundemail.KindSIGN_UP_EXISTING_ACCOUNT
	KindIntakeConfirmation    = outboundemail.KindINTAKE_CONFIRMATION
	KindBookingConfirmation   = outboundemail.KindBOOKING_CONFIRMATION
)

// Message is one plain-text email to one recipient.
type Message struct {
	Kind    Kind
	To      string
	Subject string
	Body    string
}
