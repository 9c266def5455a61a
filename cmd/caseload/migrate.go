package main

import (
	"context"
	"os"

	"caseload/ent/database"
)

// migrateCmd applies the pending migrations and exits.
func migrateCmd(ctx context.Context, args []string) error {
	db, err := migratedFromFlags(ctx, "migrate", args)
	if err != nil {
		return err
	}
	return db.Close()
}

// migratedFromFlags parses a command's database flag and opens that
// database with its migrations applied.
func migratedFromFlags(ctx context.Context, command string, args []string) (*database.DB, error) {
	c := &config{}
	fs := newFlagSet(command, os.Stderr)
	databaseFlag(fs, c)
	if err := parse(fs, args); err != nil {
		return nil, err
	}
	if err := checkDatabase(c.databaseURL); err != nil {
		return nil, err
	}
	return openAndMigrate(ctx, c.databaseURL, true)
}
