package policytest

import (
	"maps"
	"reflect"
	"strings"
	"testing"
	"time"

	"caseload/ent"
	"caseload/ent/appointment"
	"caseload/ent/schema/access"
	"caseload/ent/schema/pulid"
	"caseload/graph/graphtest"
	"caseload/graph/scheduling"
)

// Policy §6, "Intake, booking and appointments": creating, moving or
// cancelling an appointment needs effective SCHEDULING EDIT on the client;
// for a new client, a role with SCHEDULING EDIT and CREATE_CLIENTS, and the
// appointment's practitioner becomes responsible unless the creator (who
// may assign) names another. §2: only active practitioners receive
// bookings. §7: availability, leave, and open slots. Races are in
// s6_appointment_races_test.go.

const (
	apptFields            = `id startsAt endsAt minutes status outsideAvailability appointmentType cancelReason cancelledAt client { id } practitioner { id }`
	createAppointment     = `mutation($in: CreateAppointmentInput!) { createAppointment(input: $in) { ` + apptFields + ` } }`
	rescheduleAppointment = `mutation($id: ID!, $at: Time!, $m: Int, $out: Boolean) { rescheduleAppointment(id: $id, startsAt: $at, minutes: $m, outsideAvailability: $out) { ` + apptFields + ` } }`
	cancelAppointment     = `mutation($id: ID!, $r: String) { cancelAppointment(id: $id, reason: $r) { ` + apptFields + ` } }`
)

// apptOut is an appointment as the mutations answer it.
type apptOut struct {
	ID                  pulid.ID
	StartsAt, EndsAt    time.Time
	Minutes             int
	Status              string
	OutsideAvailability bool
	AppointmentType     *string
	CancelReason        *string
	CancelledAt         *time.Time
	Client              struct{ ID pulid.ID }
	Practitioner        struct{ ID pulid.ID }
}

// monday is a Monday far enough ahead that no test depends on today.
var monday = time.Date(2030, time.March, 4, 0, 0, 0, 0, time.UTC)

// mon is a time on monday, in UTC (the practice's zone unless said).
func mon(h, m int) time.Time {
	return monday.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute)
}

// workingWeek gives m the availability 09:00–17:00, Monday to Friday.
func workingWeek(t *testing.T, e *graphtest.Env, m *ent.Member) {
	t.Helper()
	for d := 1; d <= 5; d++ {
		if err := e.Client().Availability.Create().SetPracticeID(m.PracticeID).SetMemberID(m.ID).
			SetWeekday(d).SetStartMinute(9 * 60).SetEndMinute(17 * 60).Exec(e.Ctx); err != nil {
			t.Fatal(err)
		}
	}
}

// schedulingTeam is a practice with one working practitioner and the staff
// who book for them.
type schedulingTeam struct {
	p *ent.Practice
	// practitioner works 09:00–17:00 on weekdays, slots of 50 minutes.
	practitioner *ent.Member
	// scheduler has SCHEDULING and PROFILE EDIT, ACCESS_ALL_CLIENTS and
	// CREATE_CLIENTS, not ASSIGN_PRACTITIONERS.
	scheduler *ent.Member
	// reception sees every client with SCHEDULING VIEW only.
	reception *ent.Member
	// client is the practitioner's.
	client *ent.ClientRecord
}

func newSchedulingTeam(t *testing.T, e *graphtest.Env, opts ...func(*ent.PracticeCreate)) *schedulingTeam {
	t.Helper()
	s := &schedulingTeam{p: e.Practice(opts...)}
	s.practitioner = e.Member(s.p)
	workingWeek(t, e, s.practitioner)
	schedulerRole := e.Role(s.p, access.Administrative,
		access.SectionLevels{access.Profile: access.Edit, access.Scheduling: access.Edit},
		[]access.Capability{access.AccessAllClients, access.CreateClients})
	s.scheduler = e.Member(s.p, graphtest.Administrative(), graphtest.WithRole(schedulerRole))
	receptionRole := e.Role(s.p, access.Administrative,
		access.SectionLevels{access.Profile: access.View, access.Scheduling: access.View},
		[]access.Capability{access.AccessAllClients})
	s.reception = e.Member(s.p, graphtest.Administrative(), graphtest.WithRole(receptionRole))
	s.client = e.NewClient(s.p, graphtest.ResponsibleIs(s.practitioner))
	return s
}

// bookVars are createAppointment's variables for client with practitioner
// at a time, with extra input fields.
func bookVars(client *ent.ClientRecord, practitioner *ent.Member, at time.Time, extra map[string]any) map[string]any {
	in := map[string]any{"practitionerId": practitioner.ID, "startsAt": at}
	if client != nil {
		in["clientId"] = client.ID
	}
	maps.Copy(in, extra)
	return map[string]any{"in": in}
}

// book creates an appointment as m and fails the test unless it succeeds.
func book(t *testing.T, e *graphtest.Env, m *ent.Member, vars map[string]any) apptOut {
	t.Helper()
	r := e.As(m, createAppointment, vars)
	r.RequireNoErrors(t)
	var out struct{ CreateAppointment apptOut }
	r.Decode(t, &out)
	return out.CreateAppointment
}

// answer decodes the one appointment a mutation answered.
func answer(t *testing.T, r *graphtest.Response) apptOut {
	t.Helper()
	r.RequireNoErrors(t)
	var out map[string]apptOut
	r.Decode(t, &out)
	for _, a := range out {
		return a
	}
	t.Fatalf("no appointment in %s", r.Data)
	return apptOut{}
}

