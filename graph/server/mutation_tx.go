package server

import (
	"context"
	"strings"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"caseload/ent"
	"caseload/ent/audit"
	"caseload/ent/database"
	"caseload/ent/rule"
	"caseload/ent/txn"
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
// A resolver that loses a race with another transaction (a deadlock, a
// serialization failure, SQLite's busy database) runs again in a new
// transaction, at most maxAttempts times; after that the error is answered
// CONFLICT (graph/errors.go), never INTERNAL.
//
// entgql.Transactioner is not used: it rolls the whole operation back on any
// error in the response, field errors of the payload included.
type mutationTx struct{ client *ent.Client }

// maxAttempts bounds how often a mutation field runs when it keeps losing
// races: enough to get past a deadlock, few enough to stay fast.
const maxAttempts = 3

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = mutationTx{}

// ExtensionName implements graphql.HandlerExtension.
func (mutationTx) ExtensionName() string { return "MutationTransactions" }

// Validate implements graphql.HandlerExtension.
func (mutationTx) Validate(graphql.ExecutableSchema) error { return nil }

// rootField is the state of one mutation field: its transaction, which a
// retry replaces, and whether its resolver succeeded.
type rootField struct {
	tx       *txn.Field
	resolved bool
}

type rootFieldKey struct{}

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
		f, root := ctx.Value(rootFieldKey{}).(*rootField)
		if fc := graphql.GetFieldContext(ctx); !root || fc == nil || fc.Object != "Mutation" {
			return fields(ctx, next)
		}
		res, err := t.resolve(ctx, f, func() (any, error) { return fields(ctx, next) })
		f.resolved = err == nil
		return res, err
	}
	roots := oc.RootResolverMiddleware
	oc.RootResolverMiddleware = func(ctx context.Context, next graphql.RootResolver) graphql.Marshaler {
		return t.inTx(ctx, func(ctx context.Context) graphql.Marshaler { return roots(ctx, next) })
	}
	return nil
}

// resolve runs a mutation field's resolver, again in a new transaction each
// time it loses a race, up to maxAttempts.
func (t mutationTx) resolve(ctx context.Context, f *rootField, run func() (any, error)) (any, error) {
	for attempt := 1; ; attempt++ {
		res, err := run()
		if err == nil || attempt == maxAttempts || !database.IsTransient(err) {
			return res, err
		}
		_ = f.tx.Tx().Rollback()
		// The attempt's writes never happened: nor do their records.
		audit.DropChanges(ctx)
		tx, txErr := t.client.Tx(ctx)
		if txErr != nil {
			return nil, txErr
		}
		f.tx.Set(tx)
		// What the failed attempt decided was read from a state that
		// never committed.
		rule.ForgetDecisions(ctx)
	}
}

func (t mutationTx) inTx(ctx context.Context, field func(context.Context) graphql.Marshaler) (out graphql.Marshaler) {
	tx, err := t.client.Tx(ctx)
	if err != nil {
		graphql.AddError(ctx, err)
		return graphql.Null
	}
	f := &rootField{tx: &txn.Field{}}
	f.tx.Set(tx)
	ctx = txn.NewContext(ctx, f.tx)
	// The field's audit events: its changes are written in its
	// transaction, or dropped with it (policy §9).
	ctx = audit.NewField(ctx)
	ctx = context.WithValue(ctx, rootFieldKey{}, f)
	// A sign-in (signUp, login, acceptInvitation) makes its own answer
	// readable as the member it signed in, and nothing else of the request.
	ctx = viewer.WithSignIn(ctx)
	// The viewer's statement found which personal grants the member holds,
	// and a query's rules leave the others out. A mutation may grant its
	// own member one (break the glass, then read the client in its
	// answer), so it keeps every rule (viewer.Viewer.ForWrites).
	if v := viewer.FromContext(ctx); v != nil {
		ctx = viewer.NewContext(ctx, v.ForWrites())
	}
	defer func() {
		if r := recover(); r != nil {
			_ = f.tx.Tx().Rollback()
			panic(r)
		}
	}()
	out = field(ctx)
	if !f.resolved {
		_ = f.tx.Tx().Rollback()
		audit.Abandon(ctx, refusal(ctx))
		return out
	}
	if err := audit.FlushTx(ctx, f.tx.Tx().Client()); err != nil {
		_ = f.tx.Tx().Rollback()
		audit.Abandon(ctx, nil)
		graphql.AddError(ctx, err)
		return graphql.Null
	}
	if err := f.tx.Tx().Commit(); err != nil {
		audit.Abandon(ctx, nil)
		graphql.AddError(ctx, err)
		return graphql.Null
	}
	return out
}

// refusal is the audit record of a mutation field that failed (policy §9:
// "each refused mutation"): the field's name, and every ID it was given, in
// its arguments or their inputs, as given, whether or not such a record
// exists; a client's ID also puts the attempt in that client's history.
func refusal(ctx context.Context) *audit.Event {
	fc := graphql.GetRootFieldContext(ctx)
	if fc == nil || !graphql.HasOperationContext(ctx) {
		return nil
	}
	vars := graphql.GetOperationContext(ctx).Variables
	e := &audit.Event{Action: audit.ActionRefused, Fields: []string{fc.Field.Name}}
	var ids []string
	for _, a := range fc.Field.Arguments {
		if a.Value == nil {
			continue
		}
		v, err := a.Value.Value(vars)
		if err != nil {
			continue
		}
		if fc.Field.Definition != nil {
			if ad := fc.Field.Definition.Arguments.ForName(a.Name); ad != nil {
				ids = append(ids, idsIn(ad.Type, v)...)
			}
		}
	}
	for _, id := range ids {
		if e.ClientID == "" {
			e.ClientID = audit.ClientIDIn(id)
		}
	}
	e.Subject = strings.Join(ids, " ")
	return e
}

// idsIn collects the values of type ID in an argument's value, one level
// into input objects and lists.
func idsIn(t *ast.Type, v any) []string {
	var out []string
	switch x := v.(type) {
	case string:
		if t.Name() == "ID" {
			out = append(out, x)
		}
	case []any:
		for _, item := range x {
			if s, ok := item.(string); ok && t.Name() == "ID" {
				out = append(out, s)
			}
		}
	case map[string]any:
		for k, item := range x {
			if s, ok := item.(string); ok && (strings.HasSuffix(k, "Id") || k == "id") {
				out = append(out, s)
			}
		}
	}
	return out
}
