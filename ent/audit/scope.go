package audit

import (
	"context"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"

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
	seen   map[accessID]int
	parent *scope
}

type scopeKey struct{}

// NewRequest returns a context whose events are the request's.
func NewRequest(ctx context.Context, meta Meta) context.Context {
	return context.WithValue(ctx, scopeKey{}, &scope{meta: meta, seen: map[accessID]int{}})
}

// NewField returns a context whose events belong to one mutation field
// until FlushTx writes them in its transaction, or Abandon hands its
// accesses back to the request.
func NewField(ctx context.Context) context.Context {
	parent, _ := ctx.Value(scopeKey{}).(*scope)
	s := &scope{seen: map[accessID]int{}, parent: parent}
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
	e.Subject, e.Reason = clean(e.Subject, 400), clean(e.Reason, 1000)
	e.Fields = append([]string(nil), e.Fields...)
	for i, f := range e.Fields {
		e.Fields[i] = clean(f, 200)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	e.RequestID, e.ClientAddress = s.meta.RequestID, s.meta.ClientAddress
	if e.Kind == Access {
		// One record per request for each client and section read (the
		// section first among its fields), the names of what was read
		// gathered into it; one per request for each other access.
		key := accessKey(e)
		if i, ok := s.seen[key]; ok {
			for _, f := range e.Fields {
				if !slices.Contains(s.events[i].Fields, f) {
					s.events[i].Fields = append(s.events[i].Fields, f)
				}
			}
			return
		}
		s.seen[key] = len(s.events)
	}
	s.events = append(s.events, e)
}

// accessID is what makes two accesses of a request one record: for a
// read, the client and the section (its first field); otherwise the whole
// event. It is a comparable value, so that the many reads of a page (one
// per client and field) are merged without allocating.
type accessID struct {
	client   pulid.ID
	action   string
	decision Decision
	subject  string
	fields   string
}

func accessKey(e Event) accessID {
	k := accessID{client: e.ClientID, action: e.Action, decision: e.Decision, subject: e.Subject}
	if e.Action == ActionRead && len(e.Fields) > 0 {
		k.fields = e.Fields[0]
	} else {
		k.fields = join(e.Fields)
	}
	return k
}

// clean makes text fit to store and show: valid UTF-8, no control
// characters (a NUL cannot even be stored by PostgreSQL), at most max bytes.
// What was asked for is recorded as nearly as given, never refused.
func clean(s string, max int) string {
	plain := len(s) <= max
	for i := 0; plain && i < len(s); i++ {
		plain = s[i] >= 0x20 && s[i] < 0x7f
	}
	if plain {
		// Printable ASCII, the usual case: nothing to do.
		return s
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return '\uFFFD'
		}
		return r
	}, s)
	if len(s) > max {
		s = strings.ToValidUTF8(s[:max], "")
	}
	return s
}

// RecordRead records that the viewer read section fields of a client.
func RecordRead(ctx context.Context, client pulid.ID, fields ...string) {
	s, ok := ctx.Value(scopeKey{}).(*scope)
	if !ok {
		return
	}
	fields = slices.DeleteFunc(slices.Clone(fields), func(f string) bool { return f == "" })
	if len(fields) > 0 && s.merged(accessID{client: client, action: ActionRead, decision: Allowed, fields: clean(fields[0], 200)}, fields[1:]) {
		// The client's section was read before in this request: its
		// record gains the field's name, the usual case on a page.
		return
	}
	Record(ctx, Event{Kind: Access, ClientID: client, Action: ActionRead, Fields: fields})
}

// merged adds fields to the access recorded under k, if there is one.
func (s *scope) merged(k accessID, fields []string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	i, ok := s.seen[k]
	if !ok {
		return false
	}
	for _, f := range fields {
		if f = clean(f, 200); !slices.Contains(s.events[i].Fields, f) {
			s.events[i].Fields = append(s.events[i].Fields, f)
		}
	}
	return true
}

// ClientIDIn returns id as a client ID when it has the form of one (the
// client prefix and a ULID), so that an attempt on a client, refused or
// unknown, is in that client's access history as given; "" otherwise.
func ClientIDIn(id string) pulid.ID {
	if len(id) != 28 || !strings.HasPrefix(id, "CL") {
		return ""
	}
	for _, r := range id {
		if !(r >= '0' && r <= '9' || r >= 'A' && r <= 'Z') {
			return ""
		}
	}
	return pulid.ID(id)
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
	s.seen = map[accessID]int{}
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
	pctx := context.WithValue(ctx, scopeKey{}, s.parent)
	for _, e := range events {
		if e.Kind == Access {
			Record(pctx, e)
		}
	}
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
	var kept []Event
	s.seen = map[accessID]int{}
	for _, e := range s.events {
		if e.Kind != Change {
			if e.Kind == Access {
				s.seen[accessKey(e)] = len(kept)
			}
			kept = append(kept, e)
		}
	}
	s.events = kept
}
