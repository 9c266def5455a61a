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

// auditEmergencySearch is where the audit log (policy §9, "every emergency
// access") will record an emergency access search: who searched, when, from
// which request, and the clients it identified (their ids, never the name
// or date of birth typed). It runs before the answer leaves the server; an
// error fails the search. Until the audit log exists it records nothing:
// the audit change fills this function, and no other code needs to change.
func auditEmergencySearch(_ context.Context, _ *ent.Client, _ string, _ time.Time, _ []rule.Candidate) error {
	return nil
}

// auditEmergencyAccess is where the audit log records a break-glass grant
// as an emergency access (policy §8: it "is recorded in the audit log as an
// emergency access"): holder, client, reason, expiry and request. db is the
// mutation's transaction, so that the grant and its record commit together
// or not at all; an error rolls the grant back. Until the audit log exists
// it records nothing: the audit change fills this function.
func auditEmergencyAccess(_ context.Context, _ *ent.Client, _ *ent.EmergencyAccess) error {
	return nil
}
