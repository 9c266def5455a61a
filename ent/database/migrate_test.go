package database_test

import (
	"context"
	"sync"
	"testing"

	"caseload/graph/graphtest"
)

func TestMigrate_FromEmptyDatabase_AppliesAllThenNothing(t *testing.T) {
	db := graphtest.OpenEmptyDB(t)
	ctx := context.Background()
	n, err := db.Migrate(ctx)
	if err != nil {
		t.Fatalf("migrating an empty %s database: %v", db.Dialect, err)
	}
	if n == 0 {
		t.Fatal("no migration was applied to an empty database")
	}
	again, err := db.Migrate(ctx)
	if err != nil || again != 0 {
		t.Fatalf("a second run applied %d migrations (err %v)", again, err)
	}
	// The schema is usable: every table answers.
	if _, err := db.Client.Practice.Query().Count(graphtest.New(t).Ctx); err != nil {
		t.Fatalf("querying the migrated schema: %v", err)
	}
}

// Replicas starting together migrate together: the migrations take a
// database lock, so that one applies them and the others find nothing
// pending, instead of failing half-way through the same files.
func TestMigrate_ManyMigratorsAtOnce_LeaveOneAppliedSet(t *testing.T) {
	db := graphtest.OpenEmptyDB(t)
	ctx := context.Background()
	const migrators = 4
	applied := make([]int, migrators)
	errs := make([]error, migrators)
	var wg sync.WaitGroup
	for i := range migrators {
		wg.Add(1)
		go func() {
			defer wg.Done()
			applied[i], errs[i] = db.Migrate(ctx)
		}()
	}
	wg.Wait()
	total := 0
	for i := range migrators {
		if errs[i] != nil {
			t.Fatalf("migrator %d: %v", i, errs[i])
		}
		total += applied[i]
	}
	again, err := db.Migrate(ctx)
	if err != nil || again != 0 {
		t.Fatalf("after the race a run applied %d migrations (err %v)", again, err)
	}
	var files int
	if err := db.SQL.QueryRowContext(ctx, "SELECT count(*) FROM schema_revisions").Scan(&files); err != nil {
		t.Fatal(err)
	}
	if total != files {
		t.Fatalf("the migrators applied %d migrations between them, the database records %d", total, files)
	}
}
