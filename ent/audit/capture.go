package audit

import (
	"context"
	"slices"
	"sort"

	"caseload/ent"
	"caseload/ent/schema/pulid"
	"caseload/ent/viewer"
)

// unrecorded are the types whose writes are not events of their own: the
// log itself, sessions (a login is recorded as one; a session's last-seen
// time moves on every request) and emergency lookups (the search is
// recorded as one).
var unrecorded = []string{"AuditEvent", "AuditHead", "Session", "EmergencyLookup"}

// RecordChanges is the hook that records every write (policy §9: "every
// mutation"): who, which client, the type and operation, and the names of
// the fields and edges it set or cleared, never their values. A change is
// recorded only once it has succeeded, and is written with its
// transaction.
func RecordChanges() ent.Hook {
	return func(next ent.Mutator) ent.Mutator {
		return ent.MutateFunc(func(ctx context.Context, m ent.Mutation) (ent.Value, error) {
			v, err := next.Mutate(ctx, m)
			if err != nil || !Recording(ctx) || slices.Contains(unrecorded, m.Type()) {
				return v, err
			}
			practice, _ := m.Field("practice_id")
			p, _ := practice.(pulid.ID)
			if m.Type() == "Practice" {
				p = pulid.ID(subjectOf(m, v))
			}
			Record(ctx, Event{
				Kind:       Change,
				PracticeID: p,
				ClientID:   clientOf(m, v),
				Action:     m.Type() + "." + opName(m.Op()),
				Fields:     changedNames(m),
				Subject:    subjectOf(m, v),
			})
			return v, err
		})
	}
}

func opName(op ent.Op) string {
	switch {
	case op.Is(ent.OpCreate):
		return "create"
	case op.Is(ent.OpDelete), op.Is(ent.OpDeleteOne):
		return "delete"
	default:
		return "update"
	}
}

// changedNames are the names of what a mutation set, cleared, added or
// removed.
func changedNames(m ent.Mutation) []string {
	names := append([]string{}, m.Fields()...)
	names = append(names, m.ClearedFields()...)
	names = append(names, m.AddedEdges()...)
	names = append(names, m.RemovedEdges()...)
	names = append(names, m.ClearedEdges()...)
	sort.Strings(names)
	return slices.Compact(names)
}

// clientOf is the client a write concerns: the client itself, or the
// client a section row, assignment, share or grant belongs to.
func clientOf(m ent.Mutation, v ent.Value) pulid.ID {
	if c, ok := v.(*ent.ClientRecord); ok {
		return c.ID
	}
	if id, ok := m.Field("client_id"); ok {
		if p, ok := id.(pulid.ID); ok {
			return p
		}
	}
	switch x := v.(type) {
	case *ent.Appointment:
		return x.ClientID
	case *ent.Invoice:
		return x.ClientID
	case *ent.MedicalHistory:
		return x.ClientID
	case *ent.SessionNote:
		return x.ClientID
	case *ent.NoteAddendum:
		return x.ClientID
	case *ent.FormResponse:
		return x.ClientID
	case *ent.Assignment:
		return x.ClientID
	case *ent.Share:
		return x.ClientID
	case *ent.EmergencyAccess:
		return x.ClientID
	}
	if m.Type() == "ClientRecord" {
		if id, ok := m.(interface{ ID() (pulid.ID, bool) }); ok {
			if p, ok := id.ID(); ok {
				return p
			}
		}
	}
	return ""
}

// subjectOf names the written row when it is not a client.
func subjectOf(m ent.Mutation, _ ent.Value) string {
	if id, ok := m.(interface{ ID() (pulid.ID, bool) }); ok {
		if p, ok := id.ID(); ok {
			return string(p)
		}
	}
	return ""
}

// RecordReads is the interceptor that records every read of a sensitive
// section's rows by a viewer (policy §9): the client and the section,
// whatever the path to the rows (lists, node, edges). Internal reads past privacy (decisions,
// checks) are not reads by anyone. It needs the rows' client_id, which the
// type's AlwaysLoad interceptor guarantees.
func RecordReads(section string) ent.Interceptor {
	return ent.InterceptFunc(func(next ent.Querier) ent.Querier {
		return ent.QuerierFunc(func(ctx context.Context, q ent.Query) (ent.Value, error) {
			v, err := next.Query(ctx, q)
			if err != nil || !Recording(ctx) || viewer.FromContext(ctx) == nil || viewer.BypassReason(ctx) != "" {
				return v, err
			}
			// The section only: which of its fields were read is named
			// by the GraphQL field that read them (@section), since an
			// edge's query runs in its parent's query context.
			fields := []string{section}
			for _, c := range clientsOf(v) {
				RecordRead(ctx, c, fields...)
			}
			return v, err
		})
	})
}

// clientsOf are the clients of the section rows a query returned.
func clientsOf(v ent.Value) []pulid.ID {
	var out []pulid.ID
	add := func(id pulid.ID) {
		if id != "" {
			out = append(out, id)
		}
	}
	switch rows := v.(type) {
	case []*ent.MedicalHistory:
		for _, r := range rows {
			add(r.ClientID)
		}
	case []*ent.SessionNote:
		for _, r := range rows {
			add(r.ClientID)
		}
	case []*ent.NoteAddendum:
		for _, r := range rows {
			add(r.ClientID)
		}
	case []*ent.FormResponse:
		for _, r := range rows {
			add(r.ClientID)
		}
	case *ent.MedicalHistory:
		add(rows.ClientID)
	case *ent.SessionNote:
		add(rows.ClientID)
	case *ent.NoteAddendum:
		add(rows.ClientID)
	case *ent.FormResponse:
		add(rows.ClientID)
	}
	return out
}
