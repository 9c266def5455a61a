package email

import (
	"context"
	"log/slog"
	"math/rand/v2"
	"strings"
	"time"

	"caseload/ent"
	"caseload/ent/outboundemail"
	"caseload/ent/passwordreset"
	"caseload/ent/signuprequest"
	"caseload/ent/viewer"
)

// Dispatcher sends the outbox's messages. Several replicas may run one
// each: a message is claimed by a lease (a conditional update that only one
// of them wins) before it is sent, so it goes out once unless a replica
// dies between sending and noting it, when it may go out twice, which
// email tolerates better than never.
type Dispatcher struct {
	Client *ent.Client
	Outbox *Outbox
	Sender Sender
	Logger *slog.Logger
	// Poll is how often the outbox is read when nothing wakes the
	// dispatcher; 5 s if zero.
	Poll time.Duration
	// Attempts is how many times a message is tried before it is given
	// up; 8 if zero (over about four hours).
	Attempts int
	// Retention is how long sent and given-up messages are kept, emptied,
	// for the operator; 30 days if zero.
	Retention time.Duration
	// Sent, if set, is told of each message's outcome: metrics.
	Sent func(kind Kind, err error)

	lastPurge time.Time
}

// lease is how long a claimed message is left to its dispatcher.
const lease = 2 * time.Minute

// Run sends due messages until ctx ends.
func (d *Dispatcher) Run(ctx context.Context) {
	poll := d.Poll
	if poll == 0 {
		poll = 5 * time.Second
	}
	t := time.NewTicker(poll)
	defer t.Stop()
	for {
		for {
			n, err := d.SendDue(ctx)
			if err != nil && ctx.Err() == nil {
				d.logger().ErrorContext(ctx, "email outbox", "err", err)
			}
			if n == 0 || err != nil {
				break
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-d.Outbox.wake:
		case <-t.C:
		}
	}
}

// SendDue claims and sends the messages that are due, at most a batch, and
// returns how many it tried.
func (d *Dispatcher) SendDue(ctx context.Context) (int, error) {
	ctx = viewer.Bypass(ctx, "the dispatcher reads the server's own outbox")
	now := time.Now()
	due, err := d.Client.OutboundEmail.Query().
		Where(outboundemail.SentAtIsNil(), outboundemail.FailedAtIsNil(), outboundemail.NextAttemptAtLTE(now),
			outboundemail.Or(outboundemail.LeaseUntilIsNil(), outboundemail.LeaseUntilLT(now))).
		Order(outboundemail.ByNextAttemptAt()).
		Limit(20).
		All(ctx)
	if err != nil {
		return 0, err
	}
	tried := 0
	for _, m := range due {
		// The lease: only the replica whose update matched sends. The
		// claim repeats every condition of the list, which another
		// replica may have acted on since (sent, given up, put off), and
		// the lease starts now, not when the list was read.
		at := time.Now()
		n, err := d.Client.OutboundEmail.Update().
			Where(outboundemail.IDEQ(m.ID), outboundemail.SentAtIsNil(), outboundemail.FailedAtIsNil(), outboundemail.NextAttemptAtLTE(at),
				outboundemail.Or(outboundemail.LeaseUntilIsNil(), outboundemail.LeaseUntilLT(at))).
			SetLeaseUntil(at.Add(lease)).
			Save(ctx)
		if err != nil {
			return tried, err
		}
		if n == 0 {
			continue
		}
		// Sent as it is now, after the claim.
		if m, err = d.Client.OutboundEmail.Get(ctx, m.ID); err != nil {
			return tried, err
		}
		tried++
		if err := d.send(ctx, m); err != nil {
			return tried, err
		}
	}
	if now.Sub(d.lastPurge) > time.Hour {
		if err := d.purge(ctx, now); err != nil {
			return tried, err
		}
		d.lastPurge = now
	}
	return tried, nil
}

// send tries one claimed message and notes the outcome.
func (d *Dispatcher) send(ctx context.Context, m *ent.OutboundEmail) error {
	sendCtx, cancel := context.WithTimeout(ctx, time.Minute)
	err := d.Sender.Send(sendCtx, Message{Kind: m.Kind, To: m.Recipient, Subject: m.Subject, Body: m.Body})
	cancel()
	if d.Sent != nil {
		d.Sent(m.Kind, err)
	}
	upd := d.Client.OutboundEmail.UpdateOneID(m.ID).AddAttempts(1).ClearLeaseUntil()
	now := time.Now()
	switch {
	case err == nil:
		upd.SetSentAt(now).SetBody("").SetLastError("")
	case m.Attempts+1 >= d.attempts():
		d.logger().ErrorContext(ctx, "email given up", "id", m.ID, "kind", string(m.Kind), "attempts", m.Attempts+1, "err", err)
		upd.SetFailedAt(now).SetBody("").SetLastError(truncate(err.Error(), 500))
	default:
		d.logger().WarnContext(ctx, "email not sent; will retry", "id", m.ID, "kind", string(m.Kind), "attempt", m.Attempts+1, "err", err)
		upd.SetNextAttemptAt(now.Add(backoff(m.Attempts + 1))).SetLastError(truncate(err.Error(), 500))
	}
	if err != nil && ctx.Err() != nil {
		// Stopping mid-send: nothing is noted, the lease lapses and
		// another run tries again.
		return ctx.Err()
	}
	// Noted even if the server is stopping now: a message sent but not
	// noted would go out again when its lease lapses.
	return upd.Exec(context.WithoutCancel(ctx))
}

// purge deletes messages sent or given up longer ago than the retention,
// and sign-up requests and password-reset codes past their expiry.
func (d *Dispatcher) purge(ctx context.Context, now time.Time) error {
	keep := d.Retention
	if keep == 0 {
		keep = 30 * 24 * time.Hour
	}
	cut := now.Add(-keep)
	if _, err := d.Client.OutboundEmail.Delete().
		Where(outboundemail.Or(outboundemail.SentAtLT(cut), outboundemail.FailedAtLT(cut))).
		Exec(ctx); err != nil {
		return err
	}
	// Expired codes answer as unknown ones do, so nothing needs them; a
	// pending sign-up holds the name and address of someone who may
	// never have asked for it.
	if _, err := d.Client.SignUpRequest.Delete().Where(signuprequest.ExpiresAtLT(now)).Exec(ctx); err != nil {
		return err
	}
	_, err := d.Client.PasswordReset.Delete().Where(passwordreset.ExpiresAtLT(now)).Exec(ctx)
	return err
}

func (d *Dispatcher) attempts() int {
	if d.Attempts == 0 {
		return 8
	}
	return d.Attempts
}

func (d *Dispatcher) logger() *slog.Logger {
	if d.Logger == nil {
		return slog.Default()
	}
	return d.Logger
}

// backoff is the wait after the nth failure: 30 s doubling, with jitter so
// that replicas do not retry together, at most an hour.
func backoff(n int) time.Duration {
	d := 30 * time.Second << min(n-1, 7)
	d = min(d, time.Hour)
	return d/2 + rand.N(d/2)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	// Cut at a character, not inside one: PostgreSQL refuses invalid
	// UTF-8, and the outcome would never be noted.
	return strings.ToValidUTF8(s[:n], "")
}
