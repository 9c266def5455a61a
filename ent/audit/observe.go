package audit

import (
	"context"
	"time"
)

// Batch names which write of the log an observation is about.
type Batch string

// The writes of the log.
const (
	// RequestBatch is Flush: what a request read or was refused, written
	// before its response leaves.
	RequestBatch Batch = "request"
	// MutationBatch is FlushTx: a mutation field's changes, written in its
	// transaction.
	MutationBatch Batch = "mutation"
)

// Observer is told of each write of the log, for the server's metrics
// (graph/server/metrics_audit.go): its time, its events (the denied ones
// among them are the request's refusals, policy §9) and its error. It
// must be quick and safe for concurrent use, and must not keep events.
type Observer interface {
	AuditWritten(batch Batch, took time.Duration, events []Event, err error)
}

type observerKey struct{}

// WithObserver returns a context whose writes of the log are reported to o.
func WithObserver(ctx context.Context, o Observer) context.Context {
	return context.WithValue(ctx, observerKey{}, o)
}

// observe reports a write that started at start to the context's
// observer, if it has one.
func observe(ctx context.Context, batch Batch, start time.Time, events []Event, err error) {
	if o, ok := ctx.Value(observerKey{}).(Observer); ok {
		o.AuditWritten(batch, time.Since(start), events, err)
	}
}
