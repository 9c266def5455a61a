package main

import (
	"context"
	"log/slog"

	"caseload/ent"
	"caseload/graph/email"
	"caseload/graph/server"
)

// serveMail sets up the outbox and starts its dispatcher, which sends
// through the SMTP relay when one is configured and into the log
// otherwise (whole messages only on a demo server), counting each attempt
// when metrics are on. With a relay,
// sign-up confirms the address by email. The dispatcher stops with ctx or
// with the returned stop, which waits for it: a message it has sent is
// noted as sent before the database closes, never sent again.
func serveMail(ctx context.Context, c mailConfig, publicURL string, demo bool, client *ent.Client, opts *server.Options) (stop func()) {
	outbox := email.NewOutbox(c.appURL, publicURL)
	// Without a relay, a demo server writes whole messages to the log so
	// that its invitations and resets can be followed; any other server
	// writes only their kind: the codes are credentials.
	var sender email.Sender = email.LogSender{ShowBody: demo}
	if c.smtpURL != "" {
		relay, _ := email.ParseSMTPURL(c.smtpURL) // checked by validate
		sender = email.NewSMTPSender(relay, c.from)
		opts.ConfirmSignUps = true
		slog.Info("email goes out through the SMTP relay", "host", relay.Host, "port", relay.Port, "tls", relay.TLS)
	} else {
		slog.Warn("no -smtp-url: email is not sent; with -demo it is written to the log, codes included", "demo", demo)
	}
	opts.Mail = outbox
	d := &email.Dispatcher{Client: client, Outbox: outbox, Sender: sender}
	if opts.Metrics != nil {
		d.Sent = server.EmailMetrics(opts.Metrics)
	}
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		d.Run(ctx)
	}()
	return func() {
		cancel()
		<-done
	}
}
