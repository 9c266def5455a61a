package graph

// What the resolvers record in the audit log themselves (policy §9); the
// rest is recorded where it happens: writes by a hook, sensitive reads by
// interceptors (ent/audit), FORBIDDEN fields by @section.

import (
	"context"

	"caseload/ent"
	"caseload/ent/audit"
	"caseload/ent/schema/pulid"
)

// recordNotFound records an ID asked for that the viewer cannot see, as
// given, without saying whether it exists.
func recordNotFound(ctx context.Context, id pulid.ID) {
	audit.RecordDenied(ctx, audit.ActionNotFound, audit.ClientIDIn(string(id)), string(id))
}

// recordLogin records a login or a failed one in the practice of the
// account (policy §9). A failure for an email no member has belongs to no
// practice: the service's request log has it, no practice's audit log.
func recordLogin(ctx context.Context, m *ent.Member, email string, ok bool) {
	if m == nil {
		return
	}
	e := audit.Event{Kind: audit.Access, PracticeID: m.PracticeID, ActorID: m.ID, Action: audit.ActionLogin, Subject: email}
	if !ok {
		e.Action, e.Decision = audit.ActionLoginFailed, audit.Denied
	}
	audit.Record(ctx, e)
}
