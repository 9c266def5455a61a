package capacity

import (
	"testing"
	"time"
)

func sydney(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Australia/Sydney")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// A week in Sydney across the end of daylight saving (Sunday 5 April 2026,
// 03:00 AEDT becomes 02:00 AEST), with appointments and a leave day, against
// slots counted by hand.
func TestCompute_WeekAcrossDaylightSavingEnd_WithLeaveAndAppointments(t *testing.T) {
	loc := sydney(t)
	at := func(d, h, m int) time.Time { return time.Date(2026, time.April, d, h, m, 0, 0, loc) }
	in := Input{
		Loc:  loc,
		From: at(3, 0, 0), // Friday 3 April
		To:   at(8, 0, 0), // Wednesday 8 April
		Windows: []Window{
			{time.Friday, 9 * 60, 12 * 60},  // 3 h: 3 slots
			{time.Sunday, 1 * 60, 4 * 60},   // 01:00–04:00 on the change night: 4 h real time
			{time.Monday, 9 * 60, 17 * 60},  // 8 h, but on leave
			{time.Tuesday, 9 * 60, 11 * 60}, // 2 h: 2 slots, one booked
		},
		SlotMinutes: 60,
		Leave:       []Interval{{at(6, 0, 0), at(7, 0, 0)}},
		Booked:      []Interval{{at(3, 10, 0), at(3, 11, 0)}, {at(7, 9, 30), at(7, 10, 20)}},
	}
	got := Compute(in)
	// Friday 9–12 less the 10:00 booking: 9:00, 11:00. Sunday: four real
	// hours (02:00–03:00 happens twice). Tuesday 9–11: 09:00 overlaps the
	// 09:30 booking, and so does 10:00. Monday is leave.
	wantStarts := []time.Time{
		at(3, 9, 0), at(3, 11, 0),
		at(5, 1, 0), at(5, 1, 0).Add(time.Hour), at(5, 1, 0).Add(2 * time.Hour), at(5, 1, 0).Add(3 * time.Hour),
	}
	if len(got.OpenSlots) != len(wantStarts) {
		t.Fatalf("want %d open slots, got %d: %v", len(wantStarts), len(got.OpenSlots), got.OpenSlots)
	}
	for i, s := range got.OpenSlots {
		if !s.Start.Equal(wantStarts[i]) || s.End.Sub(s.Start) != time.Hour {
			t.Fatalf("slot %d: got %v–%v, want start %v", i, s.Start, s.End, wantStarts[i])
		}
	}
	if got.AvailableMinutes != 3*60+4*60+2*60 {
		t.Fatalf("available minutes: got %d, want %d", got.AvailableMinutes, 9*60)
	}
	if got.BookedMinutes != 60+50 {
		t.Fatalf("booked minutes: got %d, want 110", got.BookedMinutes)
	}
}

// The same wall-clock window is a different UTC instant on either side of
// the change: 09:00 is 22:00Z in AEDT and 23:00Z in AEST.
func TestCompute_WindowKeepsWallClockAcrossChange(t *testing.T) {
	loc := sydney(t)
	got := Compute(Input{
		Loc:         loc,
		From:        time.Date(2026, time.April, 3, 0, 0, 0, 0, loc),
		To:          time.Date(2026, time.April, 7, 0, 0, 0, 0, loc),
		Windows:     []Window{{time.Friday, 9 * 60, 10 * 60}, {time.Monday, 9 * 60, 10 * 60}},
		SlotMinutes: 60,
	})
	if len(got.OpenSlots) != 2 {
		t.Fatalf("got %v", got.OpenSlots)
	}
	if h := got.OpenSlots[0].Start.UTC().Hour(); h != 22 {
		t.Fatalf("Friday 09:00 AEDT is 22:00Z, got %d:00Z", h)
	}
	if h := got.OpenSlots[1].Start.UTC().Hour(); h != 23 {
		t.Fatalf("Monday 09:00 AEST is 23:00Z, got %d:00Z", h)
	}
}

func TestCompute_PeriodClipsWindowsAndPartialSlotsAreNotOffered(t *testing.T) {
	loc := time.UTC
	got := Compute(Input{
		Loc:         loc,
		From:        time.Date(2026, 1, 5, 9, 30, 0, 0, loc), // a Monday, mid-window
		To:          time.Date(2026, 1, 5, 12, 0, 0, 0, loc),
		Windows:     []Window{{time.Monday, 9 * 60, 13 * 60}},
		SlotMinutes: 50,
	})
	// 09:30–12:00 is 150 minutes: three 50-minute slots fit exactly.
	if got.AvailableMinutes != 150 || len(got.OpenSlots) != 3 {
		t.Fatalf("got %d minutes, %d slots", got.AvailableMinutes, len(got.OpenSlots))
	}
}
