package email

import (
	"context"
	"errors"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// SMTPSender sends through an SMTP relay with github.com/wneessen/go-mail.
type SMTPSender struct {
	relay SMTPRelay
	from  string
}

// SMTPRelay is a parsed -smtp-url.
type SMTPRelay struct {
	Host     string
	Port     int
	Username string
	Password string
	// TLS is how the connection is protected: "starttls" (required, the
	// default of smtp://), "tls" (smtps://, from the first byte) or "none"
	// (smtp+insecure://, for a relay on the same host or in tests).
	TLS string
}

// ParseSMTPURL reads smtp://user:password@host:587, smtps://host:465 or
// smtp+insecure://host:25. Its errors never quote the URL or any part of
// it, which may hold a password.
func ParseSMTPURL(raw string) (SMTPRelay, error) {
	u, err := url.Parse(raw)
	if err != nil {
		// url.Parse's message quotes parts of the URL: a password with
		// a "/", "?" or "#" in it would be quoted as a port.
		return SMTPRelay{}, errors.New("not a valid URL (percent-encode special characters in the user name and password)")
	}
	r := SMTPRelay{Host: u.Hostname()}
	switch u.Scheme {
	case "smtp":
		r.TLS, r.Port = "starttls", 587
	case "smtps":
		r.TLS, r.Port = "tls", 465
	case "smtp+insecure":
		r.TLS, r.Port = "none", 25
	default:
		return SMTPRelay{}, errors.New("want smtp://, smtps:// or smtp+insecure://")
	}
	if r.Host == "" {
		return SMTPRelay{}, errors.New("the URL names no host")
	}
	if p := u.Port(); p != "" {
		if r.Port, err = strconv.Atoi(p); err != nil || r.Port <= 0 || r.Port > 65535 {
			return SMTPRelay{}, errors.New("the port must be a number from 1 to 65535")
		}
	}
	if u.User != nil {
		r.Username = u.User.Username()
		r.Password, _ = u.User.Password()
	}
	return r, nil
}

// NewSMTPSender returns a sender through relay, from the address from.
func NewSMTPSender(relay SMTPRelay, from string) *SMTPSender {
	return &SMTPSender{relay: relay, from: from}
}

// Send implements Sender: one connection per message, which a server
// sending a few invitations and resets an hour needs no more than.
func (s *SMTPSender) Send(ctx context.Context, m Message) error {
	msg := gomail.NewMsg()
	if err := msg.From(s.from); err != nil {
		return err
	}
	if err := msg.To(m.To); err != nil {
		return err
	}
	msg.Subject(m.Subject)
	msg.SetBodyString(gomail.TypeTextPlain, m.Body)
	msg.SetDate()
	msg.SetMessageID()
	opts := []gomail.Option{gomail.WithPort(s.relay.Port), gomail.WithTimeout(20 * time.Second), gomail.WithHELO(heloName(s.from))}
	switch s.relay.TLS {
	case "tls":
		opts = append(opts, gomail.WithSSL())
	case "none":
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	}
	if s.relay.Username != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(s.relay.Username), gomail.WithPassword(s.relay.Password))
	}
	c, err := gomail.NewClient(s.relay.Host, opts...)
	if err != nil {
		return err
	}
	return c.DialAndSendWithContext(ctx, msg)
}

// heloName is the name the server greets the relay with: the domain of its
// From address, which names the sender better than "localhost", which
// strict relays refuse.
func heloName(from string) string {
	if a, err := mail.ParseAddress(from); err == nil {
		if _, domain, ok := strings.Cut(a.Address, "@"); ok && domain != "" {
			return domain
		}
	}
	return "localhost"
}
