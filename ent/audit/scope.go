package audit

import (
	"context"
	"sync"
	"time"

	"caseload/ent/schema/pulid"
	"caseload/ent/viewer"
)

// Meta is what every event of a request shares.
type Meta struct {
	RequestID     string
	ClientAddress string
}

// scope holds the events recorded under a context until they are written:
// a request's, or inside it a mutation field's.
type scope struct {
	mu     sync.Mutex
	meta   Meta
	events []Event
	// seen keeps one access event per request per client, action and
	// field (policy §9: reads are recorded per request, not per row).
	seen   map[string]bool
	parent *scope
}

type scopeKey struct{}

// NewRequest returns a context whose events are the request's.
func NewRequest(ctx context.Context, meta Meta) context.Context {
	return context.WithValue(ctx, scopeKey{}, &scope{meta: meta, seen: map[string]bool{}})
}

// NewField returns a context whose events belong to one mutation field
// until FlushTx writes them in its transaction, or Abandon hands its
// accesses back to the request.
func NewField(ctx context.Context) context.Context {
	parent, _ := ctx.Value(scopeKey{}).(*scope)
	s := &scope{seen: map[string]bool{}, parent: parent}
	if parent != nil {
		s.meta = parent.meta
	}
	return context.WithValue(ctx, scopeKey{}, s)
}

// Recording reports whether events recorded under ctx are kept.
func Recording(ctx context.Context) bool {
	_, ok := ctx.Value(scopeKey{}).(*scope)
	return ok
}

// Record records e under the context's scope, completing it from the
// context: the time, the request, the viewer as actor and their practice.
// Outside a scope (fixtures, seeding) nothing is kept.
func Record(ctx context.Context, e Event) {
	s, ok := ctx.Value(scopeKey{}).(*scope)
	if !ok {
		return
	}
	if e.At.IsZero() {
		e.At = time.Now()
	}
	if v := viewer.FromContext(ctx); v != nil {
		if e.ActorID == "" {
			e.ActorID = v.MemberID
		}
		if e.PracticeID == "" {
			e.PracticeID = v.PracticeID
		}
	}
	if e.PracticeID == "" {
		e.PracticeID = viewer.PracticeOf(ctx)
	}
	if e.PracticeID == "" {
		// No practice owns it (a login attempt for an unknown email):
		// the service log has it; no practice's chain does.
		return
	}
	if e.Decision == "" {
		e.Decision = Allowed
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	e.RequestID, e.ClientAddress = s.meta.RequestID, s.meta.ClientAddress
	if e.Kind == Access {
		key := string(e.ClientID) + "\x00" + e.Action + "\x00" + string(e.Decision) + "\x00" + e.Subject + "\x00" + join(e.Fields)
		if s.seen[key] {
			return
		}
		s.seen[key] = true
	}
	s.events = append(s.events, e)
}

// RecordRead records that the viewer read section fields of a client.
func RecordRead(ctx context.Context, client pulid.ID, fields ...string) {
	Record(ctx, Event{Kind: Access, ClientID: client, Action: ActionRead, Fields: fields})
}

// RecordDenied records a refusal.
func RecordDenied(ctx context.Context, action string, client pulid.ID, subject string, fields ...string) {
	Record(ctx, Event{Kind: Access, ClientID: client, Action: action, Subject: subject, Fields: fields, Decision: Denied})
}

// take removes and returns the scope's events.
func take(ctx context.Context) []Event {
	s, ok := ctx.Value(scopeKey{}).(*scope)
	if !ok {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	out := s.events
	s.events = nil
	return out
}

// Abandon ends a mutation field whose transaction rolled back: its changes
// never happened and are dropped; what it read or was refused happened and
// goes to the request, with refusal, if not nil, recorded as the field's
// own denied event.
func Abandon(ctx context.Context, refusal *Event) {
	s, ok := ctx.Value(scopeKey{}).(*scope)
	if !ok || s.parent == nil {
		return
	}
	events := take(ctx)
	s.parent.mu.Lock()
	for _, e := range events {
		if e.Kind == Access {
			s.parent.events = append(s.parent.events, e)
		}
	}
	s.parent.mu.Unlock()
	if refusal != nil {
		refusal.Kind, refusal.Decision = Access, Denied
		Record(context.WithValue(ctx, scopeKey{}, s.parent), *refusal)
	}
}

func join(fields []string) string {
	out := ""
	for _, f := range fields {
		out += f + ","
	}
	return out
}

// DropChanges forgets the changes recorded under ctx's scope: their
// transaction rolled back, so they never happened.
func DropChanges(ctx context.Context) {
	s, ok := ctx.Value(scopeKey{}).(*scope)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	kept := s.events[:0]
	for _, e := range s.events {
		if e.Kind != Change {
			kept = append(kept, e)
		}
	}
	s.events = kept
}
