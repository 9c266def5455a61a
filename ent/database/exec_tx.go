package database

import (
	"context"
	"database/sql"
	"fmt"

	"entgo.io/ent/dialect"
)

// ExecInTx runs a raw statement through the ExecContext of tx, the
// database/sql transaction Ent's SQL driver returns. A driver that wraps
// Ent's (tracing, counting statements) wraps its transactions too, and must
// pass ent.Tx.ExecContext on, or a raw statement in a transaction (the
// audit writer making a chain's head) fails behind it.
func ExecInTx(ctx context.Context, tx dialect.Tx, q string, args ...any) (sql.Result, error) {
	ex, ok := tx.(interface {
		ExecContext(context.Context, string, ...any) (sql.Result, error)
	})
	if !ok {
		return nil, fmt.Errorf("transaction %T has no ExecContext", tx)
	}
	return ex.ExecContext(ctx, q, args...)
}
