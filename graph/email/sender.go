package email

import (
	"context"
	"log/slog"
)

// Sender delivers one message. An error means it was not delivered and may
// be tried again.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// LogSender stands in for a relay when none is configured: it notes each
// message in the log instead of sending it, so that a server needs no
// relay to start. The body (codes that are credentials, a client's
// appointment) is written only with ShowBody, which the demo server sets
// so that its invitations and resets can be followed from its output;
// otherwise only the kind is, and the message is lost.
type LogSender struct {
	Logger   *slog.Logger
	ShowBody bool
}

// Send implements Sender.
func (s LogSender) Send(ctx context.Context, m Message) error {
	l := s.Logger
	if l == nil {
		l = slog.Default()
	}
	if !s.ShowBody {
		l.WarnContext(ctx, "email not sent: no -smtp-url", "kind", string(m.Kind))
		return nil
	}
	l.InfoContext(ctx, "email not sent (no -smtp-url, demo): written here instead",
		"kind", string(m.Kind), "to", m.To, "subject", m.Subject, "body", m.Body)
	return nil
}
