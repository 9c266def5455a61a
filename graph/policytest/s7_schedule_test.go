package policytest

import (
	"strings"
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

// docs/access-policy.md, "Schedules (§7)": a team manager reads the
// availability they set; the practitioner reads their own; a colleague
// without VIEW_TEAM, ASSIGN_PRACTITIONERS or MANAGE_TEAM gets FORBIDDEN.
func TestWeeklyAvailability_ReadByManagersAndThePractitioner(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	practitioner, colleague := e.Member(p), e.Member(p)
	manager := e.Member(p, graphtest.Administrative(), graphtest.WithRole(e.Role(p, access.Administrative, nil, []access.Capability{access.ManageTeam})))
	r := e.As(manager, `mutation($m: ID!) { setAvailability(practitionerId: $m, windows: [{ weekday: 1, startMinute: 540, endMinute: 1020 }]) {
	  weeklyAvailability { weekday startMinute endMinute } } }`, map[string]any{"m": practitioner.ID})
	r.RequireNoErrors(t)
	if !strings.Contains(string(r.Data), `"startMinute":540`) {
		t.Fatalf("the manager's answer: %s", r.Data)
	}
	read := `query($m: ID!) { node(id: $m) { ... on Member { weeklyAvailability { weekday } } } }`
	r = e.As(practitioner, read, map[string]any{"m": practitioner.ID})
	r.RequireNoErrors(t)
	if !strings.Contains(string(r.Data), `"weekday":1`) {
		t.Fatalf("the practitioner's own schedule: %s", r.Data)
	}
	requireCode(t, e.As(colleague, read, map[string]any{"m": practitioner.ID}), "FORBIDDEN")
}
