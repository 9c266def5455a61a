package email

import (
	"fmt"
	"net/url"
	"strings"
	"time"
)

// The messages' texts. They carry what the recipient needs and nothing
// from a client's record: an email crosses servers the clinic does not
// control.

// link is the web app's page with the code in its fragment, which browsers
// never send to a server, so the code stays out of access logs and
// Referer headers; without an app address, the code alone.
func (o *Outbox) link(page, code string) string {
	if o.AppURL == "" {
		return "Your code: " + code
	}
	return strings.TrimRight(o.AppURL, "/") + "/" + page + "#token=" + url.QueryEscape(code)
}

// Invitation is the email inviting name to join practice.
func (o *Outbox) Invitation(to, name, practice, inviter, code string, expires time.Time) Message {
	return Message{
		Kind:    KindInvitation,
		To:      to,
		Subject: "You are invited to join " + practice + " on Caseload",
		Body: fmt.Sprintf("Hello %s,\n\n%s invites you to join %s on Caseload.\n\nAccept the invitation and choose your password:\n%s\n\nThe invitation works once, until %s.\n",
			name, inviter, practice, o.link("accept-invitation", code), expires.UTC().Format(time.RFC1123)),
	}
}

// PasswordReset is the email with a one-time code to choose a new password.
func (o *Outbox) PasswordReset(to, name, code string, expires time.Time) Message {
	return Message{
		Kind:    KindPasswordReset,
		To:      to,
		Subject: "Reset your Caseload password",
		Body: fmt.Sprintf("Hello %s,\n\nSomeone asked to reset the password of your Caseload account. If it was you, choose a new password here:\n%s\n\nThe link works once, until %s, and signs you out everywhere else. If it was not you, ignore this email: your password has not changed.\n",
			name, o.link("reset-password", code), expires.UTC().Format(time.RFC1123)),
	}
}

// PasswordResetNoAccount answers a reset asked for an address without an
// active account, so that asking costs the same whatever the address, and
// a person who forgot which address they used learns it is not this one.
func (o *Outbox) PasswordResetNoAccount(to string) Message {
	return Message{
		Kind:    KindPasswordReset,
		To:      to,
		Subject: "Reset your Caseload password",
		Body:    "Hello,\n\nSomeone asked to reset the password of a Caseload account with this address, but no active account has it. If it was you, try the address you signed up or were invited with, or ask your practice's admin. If it was not you, ignore this email.\n",
	}
}

// SignUpConfirmation asks the address's owner to confirm a new practice.
// The address is not confirmed yet, so the message carries none of the
// text its sender typed (their name, the practice's name): whoever signs up
// cannot make the server mail their words to a stranger.
func (o *Outbox) SignUpConfirmation(to, code string, expires time.Time) Message {
	return Message{
		Kind:    KindSignUpConfirmation,
		To:      to,
		Subject: "Confirm your email to open a practice on Caseload",
		Body: fmt.Sprintf("Hello,\n\nSomeone asked to open a new practice on Caseload with this address. If it was you, confirm it:\n%s\n\nThe link works once, until %s. If it was not you, ignore this email.\n",
			o.link("confirm-sign-up", code), expires.UTC().Format(time.RFC1123)),
	}
}

// SignUpExistingAccount answers a sign-up with an address that already has
// an account: its owner learns of it, the person signing up learns nothing
// they would not from a new address.
func (o *Outbox) SignUpExistingAccount(to string) Message {
	return Message{
		Kind:    KindSignUpExistingAccount,
		To:      to,
		Subject: "Someone tried to sign up for Caseload with your address",
		Body:    "Hello,\n\nSomeone tried to open a new practice on Caseload with this address, which already has an account. If it was you, log in instead, or reset your password if you have forgotten it. If it was not you, ignore this email.\n",
	}
}

// IntakeConfirmation tells a person their form reached the practice.
func (o *Outbox) IntakeConfirmation(to, practice string, received time.Time) Message {
	return Message{
		Kind:    KindIntakeConfirmation,
		To:      to,
		Subject: practice + " received your form",
		Body: fmt.Sprintf("Hello,\n\n%s received your form on %s. They will be in touch.\n\nIf you did not fill in a form, you can ignore this email.\n",
			practice, received.UTC().Format(time.RFC1123)),
	}
}

// BookingConfirmation confirms an online booking, with the link that
// manages it; starts is in the practice's zone, in which it is shown.
func (o *Outbox) BookingConfirmation(to, practice, practitioner, appointmentType string, starts time.Time, manageToken string) Message {
	manage := strings.TrimRight(o.PublicURL, "/") + "/book/manage/" + url.PathEscape(manageToken)
	return Message{
		Kind:    KindBookingConfirmation,
		To:      to,
		Subject: "Your appointment with " + practice,
		Body: fmt.Sprintf("Hello,\n\nYour appointment is booked: %s with %s at %s, %s.\n\nTo cancel it: %s\n",
			appointmentType, practitioner, practice, starts.Format("Monday 2 January 2006 at 15:04 (MST)"), manage),
	}
}
