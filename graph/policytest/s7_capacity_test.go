package policytest

import (
	"strings"
	"testing"
	"time"

	"caseload/ent"
	"caseload/ent/clientrecord"
	"caseload/ent/schema/access"
	"caseload/graph/graphtest"
)

// Policy §7: team capacity.

func capacityViewer(e *graphtest.Env, p *ent.Practice) *ent.Member {
	role := e.Role(p, access.Administrative, access.SectionLevels{access.Scheduling: access.View}, []access.Capability{access.ViewTeam})
	return e.Member(p, graphtest.Administrative(), graphtest.WithRole(role))
}

func TestActiveClientCount_CountsClientsTheViewerCannotSee_ForCapacityViewersOnly(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	planner := capacityViewer(e, p)
	colleague := e.Member(p)
	a, other := e.Member(p), e.Member(p)
	for i := 0; i < 3; i++ {
		e.NewClient(p, graphtest.ResponsibleIs(a), graphtest.Restricted())
	}
	inactive := e.NewClient(p, graphtest.ResponsibleIs(a))
	if err := e.Client().ClientRecord.UpdateOne(inactive).SetStatus(clientrecord.StatusINACTIVE).Exec(e.Ctx); err != nil {
		t.Fatal(err)
	}
	e.Assign(e.NewClient(p, graphtest.ResponsibleIs(other)), a)
	q := `query($id: ID!) { node(id: $id) { ... on Member { name activeClientCount } } clients { totalCount } }`
	r := e.As(planner, q, map[string]any{"id": a.ID})
	r.RequireNoErrors(t)
	if !strings.Contains(string(r.Data), `"activeClientCount":4`) || !strings.Contains(string(r.Data), `"totalCount":0`) {
		t.Fatalf("the planner sees the count (4) but no client: %s", r.Data)
	}
	denied := e.As(colleague, q, map[string]any{"id": a.ID})
	requireCode(t, denied, "FORBIDDEN")
	if !strings.Contains(string(denied.Data), `"activeClientCount":null`) {
		t.Fatalf("a member without VIEW_TEAM gets null: %s", denied.Data)
	}
}

const availabilityMutation = `mutation($id: ID!, $w: [AvailabilityWindowInput!]!, $s: Int) { setAvailability(practitionerId: $id, windows: $w, slotMinutes: $s) { id slotMinutes } }`
const leaveMutation = `mutation($id: ID!, $f: Time!, $t: Time!) { addLeave(practitionerId: $id, from: $f, to: $t, reason: "conference") { id } }`
const capacityQuery = `query($f: Time!, $t: Time!) { teamCapacity(from: $f, to: $t) { practitioner { id } activeClientCount openSlotCount bookedMinutes availableMinutes openSlots { start end } } }`

func TestSetAvailability_OwnOrManagers_NotOthers(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	m, other := e.Member(p), e.Member(p)
	windows := []any{map[string]any{"weekday": 1, "startMinute": 540, "endMinute": 1020}}
	e.As(m, availabilityMutation, map[string]any{"id": m.ID, "w": windows, "s": 60}).RequireNoErrors(t)
	requireCode(t, e.As(other, availabilityMutation, map[string]any{"id": m.ID, "w": []any{}}), "FORBIDDEN")
	if n, _ := e.Client().Availability.Query().Count(e.Ctx); n != 1 {
		t.Fatalf("a refused change touched another's availability: %d windows", n)
	}
	for name, w := range map[string][]any{
		"backwards": {map[string]any{"weekday": 1, "startMinute": 600, "endMinute": 540}},
		"overlap":   {map[string]any{"weekday": 2, "startMinute": 540, "endMinute": 720}, map[string]any{"weekday": 2, "startMinute": 700, "endMinute": 800}},
		"weekday 7": {map[string]any{"weekday": 7, "startMinute": 540, "endMinute": 600}},
	} {
		t.Run(name, func(t *testing.T) {
			requireCode(t, e.As(m, availabilityMutation, map[string]any{"id": m.ID, "w": w}), "BAD_USER_INPUT")
		})
	}
}

