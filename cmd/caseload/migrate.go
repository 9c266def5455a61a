package main

import (
	"context"
	"flag"
)

// migrateCmd applies the pending migrations and exits.
func migrateCmd(ctx context.Context, args []string) error {
	c := &config{}
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	databaseFlag(fs, c)
	if err := fs.Parse(args); err != nil {
		return err
	}
	db, err := openAndMigrate(ctx, c.databaseURL, true)
	if err != nil {
		return err
	}
	return db.Close()
}
