package main

import (
	"flag"
	"fmt"
	"net/mail"

	"caseload/graph/email"
)

// mailConfig says how email leaves the server: through an SMTP relay when
// one is set, otherwise into the log, so that the first README command
// needs nothing.
type mailConfig struct {
	smtpURL string
	from    string
	appURL  string
}

// mailFlags registers the email settings.
func mailFlags(fs *flag.FlagSet, c *mailConfig) {
	fs.StringVar(&c.smtpURL, "smtp-url", "",
		"SMTP relay sending invitations, password resets and confirmations: smtp://user:password@host:587 (STARTTLS required), smtps://…:465 (TLS), or smtp+insecure://host:25 for a local relay; when empty nothing is sent: a -demo server logs whole messages, any other only their kind")
	fs.StringVar(&c.from, "mail-from", "",
		"the From address of the server's email, e.g. \"Caseload <no-reply@clinic.example>\"; needed with -smtp-url")
	fs.StringVar(&c.appURL, "app-url", "",
		"the web app's address (https://app.example.org): links in invitation, password-reset and sign-up email open it; the email shows the code alone when empty")
}

// validate checks the email settings: a relay needs a sender address, and
// the relay's URL is checked without quoting it, since it may hold a
// password.
func (c mailConfig) validate() error {
	if c.appURL != "" {
		if err := checkURL("app-url", c.appURL, "http", "https"); err != nil {
			return err
		}
	}
	if c.smtpURL == "" {
		return nil
	}
	if _, err := email.ParseSMTPURL(c.smtpURL); err != nil {
		return fmt.Errorf("%s: %w", setting("smtp-url"), err)
	}
	if _, err := mail.ParseAddress(c.from); err != nil {
		return fmt.Errorf("%s must be an email address such as \"Caseload <no-reply@clinic.example>\" when -smtp-url is set", setting("mail-from"))
	}
	return nil
}
