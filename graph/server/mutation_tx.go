package server

import (
	"context"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"caseload/ent"
	"caseload/ent/viewer"
)

// mutationTx runs each root field of a mutation in a transaction of its own.
// The transaction commits when the field's resolver succeeded, whatever its
// answer then reports: a field of the payload the caller may not read (null
// with FORBIDDEN) says nothing about the write, so a mutation's effect never
// depends on what its answer selects. It rolls back when the resolver fails.
// The answer is read inside the transaction, as the caller, before the
// commit; a failed commit replaces it with the error.
//
// entgql.Transactioner is not used: it rolls the whole operation back on any
// error in the response, field errors of the payload included.
type mutationTx struct{ client *ent.Client }

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = mutationTx{}

// ExtensionName implements graphql.HandlerExtension.
func (mutationTx) ExtensionName() string { return "MutationTransactions" }

// Validate implements graphql.HandlerExtension.
func (mutationTx) Validate(graphql.ExecutableSchema) error { return nil }

// txOutcome records whether the root field's own resolver succeeded.
type txOutcome struct{ resolved bool }

type txOutcomeKey struct{}

// MutateOperationContext wraps the root fields of mutations in transactions,
// and serialises every resolver of the operation: a transaction is one
// database connection, which cannot serve two queries at once.
func (t mutationTx) MutateOperationContext(_ context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if oc.Operation == nil || oc.Operation.Operation != ast.Mutation {
		return nil
	}
	var mu sync.Mutex
	fields := oc.ResolverMiddleware
	oc.ResolverMiddleware = func(ctx context.Context, next graphql.Resolver) (any, error) {
		mu.Lock()
		defer mu.Unlock()
		res, err := fields(ctx, next)
		if fc := graphql.GetFieldContext(ctx); fc != nil && fc.Object == "Mutation" {
			if o, ok := ctx.Value(txOutcomeKey{}).(*txOutcome); ok {
				o.resolved = err == nil
			}
		}
		return res, err
	}
	roots := oc.RootResolverMiddleware
	oc.RootResolverMiddleware = func(ctx context.Context, next graphql.RootResolver) graphql.Marshaler {
		return t.inTx(ctx, func(ctx context.Context) graphql.Marshaler { return roots(ctx, next) })
	}
	return nil
}

func (t mutationTx) inTx(ctx context.Context, field func(context.Context) graphql.Marshaler) (out graphql.Marshaler) {
	tx, err := t.client.Tx(ctx)
	if err != nil {
		graphql.AddError(ctx, err)
		return graphql.Null
	}
	outcome := &txOutcome{}
	ctx = ent.NewTxContext(ctx, tx)
	ctx = ent.NewContext(ctx, tx.Client())
	ctx = context.WithValue(ctx, txOutcomeKey{}, outcome)
	// A sign-in (signUp, login, acceptInvitation) makes its own answer
	// readable as the member it signed in, and nothing else of the request.
	ctx = viewer.WithSignIn(ctx)
	defer func() {
		if r := recover(); r != nil {
			_ = tx.Rollback()
			panic(r)
		}
	}()
	out = field(ctx)
	if !outcome.resolved {
		_ = tx.Rollback()
		return out
	}
	if err := tx.Commit(); err != nil {
		graphql.AddError(ctx, err)
		return graphql.Null
	}
	return out
}
