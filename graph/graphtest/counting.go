package graphtest

import (
	"context"
	"database/sql"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"testing"

	"entgo.io/ent/dialect"

	"caseload/ent/audit"
	"caseload/ent/database"
	"caseload/graph/auth"
	"caseload/graph/server"
)

// Counter counts the SQL statements sent through a driver and, once told
// to (Record), keeps their text.
type Counter struct {
	n         atomic.Int64
	recording atomic.Bool
	mu        sync.Mutex
	texts     []string
}

// Reset zeroes the count and forgets the statements kept.
func (c *Counter) Reset() {
	c.n.Store(0)
	c.mu.Lock()
	c.texts = nil
	c.mu.Unlock()
}

// N is the number of statements since the last reset.
func (c *Counter) N() int64 { return c.n.Load() }

// Record makes the counter keep the text of each statement from now on;
// benchmarks, which count only, do not pay for it.
func (c *Counter) Record() { c.recording.Store(true) }

// Statements are the texts of the statements since the last reset, in the
// order they were sent, when recording.
func (c *Counter) Statements() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.texts)
}

// count counts statement q, keeping its text when recording.
func (c *Counter) count(q string) {
	c.n.Add(1)
	if c.recording.Load() {
		c.mu.Lock()
		c.texts = append(c.texts, q)
		c.mu.Unlock()
	}
}

// countingDriver counts every statement, inside transactions too.
type countingDriver struct {
	dialect.Driver
	c *Counter
}

// Exec counts the statement and passes it on.
func (d countingDriver) Exec(ctx context.Context, q string, args, v any) error {
	d.c.count(q)
	return d.Driver.Exec(ctx, q, args, v)
}

// Query counts the statement and passes it on.
func (d countingDriver) Query(ctx context.Context, q string, args, v any) error {
	d.c.count(q)
	return d.Driver.Query(ctx, q, args, v)
}

// Tx opens a transaction whose statements are counted too.
func (d countingDriver) Tx(ctx context.Context) (dialect.Tx, error) {
	tx, err := d.Driver.Tx(ctx)
	return countingTx{Tx: tx, c: d.c}, err
}

type countingTx struct {
	dialect.Tx
	c *Counter
}

// Exec counts the statement and passes it on.
func (t countingTx) Exec(ctx context.Context, q string, args, v any) error {
	t.c.count(q)
	return t.Tx.Exec(ctx, q, args, v)
}

// Query counts the statement and passes it on.
func (t countingTx) Query(ctx context.Context, q string, args, v any) error {
	t.c.count(q)
	return t.Tx.Query(ctx, q, args, v)
}

// ExecContext counts a raw statement of the transaction (ent.Tx.ExecContext,
// which the audit writer uses to make a chain's head) and passes it on to
// the database/sql transaction underneath.
func (t countingTx) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	t.c.count(q)
	return database.ExecInTx(ctx, t.Tx, q, args...)
}

// CountStatements swaps the Env's handler for one whose database client
// counts its statements, and returns the counter.
func (e *Env) CountStatements(t testing.TB) *Counter {
	t.Helper()
	c := &Counter{}
	drv := countingDriver{Driver: e.DB.Driver(), c: c}
	client := database.NewClient(drv)
	o := server.Options{
		Client:  client,
		Dialect: e.DB.Dialect,
		Hasher:  auth.NewFastHasher(),
		Tokens:  e.Tokens,
		Ready:   e.DB.Ping,
		Logger:  slog.New(slog.DiscardHandler),
		// The audit log's batches are the request's statements too.
		Audit: &audit.Writer{Key: AuditKey, Driver: drv},
	}
	// The server keeps the options the test gave it (its limits).
	for _, f := range e.opts {
		f(&o)
	}
	o.Client = client
	e.Handler = server.New(o)
	return c
}
