package rule

import (
	"context"
	"sync"

	entgo "entgo.io/ent"
	"entgo.io/ent/dialect/sql"

	"caseload/ent"
	"caseload/ent/clientrecord"
	"caseload/ent/privacy"
	"caseload/ent/schema/access"
	"caseload/ent/schema/pulid"
	"caseload/ent/txn"
	"caseload/ent/viewer"
)

// Decisions caches, for one request, the viewer's decision on every client
// the request has loaded. Client ids are tracked as queries return them and
// decided together on first need, so a page of clients costs one statement,
// not one per client or per field. Only ids are kept: a decision never reads
// a row whose columns a GraphQL selection chose.
type Decisions struct {
	client *ent.Client
	mu     sync.Mutex
	// pending are ids loaded but not yet decided.
	pending map[pulid.ID]struct{}
	// viaPolicy are ids some query returned through the viewer's own privacy
	// policy: for an admin those are exactly the practice's clients, decided
	// without a statement.
	viaPolicy map[pulid.ID]struct{}
	done      map[pulid.ID]Decision
}

type decisionsKey struct{}

// WithDecisions returns a context with an empty decision cache that reads
// through client.
func WithDecisions(ctx context.Context, client *ent.Client) context.Context {
	return context.WithValue(ctx, decisionsKey{}, &Decisions{
		client:    client,
		pending:   map[pulid.ID]struct{}{},
		viaPolicy: map[pulid.ID]struct{}{},
		done:      map[pulid.ID]Decision{},
	})
}

// withoutDecisions hides the request's cache from internal look-ups.
func withoutDecisions(ctx context.Context) context.Context {
	return context.WithValue(ctx, decisionsKey{}, (*Decisions)(nil))
}

func decisionsFrom(ctx context.Context) *Decisions {
	d, _ := ctx.Value(decisionsKey{}).(*Decisions)
	return d
}

// TrackLoadedClients is an interceptor that notes the id of every client a
// query returns, so that their decisions are computed in one batch. A
// viewer's query for client rows (a page, a node, an edge) carries the
// decision itself as one more column, the same expression DecideClients
// evaluates: the page's decisions then cost no statement of their own.
func TrackLoadedClients() ent.Interceptor {
	return ent.InterceptFunc(func(next ent.Querier) ent.Querier {
		return ent.QuerierFunc(func(ctx context.Context, q ent.Query) (ent.Value, error) {
			d := decisionsFrom(ctx)
			_, bypassed := privacy.DecisionFromContext(ctx)
			var p *plan
			if cq, ok := q.(*ent.ClientRecordQuery); ok && d != nil && !bypassed && returnsRows(ctx) {
				if v := viewer.FromContext(ctx); v != nil && !v.Admin {
					p = planFor(v, false)
					cq.Modify(func(s *sql.Selector) { s.AppendSelectExprAs(decisionOf(s, p), decisionColumn) })
				}
			}
			value, err := next.Query(ctx, q)
			if d != nil && err == nil {
				if clients, ok := value.([]*ent.ClientRecord); ok {
					d.track(clients, !bypassed)
					if p != nil {
						d.decided(viewer.FromContext(ctx), p, clients)
					}
				}
			}
			return value, err
		})
	})
}

// decisionColumn names the decision a viewer's client query carries.
const decisionColumn = "caseload_decision"

// decisionOf is the expression of the decision column of the clients s
// selects. The checks read the client's columns, which s has when it reads
// the client table. A connection of clients below another object's edge
// (a client's tags' clients) is limited per row by entgql, which reads the
// clients from a derived table holding only the columns asked; there the
// checks read each client's own row, by ID.
func decisionOf(s *sql.Selector, p *plan) sql.Querier {
	if s.TableName() == clientrecord.Table {
		return p.checks(s)
	}
	t := sql.Table(clientrecord.Table).As("decided_client")
	row := sql.Dialect(s.Dialect()).Select().From(t)
	row.SelectExpr(p.checks(row)).Where(sql.ColumnsEQ(t.C(clientrecord.FieldID), s.C(clientrecord.FieldID)))
	return sql.ExprFunc(func(b *sql.Builder) { b.Wrap(func(b *sql.Builder) { b.Join(row) }) })
}

