package database

import (
	"context"

	"caseload/ent"
	"caseload/ent/audit"
	"caseload/ent/txn"
)

// maxAttempts bounds how often InTx tries a transaction that lost a race,
// as graph/server does for mutation fields.
const maxAttempts = 3

// InTx runs fn in one transaction: the mutation field's own when the
// context has one (the GraphQL path, where the field commits or rolls
// back), or else a new one that InTx commits, or rolls back when fn fails,
// retrying one that lost a race (the server's own pages). Either way what
// fn writes lands together or not at all.
func InTx(ctx context.Context, db *ent.Client, fn func(tx *ent.Client) error) error {
	if c := txn.Client(ctx); c != nil && txn.InField(ctx) {
		return fn(c)
	}
	for attempt := 1; ; attempt++ {
		err := inNewTx(ctx, db, fn)
		if err == nil || attempt == maxAttempts || !IsTransient(err) {
			return err
		}
	}
}

func inNewTx(ctx context.Context, db *ent.Client, fn func(tx *ent.Client) error) error {
	tx, err := db.Tx(ctx)
	if err != nil {
		return err
	}
	if err := fn(tx.Client()); err != nil {
		// The error that ended the transaction says all; a failed
		// rollback of an aborted transaction adds nothing.
		_ = tx.Rollback()
		audit.DropChanges(ctx)
		return err
	}
	// What fn wrote is recorded in the same transaction (policy §9).
	if err := audit.FlushTx(ctx, tx.Client()); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}
