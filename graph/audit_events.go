package graph

// What the resolvers record in the audit log themselves (policy §9); the
// rest is recorded where it happens: writes by a hook, sensitive reads by
// interceptors (ent/audit), FORBIDDEN fields by @section.

import (
	"context"

	"caseload/ent"
	"caseload/ent/audit"
	"caseload/ent/member"
	"caseload/ent/schema/pulid"
	"caseload/ent/viewer"
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

// recordLoginRefused records a login the limits refused before the
// password was checked, as a failed login of the account, if the email is
// a member's.
func recordLoginRefused(ctx context.Context, db *ent.Client, email string) {
	m, err := db.Member.Query().Where(member.EmailEQ(email)).Only(viewer.Bypass(ctx, "policy §9: a refused login is recorded in its account's practice"))
	if err != nil {
		return
	}
	audit.Record(ctx, audit.Event{Kind: audit.Access, PracticeID: m.PracticeID, ActorID: m.ID, Action: audit.ActionLoginFailed,
		Decision: audit.Denied, Subject: email, Reason: "too many attempts"})
}
