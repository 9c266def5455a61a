package prepared_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"

	"caseload/ent/database"
	"caseload/ent/prepared"
	"caseload/graph/graphtest"
)

func TestMain(m *testing.M) { graphtest.Main(m) }

// setup opens a database of the dialect under test on one connection, so
// that PostgreSQL's pg_prepared_statements, which is per session, sees every
// statement the Driver prepares, and a practice to read.
func setup(t *testing.T) (*database.DB, *prepared.Driver, string) {
	t.Helper()
	db := graphtest.OpenDB(t)
	db.SQL.SetMaxOpenConns(1)
	e := graphtest.NewOn(t, db)
	p := e.Practice()
	return db, prepared.OpenDB(db.Dialect, db.SQL), string(p.ID)
}

// nameQuery is a statement reading a practice's name; extra makes its text
// differ without changing its answer.
func nameQuery(d *prepared.Driver, extra int) string {
	arg := "?"
	if d.Dialect() == dialect.Postgres {
		arg = "$1"
	}
	return fmt.Sprintf("SELECT name FROM practices WHERE id = %s AND %d = %d", arg, extra, extra)
}

// name runs q through drv for practice id and returns the one name read.
func name(t *testing.T, ctx context.Context, drv dialect.ExecQuerier, q, id string) string {
	t.Helper()
	var rows entsql.Rows
	if err := drv.Query(ctx, q, []any{id}, &rows); err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		names = append(names, n)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if len(names) != 1 {
		t.Fatalf("%s read %d practices, want 1", q, len(names))
	}
	return names[0]
}

// preparedOnPostgres reports how many statements whose text is like q the
// one connection has prepared; -1 on SQLite, which cannot say.
func preparedOnPostgres(t *testing.T, db *database.DB, q string) int {
	t.Helper()
	if db.Dialect != dialect.Postgres {
		return -1
	}
	var n int
	if err := db.SQL.QueryRow("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE $1", q).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestMarkedQuery_RunsPrepared_AndAnswersAsUnprepared(t *testing.T) {
	db, d, id := setup(t)
	ctx := context.Background()
	q := nameQuery(d, 1)
	want := name(t, ctx, d, q, id)
	if got := preparedOnPostgres(t, db, q); got > 0 {
		t.Fatalf("an unmarked query was prepared (%d)", got)
	}
	for range 3 {
		if got := name(t, prepared.Mark(ctx), d, q, id); got != want {
			t.Fatalf("marked: %q, unmarked: %q", got, want)
		}
	}
	if got := preparedOnPostgres(t, db, q); got != 1 && got != -1 {
		t.Fatalf("after three marked runs, %d prepared statements, want 1", got)
	}
}

// Beyond MaxStatements texts, a marked query runs unprepared: a Driver's
// statements cannot grow without bound.
func TestMarkedQueries_BoundedPerDriver(t *testing.T) {
	db, d, id := setup(t)
	ctx := prepared.Mark(context.Background())
	for i := range prepared.MaxStatements + 5 {
		name(t, ctx, d, nameQuery(d, i), id)
	}
	if db.Dialect != dialect.Postgres {
		return
	}
	var n int
	if err := db.SQL.QueryRow("SELECT count(*) FROM pg_prepared_statements").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != prepared.MaxStatements {
		t.Fatalf("%d statements prepared, want %d", n, prepared.MaxStatements)
	}
}

// In a transaction a marked query is the transaction's, on its connection:
// it sees what the transaction wrote. (The Driver leaves transactions to
// the driver it wraps; this holds that no override of Tx changes that.)
func TestMarkedQuery_InATransaction_SeesItsWrites(t *testing.T) {
	db, d, id := setup(t)
	db.SQL.SetMaxOpenConns(2)
	ctx := prepared.Mark(context.Background())
	q := nameQuery(d, 1)
	name(t, ctx, d, q, id)
	tx, err := d.Tx(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = tx.Rollback() }()
	update := "UPDATE practices SET name = ? WHERE id = ?"
	if d.Dialect() == dialect.Postgres {
		update = "UPDATE practices SET name = $1 WHERE id = $2"
	}
	var res entsql.Result
	if err := tx.Exec(ctx, update, []any{"Renamed in the transaction", id}, &res); err != nil {
		t.Fatal(err)
	}
	if got := name(t, ctx, tx, q, id); got != "Renamed in the transaction" {
		t.Fatalf("the transaction's marked query read %q", got)
	}
}

func TestMarkedQuery_FromManyRequestsAtOnce(t *testing.T) {
	db, d, id := setup(t)
	want := name(t, context.Background(), d, nameQuery(d, 1), id)
	var wg sync.WaitGroup
	errs := make(chan error, 32)
	for i := range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var rows entsql.Rows
			if err := d.Query(prepared.Mark(context.Background()), nameQuery(d, i%3), []any{id}, &rows); err != nil {
				errs <- err
				return
			}
			defer rows.Close()
			var got string
			if !rows.Next() {
				errs <- fmt.Errorf("no row: %v", rows.Err())
				return
			}
			if err := rows.Scan(&got); err != nil || got != want {
				errs <- fmt.Errorf("read %q (%v), want %q", got, err, want)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	// Three texts, each prepared once: a request that lost the race to
	// prepare closed its own statement.
	if got := preparedOnPostgres(t, db, "%"); got != 3 && got != -1 {
		t.Errorf("%d statements left prepared, want 3", got)
	}
}

// A migration that changes what a prepared statement returns makes
// PostgreSQL refuse it from then on; the Driver prepares it again instead
// of failing every request.
func TestMarkedQuery_AfterTheTableChanges_StillAnswers(t *testing.T) {
	db, d, _ := setup(t)
	ctx := prepared.Mark(context.Background())
	if _, err := db.SQL.Exec("CREATE TABLE probe (id text PRIMARY KEY, x integer)"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SQL.Exec("INSERT INTO probe (id, x) VALUES ('a', 1)"); err != nil {
		t.Fatal(err)
	}
	q := "SELECT * FROM probe WHERE id = ?"
	if d.Dialect() == dialect.Postgres {
		q = "SELECT * FROM probe WHERE id = $1"
	}
	columns := func() int {
		t.Helper()
		var rows entsql.Rows
		if err := d.Query(ctx, q, []any{"a"}, &rows); err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		cols, err := rows.Columns()
		if err != nil {
			t.Fatal(err)
		}
		return len(cols)
	}
	if n := columns(); n != 2 {
		t.Fatalf("%d columns, want 2", n)
	}
	if _, err := db.SQL.Exec("ALTER TABLE probe ADD COLUMN y integer"); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if n := columns(); n != 3 {
			t.Fatalf("after the table changed: %d columns, want 3", n)
		}
	}
}
