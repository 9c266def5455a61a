//go:build ignore

// gen writes a new versioned migration for each dialect from the Ent schema:
//
//	go run -mod=mod ./ent/migrate/gen.go NAME     # write NAME if the schema changed
//	go run -mod=mod ./ent/migrate/gen.go -check   # fail if a migration is missing
//
// It replays the existing files on a scratch database (an in-memory SQLite,
// and a throwaway database on the PostgreSQL server named by
// CASELOAD_DEV_DATABASE_URL) and diffs them against the schema.
package main

import (
	"context"
	"database/sql"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"
	"time"

	atlas "ariga.io/atlas/sql/migrate"
	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	"entgo.io/ent/dialect/sql/schema"
	_ "github.com/lib/pq"
	"modernc.org/sqlite"

	"caseload/ent/migrate"
)

func main() {
	if len(os.Args) != 2 {
		log.Fatal("usage: gen NAME | gen -check")
	}
	check := os.Args[1] == "-check"
	name := os.Args[1]
	if check {
		name = "check"
	}
	sql.Register("sqlite3", &sqlite.Driver{})
	ctx := context.Background()
	stale := false
	for _, d := range []string{dialect.SQLite, dialect.Postgres} {
		changed, err := diff(ctx, d, name, check)
		if err != nil {
			log.Fatalf("%s: %v", d, err)
		}
		stale = stale || changed
	}
	if check && stale {
		log.Fatal("the migrations are stale: run `make migration name=describe_the_change` and commit the files")
	}
}

// diff writes (or, checking, only detects) the migration for one dialect.
func diff(ctx context.Context, d, name string, check bool) (bool, error) {
	root := filepath.Join("ent", "migrate", "migrations", map[string]string{dialect.SQLite: "sqlite", dialect.Postgres: "postgres"}[d])
	target := root
	if check {
		tmp, err := os.MkdirTemp("", "migrations")
		if err != nil {
			return false, err
		}
		defer os.RemoveAll(tmp)
		if err := os.CopyFS(tmp, os.DirFS(root)); err != nil {
			return false, err
		}
		target = tmp
	}
	dir, err := atlas.NewLocalDir(target)
	if err != nil {
		return false, err
	}
	before, _ := dir.Files()
	db, cleanup, err := devDB(ctx, d)
	if err != nil {
		return false, err
	}
	defer cleanup()
	err = migrate.NewSchema(entsql.OpenDB(d, db)).NamedDiff(ctx, name,
		schema.WithDir(dir),
		schema.WithMigrationMode(schema.ModeReplay),
		schema.WithDialect(d),
		schema.WithFormatter(atlas.DefaultFormatter),
	)
	if err != nil {
		return false, err
	}
	after, _ := dir.Files()
	return len(after) != len(before), nil
}

// devDB opens an empty scratch database of the dialect.
func devDB(ctx context.Context, d string) (*sql.DB, func(), error) {
	if d == dialect.SQLite {
		db, err := sql.Open("sqlite3", "file:dev?mode=memory&_pragma=foreign_keys(1)")
		if err != nil {
			return nil, nil, err
		}
		db.SetMaxOpenConns(1)
		return db, func() { db.Close() }, nil
	}
	base := os.Getenv("CASELOAD_DEV_DATABASE_URL")
	if base == "" {
		base = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
	}
	admin, err := sql.Open("postgres", base)
	if err != nil {
		return nil, nil, err
	}
	name := fmt.Sprintf("caseload_dev_%d", time.Now().UnixNano())
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		admin.Close()
		return nil, nil, fmt.Errorf("creating the scratch database (is PostgreSQL running?): %w", err)
	}
	url := strings.Replace(base, "/postgres?", "/"+name+"?", 1)
	db, err := sql.Open("postgres", url)
	if err != nil {
		return nil, nil, err
	}
	return db, func() {
		db.Close()
		_, _ = admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name)
		admin.Close()
	}, nil
}
