package scheduling_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/vektah/gqlparser/v2/gqlerror"

	"caseload/ent"
	"caseload/ent/appointment"
	"caseload/ent/viewer"
	"caseload/graph/errcode"
	"caseload/graph/graphtest"
	"caseload/graph/scheduling"
)

// TestMain drops the PostgreSQL template database the tests share.
func TestMain(m *testing.M) { graphtest.Main(m) }

// code returns extensions.code of an errcode error, or "".
func code(err error) string {
	var gerr *gqlerror.Error
	if !errors.As(err, &gerr) {
		return ""
	}
	c, _ := gerr.Extensions["code"].(string)
	return c
}

// monday10 is Monday 4 March 2030, 10:00 UTC.
var monday10 = time.Date(2030, time.March, 4, 10, 0, 0, 0, time.UTC)

type fixture struct {
	e   *graphtest.Env
	p   *ent.Practice
	m   *ent.Member
	c   *ent.ClientRecord
	ctx context.Context // the anonymous booking path's: past privacy, in p
}

func newFixture(t *testing.T) *fixture {
	e := graphtest.New(t)
	p := e.Practice()
	m := e.Member(p)
	for d := 1; d <= 5; d++ {
		if err := e.Client().Availability.Create().SetPracticeID(p.ID).SetMemberID(m.ID).
			SetWeekday(d).SetStartMinute(9 * 60).SetEndMinute(17 * 60).Exec(e.Ctx); err != nil {
			t.Fatal(err)
		}
	}
	return &fixture{e: e, p: p, m: m, c: e.NewClient(p, graphtest.ResponsibleIs(m)), ctx: viewer.WithPractice(e.Ctx, p.ID)}
}

// The online booking path books past privacy, online, once per key, with a
// buffer around other appointments (policy §6, §11).
func TestCreate_PastPrivacy_AsTheOnlineBookingPathDoes(t *testing.T) {
	f := newFixture(t)
	key := "key-1"
	a, err := scheduling.Create(f.ctx, f.e.Client(), scheduling.Booking{
		ClientID: f.c.ID, PractitionerID: f.m.ID, StartsAt: monday10.In(time.FixedZone("x", 3600)),
		Minutes: 50, Type: "Intake", BookedOnline: true, IdempotencyKey: &key,
	})
	if err != nil {
		t.Fatal(err)
	}
	if !a.StartsAt.Equal(monday10) || a.StartsAt.Location() != time.UTC || !a.EndsAt.Equal(monday10.Add(50*time.Minute)) ||
		!a.BookedOnline || a.CreatedByID != nil || a.IdempotencyKey == nil || a.PracticeID != f.p.ID {
		t.Fatalf("stored: %+v", a)
	}
	// 10:50 is free back to back, not with a 10-minute buffer.
	end := monday10.Add(100 * time.Minute)
	if err := scheduling.CheckFree(f.ctx, f.e.Client(), f.m.ID, monday10.Add(50*time.Minute), end, 0, ""); err != nil {
		t.Fatalf("back to back: %v", err)
	}
	if err := scheduling.CheckFree(f.ctx, f.e.Client(), f.m.ID, monday10.Add(50*time.Minute), end, 10*time.Minute, ""); code(err) != string(errcode.Conflict) {
		t.Fatalf("within the buffer: %v", err)
	}
	if err := scheduling.CheckFree(f.ctx, f.e.Client(), f.m.ID, monday10.Add(60*time.Minute), end, 10*time.Minute, ""); err != nil {
		t.Fatalf("just past the buffer: %v", err)
	}
	// Buffer before the appointment too: 08:50–09:50 ends ten minutes early.
	if err := scheduling.CheckFree(f.ctx, f.e.Client(), f.m.ID, monday10.Add(-70*time.Minute), monday10.Add(-10*time.Minute), 10*time.Minute, ""); err != nil {
		t.Fatalf("just before the buffer: %v", err)
	}
	if err := scheduling.CheckFree(f.ctx, f.e.Client(), f.m.ID, monday10, end, 0, a.ID); err != nil {
		t.Fatalf("an appointment does not conflict with itself: %v", err)
	}
	// Cancelled, its time is free.
	if _, err := scheduling.Cancel(f.ctx, f.e.Client(), a, "changed plans"); err != nil {
		t.Fatal(err)
	}
	if err := scheduling.CheckFree(f.ctx, f.e.Client(), f.m.ID, monday10, end, 10*time.Minute, ""); err != nil {
		t.Fatalf("a cancelled appointment holds no time: %v", err)
	}
}

