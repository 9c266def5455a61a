package graph

// Break the glass (policy §8): what its resolvers share besides the rules of
// ent/rule — the answer's form, the rate limit's errors, and the two points
// where the audit log (policy §9) records an emergency access.

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"caseload/ent"
	"caseload/ent/audit"
	"caseload/ent/rule"
	"caseload/ent/viewer"
	"caseload/graph/auth"
	"caseload/graph/errcode"
	"caseload/graph/model"
)

// emergencyCandidates is the API's form of an emergency search's answer:
// only what identifies each person.
func emergencyCandidates(found []rule.Candidate) []*model.EmergencyCandidate {
	out := make([]*model.EmergencyCandidate, len(found))
	for i, c := range found {
		out[i] = &model.EmergencyCandidate{ClientID: c.ID, Name: c.Name, DateOfBirth: c.DateOfBirth}
	}
	return out
}

// searchLimitError turns a refusal by the emergency search limit into the
// contract's error: RATE_LIMITED with extensions.retryAfter, or UNAVAILABLE
// when the limit cannot be counted, since searching uncounted would lift it.
func searchLimitError(ctx context.Context, err error) error {
	var store *auth.StoreError
	if errors.As(err, &store) {
		slog.ErrorContext(ctx, "rate limit store", "err", store.Err, "request_id", viewer.RequestID(ctx))
		return errcode.New(errcode.Unavailable, "emergency access search is unavailable for a moment; try again shortly")
	}
	return signInError(ctx, err)
}

// auditEmergencySearch records an emergency access search in the audit log
// (policy §8, §9): who searched, when, from which request, and each client
// it identified, by ID, never the name or date of birth typed. A search
// that identified no one is recorded too. The records are written before
// the answer leaves the server; if they cannot be, the answer is
// UNAVAILABLE.
func auditEmergencySearch(ctx context.Context, _ *ent.Client, _ string, _ time.Time, found []rule.Candidate) error {
	if len(found) == 0 {
		audit.Record(ctx, audit.Event{Kind: audit.Access, Action: audit.ActionEmergencyHit, Reason: "no client identified"})
		return nil
	}
	for _, c := range found {
		audit.Record(ctx, audit.Event{Kind: audit.Access, ClientID: c.ID, Action: audit.ActionEmergencyHit})
	}
	return nil
}

// auditEmergencyAccess records a break-glass grant as an emergency access
// (policy §8: it "is recorded in the audit log as an emergency access"):
// holder, client, reason and expiry. It is written in the mutation's
// transaction, so that the grant and its record commit together or not at
// all.
func auditEmergencyAccess(ctx context.Context, _ *ent.Client, a *ent.EmergencyAccess) error {
	audit.Record(ctx, audit.Event{
		Kind: audit.Change, ClientID: a.ClientID, Action: audit.ActionBreakGlass,
		Reason: a.Reason, Fields: []string{"until " + a.ExpiresAt.UTC().Format(time.RFC3339)},
	})
	return nil
}
