package policytest

import (
	"testing"

	"caseload/graph/auth"
	"caseload/graph/graphtest"
)

// Policy §9, "every denied access": who else has access to a client, asked
// for by a member who may not manage it, and a login the limits refused,
// are recorded as denied.
func TestAudit_SharesForbidden_AndLoginRefusedByTheLimits_Recorded(t *testing.T) {
	rates := auth.DefaultRates
	rates.LoginAttemptsPerPair.Limit = 1
	e := graphtest.New(t, withRates(rates))
	p := e.Practice()
	admin := e.Member(p, graphtest.Admin())
	owner, viewerOnly := e.Member(p), e.Member(p)
	c := e.NewClient(p, graphtest.ResponsibleIs(owner))
	e.Share(c, viewerOnly, "VIEW")
	r := e.As(viewerOnly, `query($id: ID!) { client(id: $id) { shares { id } } }`, map[string]any{"id": c.ID})
	requireCode(t, r, "FORBIDDEN")
	rec := newest(t, "the refused shares", auditLogAs(t, e, admin, map[string]any{"memberId": viewerOnly.ID, "action": "forbidden"}))
	if clientIDOf(rec) != c.ID || len(rec.Fields) != 1 || rec.Fields[0] != "shares" || rec.Decision != "DENIED" {
		t.Fatalf("the refusal names the client and the field: %s", describeRecords([]auditRecord{rec}))
	}
	m := withPassword(t, e, p, passphrase)
	requireCode(t, tryLogin(e, m.Email, "a typo in it"), "UNAUTHENTICATED")
	requireRateLimited(t, tryLogin(e, m.Email, passphrase))
	fails := auditLogAs(t, e, admin, map[string]any{"memberId": m.ID, "action": "login failed"})
	if len(fails) != 2 || fails[0].Reason != "too many attempts" {
		t.Fatalf("the typo and the refused attempt are recorded, newest first: %s", describeRecords(fails))
	}
}
