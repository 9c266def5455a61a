package server

import (
	"context"
	"database/sql"
	"strings"

	"entgo.io/ent/dialect"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	"caseload/ent/database"
)

// TraceSQL wraps an Ent driver so that every statement, inside transactions
// too, is a span under the request's: the slow statement of a slow request
// is then found in its trace. Statements are parameterised, so a span's text
// carries no client data. Wrap the driver, not the *sql.DB, so that nothing
// about how ent/database opens the pool changes.
func TraceSQL(drv dialect.Driver, tp trace.TracerProvider) dialect.Driver {
	return tracedDriver{Driver: drv, t: sqlTracer{tp.Tracer(tracerName), drv.Dialect()}}
}

// sqlTracer starts the span of one statement.
type sqlTracer struct {
	tracer  trace.Tracer
	dialect string
}

// run runs f, one statement q, in a span of its own.
func (s sqlTracer) run(ctx context.Context, q string, f func(context.Context) error) error {
	ctx, span := s.tracer.Start(ctx, statementName(q), trace.WithSpanKind(trace.SpanKindClient),
		trace.WithAttributes(
			attribute.String("db.system.name", s.dialect),
			attribute.String("db.query.text", q),
		))
	defer span.End()
	err := f(ctx)
	if err != nil {
		span.RecordError(err)
		span.SetStatus(codes.Error, "statement failed")
	}
	return err
}

// statementName is the span name: the statement's first word (SELECT,
// INSERT, ...), bounded whatever the statement.
func statementName(q string) string {
	verb, _, _ := strings.Cut(strings.TrimSpace(q), " ")
	if len(verb) > 16 || verb == "" {
		return "SQL"
	}
	return strings.ToUpper(verb)
}

type tracedDriver struct {
	dialect.Driver
	t sqlTracer
}

// Exec runs the statement in a span.
func (d tracedDriver) Exec(ctx context.Context, q string, args, v any) error {
	return d.t.run(ctx, q, func(ctx context.Context) error { return d.Driver.Exec(ctx, q, args, v) })
}

// Query runs the statement in a span.
func (d tracedDriver) Query(ctx context.Context, q string, args, v any) error {
	return d.t.run(ctx, q, func(ctx context.Context) error { return d.Driver.Query(ctx, q, args, v) })
}

// Tx opens a transaction whose statements are traced too.
func (d tracedDriver) Tx(ctx context.Context) (dialect.Tx, error) {
	tx, err := d.Driver.Tx(ctx)
	return tracedTx{Tx: tx, t: d.t}, err
}

// BeginTx opens a transaction with options, as ent.Client.BeginTx needs,
// whose statements are traced too.
func (d tracedDriver) BeginTx(ctx context.Context, opts *sql.TxOptions) (dialect.Tx, error) {
	b, ok := d.Driver.(interface {
		BeginTx(context.Context, *sql.TxOptions) (dialect.Tx, error)
	})
	if !ok {
		return d.Tx(ctx)
	}
	tx, err := b.BeginTx(ctx, opts)
	return tracedTx{Tx: tx, t: d.t}, err
}

type tracedTx struct {
	dialect.Tx
	t sqlTracer
}

// Exec runs the statement in a span.
func (t tracedTx) Exec(ctx context.Context, q string, args, v any) error {
	return t.t.run(ctx, q, func(ctx context.Context) error { return t.Tx.Exec(ctx, q, args, v) })
}

// Query runs the statement in a span.
func (t tracedTx) Query(ctx context.Context, q string, args, v any) error {
	return t.t.run(ctx, q, func(ctx context.Context) error { return t.Tx.Query(ctx, q, args, v) })
}

// ExecContext runs a raw statement of the transaction (ent.Tx.ExecContext,
// which the audit writer uses to make a chain's head) in a span: without it
// Ent's transaction finds no ExecContext under the wrapper and fails.
func (t tracedTx) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	var res sql.Result
	err := t.t.run(ctx, q, func(ctx context.Context) error {
		var err error
		res, err = database.ExecInTx(ctx, t.Tx, q, args...)
		return err
	})
	return res, err
}
