package policytest

import (
	"testing"

	"caseload/ent/leave"
	"caseload/ent/schema/access"
	"caseload/graph/graphtest"
)

// Policy §7 and §6: those who manage the team change any practitioner's
// schedule, and so remove the leave they may add.
func TestTeamManager_AddsAndRemovesAPractitionersLeave(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	practitioner := e.Member(p)
	manager := e.Member(p, graphtest.WithRole(e.Role(p, access.Administrative, nil, []access.Capability{access.ManageTeam})))
	r := e.As(manager, `mutation($m: ID!) { addLeave(practitionerId: $m, from: "2030-01-01T00:00:00Z", to: "2030-01-08T00:00:00Z", reason: "holiday") { id } }`,
		map[string]any{"m": practitioner.ID})
	r.RequireNoErrors(t)
	var out struct{ AddLeave struct{ ID string } }
	r.Decode(t, &out)
	e.As(manager, `mutation($id: ID!) { removeLeave(id: $id) }`, map[string]any{"id": out.AddLeave.ID}).RequireNoErrors(t)
	if n := e.Client().Leave.Query().Where(leave.MemberIDEQ(practitioner.ID)).CountX(e.Ctx); n != 0 {
		t.Fatalf("the leave is still there (%d rows)", n)
	}
	// Someone without MANAGE_TEAM may not remove another's leave: it does
	// not exist for them.
	r = e.As(manager, `mutation($m: ID!) { addLeave(practitionerId: $m, from: "2030-02-01T00:00:00Z", to: "2030-02-08T00:00:00Z") { id } }`, map[string]any{"m": practitioner.ID})
	r.RequireNoErrors(t)
	r.Decode(t, &out)
	other := e.Member(p)
	requireCode(t, e.As(other, `mutation($id: ID!) { removeLeave(id: $id) }`, map[string]any{"id": out.AddLeave.ID}), "NOT_FOUND")
}
