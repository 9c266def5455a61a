package database

import (
	"context"
	"errors"
	"fmt"
	"io/fs"

	"ariga.io/atlas/sql/migrate"
	atlaspg "ariga.io/atlas/sql/postgres"
	atlassqlite "ariga.io/atlas/sql/sqlite"
	"entgo.io/ent/dialect"

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
