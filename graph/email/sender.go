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

// LogSender writes each message to the log instead of sending it: the
// default, so that a development server needs no mail relay and its
// invitation and reset codes can be read from its output. It is no way to
// run a clinic: the codes it logs are credentials.
type LogSender struct{ Logger *slog.Logger }

// Send implements Sender.
func (s LogSender) Send(ctx context.Context, m Message) error {
	l := s.Logger
	if l == nil {
		l = slog.Default()
	}
	l.InfoContext(ctx, "email not sent (no -smtp-url): written here instead",
		"kind", string(m.Kind), "to", m.To, "subject", m.Subject, "body", m.Body)
	return nil
}
