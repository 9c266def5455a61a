package policytest

import (
	"errors"
	"fmt"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/lib/pq"

	"caseload/ent"
	"caseload/ent/appointment"
	"caseload/graph/graphtest"
	"caseload/graph/scheduling"
)

// Policy §6 under concurrency: two live appointments of one practitioner
// never overlap, however bookings, moves and cancellations race. Each
// booking locks its practitioner before it checks and writes
// (graph/scheduling); on PostgreSQL the exclusion constraint
// appointment_no_overlap refuses whatever would slip past, and on SQLite
// every write transaction is exclusive. These run on the dialect under test
// (CASELOAD_TEST_DB), so on both.

// raceAll sends the requests at once and returns their answers in order.
func raceAll(reqs ...func() *graphtest.Response) []*graphtest.Response {
	out := make([]*graphtest.Response, len(reqs))
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i, req := range reqs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			out[i] = req()
		}()
	}
	close(start)
	wg.Wait()
	return out
}

// requireNoOverlap fails if two live appointments of m overlap.
func requireNoOverlap(t *testing.T, e *graphtest.Env, m *ent.Member) []*ent.Appointment {
	t.Helper()
	live, err := e.Client().Appointment.Query().
		Where(appointment.PractitionerIDEQ(m.ID), appointment.StatusNEQ(appointment.StatusCANCELLED)).
		All(e.Ctx)
	if err != nil {
		t.Fatal(err)
	}
	sort.Slice(live, func(i, j int) bool { return live[i].StartsAt.Before(live[j].StartsAt) })
	for i := 1; i < len(live); i++ {
		if live[i].StartsAt.Before(live[i-1].EndsAt) {
			t.Fatalf("live appointments overlap: %s–%s and %s–%s",
				live[i-1].StartsAt, live[i-1].EndsAt, live[i].StartsAt, live[i].EndsAt)
		}
	}
	return live
}

func TestAppointmentRace_TwentyOverlappingBookings_ExactlyOneSucceeds(t *testing.T) {
	e := graphtest.New(t)
	s := newSchedulingTeam(t, e)
	token := e.Token(s.scheduler)
	for trial := range 3 {
		day := monday.AddDate(0, 0, trial) // Monday to Wednesday
		clients := make([]*ent.ClientRecord, 20)
		for i := range clients {
			clients[i] = e.NewClient(s.p, graphtest.ResponsibleIs(s.practitioner))
		}
		reqs := make([]func() *graphtest.Response, len(clients))
		for i, c := range clients {
			// 10:00, 10:01, … 10:19, each 50 minutes: every pair overlaps.
			vars := bookVars(c, s.practitioner, day.Add(10*time.Hour+time.Duration(i)*time.Minute), nil)
			reqs[i] = func() *graphtest.Response { return e.Do(token, createAppointment, vars) }
		}
		won := 0
		for _, r := range raceAll(reqs...) {
			switch {
			case len(r.Errors) == 0 && r.Status == 200:
				won++
			case len(r.Errors) == 1 && r.Errors[0].Code() == "CONFLICT" && r.Errors[0].Message == scheduling.BusyMessage:
			default:
				t.Fatalf("trial %d: a racing booking answered status %d %+v", trial, r.Status, r.Errors)
			}
		}
		if won != 1 {
			t.Fatalf("trial %d: %d bookings succeeded, want exactly 1", trial, won)
		}
		var onDay int
		for _, a := range requireNoOverlap(t, e, s.practitioner) {
			if a.StartsAt.After(day) && a.StartsAt.Before(day.Add(24*time.Hour)) {
				onDay++
			}
		}
		if onDay != 1 {
			t.Fatalf("trial %d: %d appointments stored, want 1", trial, onDay)
		}
	}
}

// Bookings for new clients race the same way, and the losers leave no
// client behind: each mutation is one transaction.
func TestAppointmentRace_NewClientBookings_LosersLeaveNoClient(t *testing.T) {
	e := graphtest.New(t)
	s := newSchedulingTeam(t, e)
	token := e.Token(s.scheduler)
	before := countRows(t, e)
	reqs := make([]func() *graphtest.Response, 10)
	for i := range reqs {
		vars := newClientVars(s.practitioner, mon(10, i), map[string]any{"name": fmt.Sprintf("Racer %d", i)})
		reqs[i] = func() *graphtest.Response { return e.Do(token, createForNewClient, vars) }
	}
	won := 0
	for _, r := range raceAll(reqs...) {
		switch {
		case len(r.Errors) == 0:
			won++
		case len(r.Errors) == 1 && r.Errors[0].Code() == "CONFLICT":
		default:
			t.Fatalf("a racing booking answered %+v", r.Errors)
		}
	}
	if won != 1 {
		t.Fatalf("%d bookings succeeded, want 1", won)
	}
	after := countRows(t, e)
	if want := (rowCounts{before.clients + 1, before.appointments + 1, before.assignments + 1}); after != want {
		t.Fatalf("rows after the race: %+v, want %+v", after, want)
	}
	requireNoOverlap(t, e, s.practitioner)
}

