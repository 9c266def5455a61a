// Package database opens the production database (PostgreSQL through
// lib/pq) or the embedded default (a SQLite file through the pure-Go
// modernc driver), and applies the versioned migrations.
package database

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	_ "github.com/lib/pq" // registers "postgres"
	"modernc.org/sqlite"

	"caseload/ent"
	"caseload/ent/prepared"
	_ "caseload/ent/runtime" // registers the privacy policies and defaults: without it no rule runs
)

func init() {
	// Ent and Atlas name the SQLite dialect "sqlite3"; modernc registers
	// itself as "sqlite". One driver under both names serves both.
	sql.Register("sqlite3", &sqlite.Driver{})
}

// DB is an open database with its Ent client.
type DB struct {
	SQL     *sql.DB
	Dialect string
	Client  *ent.Client
	// path is a SQLite database's file, "" in memory or on PostgreSQL.
	path string
	// unprepared is set by Unprepared.
	unprepared bool
}

// IsPostgres reports whether url names a PostgreSQL database.
func IsPostgres(url string) bool {
	lower := strings.ToLower(url)
	return strings.HasPrefix(lower, "postgres://") || strings.HasPrefix(lower, "postgresql://")
}

// Open opens url: a postgres:// URL, or otherwise a SQLite file path (or a
// file: URI). It does not migrate.
func Open(ctx context.Context, url string) (*DB, error) {
	drv, name, dsn := dialect.SQLite, "sqlite3", sqliteDSN(url)
	if IsPostgres(url) {
		drv, name, dsn = dialect.Postgres, "postgres", url
	}
	db, err := sql.Open(name, dsn)
	if err != nil {
		return nil, err
	}
	if drv == dialect.SQLite {
		// One writer at a time is SQLite's model; a small pool serves
		// concurrent readers under WAL.
		db.SetMaxOpenConns(4)
	} else {
		db.SetMaxOpenConns(20)
		db.SetMaxIdleConns(20)
	}
	db.SetConnMaxIdleTime(5 * time.Minute)
	if err := db.PingContext(ctx); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("connecting to the %s database: %w", drv, err)
	}
	client := NewClient(prepared.OpenDB(drv, db))
	out := &DB{SQL: db, Dialect: drv, Client: client}
	if drv == dialect.SQLite {
		out.path = sqlitePath(url)
	}
	return out, nil
}

// sqliteDSN turns a path into a modernc DSN with the pragmas the app needs:
// foreign keys on, WAL for concurrent readers, a busy timeout, immediate
// transactions so that two writers queue instead of failing mid-transaction,
// and recursive triggers, without which the rows an INSERT OR REPLACE
// removes would pass the delete triggers that keep client_counts.
func sqliteDSN(path string) string {
	dsn := path
	if !strings.HasPrefix(dsn, "file:") {
		dsn = "file:" + dsn
	}
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	return dsn + sep + "_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=synchronous(NORMAL)&_pragma=recursive_triggers(1)&_txlock=immediate"
}

// sqlitePath is the file a SQLite URL names, "" for a database in memory.
func sqlitePath(url string) string {
	p, query, _ := strings.Cut(strings.TrimPrefix(url, "file:"), "?")
	if p == "" || p == ":memory:" || strings.Contains(query, "mode=memory") {
		return ""
	}
	return p
}

// Driver returns a new Ent driver over the pool, one that prepares the
// statements marked with prepared.Mark unless Unprepared was called: for a
// client that wraps the driver (tracing).
func (d *DB) Driver() dialect.Driver {
	if d.unprepared {
		return entsql.OpenDB(d.Dialect, d.SQL)
	}
	return prepared.OpenDB(d.Dialect, d.SQL)
}

// Unprepared makes the client, and the drivers Driver returns, run every
// statement unprepared: behind a pooler that cannot keep a connection's
// prepared statements (PgBouncer in transaction mode before 1.21, or
// without max_prepared_statements). Call it before the client serves.
func (d *DB) Unprepared() {
	d.unprepared = true
	d.Client = NewClient(d.Driver())
}

// Close closes the client and the pool.
func (d *DB) Close() error { return d.Client.Close() }

// Ping reports whether the database answers, for readiness checks.
func (d *DB) Ping(ctx context.Context) error { return d.SQL.PingContext(ctx) }
