package database_test

import (
	"context"
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