// Creating, moving and cancelling race on the same times: every answer is a
// success or CONFLICT, live appointments never overlap, and each answer
// agrees with what was stored.
func TestAppointmentRace_CreateMoveCancel_NeverOverlap(t *testing.T) {
	e := graphtest.New(t)
	s := newSchedulingTeam(t, e)
	token := e.Token(s.scheduler)
	for trial := range 8 {
		m := e.Member(s.p)
		workingWeek(t, e, m)
		c := e.NewClient(s.p, graphtest.ResponsibleIs(m))
		day := monday.AddDate(0, 0, trial%5)
		at := func(h, min int) time.Time {
			return day.Add(time.Duration(h)*time.Hour + time.Duration(min)*time.Minute)
		}
		a := book(t, e, s.scheduler, bookVars(c, m, at(10, 0), nil)) // 10:00–10:50
		b := book(t, e, s.scheduler, bookVars(c, m, at(12, 0), nil)) // 12:00–12:50
		reqs := []func() *graphtest.Response{
			func() *graphtest.Response { return e.Do(token, cancelAppointment, map[string]any{"id": a.ID}) },
			func() *graphtest.Response {
				return e.Do(token, rescheduleAppointment, map[string]any{"id": a.ID, "at": at(11, 0)})
			},
			func() *graphtest.Response { return e.Do(token, createAppointment, bookVars(c, m, at(10, 0), nil)) },
			func() *graphtest.Response { return e.Do(token, createAppointment, bookVars(c, m, at(11, 20), nil)) },
			func() *graphtest.Response {
				return e.Do(token, rescheduleAppointment, map[string]any{"id": b.ID, "at": at(10, 20)})
			},
			func() *graphtest.Response { return e.Do(token, cancelAppointment, map[string]any{"id": b.ID}) },
			func() *graphtest.Response { return e.Do(token, cancelAppointment, map[string]any{"id": b.ID}) },
			func() *graphtest.Response { return e.Do(token, createAppointment, bookVars(c, m, at(12, 10), nil)) },
		}
		answers := raceAll(reqs...)
		for i, r := range answers {
			for _, er := range r.Errors {
				if er.Code() != "CONFLICT" {
					t.Fatalf("trial %d, request %d answered %s: %s", trial, i, er.Code(), er.Message)
				}
			}
		}
		requireNoOverlap(t, e, m)
		// The two cancellations of b: exactly one succeeds.
		if ok6, ok7 := len(answers[5].Errors) == 0, len(answers[6].Errors) == 0; ok6 == ok7 {
			t.Fatalf("trial %d: cancelling twice at once: %+v / %+v", trial, answers[5].Errors, answers[6].Errors)
		}
		if row := stored(t, e, b.ID); row.Status != appointment.StatusCANCELLED || row.CancelledAt == nil {
			t.Fatalf("trial %d: b was cancelled: %+v", trial, row)
		}
		// a was cancelled, and possibly moved first: a move never revives it.
		if row := stored(t, e, a.ID); row.Status != appointment.StatusCANCELLED {
			t.Fatalf("trial %d: a was cancelled: %+v", trial, row)
		}
		if t.Failed() {
			t.Fatalf("trial %d", trial)
		}
	}
}

