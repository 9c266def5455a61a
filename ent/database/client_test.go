package database_test

import (
	"context"

	"testing"

	"caseload/ent/querycount"
	"caseload/ent/viewer"
	"caseload/graph/graphtest"
)

// The server's client counts every query against the context's counters,
// in a transaction too: without it graph/listmarshal would marshal every
// list in order, and a page whose clients each load an edge would wait on
// the database one client at a time.
func TestServerClient_CountsItsQueries_InTransactionsToo(t *testing.T) {
	db := graphtest.OpenDB(t)
	ctx, outer := querycount.Under(viewer.Bypass(context.Background(), "test: counting queries"))
	ctx, inner := querycount.Under(ctx)
	if _, err := db.Client.Practice.Query().Count(ctx); err != nil {
		t.Fatal(err)
	}
	tx, err := db.Client.Tx(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = tx.Rollback() }()
	if _, err := tx.Practice.Query().All(ctx); err != nil {
		t.Fatal(err)
	}
	if inner.N() != 2 || outer.N() != 2 {
		t.Fatalf("counted %d queries, and %d on the enclosing counter; want 2 and 2", inner.N(), outer.N())
	}
}
