package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"text/tabwriter"
	"time"

	"caseload/ent/database"
	"caseload/ent/demo"
	"caseload/graph/auth"
)

// seedCmd creates the demo practice in a migrated database.
func seedCmd(ctx context.Context, args []string) error {
	db, err := migratedFromFlags(ctx, "seed", args)
	if err != nil {
		return err
	}
	defer db.Close()
	return seedDemo(ctx, db)
}

// seedDemo creates the demo practice unless it exists, and prints the logins.
func seedDemo(ctx context.Context, db *database.DB) error {
	start := time.Now()
	logins, err := demo.Seed(ctx, db.Client, demo.Options{Hash: auth.NewHasher().Hash})
	if errors.Is(err, demo.ErrExists) {
		slog.Info("the demo practice already exists; log in as dana@harbourside.example with password " + demo.Password)
		return nil
	}
	if err != nil {
		return err
	}
	slog.Info("demo practice created", "duration", time.Since(start).String())
	fmt.Fprintf(os.Stderr, "\nDemo practice \"Harbourside Psychology\": every account's password is %s\n\n", demo.Password)
	w := tabwriter.NewWriter(os.Stderr, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "EMAIL\tNAME\tWHAT THEY SEE")
	for _, l := range logins {
		fmt.Fprintf(w, "%s\t%s\t%s\n", l.Email, l.Name, l.What)
	}
	_ = w.Flush()
	fmt.Fprintln(os.Stderr)
	return nil
}
