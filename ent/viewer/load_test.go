package viewer_test

import (
	"context"
	"testing"
	"time"

	"entgo.io/ent/dialect"

	"caseload/ent/viewer"
	"caseload/graph/graphtest"
)

func TestMain(m *testing.M) { graphtest.Main(m) }

// The viewer's statement, which every request sends first, runs prepared
// (ent/prepared): on PostgreSQL the connection holds it after a load.
func TestLoad_ViewerStatementIsPrepared(t *testing.T) {
	db := graphtest.OpenDB(t)
	e := graphtest.NewOn(t, db)
	p := e.Practice()
	m := e.Member(p)
	db.SQL.SetMaxOpenConns(1)
	for range 2 {
		if _, err := viewer.LoadMember(context.Background(), e.Client(), m.ID, p.ID, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	if db.Dialect != dialect.Postgres {
		return
	}
	var n int
	if err := db.SQL.QueryRow(`SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE '%role_tags%'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Fatalf("the viewer's statement is prepared %d times on the connection, want 1", n)
	}
}
