// Package txn holds the transaction a mutation field runs in. A mutation
// that loses a race with another transaction (a deadlock, a serialization
// failure) is run again in a new transaction, so the transaction is held in
// one place that the retry replaces and every reader of the request's
// database client asks: the resolvers and the decision cache.
package txn

import (
	"context"
	"sync"

	"caseload/ent"
)

// Field is the transaction of one mutation field.
type Field struct {
	mu sync.Mutex
	tx *ent.Tx
}

type fieldKey struct{}

// NewContext returns a context whose database client is f's transaction.
func NewContext(ctx context.Context, f *Field) context.Context {
	return context.WithValue(ctx, fieldKey{}, f)
}

// Set makes tx the field's transaction, for its first run or a retry.
func (f *Field) Set(tx *ent.Tx) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.tx = tx
}

// Tx returns the field's current transaction.
func (f *Field) Tx() *ent.Tx {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.tx
}

// Client returns the request's database client inside a mutation field,
// its current transaction's; elsewhere the client in the context, if any.
func Client(ctx context.Context) *ent.Client {
	if f, ok := ctx.Value(fieldKey{}).(*Field); ok {
		if tx := f.Tx(); tx != nil {
			return tx.Client()
		}
	}
	return ent.FromContext(ctx)
}

// InField reports whether the context is inside a mutation field's
// transaction.
func InField(ctx context.Context) bool {
	_, ok := ctx.Value(fieldKey{}).(*Field)
	return ok
}

// AfterCommit runs fn once the mutation field's transaction has committed,
// and never if it rolls back; outside a mutation field, where the caller
// commits, it does nothing and the caller acts after its own commit.
func AfterCommit(ctx context.Context, fn func()) {
	f, ok := ctx.Value(fieldKey{}).(*Field)
	if !ok {
		return
	}
	tx := f.Tx()
	if tx == nil {
		return
	}
	tx.OnCommit(func(next ent.Committer) ent.Committer {
		return ent.CommitFunc(func(ctx context.Context, tx *ent.Tx) error {
			err := next.Commit(ctx, tx)
			if err == nil {
				fn()
			}
			return err
		})
	})
}
