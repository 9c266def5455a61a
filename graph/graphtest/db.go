// Package graphtest builds test fixtures: a fresh database per test on the
// dialect under test, members and clients made by small helpers, and
// GraphQL requests sent through the real HTTP handler.
//
// CASELOAD_TEST_DB selects the dialect: "sqlite" (default) or "postgres".
// With postgres, CASELOAD_TEST_POSTGRES_URL names the server (default the
// local one); a server that cannot be reached fails the test, never skips it.
package graphtest

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"caseload/ent/database"
)

// Dialect returns the dialect under test.
func Dialect() string {
	if os.Getenv("CASELOAD_TEST_DB") == "postgres" {
		return "postgres"
	}
	return "sqlite"
}

func postgresURL() string {
	if u := os.Getenv("CASELOAD_TEST_POSTGRES_URL"); u != "" {
		return u
	}
	return "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
}

// withDatabase returns base with its database name replaced.
func withDatabase(base, name string) string {
	u, err := url.Parse(base)
	if err != nil {
		panic(err)
	}
	u.Path = "/" + name
	return u.String()
}

var (
	templateOnce sync.Once
	templateName string
	templateErr  error
)

// migratedTemplate makes, once per test binary, a migrated PostgreSQL
// database that each test then clones: cloning is much faster than
// migrating.
func migratedTemplate(ctx context.Context, admin *sql.DB) (string, error) {
	templateOnce.Do(func() {
		templateName = fmt.Sprintf("caseload_tmpl_%d_%d", os.Getpid(), time.Now().UnixNano())
		if _, templateErr = admin.ExecContext(ctx, "CREATE DATABASE "+templateName); templateErr != nil {
			return
		}
		db, err := database.Open(ctx, withDatabase(postgresURL(), templateName))
		if err != nil {
			templateErr = err
			return
		}
		_, templateErr = db.Migrate(ctx)
		_ = db.Close()
	})
	return templateName, templateErr
}

// DropTemplate removes the template database; call it from TestMain.
func DropTemplate() {
	if templateName == "" {
		return
	}
	admin, err := sql.Open("postgres", postgresURL())
	if err != nil {
		return
	}
	defer admin.Close()
	_, _ = admin.Exec("DROP DATABASE IF EXISTS " + templateName)
}

// Main runs a package's tests and cleans up shared databases.
func Main(m *testing.M) {
	code := m.Run()
	DropTemplate()
	os.Exit(code)
}

// OpenDB returns a migrated, empty database of its own for the test, on the
// dialect under test.
func OpenDB(t testing.TB) *database.DB {
	t.Helper()
	return openDB(t, Dialect())
}

// OpenPostgres returns a migrated, empty PostgreSQL database of its own,
// whatever the dialect under test: for benchmarks, which the policy measures
// on the production database.
func OpenPostgres(t testing.TB) *database.DB {
	t.Helper()
	return openDB(t, "postgres")
}

func openDB(t testing.TB, dialect string) *database.DB {
	t.Helper()
	db := openMigrated(t, dialect)
	// Every test also checks, once it has passed, that the counts the
	// database keeps (client_counts) survived whatever it did to clients
	// and tags; it runs before the database is closed.
	t.Cleanup(func() {
		if t.Failed() {
			return
		}
		drift, err := ClientCountDrift(context.Background(), db.SQL)
		switch {
		case err != nil:
			t.Errorf("checking client_counts after the test: %v", err)
		case len(drift) > 0:
			t.Errorf("after the test, client_counts differs from the clients it counts:\n%v", drift)
		}
	})
	return db
}

// openMigrated returns a migrated, empty database of the dialect.
func openMigrated(t testing.TB, dialect string) *database.DB {
	t.Helper()
	ctx := context.Background()
	if dialect == "sqlite" {
		db := openSQLite(t, "test.db")
		if _, err := db.Migrate(ctx); err != nil {
			t.Fatalf("migrating SQLite: %v", err)
		}
		return db
	}
	admin := adminDB(t)
	tmpl, err := migratedTemplate(ctx, admin)
	if err != nil {
		t.Fatalf("preparing the PostgreSQL template: %v", err)
	}
	return newPostgresDB(t, admin, "caseload_t", " TEMPLATE "+tmpl)
}

// OpenEmptyDB returns a database of its own with no tables, for migration
// tests.
func OpenEmptyDB(t testing.TB) *database.DB {
	t.Helper()
	if Dialect() == "sqlite" {
		return openSQLite(t, "empty.db")
	}
	return newPostgresDB(t, adminDB(t), "caseload_e", "")
}

func openSQLite(t testing.TB, file string) *database.DB {
	t.Helper()
	db, err := database.Open(context.Background(), filepath.Join(t.TempDir(), file))
	if err != nil {
		t.Fatalf("opening SQLite: %v", err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

// adminDB connects to the PostgreSQL server to create and drop databases;
// a server that cannot be reached fails the test, never skips it.
func adminDB(t testing.TB) *sql.DB {
	t.Helper()
	admin, err := sql.Open("postgres", postgresURL())
	if err == nil {
		err = admin.PingContext(context.Background())
	}
	if err != nil {
		t.Fatalf("PostgreSQL at %s is not reachable (CASELOAD_TEST_DB=postgres never skips): %v", postgresURL(), err)
	}
	return admin
}

// OpenPostgresVia returns a migrated PostgreSQL database of its own, reached
// through addr (host:port of a proxy the test controls) instead of the
// server's own address: for outage tests, which cut the connection.
func OpenPostgresVia(t testing.TB, addr string) *database.DB {
	t.Helper()
	admin := adminDB(t)
	tmpl, err := migratedTemplate(context.Background(), admin)
	if err != nil {
		t.Fatalf("preparing the PostgreSQL template: %v", err)
	}
	return newPostgresDBAt(t, admin, "caseload_t", " TEMPLATE "+tmpl, addr)
}

// PostgresAddr is host:port of the PostgreSQL server the tests use.
func PostgresAddr() string {
	u, err := url.Parse(postgresURL())
	if err != nil {
		panic(err)
	}
	return u.Host
}

// newPostgresDB creates a database of the test's own, dropped when the test
// ends.
func newPostgresDB(t testing.TB, admin *sql.DB, prefix, createSuffix string) *database.DB {
	t.Helper()
	return newPostgresDBAt(t, admin, prefix, createSuffix, "")
}

// newPostgresDBAt is newPostgresDB reached at addr, if not empty.
func newPostgresDBAt(t testing.TB, admin *sql.DB, prefix, createSuffix, addr string) *database.DB {
	t.Helper()
	ctx := context.Background()
	name := fmt.Sprintf("%s_%d_%d", prefix, os.Getpid(), time.Now().UnixNano())
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name+createSuffix); err != nil {
		t.Fatalf("creating the test database: %v", err)
	}
	dsn := withDatabase(postgresURL(), name)
	if addr != "" {
		u, _ := url.Parse(dsn)
		u.Host = addr
		dsn = u.String()
	}
	db, err := database.Open(ctx, dsn)
	if err != nil {
		t.Fatalf("opening the test database: %v", err)
	}
	t.Cleanup(func() {
		_ = db.Close()
		_, _ = admin.ExecContext(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
		_ = admin.Close()
	})
	return db
}
