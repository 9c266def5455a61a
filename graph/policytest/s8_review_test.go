package policytest

import (
	"strings"
	"testing"
	"time"

	"caseload/ent"
	"caseload/ent/emergencyaccess"
	"caseload/ent/schema/access"
	"caseload/ent/schema/pulid"
	"caseload/graph/graphtest"
)

// Policy §8: every emergency access "shows in a list that admins review".
// Members with VIEW_AUDIT_LOG read the list on the clients they see; only
// admins mark an access reviewed, once, with a note.

const (
	reviewList = `query($reviewed: Boolean, $first: Int) { emergencyAccesses(reviewed: $reviewed, first: $first) {
		totalCount pageInfo { hasNextPage } edges { node { id reason expiresAt createdAt holder { id } client { id name }
		reviewedAt reviewNote reviewedBy { id } } } } }`
	reviewMutation = `mutation($id: ID!, $note: String) { reviewEmergencyAccess(id: $id, note: $note) { id reviewedAt reviewNote reviewedBy { id } } }`
)

type reviewRow struct {
	ID         pulid.ID
	Reason     string
	Holder     struct{ ID pulid.ID }
	Client     struct{ ID pulid.ID }
	ReviewedAt *time.Time
	ReviewNote *string
	ReviewedBy *struct{ ID pulid.ID }
}

// reviewListAs reads the review list as m: its total and the rows' ids.
func reviewListAs(t *testing.T, e *graphtest.Env, m *ent.Member, reviewed *bool) (int, []reviewRow) {
	t.Helper()
	r := e.As(m, reviewList, map[string]any{"reviewed": reviewed})
	r.RequireNoErrors(t)
	var out struct {
		EmergencyAccesses struct {
			TotalCount int
			Edges      []struct{ Node reviewRow }
		}
	}
	r.Decode(t, &out)
	rows := make([]reviewRow, 0, len(out.EmergencyAccesses.Edges))
	for _, edge := range out.EmergencyAccesses.Edges {
		rows = append(rows, edge.Node)
	}
	return out.EmergencyAccesses.TotalCount, rows
}

func TestEmergencyAccesses_ReviewList(t *testing.T) {
	e := graphtest.New(t)
	p, other := e.Practice(), e.Practice()
	admin, holder, owner := e.Member(p, graphtest.Admin()), e.Member(p), e.Member(p)
	auditor := e.Member(p, graphtest.WithRole(practitionerRole(e, p, access.View, []access.Capability{access.ViewAuditLog})))
	seen := patient(e, p, "Ira Moss", "1970-02-02", graphtest.ResponsibleIs(auditor))
	unseen := patient(e, p, "Ora Moss", "1971-03-03", graphtest.ResponsibleIs(owner))
	for _, c := range []*ent.ClientRecord{seen, unseen} {
		searchAs(t, e, holder, c.Name, c.DateOfBirth.Format("2006-01-02"))
		e.As(holder, breakGlass, map[string]any{"c": c.ID, "r": "crisis " + c.Name}).RequireNoErrors(t)
	}
	e.Emergency(patient(e, other, "Ola Moss", "1972-04-04"), e.Member(other), time.Now().Add(time.Hour))

	// Admins read every grant of the practice, newest first, none reviewed.
	total, rows := reviewListAs(t, e, admin, nil)
	if total != 2 || rows[0].Client.ID != unseen.ID || rows[1].Client.ID != seen.ID ||
		rows[0].Holder.ID != holder.ID || rows[0].Reason != "crisis Ora Moss" || rows[0].ReviewedAt != nil {
		t.Fatalf("admin's list: %d %+v", total, rows)
	}
	// VIEW_AUDIT_LOG reads the grants on the clients it sees.
	if total, rows := reviewListAs(t, e, auditor, nil); total != 1 || rows[0].Client.ID != seen.ID {
		t.Fatalf("VIEW_AUDIT_LOG's list: %d %+v", total, rows)
	}
	// Anyone else is refused, the holder included.
	requireCode(t, e.As(holder, reviewList, nil), "FORBIDDEN")

	// An admin reviews, once, with a note; the filters follow.
	r := e.As(admin, reviewMutation, map[string]any{"id": rows[0].ID, "note": "  called the client's GP; justified  "})
	r.RequireNoErrors(t)
	if !strings.Contains(string(r.Data), `"reviewNote":"called the client's GP; justified","reviewedBy":{"id":"`+string(admin.ID)+`"}`) {
		t.Fatalf("review answered %s", r.Data)
	}
	requireCode(t, e.As(admin, reviewMutation, map[string]any{"id": rows[0].ID}), "CONFLICT")
	yes, no := true, false
	if total, done := reviewListAs(t, e, admin, &yes); total != 1 || done[0].ID != rows[0].ID || done[0].ReviewedAt == nil {
		t.Fatalf("reviewed: %d %+v", total, done)
	}
	if total, open := reviewListAs(t, e, admin, &no); total != 1 || open[0].ID != rows[1].ID {
		t.Fatalf("not reviewed: %d %+v", total, open)
	}
	r = e.As(admin, reviewList, map[string]any{"first": 1})
	r.RequireNoErrors(t)
	if !strings.Contains(string(r.Data), `"hasNextPage":true`) {
		t.Fatalf("first: 1 of 2: %s", r.Data)
	}
}

func TestReviewEmergencyAccess_AdminsOnly(t *testing.T) {
	e := graphtest.New(t)
	p, other := e.Practice(), e.Practice()
	admin, holder, stranger := e.Member(p, graphtest.Admin()), e.Member(p), e.Member(p)
	auditor := e.Member(p, graphtest.WithRole(practitionerRole(e, p, access.View, []access.Capability{access.ViewAuditLog, access.AccessAllClients})))
	c := patient(e, p, "Ira Moss", "1970-02-02")
	searchAs(t, e, holder, "Ira Moss", "1970-02-02")
	e.As(holder, breakGlass, map[string]any{"c": c.ID, "r": "crisis"}).RequireNoErrors(t)
	id := e.Client().EmergencyAccess.Query().Where(emergencyaccess.ClientIDEQ(c.ID)).OnlyIDX(e.Ctx)
	foreign := e.Member(other, graphtest.Admin())

	// Those who read it may not review it.
	requireCode(t, e.As(holder, reviewMutation, map[string]any{"id": id}), "FORBIDDEN")
	requireCode(t, e.As(auditor, reviewMutation, map[string]any{"id": id}), "FORBIDDEN")
	// For anyone else, and another practice's admin, it does not exist.
	requireSameAnswer(t, e.As(stranger, reviewMutation, map[string]any{"id": id}),
		e.As(stranger, reviewMutation, map[string]any{"id": pulid.MustNew("EA")}))
	requireSameAnswer(t, e.As(foreign, reviewMutation, map[string]any{"id": id}),
		e.As(foreign, reviewMutation, map[string]any{"id": pulid.MustNew("EA")}))
	requireCode(t, e.As(admin, reviewMutation, map[string]any{"id": id, "note": strings.Repeat("x", 1001)}), "BAD_USER_INPUT")
	if got := e.Client().EmergencyAccess.GetX(e.Ctx, id); got.ReviewedAt != nil {
		t.Fatalf("a refused review was written: %+v", got)
	}
	e.As(admin, reviewMutation, map[string]any{"id": id}).RequireNoErrors(t)
	if got := e.Client().EmergencyAccess.GetX(e.Ctx, id); got.ReviewedAt == nil || got.ReviewNote != nil || *got.ReviewedByID != admin.ID {
		t.Fatalf("review without a note: %+v", got)
	}
}
