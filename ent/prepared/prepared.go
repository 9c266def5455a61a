// Package prepared runs the statements that every request sends, always in
// the same shape, as statements prepared once per database connection.
//
// Sent as an ordinary query with arguments, a statement costs lib/pq two
// round trips (parse and describe, then bind and execute) and PostgreSQL a
// new plan every time. The viewer's statement (ent/viewer), which every
// request sends before anything else, is a few primary-key look-ups that
// take PostgreSQL 0.04 ms to run and 0.28 ms to plan. Prepared, it costs
// one round trip, and after its first few runs on a connection PostgreSQL
// keeps its plan (docs/benchmarks.md).
//
// Only statements marked with Mark are prepared. A page of clients is not:
// its best plan depends on the practice's size and the viewer, which a plan
// kept for every request would not see (PostgreSQL's plan_cache_mode).
package prepared

import (
	"context"
	"database/sql"
	"sync"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
)

// MaxStatements bounds the statements a Driver keeps. The marked
// statements have a handful of shapes; a Driver full of them runs any new
// one unprepared rather than grow.
const MaxStatements = 32

type markKey struct{}

// Mark returns ctx whose queries outside a transaction are run prepared.
// Mark a statement only if its text has a few shapes and a plan kept
// across requests serves every one of them.
func Mark(ctx context.Context) context.Context {
	return context.WithValue(ctx, markKey{}, true)
}

// marked reports whether ctx was marked with Mark.
func marked(ctx context.Context) bool {
	m, _ := ctx.Value(markKey{}).(bool)
	return m
}

// Driver is an Ent driver that runs marked queries as prepared statements.
// Everything else, transactions included, is the wrapped driver's.
type Driver struct {
	*entsql.Driver

	mu     sync.RWMutex
	stmts  map[string]*sql.Stmt
	closed bool
}

// Wrap returns a Driver over drv, which must be open on a *sql.DB
// (entsql.OpenDB).
func Wrap(drv *entsql.Driver) *Driver {
	return &Driver{Driver: drv, stmts: map[string]*sql.Stmt{}}
}

// OpenDB is Wrap(entsql.OpenDB(name, db)).
func OpenDB(name string, db *sql.DB) *Driver {
	return Wrap(entsql.OpenDB(name, db))
}

// Query runs a marked query with its prepared statement, preparing it on
// first use, and any other query as the wrapped driver does. A prepared
// statement that fails is forgotten and the query runs once unprepared: a
// migration that changes the type of a column the statement reads makes
// PostgreSQL refuse the statement from then on ("cached plan must not
// change result type"), which a new one does not meet.
func (d *Driver) Query(ctx context.Context, query string, args, v any) error {
	rows, isRows := v.(*entsql.Rows)
	argv, isArgs := args.([]any)
	if !marked(ctx) || !isRows || !isArgs {
		return d.Driver.Query(ctx, query, args, v)
	}
	stmt, err := d.statement(ctx, query)
	if err != nil {
		return err
	}
	if stmt == nil {
		return d.Driver.Query(ctx, query, args, v)
	}
	r, err := stmt.QueryContext(ctx, argv...)
	if err != nil {
		if ctx.Err() != nil {
			return err
		}
		d.forget(query, stmt)
		return d.Driver.Query(ctx, query, args, v)
	}
	*rows = entsql.Rows{ColumnScanner: r}
	return nil
}

// forget closes stmt and drops it, if it is still query's: the next marked
// run prepares it again.
func (d *Driver) forget(query string, stmt *sql.Stmt) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.stmts[query] == stmt {
		delete(d.stmts, query)
	}
	_ = stmt.Close()
}

// statement returns query's prepared statement, preparing it if it is new,
// or nil when the Driver keeps as many as it may. database/sql prepares it
// again on each connection it runs on, and forgets it with the connection.
// Preparing happens outside the lock, so that a slow database holds up only
// the requests that wait on it, each until its own deadline.
func (d *Driver) statement(ctx context.Context, query string) (*sql.Stmt, error) {
	d.mu.RLock()
	stmt, ok := d.stmts[query]
	full := len(d.stmts) >= MaxStatements
	d.mu.RUnlock()
	if ok || full {
		return stmt, nil
	}
	stmt, err := d.DB().PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if kept, ok := d.stmts[query]; ok || len(d.stmts) >= MaxStatements || d.closed {
		// Another request prepared it first, or there is no room: run
		// this once and let it go.
		_ = stmt.Close()
		if ok {
			return kept, nil
		}
		return nil, nil
	}
	d.stmts[query] = stmt
	return stmt, nil
}

// Close closes the prepared statements, then the wrapped driver.
func (d *Driver) Close() error {
	d.mu.Lock()
	d.closed = true
	for query, stmt := range d.stmts {
		_ = stmt.Close()
		delete(d.stmts, query)
	}
	d.mu.Unlock()
	return d.Driver.Close()
}

var _ dialect.Driver = (*Driver)(nil)
