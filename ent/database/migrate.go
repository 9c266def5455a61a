package database

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"sync"
	"time"

	"ariga.io/atlas/sql/migrate"
	atlaspg "ariga.io/atlas/sql/postgres"
	"ariga.io/atlas/sql/schema"
	atlassqlite "ariga.io/atlas/sql/sqlite"
	"entgo.io/ent/dialect"
	"github.com/gofrs/flock"

	"caseload/ent/migrate/migrations"
)

// Migrate applies every pending versioned migration of the database's
// dialect, with Atlas as a library. A migration file edited after it was
// generated fails its checksum and nothing is applied.
func (d *DB) Migrate(ctx context.Context) (applied int, err error) {
	files, err := fs.Sub(migrations.FS, dirFor(d.Dialect))
	if err != nil {
		return 0, err
	}
	dir, err := memDir(files)
	if err != nil {
		return 0, err
	}
	if err := migrate.Validate(dir); err != nil {
		return 0, fmt.Errorf("migration files do not match atlas.sum: %w", err)
	}
	var drv migrate.Driver
	if d.Dialect == dialect.Postgres {
		drv, err = atlaspg.Open(d.SQL)
	} else {
		drv, err = atlassqlite.Open(d.SQL)
	}
	if err != nil {
		return 0, err
	}
	// Replicas starting together would apply the same files at once. The
	// first to take the lock migrates; the others wait, then find nothing
	// pending.
	unlock, err := d.lockMigrations(ctx, drv)
	if err != nil {
		return 0, fmt.Errorf("waiting for another migration to finish: %w", err)
	}
	defer func() {
		if uerr := unlock(); uerr != nil && err == nil {
			err = fmt.Errorf("releasing the migration lock: %w", uerr)
		}
	}()
	revs, err := newRevisions(ctx, d.SQL, d.Dialect)
	if err != nil {
		return 0, err
	}
	ex, err := migrate.NewExecutor(drv, dir, revs)
	if err != nil {
		return 0, err
	}
	pending, err := ex.Pending(ctx)
	if errors.Is(err, migrate.ErrNoPendingFiles) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	if err := ex.ExecuteN(ctx, len(pending)); err != nil {
		return 0, fmt.Errorf("applying migrations: %w", err)
	}
	return len(pending), nil
}

// migrateLockWait is how long a migrator waits for another to finish.
const migrateLockWait = 10 * time.Minute

// sqliteMigrations orders the migrations of one process: the file lock
// below is per process.
var sqliteMigrations sync.Mutex

// lockMigrations takes the database's migration lock. On PostgreSQL it is
// Atlas's advisory lock, held by one session and released if the process
// dies. SQLite's database is a local file: a lock on a file beside it,
// which the operating system releases with the process, and for a
// database in memory the process alone.
func (d *DB) lockMigrations(ctx context.Context, drv migrate.Driver) (func() error, error) {
	if d.Dialect == dialect.Postgres {
		locker, ok := drv.(schema.Locker)
		if !ok {
			return nil, errors.New("the PostgreSQL driver cannot lock")
		}
		return locker.Lock(ctx, "caseload_migrate", migrateLockWait)
	}
	sqliteMigrations.Lock()
	if d.path == "" {
		return func() error { sqliteMigrations.Unlock(); return nil }, nil
	}
	lock := flock.New(d.path + ".migrate-lock")
	wait, cancel := context.WithTimeout(ctx, migrateLockWait)
	defer cancel()
	if ok, err := lock.TryLockContext(wait, 100*time.Millisecond); !ok || err != nil {
		sqliteMigrations.Unlock()
		if err == nil {
			err = errors.New("timed out")
		}
		return nil, err
	}
	return func() error {
		defer sqliteMigrations.Unlock()
		return lock.Unlock()
	}, nil
}
func dirFor(d string) string {
	if d == dialect.Postgres {
		return "postgres"
	}
	return "sqlite"
}

// memDir copies embedded migration files into an Atlas directory.
func memDir(files fs.FS) (*migrate.MemDir, error) {
	dir := &migrate.MemDir{}
	entries, err := fs.ReadDir(files, ".")
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		b, err := fs.ReadFile(files, e.Name())
		if err != nil {
			return nil, err
		}
		if err := dir.WriteFile(e.Name(), b); err != nil {
			return nil, err
		}
	}
	return dir, nil
}