// The week of the unit test in graph/capacity, end to end: Sydney across the
// end of daylight saving, with a leave day and two appointments.
func TestTeamCapacity_MatchesHandComputedWeekAcrossDaylightSaving(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice(func(c *ent.PracticeCreate) { c.SetTimeZone("Australia/Sydney") })
	planner := capacityViewer(e, p)
	m := e.Member(p)
	loc, _ := time.LoadLocation("Australia/Sydney")
	at := func(d, h, min int) time.Time { return time.Date(2026, time.April, d, h, min, 0, 0, loc) }
	windows := []any{
		map[string]any{"weekday": 5, "startMinute": 540, "endMinute": 720},
		map[string]any{"weekday": 0, "startMinute": 60, "endMinute": 240},
		map[string]any{"weekday": 1, "startMinute": 540, "endMinute": 1020},
		map[string]any{"weekday": 2, "startMinute": 540, "endMinute": 660},
	}
	e.As(m, availabilityMutation, map[string]any{"id": m.ID, "w": windows, "s": 60}).RequireNoErrors(t)
	e.As(m, leaveMutation, map[string]any{"id": m.ID, "f": at(6, 0, 0), "t": at(7, 0, 0)}).RequireNoErrors(t)
	c := e.NewClient(p, graphtest.ResponsibleIs(m))
	for _, span := range [][2]time.Time{{at(3, 10, 0), at(3, 11, 0)}, {at(7, 9, 30), at(7, 10, 20)}} {
		if err := e.Client().Appointment.Create().SetPracticeID(p.ID).SetClientID(c.ID).SetPractitionerID(m.ID).
			SetStartsAt(span[0].UTC()).SetEndsAt(span[1].UTC()).Exec(e.Ctx); err != nil {
			t.Fatal(err)
		}
	}
	r := e.As(planner, capacityQuery, map[string]any{"f": at(3, 0, 0), "t": at(8, 0, 0)})
	r.RequireNoErrors(t)
	want := `{"practitioner":{"id":"` + string(m.ID) + `"},"activeClientCount":1,"openSlotCount":6,"bookedMinutes":110,"availableMinutes":540`
	if !strings.Contains(string(r.Data), want) {
		t.Fatalf("want %s in %s", want, r.Data)
	}
	// The first open slot is Friday 09:00 AEDT = Thursday 22:00Z.
	if !strings.Contains(string(r.Data), `"start":"2026-04-02T22:00:00Z"`) {
		t.Fatalf("slots are in UTC from the practice's wall clock: %s", r.Data)
	}
}

func TestTeamCapacity_ForCapacityViewersOnly_AndBoundedPeriod(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	m := e.Member(p)
	now := time.Now()
	requireCode(t, e.As(m, capacityQuery, map[string]any{"f": now, "t": now.Add(24 * time.Hour)}), "FORBIDDEN")
	planner := capacityViewer(e, p)
	requireCode(t, e.As(planner, capacityQuery, map[string]any{"f": now, "t": now.Add(40 * 24 * time.Hour)}), "BAD_USER_INPUT")
	requireCode(t, e.As(planner, capacityQuery, map[string]any{"f": now, "t": now.Add(-time.Hour)}), "BAD_USER_INPUT")
}

// Capacity for a whole team costs a fixed number of statements, however many
// practitioners there are.
func TestTeamCapacityAndPractitionerCounts_StatementsDoNotGrowWithTeam(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	planner := capacityViewer(e, p)
	counter := e.CountStatements(t)
	now := time.Now()
	counts := map[int]int64{}
	for _, size := range []int{3, 12} {
		for len(e.Client().Member.Query().AllX(e.Ctx)) < size+1 {
			m := e.Member(p)
			e.NewClient(p, graphtest.ResponsibleIs(m))
		}
		counter.Reset()
		e.As(planner, capacityQuery, map[string]any{"f": now, "t": now.Add(7 * 24 * time.Hour)}).RequireNoErrors(t)
		e.As(planner, `{ practitioners(search: "Member", first: 50) { totalCount edges { node { name activeClientCount } } } }`, nil).RequireNoErrors(t)
		counts[size] = counter.N()
	}
	if counts[3] != counts[12] {
		t.Fatalf("statements grow with the team: %v", counts)
	}
}