// The database guard itself: on PostgreSQL the exclusion constraint
// appointment_no_overlap refuses two overlapping live appointments of one
// practitioner even when they are written past the resolvers and their
// lock (here straight through Ent, past privacy), and leaves cancelled,
// back-to-back and other practitioners' appointments alone.
//
// On SQLite there is no exclusion constraint to test: SQLite has none, and
// there every write transaction is exclusive (BEGIN IMMEDIATE), so the
// lock-and-check of graph/scheduling is the whole guard, which the races
// above prove on SQLite too. The test is then a no-op; on PostgreSQL it
// never skips.
func TestAppointment_DatabaseRefusesOverlap_PastTheResolverCheck(t *testing.T) {
	if graphtest.Dialect() != "postgres" {
		t.Log("SQLite has no exclusion constraints: nothing to test on this dialect (see the comment)")
		return
	}
	e := graphtest.New(t)
	s := newSchedulingTeam(t, e)
	colleague := e.Member(s.p)
	insert := func(m *ent.Member, start time.Time, minutes int, status appointment.Status) (*ent.Appointment, error) {
		return e.Client().Appointment.Create().SetPracticeID(s.p.ID).SetClientID(s.client.ID).SetPractitionerID(m.ID).
			SetStartsAt(start).SetEndsAt(start.Add(time.Duration(minutes) * time.Minute)).SetStatus(status).Save(e.Ctx)
	}
	requireExcluded := func(t *testing.T, err error) {
		t.Helper()
		var pqErr *pq.Error
		if !errors.As(err, &pqErr) || pqErr.Code != "23P01" || pqErr.Constraint != "appointment_no_overlap" {
			t.Fatalf("want the exclusion constraint's refusal, got %v", err)
		}
	}
	first, err := insert(s.practitioner, mon(10, 0), 50, appointment.StatusBOOKED)
	if err != nil {
		t.Fatal(err)
	}
	_, err = insert(s.practitioner, mon(10, 30), 50, appointment.StatusBOOKED)
	requireExcluded(t, err)
	// COMPLETED and NO_SHOW hold their time too: only CANCELLED frees it.
	_, err = insert(s.practitioner, mon(10, 0), 10, appointment.StatusNO_SHOW)
	requireExcluded(t, err)
	for name, try := range map[string]func() (*ent.Appointment, error){
		"back to back": func() (*ent.Appointment, error) {
			return insert(s.practitioner, mon(10, 50), 50, appointment.StatusBOOKED)
		},
		"a cancelled one": func() (*ent.Appointment, error) {
			return insert(s.practitioner, mon(10, 0), 50, appointment.StatusCANCELLED)
		},
		"another practitioner": func() (*ent.Appointment, error) { return insert(colleague, mon(10, 0), 50, appointment.StatusBOOKED) },
	} {
		if _, err := try(); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	// Moving into another's time, or reviving a cancelled appointment over
	// a live one, is refused as well.
	cancelled, err := insert(s.practitioner, mon(10, 20), 20, appointment.StatusCANCELLED)
	if err != nil {
		t.Fatal(err)
	}
	requireExcluded(t, e.Client().Appointment.UpdateOne(cancelled).SetStatus(appointment.StatusBOOKED).Exec(e.Ctx))
	later, err := insert(s.practitioner, mon(14, 0), 50, appointment.StatusBOOKED)
	if err != nil {
		t.Fatal(err)
	}
	requireExcluded(t, e.Client().Appointment.UpdateOne(later).SetStartsAt(mon(10, 10)).SetEndsAt(mon(11, 0)).Exec(e.Ctx))
	if row := stored(t, e, first.ID); !row.StartsAt.Equal(mon(10, 0)) {
		t.Fatalf("first: %+v", row)
	}
}

// A violation of the exclusion constraint is answered as the check's
// CONFLICT, never INTERNAL. To reach the constraint past the lock and the
// check, a row that the check does not read is planted: an appointment of
// the practitioner stored under another practice (written past the API;
// the check reads only the practice's own rows, the constraint reads all).
func TestAppointment_ExclusionViolation_IsAnsweredAsTheChecksConflict(t *testing.T) {
	if graphtest.Dialect() != "postgres" {
		t.Log("SQLite has no exclusion constraints: nothing to translate on this dialect")
		return
	}
	e := graphtest.New(t)
	s := newSchedulingTeam(t, e)
	other := e.Practice()
	planted := e.NewClient(other)
	if err := e.Client().Appointment.Create().SetPracticeID(other.ID).SetClientID(planted.ID).SetPractitionerID(s.practitioner.ID).
		SetStartsAt(mon(10, 0)).SetEndsAt(mon(10, 50)).Exec(e.Ctx); err != nil {
		t.Fatal(err)
	}
	before := countRows(t, e)
	for name, vars := range map[string]map[string]any{
		"an existing client": bookVars(s.client, s.practitioner, mon(10, 20), nil),
		"a new client":       newClientVars(s.practitioner, mon(10, 20), map[string]any{"name": "Planted"}),
	} {
		t.Run(name, func(t *testing.T) {
			got := requireCode(t, e.As(s.scheduler, createAppointment, vars), "CONFLICT")
			if got.Message != scheduling.BusyMessage {
				t.Fatalf("message %q", got.Message)
			}
		})
	}
	a := book(t, e, s.scheduler, bookVars(s.client, s.practitioner, mon(11, 0), nil))
	got := requireCode(t, e.As(s.scheduler, rescheduleAppointment, map[string]any{"id": a.ID, "at": mon(10, 30)}), "CONFLICT")
	if got.Message != scheduling.BusyMessage {
		t.Fatalf("message %q", got.Message)
	}
	before.appointments++
	requireUnchanged(t, e, before)
}