// stored reads an appointment's row.
func stored(t *testing.T, e *graphtest.Env, id pulid.ID) *ent.Appointment {
	t.Helper()
	a, err := e.Client().Appointment.Get(e.Ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// rowCounts are the counts of the rows an appointment mutation may write.
type rowCounts struct{ clients, appointments, assignments int }

func countRows(t *testing.T, e *graphtest.Env) rowCounts {
	t.Helper()
	var c rowCounts
	var err error
	if c.clients, err = e.Client().ClientRecord.Query().Count(e.Ctx); err != nil {
		t.Fatal(err)
	}
	if c.appointments, err = e.Client().Appointment.Query().Count(e.Ctx); err != nil {
		t.Fatal(err)
	}
	if c.assignments, err = e.Client().Assignment.Query().Count(e.Ctx); err != nil {
		t.Fatal(err)
	}
	return c
}

// requireUnchanged fails if any row was written since before.
func requireUnchanged(t *testing.T, e *graphtest.Env, before rowCounts) {
	t.Helper()
	if after := countRows(t, e); after != before {
		t.Fatalf("a refused request wrote rows: before %+v, after %+v", before, after)
	}
}

// insertAppointment stores an appointment directly, past the API.
func insertAppointment(t *testing.T, e *graphtest.Env, c *ent.ClientRecord, m *ent.Member, start time.Time, minutes int) *ent.Appointment {
	t.Helper()
	a, err := e.Client().Appointment.Create().SetPracticeID(c.PracticeID).SetClientID(c.ID).SetPractitionerID(m.ID).
		SetStartsAt(start.UTC()).SetEndsAt(start.Add(time.Duration(minutes) * time.Minute).UTC()).Save(e.Ctx)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestAppointment_CreateMoveCancel_NeedEffectiveSchedulingEdit(t *testing.T) {
	e := graphtest.New(t)
	s := newSchedulingTeam(t, e)
	before := countRows(t, e)
	requireForbiddenSection(t, e.As(s.reception, createAppointment, bookVars(s.client, s.practitioner, mon(10, 0), nil)),
		"createAppointment", access.Scheduling)
	requireUnchanged(t, e, before)

	a := book(t, e, s.scheduler, bookVars(s.client, s.practitioner, mon(10, 0), map[string]any{"type": "  Initial consultation "}))
	if a.Status != "BOOKED" || a.Client.ID != s.client.ID || a.Practitioner.ID != s.practitioner.ID ||
		!a.StartsAt.Equal(mon(10, 0)) || !a.EndsAt.Equal(mon(10, 50)) || a.Minutes != 50 ||
		a.AppointmentType == nil || *a.AppointmentType != "Initial consultation" || a.OutsideAvailability {
		t.Fatalf("created: %+v", a)
	}
	if row := stored(t, e, a.ID); row.CreatedByID == nil || *row.CreatedByID != s.scheduler.ID || row.BookedOnline {
		t.Fatalf("the row records who booked it, and not online: %+v", row)
	}

	// Reception reads the appointment (SCHEDULING VIEW) and may change
	// nothing of it.
	requireForbiddenSection(t, e.As(s.reception, rescheduleAppointment, map[string]any{"id": a.ID, "at": mon(11, 0)}),
		"rescheduleAppointment", access.Scheduling)
	requireForbiddenSection(t, e.As(s.reception, cancelAppointment, map[string]any{"id": a.ID}),
		"cancelAppointment", access.Scheduling)
	if row := stored(t, e, a.ID); !row.StartsAt.Equal(mon(10, 0)) || row.Status != appointment.StatusBOOKED {
		t.Fatalf("a refused change changed the appointment: %+v", row)
	}

	moved := answer(t, e.As(s.scheduler, rescheduleAppointment, map[string]any{"id": a.ID, "at": mon(11, 0)}))
	if !moved.StartsAt.Equal(mon(11, 0)) || moved.Minutes != 50 {
		t.Fatalf("a move keeps the length: %+v", moved)
	}
	moved = answer(t, e.As(s.scheduler, rescheduleAppointment, map[string]any{"id": a.ID, "at": mon(14, 0), "m": 30}))
	if !moved.StartsAt.Equal(mon(14, 0)) || !moved.EndsAt.Equal(mon(14, 30)) || moved.Minutes != 30 {
		t.Fatalf("a move with minutes changes the length: %+v", moved)
	}
	cancelled := answer(t, e.As(s.scheduler, cancelAppointment, map[string]any{"id": a.ID, "r": " client unwell "}))
	if cancelled.Status != "CANCELLED" || cancelled.CancelledAt == nil || cancelled.CancelReason == nil || *cancelled.CancelReason != "client unwell" {
		t.Fatalf("cancelled: %+v", cancelled)
	}
}

// The level is the effective one (§4): the lower of the role's and the
// relationship's. A practitioner's default role has SCHEDULING EDIT, but a
// share at VIEW gives VIEW.
func TestAppointment_EffectiveLevel_ShareAtViewCapsRoleEdit(t *testing.T) {
	e := graphtest.New(t)
	s := newSchedulingTeam(t, e)
	colleague := e.Member(s.p)
	e.Share(s.client, colleague, access.View)
	requireForbiddenSection(t, e.As(colleague, createAppointment, bookVars(s.client, s.practitioner, mon(10, 0), nil)),
		"createAppointment", access.Scheduling)
	a := insertAppointment(t, e, s.client, s.practitioner, mon(10, 0), 50)
	requireForbiddenSection(t, e.As(colleague, cancelAppointment, map[string]any{"id": a.ID}), "cancelAppointment", access.Scheduling)
	// The responsible practitioner (rule 3, EDIT) books for their client.
	book(t, e, s.practitioner, bookVars(s.client, s.practitioner, mon(11, 0), nil))
}

// A member who may not change a client's appointments is refused before any
// check of the practitioner's schedule, so that the refusal says nothing of
// whether the practitioner is free, working or on leave (§7: schedules are
// for capacity viewers).
func TestAppointment_WithoutEdit_RefusalSaysNothingOfTheSchedule(t *testing.T) {
	e := graphtest.New(t)
	s := newSchedulingTeam(t, e)
	insertAppointment(t, e, s.client, s.practitioner, mon(10, 0), 50)
	inactive := e.Member(s.p, graphtest.Inactive())
	for name, vars := range map[string]map[string]any{
		"a busy time":              bookVars(s.client, s.practitioner, mon(10, 0), nil),
		"outside availability":     bookVars(s.client, s.practitioner, mon(7, 0), nil),
		"an inactive practitioner": bookVars(s.client, inactive, mon(10, 0), nil),
	} {
		t.Run(name, func(t *testing.T) {
			requireForbiddenSection(t, e.As(s.reception, createAppointment, vars), "createAppointment", access.Scheduling)
		})
	}
}

func TestAppointment_HiddenClient_IsNotFoundExactlyLikeAnUnknownID(t *testing.T) {
	e := graphtest.New(t)
	s := newSchedulingTeam(t, e)
	outsider := e.Member(s.p) // a practitioner who is not on the client's care team (CARE_TEAM practice)
	other := e.Practice()
	foreign := e.NewClient(other)
	appt := insertAppointment(t, e, s.client, s.practitioner, mon(10, 0), 50)
	before := countRows(t, e)

	same := func(t *testing.T, hidden, unknown *graphtest.Response) {
		t.Helper()
		requireCode(t, hidden, "NOT_FOUND")
		requireCode(t, unknown, "NOT_FOUND")
		if hidden.Errors[0].Message != unknown.Errors[0].Message ||
			!reflect.DeepEqual(hidden.Errors[0].Extensions, unknown.Errors[0].Extensions) ||
			string(hidden.Data) != string(unknown.Data) || hidden.Status != unknown.Status {
			t.Fatalf("a hidden record is told apart from an unknown ID:\n%+v %s\n%+v %s", hidden.Errors, hidden.Data, unknown.Errors, unknown.Data)
		}
	}
	unknownClient := &ent.ClientRecord{ID: pulid.MustNew("CL")}
	for name, c := range map[string]*ent.ClientRecord{"the same practice": s.client, "another practice": foreign} {
		t.Run("create, client of "+name, func(t *testing.T) {
			same(t,
				e.As(outsider, createAppointment, bookVars(c, s.practitioner, mon(11, 0), nil)),
				e.As(outsider, createAppointment, bookVars(unknownClient, s.practitioner, mon(11, 0), nil)))
		})
	}
	unknownAppt := pulid.MustNew("AP")
	t.Run("reschedule", func(t *testing.T) {
		same(t,
			e.As(outsider, rescheduleAppointment, map[string]any{"id": appt.ID, "at": mon(12, 0)}),
			e.As(outsider, rescheduleAppointment, map[string]any{"id": unknownAppt, "at": mon(12, 0)}))
	})
	t.Run("cancel", func(t *testing.T) {
		same(t,
			e.As(outsider, cancelAppointment, map[string]any{"id": appt.ID}),
			e.As(outsider, cancelAppointment, map[string]any{"id": unknownAppt}))
	})
	requireUnchanged(t, e, before)
	if row := stored(t, e, appt.ID); row.Status != appointment.StatusBOOKED || !row.StartsAt.Equal(mon(10, 0)) {
		t.Fatalf("a hidden appointment changed: %+v", row)
	}
}

// §2: only active PRACTITIONERs receive bookings. Every other member, and
// an ID of another practice or none, gets the same answer.
func TestAppointment_PractitionerMustBeAnActivePractitionerOfThePractice(t *testing.T) {
	e := graphtest.New(t)
	s := newSchedulingTeam(t, e)
	inactive := e.Member(s.p)
	workingWeek(t, e, inactive)
	if err := e.Client().Member.UpdateOne(inactive).SetActive(false).Exec(e.Ctx); err != nil {
		t.Fatal(err)
	}
	other := e.Practice()
	elsewhere := e.Member(other)
	workingWeek(t, e, elsewhere)
	before := countRows(t, e)
	var message string
	for name, m := range map[string]*ent.Member{
		"inactive":            inactive,
		"administrative":      s.scheduler,
		"of another practice": elsewhere,
		"unknown":             {ID: pulid.MustNew("ME")},
		"a client's ID":       {ID: s.client.ID},
	} {
		t.Run(name, func(t *testing.T) {
			for _, out := range []bool{false, true} {
				got := requireCode(t, e.As(s.scheduler, createAppointment, bookVars(s.client, m, mon(10, 0), map[string]any{"outsideAvailability": out})), "BAD_USER_INPUT")
				if message == "" {
					message = got.Message
				}
				if got.Message != message || got.Message != scheduling.NotPractitionerMessage {
					t.Fatalf("every refusal must read the same: %q, %q", got.Message, message)
				}
			}
		})
	}
	requireUnchanged(t, e, before)

	// An appointment whose practitioner has left cannot be moved; it can
	// still be cancelled, which frees a time rather than booking one.
	leaver := e.Member(s.p)
	workingWeek(t, e, leaver)
	a := book(t, e, s.scheduler, bookVars(s.client, leaver, mon(10, 0), nil))
	if err := e.Client().Member.UpdateOne(leaver).SetActive(false).Exec(e.Ctx); err != nil {
		t.Fatal(err)
	}
	requireCode(t, e.As(s.scheduler, rescheduleAppointment, map[string]any{"id": a.ID, "at": mon(11, 0)}), "BAD_USER_INPUT")
	answer(t, e.As(s.scheduler, cancelAppointment, map[string]any{"id": a.ID}))
}

func TestAppointment_OutsideAvailability_RefusedUnlessOnPurpose(t *testing.T) {
	e := graphtest.New(t)
	s := newSchedulingTeam(t, e)
	before := countRows(t, e)
	for name, vars := range map[string]map[string]any{
		"before hours":         bookVars(s.client, s.practitioner, mon(8, 0), nil),
		"running past 17:00":   bookVars(s.client, s.practitioner, mon(16, 30), nil),
		"on a Saturday":        bookVars(s.client, s.practitioner, mon(10, 0).AddDate(0, 0, 5), nil),
		"explicitly false":     bookVars(s.client, s.practitioner, mon(8, 0), map[string]any{"outsideAvailability": false}),
		"long past the window": bookVars(s.client, s.practitioner, mon(16, 0), map[string]any{"minutes": 120}),
	} {
		t.Run(name, func(t *testing.T) {
			got := requireCode(t, e.As(s.scheduler, createAppointment, vars), "BAD_USER_INPUT")
			if !strings.Contains(got.Message, "outsideAvailability: true") {
				t.Fatalf("the message says how to book anyway: %q", got.Message)
			}
		})
	}
	requireUnchanged(t, e, before)

	a := book(t, e, s.scheduler, bookVars(s.client, s.practitioner, mon(8, 0), map[string]any{"outsideAvailability": true}))
	if !a.OutsideAvailability {
		t.Fatalf("booked on purpose outside availability: %+v", a)
	}
	// The whole window, to the minute, is inside.
	book(t, e, s.scheduler, bookVars(s.client, s.practitioner, mon(9, 0), nil))
	book(t, e, s.scheduler, bookVars(s.client, s.practitioner, mon(16, 10), nil))

	requireCode(t, e.As(s.scheduler, rescheduleAppointment, map[string]any{"id": a.ID, "at": mon(7, 0)}), "BAD_USER_INPUT")
	moved := answer(t, e.As(s.scheduler, rescheduleAppointment, map[string]any{"id": a.ID, "at": mon(7, 0), "out": true}))
	if !moved.StartsAt.Equal(mon(7, 0)) || !moved.OutsideAvailability {
		t.Fatalf("moved on purpose outside availability: %+v", moved)
	}
	moved = answer(t, e.As(s.scheduler, rescheduleAppointment, map[string]any{"id": a.ID, "at": mon(12, 0)}))
	if moved.OutsideAvailability {
		t.Fatalf("moved back inside availability: %+v", moved)
	}

	// A practitioner with no availability at all is booked only on purpose.
	unscheduled := e.Member(s.p)
	requireCode(t, e.As(s.scheduler, createAppointment, bookVars(s.client, unscheduled, mon(10, 0), nil)), "BAD_USER_INPUT")
	book(t, e, s.scheduler, bookVars(s.client, unscheduled, mon(10, 0), map[string]any{"outsideAvailability": true}))
}

// Availability is in the practice's time zone (§7), whatever the offset of
// the time given.
func TestAppointment_Availability_InThePracticesTimeZone(t *testing.T) {
	e := graphtest.New(t)
	s := newSchedulingTeam(t, e, func(c *ent.PracticeCreate) { c.SetTimeZone("Australia/Sydney") })
	syd, err := time.LoadLocation("Australia/Sydney")
	if err != nil {
		t.Fatal(err)
	}
	// Monday 4 March 2030, 09:00 AEDT is Sunday 22:00Z: inside.
	book(t, e, s.scheduler, bookVars(s.client, s.practitioner, time.Date(2030, 3, 4, 9, 0, 0, 0, syd), nil))
	// Monday 09:00Z is 20:00 in Sydney: outside.
	requireCode(t, e.As(s.scheduler, createAppointment, bookVars(s.client, s.practitioner, mon(9, 0), nil)), "BAD_USER_INPUT")
	// After the end of daylight saving (7 April 2030), 09:00 AEST is 23:00Z.
	book(t, e, s.scheduler, bookVars(s.client, s.practitioner, time.Date(2030, 4, 8, 9, 0, 0, 0, syd), nil))
	requireCode(t, e.As(s.scheduler, createAppointment, bookVars(s.client, s.practitioner, time.Date(2030, 4, 7, 22, 0, 0, 0, time.UTC), nil)), "BAD_USER_INPUT")
}

func TestAppointment_DuringLeave_RefusedUnlessOnPurpose(t *testing.T) {
	e := graphtest.New(t)
	s := newSchedulingTeam(t, e)
	if err := e.Client().Leave.Create().SetPracticeID(s.p.ID).SetMemberID(s.practitioner.ID).
		SetStartsAt(mon(12, 0)).SetEndsAt(mon(14, 0)).Exec(e.Ctx); err != nil {
		t.Fatal(err)
	}
	before := countRows(t, e)
	for name, at := range map[string]time.Time{"inside the leave": mon(12, 30), "running into it": mon(11, 30), "running out of it": mon(13, 30)} {
		t.Run(name, func(t *testing.T) {
			got := requireCode(t, e.As(s.scheduler, createAppointment, bookVars(s.client, s.practitioner, at, nil)), "BAD_USER_INPUT")
			if !strings.Contains(got.Message, "outsideAvailability: true") {
				t.Fatalf("the message says how to book anyway: %q", got.Message)
			}
		})
	}
	requireUnchanged(t, e, before)
	book(t, e, s.scheduler, bookVars(s.client, s.practitioner, mon(11, 10), nil)) // ends at 12:00, as the leave starts
	book(t, e, s.scheduler, bookVars(s.client, s.practitioner, mon(14, 0), nil))  // starts as it ends
	book(t, e, s.scheduler, bookVars(s.client, s.practitioner, mon(12, 30), map[string]any{"outsideAvailability": true}))
}

func TestAppointment_Overlap_IsConflict_BackToBackIsNot_CancelledFreesTheTime(t *testing.T) {
	e := graphtest.New(t)
	s := newSchedulingTeam(t, e)
	first := book(t, e, s.scheduler, bookVars(s.client, s.practitioner, mon(10, 0), nil)) // 10:00–10:50
	before := countRows(t, e)
	for name, vars := range map[string]map[string]any{
		"the same time":               bookVars(s.client, s.practitioner, mon(10, 0), nil),
		"starting inside":             bookVars(s.client, s.practitioner, mon(10, 30), nil),
		"ending inside":               bookVars(s.client, s.practitioner, mon(9, 30), nil),
		"around it":                   bookVars(s.client, s.practitioner, mon(9, 30), map[string]any{"minutes": 120}),
		"inside it":                   bookVars(s.client, s.practitioner, mon(10, 10), map[string]any{"minutes": 10}),
		"on purpose outside schedule": bookVars(s.client, s.practitioner, mon(10, 0), map[string]any{"outsideAvailability": true}),
	} {
		t.Run(name, func(t *testing.T) {
			got := requireCode(t, e.As(s.scheduler, createAppointment, vars), "CONFLICT")
			if got.Message != scheduling.BusyMessage {
				t.Fatalf("message %q", got.Message)
			}
		})
	}
	requireUnchanged(t, e, before)

	// Back to back on either side.
	after := book(t, e, s.scheduler, bookVars(s.client, s.practitioner, mon(10, 50), nil))
	book(t, e, s.scheduler, bookVars(s.client, s.practitioner, mon(9, 10), nil))
	// Another practitioner is free at the same time.
	colleague := e.Member(s.p)
	workingWeek(t, e, colleague)
	book(t, e, s.scheduler, bookVars(s.client, colleague, mon(10, 0), nil))

	// A move may overlap the appointment's own old time, never another's.
	requireCode(t, e.As(s.scheduler, rescheduleAppointment, map[string]any{"id": after.ID, "at": mon(10, 30)}), "CONFLICT")
	answer(t, e.As(s.scheduler, rescheduleAppointment, map[string]any{"id": after.ID, "at": mon(11, 0)}))
	if row := stored(t, e, after.ID); !row.StartsAt.Equal(mon(11, 0)) {
		t.Fatalf("moved: %+v", row)
	}

	// Cancelling frees the time at once.
	answer(t, e.As(s.scheduler, cancelAppointment, map[string]any{"id": first.ID}))
	again := book(t, e, s.scheduler, bookVars(s.client, s.practitioner, mon(10, 0), nil))
	if again.ID == first.ID {
		t.Fatal("a new appointment")
	}
}

// Appointments of clients the booker cannot see still hold their time (§7:
// capacity counts every client), and the refusal names none of them.
func TestAppointment_Overlap_CountsAppointmentsOfClientsTheBookerCannotSee(t *testing.T) {
	e := graphtest.New(t)
	s := newSchedulingTeam(t, e)
	colleague := e.Member(s.p)
	workingWeek(t, e, colleague)
	secret := e.NewClient(s.p, graphtest.ResponsibleIs(colleague), graphtest.Restricted())
	insertAppointment(t, e, secret, s.practitioner, mon(10, 0), 50)
	mine := e.NewClient(s.p, graphtest.ResponsibleIs(colleague))
	got := requireCode(t, e.As(colleague, createAppointment, bookVars(mine, s.practitioner, mon(10, 20), nil)), "CONFLICT")
	if strings.Contains(got.Message, string(secret.ID)) || strings.Contains(got.Message, secret.Name) {
		t.Fatalf("the refusal names the hidden client: %q", got.Message)
	}
}

func TestAppointment_TeamCapacity_OpenSlotsChangeAtOnce(t *testing.T) {
	e := graphtest.New(t)
	s := newSchedulingTeam(t, e)
	if err := e.Client().Member.UpdateOne(s.practitioner).SetSlotMinutes(60).Exec(e.Ctx); err != nil {
		t.Fatal(err)
	}
	planner := capacityViewer(e, s.p)
	openSlots := func() int {
		t.Helper()
		r := e.As(planner, capacityQuery, map[string]any{"f": monday, "t": monday.Add(24 * time.Hour)})
		r.RequireNoErrors(t)
		var out struct {
			TeamCapacity []struct {
				Practitioner  struct{ ID pulid.ID }
				OpenSlotCount int
			}
		}
		r.Decode(t, &out)
		for _, c := range out.TeamCapacity {
			if c.Practitioner.ID == s.practitioner.ID {
				return c.OpenSlotCount
			}
		}
		t.Fatalf("the practitioner is missing: %s", r.Data)
		return 0
	}
	if n := openSlots(); n != 8 {
		t.Fatalf("09:00–17:00 in slots of 60 minutes: %d open", n)
	}
	a := book(t, e, s.scheduler, bookVars(s.client, s.practitioner, mon(10, 0), nil))
	if a.Minutes != 60 {
		t.Fatalf("the default length is the practitioner's slot: %+v", a)
	}
	if n := openSlots(); n != 7 {
		t.Fatalf("after booking 10:00: %d open", n)
	}
	answer(t, e.As(s.scheduler, rescheduleAppointment, map[string]any{"id": a.ID, "at": mon(10, 30)}))
	if n := openSlots(); n != 6 {
		t.Fatalf("10:30–11:30 takes two slots: %d open", n)
	}
	answer(t, e.As(s.scheduler, cancelAppointment, map[string]any{"id": a.ID}))
	if n := openSlots(); n != 8 {
		t.Fatalf("after cancelling: %d open", n)
	}
}

const createForNewClient = `mutation($in: CreateAppointmentInput!) { createAppointment(input: $in) { id practitioner { id } client { id name email source
  responsiblePractitioner { id }
  assignmentHistory { kind source reason endedAt member { id } assignedBy { id } appointment { id } } } } }`

type newClientOut struct {
	CreateAppointment struct {
		ID           pulid.ID
		Practitioner struct{ ID pulid.ID }
		Client       struct {
			ID                      pulid.ID
			Name                    string
			Email                   *string
			Source                  string
			ResponsiblePractitioner *struct{ ID pulid.ID }
			AssignmentHistory       []struct {
				Kind, Source, Reason string
				EndedAt              *time.Time
				Member               struct{ ID pulid.ID }
				AssignedBy           *struct{ ID pulid.ID }
				Appointment          *struct{ ID pulid.ID }
			}
		}
	}
}

// newClientVars books practitioner at a time for a new client.
func newClientVars(practitioner *ent.Member, at time.Time, client map[string]any) map[string]any {
	return bookVars(nil, practitioner, at, map[string]any{"newClient": client})
}

func bookNewClient(t *testing.T, e *graphtest.Env, m *ent.Member, vars map[string]any) newClientOut {
	t.Helper()
	r := e.As(m, createForNewClient, vars)
	r.RequireNoErrors(t)
	var out newClientOut
	r.Decode(t, &out)
	return out
}

func TestAppointment_NewClient_TheAppointmentsPractitionerBecomesResponsible_HistoryKept(t *testing.T) {
	e := graphtest.New(t)
	s := newSchedulingTeam(t, e)
	out := bookNewClient(t, e, s.scheduler, newClientVars(s.practitioner, mon(10, 0),
		map[string]any{"name": "  Ada Lovelace ", "email": "ada@mail.example", "phone": "0400 111 222"}))
	got := out.CreateAppointment
	c := got.Client
	if c.Name != "Ada Lovelace" || c.Email == nil || *c.Email != "ada@mail.example" || c.Source != "STAFF" ||
		c.ResponsiblePractitioner == nil || c.ResponsiblePractitioner.ID != s.practitioner.ID {
		t.Fatalf("new client: %+v", c)
	}
	if len(c.AssignmentHistory) != 1 {
		t.Fatalf("one history row: %+v", c.AssignmentHistory)
	}
	h := c.AssignmentHistory[0]
	if h.Kind != "RESPONSIBLE" || h.Source != "APPOINTMENT" || h.EndedAt != nil || h.Member.ID != s.practitioner.ID ||
		h.AssignedBy == nil || h.AssignedBy.ID != s.scheduler.ID || h.Appointment == nil || h.Appointment.ID != got.ID {
		t.Fatalf("the history says who, to whom, by whom and through which appointment: %+v", h)
	}
	if row := reload(t, e, &ent.ClientRecord{ID: c.ID}); row.ResponsibleID == nil || *row.ResponsibleID != s.practitioner.ID {
		t.Fatalf("stored: %+v", row)
	}

	// In a practice that assigns new clients to their creator, a
	// practitioner booking a colleague still makes the colleague
	// responsible: the appointment's practitioner is §6's choice.
	e2 := graphtest.New(t)
	s2 := newSchedulingTeam(t, e2, func(c *ent.PracticeCreate) {
		c.SetClientVisibility(access.AllTeam).SetAssignNewClientsToCreator(true)
	})
	creator := e2.Member(s2.p)
	out = bookNewClient(t, e2, creator, newClientVars(s2.practitioner, mon(10, 0), map[string]any{"name": "Grace Hopper"}))
	if r := out.CreateAppointment.Client.ResponsiblePractitioner; r == nil || r.ID != s2.practitioner.ID {
		t.Fatalf("the appointment's practitioner, not the creator, is responsible: %+v", out.CreateAppointment.Client)
	}
}

// §6: "A non-admin may not create a client that they then could not see":
// a practitioner in a CARE_TEAM practice who books a colleague for a new
// client would not see it, and nothing is written.
func TestAppointment_NewClient_TheCreatorMustSeeIt(t *testing.T) {
	e := graphtest.New(t)
	s := newSchedulingTeam(t, e)
	colleague := e.Member(s.p)
	before := countRows(t, e)
	requireCode(t, e.As(colleague, createForNewClient, newClientVars(s.practitioner, mon(10, 0), map[string]any{"name": "Unseen"})), "FORBIDDEN")
	requireUnchanged(t, e, before)
	// Booking themself, they are responsible and see it.
	workingWeek(t, e, colleague)
	bookNewClient(t, e, colleague, newClientVars(colleague, mon(10, 0), map[string]any{"name": "Seen"}))
}

// §6: an explicit choice of responsible practitioner needs
// ASSIGN_PRACTITIONERS (or is the creator themself); a creator who may not
// gets an error, never a silent substitution.
func TestAppointment_NewClient_NamingAnotherResponsible_NeedsAssignPractitioners(t *testing.T) {
	e := graphtest.New(t)
	s := newSchedulingTeam(t, e)
	other := e.Member(s.p)
	before := countRows(t, e)
	r := e.As(s.scheduler, createForNewClient, newClientVars(s.practitioner, mon(10, 0),
		map[string]any{"name": "Named", "responsiblePractitionerId": other.ID}))
	got := requireCode(t, r, "FORBIDDEN")
	if !strings.Contains(got.Message, "ASSIGN_PRACTITIONERS") {
		t.Fatalf("the refusal says why: %q", got.Message)
	}
	requireUnchanged(t, e, before)

	// Naming the appointment's own practitioner is what §6 would choose.
	out := bookNewClient(t, e, s.scheduler, newClientVars(s.practitioner, mon(10, 0),
		map[string]any{"name": "Named", "responsiblePractitionerId": s.practitioner.ID}))
	if c := out.CreateAppointment.Client; c.ResponsiblePractitioner.ID != s.practitioner.ID || c.AssignmentHistory[0].Source != "STAFF" {
		t.Fatalf("named: %+v", c)
	}

	coordinatorRole := e.Role(s.p, access.Administrative,
		access.SectionLevels{access.Profile: access.Edit, access.Scheduling: access.Edit},
		[]access.Capability{access.AccessAllClients, access.CreateClients, access.AssignPractitioners})
	coordinator := e.Member(s.p, graphtest.Administrative(), graphtest.WithRole(coordinatorRole))
	out = bookNewClient(t, e, coordinator, newClientVars(s.practitioner, mon(11, 0),
		map[string]any{"name": "Routed elsewhere", "responsiblePractitionerId": other.ID}))
	c := out.CreateAppointment.Client
	if c.ResponsiblePractitioner == nil || c.ResponsiblePractitioner.ID != other.ID || out.CreateAppointment.Practitioner.ID != s.practitioner.ID {
		t.Fatalf("the named practitioner is responsible, the appointment stays with its practitioner: %+v", out.CreateAppointment)
	}
	if h := c.AssignmentHistory[0]; h.Source != "STAFF" || h.Appointment != nil || h.Member.ID != other.ID || h.AssignedBy.ID != coordinator.ID {
		t.Fatalf("a member's choice is recorded as such: %+v", h)
	}

	// A practitioner without ASSIGN_PRACTITIONERS may name themself.
	e2 := graphtest.New(t)
	s2 := newSchedulingTeam(t, e2, func(c *ent.PracticeCreate) { c.SetClientVisibility(access.AllTeam) })
	self := e2.Member(s2.p)
	out = bookNewClient(t, e2, self, newClientVars(s2.practitioner, mon(10, 0),
		map[string]any{"name": "Mine", "responsiblePractitionerId": self.ID}))
	if r := out.CreateAppointment.Client.ResponsiblePractitioner; r == nil || r.ID != self.ID {
		t.Fatalf("self named: %+v", out.CreateAppointment.Client)
	}
}

// §6: a new client needs CREATE_CLIENTS and a role with SCHEDULING EDIT; its
// email and phone are PROFILE fields (§4).
func TestAppointment_NewClient_NeedsCreateClientsAndARoleWithSchedulingEdit(t *testing.T) {
	e := graphtest.New(t)
	s := newSchedulingTeam(t, e)
	noCreate := e.Member(s.p, graphtest.Administrative(), graphtest.WithRole(e.Role(s.p, access.Administrative,
		access.SectionLevels{access.Profile: access.Edit, access.Scheduling: access.Edit},
		[]access.Capability{access.AccessAllClients})))
	schedulingView := e.Member(s.p, graphtest.Administrative(), graphtest.WithRole(e.Role(s.p, access.Administrative,
		access.SectionLevels{access.Profile: access.Edit, access.Scheduling: access.View},
		[]access.Capability{access.AccessAllClients, access.CreateClients})))
	profileView := e.Member(s.p, graphtest.Administrative(), graphtest.WithRole(e.Role(s.p, access.Administrative,
		access.SectionLevels{access.Profile: access.View, access.Scheduling: access.Edit},
		[]access.Capability{access.AccessAllClients, access.CreateClients})))
	before := countRows(t, e)
	requireCode(t, e.As(noCreate, createForNewClient, newClientVars(s.practitioner, mon(10, 0), map[string]any{"name": "A"})), "FORBIDDEN")
	requireForbiddenSection(t, e.As(schedulingView, createForNewClient, newClientVars(s.practitioner, mon(10, 0), map[string]any{"name": "A"})),
		"createAppointment", access.Scheduling)
	requireForbiddenSection(t, e.As(profileView, createForNewClient, newClientVars(s.practitioner, mon(10, 0), map[string]any{"name": "A", "email": "a@mail.example"})),
		"createAppointment", access.Profile)
	requireUnchanged(t, e, before)
	// Without PROFILE fields, PROFILE VIEW is enough.
	bookNewClient(t, e, profileView, newClientVars(s.practitioner, mon(10, 0), map[string]any{"name": "A"}))
}

// The appointment's own write decides with the effective level (§4): a
// role with SCHEDULING EDIT whose holder sees the new client only through
// team member access at VIEW is refused by the Appointment privacy policy
// (rule.DecideSectionEdit) with a typed FORBIDDEN naming SCHEDULING, and the
// client made just before is rolled back with it.
func TestAppointment_NewClient_SeenOnlyAtView_RefusedByTheWritesOwnPolicy(t *testing.T) {
	e := graphtest.New(t)
	s := newSchedulingTeam(t, e)
	assistant := e.Member(s.p, graphtest.Administrative(), graphtest.WithRole(e.Role(s.p, access.Administrative,
		access.SectionLevels{access.Profile: access.Edit, access.Scheduling: access.Edit},
		[]access.Capability{access.CreateClients})))
	e.TeamAccess(assistant, s.practitioner, access.View)
	before := countRows(t, e)
	requireForbiddenSection(t, e.As(assistant, createForNewClient, newClientVars(s.practitioner, mon(10, 0), map[string]any{"name": "Viewed"})),
		"createAppointment", access.Scheduling)
	requireUnchanged(t, e, before)
	// At EDIT, the same booking goes through.
	e.TeamAccess(assistant, s.practitioner, access.Edit)
	bookNewClient(t, e, assistant, newClientVars(s.practitioner, mon(10, 0), map[string]any{"name": "Edited"}))
}

func TestAppointment_BadInput_IsBadUserInput_AndWritesNothing(t *testing.T) {
	e := graphtest.New(t)
	s := newSchedulingTeam(t, e)
	a := book(t, e, s.scheduler, bookVars(s.client, s.practitioner, mon(10, 0), nil))
	before := countRows(t, e)
	newClient := map[string]any{"name": "New"}
	for name, vars := range map[string]map[string]any{
		"0 minutes":                 bookVars(s.client, s.practitioner, mon(12, 0), map[string]any{"minutes": 0}),
		"4 minutes":                 bookVars(s.client, s.practitioner, mon(12, 0), map[string]any{"minutes": 4}),
		"1000 minutes":              bookVars(s.client, s.practitioner, mon(12, 0), map[string]any{"minutes": 1000}),
		"negative minutes":          bookVars(s.client, s.practitioner, mon(12, 0), map[string]any{"minutes": -50}),
		"both client and new":       bookVars(s.client, s.practitioner, mon(12, 0), map[string]any{"newClient": newClient}),
		"neither client nor new":    bookVars(nil, s.practitioner, mon(12, 0), nil),
		"a huge type":               bookVars(s.client, s.practitioner, mon(12, 0), map[string]any{"type": strings.Repeat("x", 10_000)}),
		"a type of 101":             bookVars(s.client, s.practitioner, mon(12, 0), map[string]any{"type": strings.Repeat("x", 101)}),
		"a type with a line break":  bookVars(s.client, s.practitioner, mon(12, 0), map[string]any{"type": "a\nb"}),
		"year 1":                    bookVars(s.client, s.practitioner, time.Date(1, 1, 1, 10, 0, 0, 0, time.UTC), map[string]any{"outsideAvailability": true}),
		"a new client without name": newClientVars(s.practitioner, mon(12, 0), map[string]any{"name": "  "}),
		"a new client's bad email":  newClientVars(s.practitioner, mon(12, 0), map[string]any{"name": "N", "email": "not an email"}),
		"a new client's long phone": newClientVars(s.practitioner, mon(12, 0), map[string]any{"name": "N", "phone": strings.Repeat("1", 51)}),
	} {
		t.Run(name, func(t *testing.T) {
			requireCode(t, e.As(s.scheduler, createAppointment, vars), "BAD_USER_INPUT")
		})
	}
	// A type of exactly 100 characters is accepted.
	if got := book(t, e, s.scheduler, bookVars(s.client, s.practitioner, mon(15, 0), map[string]any{"type": strings.Repeat("x", 100)})); got.AppointmentType == nil || len(*got.AppointmentType) != 100 {
		t.Fatalf("type: %+v", got)
	}
	before.appointments++
	for name, vars := range map[string]map[string]any{
		"0 minutes":    {"id": a.ID, "at": mon(11, 0), "m": 0},
		"1000 minutes": {"id": a.ID, "at": mon(11, 0), "m": 1000},
		"year 1":       {"id": a.ID, "at": time.Date(1, 1, 1, 10, 0, 0, 0, time.UTC), "out": true},
	} {
		t.Run("reschedule, "+name, func(t *testing.T) {
			requireCode(t, e.As(s.scheduler, rescheduleAppointment, vars), "BAD_USER_INPUT")
		})
	}
	t.Run("cancel, a reason of 501", func(t *testing.T) {
		requireCode(t, e.As(s.scheduler, cancelAppointment, map[string]any{"id": a.ID, "r": strings.Repeat("r", 501)}), "BAD_USER_INPUT")
	})
	requireUnchanged(t, e, before)
	if row := stored(t, e, a.ID); row.Status != appointment.StatusBOOKED || !row.StartsAt.Equal(mon(10, 0)) || !row.EndsAt.Equal(mon(10, 50)) {
		t.Fatalf("a refused change changed the appointment: %+v", row)
	}
}

// Staff may record an appointment that has already taken place: a time in
// the past is accepted with the same checks.
func TestAppointment_PastTimes_AreAccepted(t *testing.T) {
	e := graphtest.New(t)
	s := newSchedulingTeam(t, e)
	lastYear := time.Date(2025, time.March, 3, 10, 0, 0, 0, time.UTC) // a Monday
	book(t, e, s.scheduler, bookVars(s.client, s.practitioner, lastYear, nil))
	requireCode(t, e.As(s.scheduler, createAppointment, bookVars(s.client, s.practitioner, lastYear, nil)), "CONFLICT")
}

func TestAppointment_CancelledTwice_IsConflict_AndACancelledOneCannotMove(t *testing.T) {
	e := graphtest.New(t)
	s := newSchedulingTeam(t, e)
	a := book(t, e, s.scheduler, bookVars(s.client, s.practitioner, mon(10, 0), nil))
	first := answer(t, e.As(s.scheduler, cancelAppointment, map[string]any{"id": a.ID, "r": "first"}))
	requireCode(t, e.As(s.scheduler, cancelAppointment, map[string]any{"id": a.ID, "r": "second"}), "CONFLICT")
	requireCode(t, e.As(s.scheduler, rescheduleAppointment, map[string]any{"id": a.ID, "at": mon(11, 0)}), "CONFLICT")
	row := stored(t, e, a.ID)
	if row.CancelReason != "first" || row.CancelledAt == nil || !row.CancelledAt.Equal(*first.CancelledAt) || !row.StartsAt.Equal(mon(10, 0)) {
		t.Fatalf("the first cancellation stands: %+v", row)
	}
}

// Appointment.client and Appointment.minutes; an appointment is read only
// with SCHEDULING VIEW on its client (§4).
func TestAppointment_ReadWithItsClient_OnlyWithSchedulingView(t *testing.T) {
	e := graphtest.New(t)
	s := newSchedulingTeam(t, e)
	a := book(t, e, s.scheduler, bookVars(s.client, s.practitioner, mon(10, 0), map[string]any{"minutes": 45}))
	q := `query($c: ID!, $a: ID!) { client(id: $c) { appointments { id minutes client { id } } } node(id: $a) { ... on Appointment { id minutes client { id name } } } }`
	r := e.As(s.reception, q, map[string]any{"c": s.client.ID, "a": a.ID})
	r.RequireNoErrors(t)
	want := `"appointments":[{"id":"` + string(a.ID) + `","minutes":45,"client":{"id":"` + string(s.client.ID) + `"}}]`
	if !strings.Contains(string(r.Data), want) || !strings.Contains(string(r.Data), `"node":{"id":"`+string(a.ID)+`","minutes":45`) {
		t.Fatalf("reception reads it: %s", r.Data)
	}
	noScheduling := e.Member(s.p, graphtest.Administrative(), graphtest.WithRole(profileOnlyRole(e, s.p)))
	r = e.As(noScheduling, q, map[string]any{"c": s.client.ID, "a": a.ID})
	requireForbiddenSection(t, r, "appointments", access.Scheduling)
	if !strings.Contains(string(r.Data), `"node":null`) {
		t.Fatalf("the appointment is not readable without SCHEDULING: %s", r.Data)
	}
	requireCode(t, e.As(noScheduling, cancelAppointment, map[string]any{"id": a.ID}), "NOT_FOUND")
}