func TestLockPractitioner_OnlyAnActivePractitionerOfTheContextsPractice(t *testing.T) {
	f := newFixture(t)
	if err := scheduling.LockPractitioner(f.ctx, f.e.Client(), f.m.ID); err != nil {
		t.Fatal(err)
	}
	other := f.e.Practice()
	admin := f.e.Member(f.p, graphtest.Administrative())
	inactive := f.e.Member(f.p, graphtest.Inactive())
	for name, ctx := range map[string]context.Context{
		"another practice": viewer.WithPractice(f.e.Ctx, other.ID),
	} {
		if err := scheduling.LockPractitioner(ctx, f.e.Client(), f.m.ID); code(err) != string(errcode.BadUserInput) {
			t.Fatalf("%s: %v", name, err)
		}
	}
	for name, m := range map[string]*ent.Member{"administrative": admin, "inactive": inactive} {
		if err := scheduling.LockPractitioner(f.ctx, f.e.Client(), m.ID); code(err) != string(errcode.BadUserInput) {
			t.Fatalf("%s: %v", name, err)
		}
	}
	if err := scheduling.LockPractitioner(f.e.Ctx, f.e.Client(), f.m.ID); !errors.Is(err, scheduling.ErrNoPractice) {
		t.Fatalf("a context without a practice is a programming error: %v", err)
	}
}

func TestMoveAndCancel_KeepLength_RefuseCancelled(t *testing.T) {
	f := newFixture(t)
	db := f.e.Client()
	a, err := scheduling.Create(f.ctx, db, scheduling.Booking{ClientID: f.c.ID, PractitionerID: f.m.ID, StartsAt: monday10, Minutes: 45})
	if err != nil {
		t.Fatal(err)
	}
	moved, err := scheduling.Move(f.ctx, db, a, monday10.Add(2*time.Hour), 0, false)
	if err != nil {
		t.Fatal(err)
	}
	if got := moved.EndsAt.Sub(moved.StartsAt); got != 45*time.Minute || !moved.StartsAt.Equal(monday10.Add(2*time.Hour)) {
		t.Fatalf("moved: %+v", moved)
	}
	// a is stale now: Move reads it again under the lock.
	moved, err = scheduling.Move(f.ctx, db, a, monday10.Add(3*time.Hour), 20, false)
	if err != nil || moved.EndsAt.Sub(moved.StartsAt) != 20*time.Minute {
		t.Fatalf("moved with a length: %+v, %v", moved, err)
	}
	if _, err := scheduling.Move(f.ctx, db, a, monday10.Add(-3*time.Hour), 0, false); code(err) != string(errcode.BadUserInput) {
		t.Fatalf("07:00 is outside availability: %v", err)
	}
	if _, err := scheduling.Cancel(f.ctx, db, a, string(make([]byte, 501))); code(err) != string(errcode.BadUserInput) {
		t.Fatalf("a reason of 501: %v", err)
	}
	cancelled, err := scheduling.Cancel(f.ctx, db, a, "")
	if err != nil || cancelled.Status != appointment.StatusCANCELLED || cancelled.CancelledAt == nil {
		t.Fatalf("cancelled: %+v, %v", cancelled, err)
	}
	// a still says BOOKED: the update itself refuses a cancelled row.
	if _, err := scheduling.Cancel(f.ctx, db, a, ""); code(err) != string(errcode.Conflict) {
		t.Fatalf("cancelling twice: %v", err)
	}
	if _, err := scheduling.Move(f.ctx, db, a, monday10, 0, false); code(err) != string(errcode.Conflict) {
		t.Fatalf("moving a cancelled appointment: %v", err)
	}
}