// addedColumn is the text of the column name that a modifier added to c's
// row (the decision, a carried count), scanned as text; false when the row
// has none or it is NULL.
func addedColumn(c *ent.ClientRecord, name string) (string, bool) {
	raw, err := c.Value(name)
	if err != nil {
		return "", false
	}
	switch x := raw.(type) {
	case *sql.NullString:
		return x.String, x.Valid
	case string:
		return x, true
	case []byte:
		return string(x), true
	}
	return "", false
}

// returnsRows reports whether the query being run returns client rows (not
// a count, ids or an aggregate).
func returnsRows(ctx context.Context) bool {
	qc := entgo.QueryFromContext(ctx)
	return qc != nil && (qc.Op == entgo.OpQueryAll || qc.Op == entgo.OpQueryOnly || qc.Op == entgo.OpQueryFirst)
}

// decided keeps the decisions the rows carried; a row without one (a
// query the modifier did not reach) stays pending.
func (d *Decisions) decided(v *viewer.Viewer, p *plan, clients []*ent.ClientRecord) {
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, c := range clients {
		checks, ok := addedColumn(c, decisionColumn)
		if !ok {
			continue
		}
		dec, err := p.decide(v, checks)
		if err != nil {
			continue
		}
		d.done[c.ID] = dec
		delete(d.pending, c.ID)
	}
}

func (d *Decisions) track(clients []*ent.ClientRecord, viaPolicy bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, c := range clients {
		if viaPolicy {
			d.viaPolicy[c.ID] = struct{}{}
		}
		if _, ok := d.done[c.ID]; !ok {
			d.pending[c.ID] = struct{}{}
		}
	}
}

// DecisionOn returns the viewer's decision on a client, deciding every
// pending client in the same statement. Without a cache in the context it
// decides this client alone.
func DecisionOn(ctx context.Context, id pulid.ID) (Decision, error) {
	v := viewer.FromContext(ctx)
	if v == nil {
		return Hidden, nil
	}
	d := decisionsFrom(ctx)
	if d == nil {
		client := txn.Client(ctx)
		if client == nil {
			return Decision{}, errNoClient
		}
		return Decide(ctx, client, v, id)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if dec, ok := d.done[id]; ok {
		// Nearly every call, one per guarded field: the client is looked
		// up (a walk up the context) only to decide.
		return dec, nil
	}
	if _, ok := d.viaPolicy[id]; ok && v.Admin && v.Active {
		// Rule 1 gives an admin EDIT on every client of the practice, and
		// the tenancy filter let this one through.
		dec := adminDecision
		d.done[id] = dec
		delete(d.pending, id)
		return dec, nil
	}
	ids := make([]pulid.ID, 0, len(d.pending)+1)
	for p := range d.pending {
		ids = append(ids, p)
	}
	if _, ok := d.pending[id]; !ok {
		ids = append(ids, id)
	}
	client := txn.Client(ctx)
	if client == nil {
		client = d.client
	}
	decided, err := DecideClients(ctx, client, v, ids)
	if err != nil {
		return Decision{}, err
	}
	for _, p := range ids {
		dec, ok := decided[p]
		if !ok {
			dec = Hidden
		}
		d.done[p] = dec
		delete(d.pending, p)
	}
	return d.done[id], nil
}

// adminDecision is what rule 1 decides on any client of the admin's practice.
var adminDecision = Decision{Level: access.Edit, Rules: []Applied{{Rule: access.RuleAdmin, Level: access.Edit}}}

// ForgetDecisions drops every cached decision after a write, so that the
// rest of the request sees the change. It runs from one mutation hook
// (ForgetDecisionsHook), whatever the write.
func ForgetDecisions(ctx context.Context) {
	if d := decisionsFrom(ctx); d != nil {
		d.mu.Lock()
		defer d.mu.Unlock()
		for id := range d.done {
			delete(d.done, id)
			d.pending[id] = struct{}{}
		}
	}
}

// ForgetDecisionsHook is the mutation hook that drops the request's cached
// decisions after any successful write that can change who sees what.
func ForgetDecisionsHook() ent.Hook {
	return func(next ent.Mutator) ent.Mutator {
		return ent.MutateFunc(func(ctx context.Context, m ent.Mutation) (ent.Value, error) {
			v, err := next.Mutate(ctx, m)
			if err == nil {
				ForgetDecisions(ctx)
			}
			return v, err
		})
	}
}
