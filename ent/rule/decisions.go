package rule

import (
	"context"
	"sync"

	"caseload/ent"
	"caseload/ent/clientrecord"
	"caseload/ent/schema/access"
	"caseload/ent/schema/pulid"
	"caseload/ent/viewer"
)

// Decisions caches, for one request, the viewer's decision on every client
// the request has loaded. Clients are tracked as queries return them and
// decided together on first need, so a page of clients costs one batch of
// queries, not one per client or per field.
type Decisions struct {
	client  *ent.Client
	mu      sync.Mutex
	pending map[pulid.ID]*ent.ClientRecord
	done    map[pulid.ID]Decision
}

type decisionsKey struct{}

// WithDecisions returns a context with an empty decision cache that reads
// through client.
func WithDecisions(ctx context.Context, client *ent.Client) context.Context {
	return context.WithValue(ctx, decisionsKey{}, &Decisions{
		client:  client,
		pending: map[pulid.ID]*ent.ClientRecord{},
		done:    map[pulid.ID]Decision{},
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

// TrackLoadedClients is an interceptor that notes every client a query
// returns, so that their decisions are computed in one batch.
func TrackLoadedClients() ent.Interceptor {
	return ent.InterceptFunc(func(next ent.Querier) ent.Querier {
		return ent.QuerierFunc(func(ctx context.Context, q ent.Query) (ent.Value, error) {
			value, err := next.Query(ctx, q)
			if d := decisionsFrom(ctx); d != nil && err == nil {
				if clients, ok := value.([]*ent.ClientRecord); ok {
					d.track(clients)
				}
			}
			return value, err
		})
	})
}

func (d *Decisions) track(clients []*ent.ClientRecord) {
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, c := range clients {
		if _, ok := d.done[c.ID]; !ok {
			d.pending[c.ID] = c
		}
	}
}

// DecisionOn returns the viewer's decision on a client, deciding every
// pending client in the same batch. Without a cache in the context it
// decides this client alone.
func DecisionOn(ctx context.Context, id pulid.ID) (Decision, error) {
	v := viewer.FromContext(ctx)
	if v == nil {
		return Decision{Level: access.None}, nil
	}
	if v.Admin && v.Active {
		return Decision{Level: access.Edit, Rules: []Rule{RuleAdmin}}, nil
	}
	d := decisionsFrom(ctx)
	client := ent.FromContext(ctx)
	if d == nil {
		if client == nil {
			return Decision{}, errNoClient
		}
		return Decide(ctx, client, v, id)
	}
	if client == nil {
		client = d.client
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if dec, ok := d.done[id]; ok {
		return dec, nil
	}
	// Decide every client the request has loaded, from the rows already in
	// hand; a client asked about but never loaded is read first.
	rows := make([]*ent.ClientRecord, 0, len(d.pending)+1)
	ids := make([]pulid.ID, 0, len(d.pending)+1)
	for p, c := range d.pending {
		rows, ids = append(rows, c), append(ids, p)
	}
	if _, ok := d.pending[id]; !ok {
		c, err := client.ClientRecord.Query().Where(clientrecord.IDEQ(id)).Only(InternalLookup(ctx))
		if err != nil && !ent.IsNotFound(err) {
			return Decision{}, err
		}
		if c != nil {
			rows = append(rows, c)
		}
		ids = append(ids, id)
	}
	facts, err := factsFor(ctx, client, v, rows)
	if err != nil {
		return Decision{}, err
	}
	for _, p := range ids {
		dec := Decision{Level: access.None}
		if f, ok := facts[p]; ok {
			dec = Evaluate(v, f)
		}
		d.done[p] = dec
		delete(d.pending, p)
	}
	return d.done[id], nil
}

// Forget drops cached decisions after a mutation changed who sees what, so
// that the rest of the request sees the change.
func Forget(ctx context.Context, ids ...pulid.ID) {
	if d := decisionsFrom(ctx); d != nil {
		d.mu.Lock()
		defer d.mu.Unlock()
		for _, id := range ids {
			delete(d.done, id)
		}
	}
}
