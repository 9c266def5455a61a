package scheduling

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/lib/pq"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"caseload/graph/errcode"
)

// Policy §7: availability is weekly, in the practice's wall-clock time. These
// cases are computed by hand.
func TestWithinWindows_PracticeWallClock_AcrossDaylightSaving(t *testing.T) {
	syd, err := time.LoadLocation("Australia/Sydney")
	if err != nil {
		t.Fatal(err)
	}
	at := func(y int, mo time.Month, d, h, m int) time.Time { return time.Date(y, mo, d, h, m, 0, 0, syd) }
	nineToFive := func(days ...time.Weekday) []Window {
		var ws []Window
		for _, d := range days {
			ws = append(ws, Window{Weekday: d, StartMinute: 9 * 60, EndMinute: 17 * 60})
		}
		return ws
	}
	for _, tc := range []struct {
		name       string
		windows    []Window
		start, end time.Time
		want       bool
	}{
		{"inside", nineToFive(time.Monday), at(2026, 3, 30, 10, 0), at(2026, 3, 30, 10, 50), true},
		{"the whole window", nineToFive(time.Monday), at(2026, 3, 30, 9, 0), at(2026, 3, 30, 17, 0), true},
		{"starts before", nineToFive(time.Monday), at(2026, 3, 30, 8, 30), at(2026, 3, 30, 9, 30), false},
		{"ends after", nineToFive(time.Monday), at(2026, 3, 30, 16, 30), at(2026, 3, 30, 17, 1), false},
		{"another weekday", nineToFive(time.Monday), at(2026, 3, 31, 10, 0), at(2026, 3, 31, 11, 0), false},
		{"no windows", nil, at(2026, 3, 30, 10, 0), at(2026, 3, 30, 11, 0), false},
		{"empty span", nineToFive(time.Monday), at(2026, 3, 30, 10, 0), at(2026, 3, 30, 10, 0), false},
		// Sunday 5 April 2026: clocks go back from 03:00 AEDT to 02:00 AEST.
		// A 01:00–04:00 window is four hours long that day, and 03:30 AEST
		// is inside it.
		{"the day clocks go back", []Window{{time.Sunday, 60, 240}}, at(2026, 4, 5, 3, 30), at(2026, 4, 5, 4, 0), true},
		{"the day clocks go back, 4 hours", []Window{{time.Sunday, 60, 240}}, at(2026, 4, 5, 1, 0), at(2026, 4, 5, 1, 0).Add(4 * time.Hour), true},
		{"the day clocks go back, past the window", []Window{{time.Sunday, 60, 240}}, at(2026, 4, 5, 1, 0), at(2026, 4, 5, 1, 0).Add(4*time.Hour + time.Minute), false},
		// Sunday 4 October 2026: clocks go forward from 02:00 AEST to 03:00
		// AEDT: a 01:00–04:00 window is two hours long.
		{"the day clocks go forward", []Window{{time.Sunday, 60, 240}}, at(2026, 10, 4, 1, 0), at(2026, 10, 4, 1, 0).Add(2 * time.Hour), true},
		{"the day clocks go forward, 3 hours", []Window{{time.Sunday, 60, 240}}, at(2026, 10, 4, 1, 0), at(2026, 10, 4, 1, 0).Add(3 * time.Hour), false},
		// The same wall-clock hours in winter and in summer: 09:00 AEST is
		// 23:00Z, 09:00 AEDT 22:00Z.
		{"summer hours, in UTC", nineToFive(time.Monday), time.Date(2026, 3, 29, 22, 0, 0, 0, time.UTC), time.Date(2026, 3, 29, 23, 0, 0, 0, time.UTC), true},
		{"winter hours, in UTC", nineToFive(time.Monday), time.Date(2026, 4, 5, 22, 0, 0, 0, time.UTC), time.Date(2026, 4, 5, 23, 0, 0, 0, time.UTC), false},
		{"touching windows are one", []Window{{time.Monday, 540, 720}, {time.Monday, 720, 1020}}, at(2026, 3, 30, 11, 30), at(2026, 3, 30, 12, 30), true},
		{"a gap between windows", []Window{{time.Monday, 540, 720}, {time.Monday, 780, 1020}}, at(2026, 3, 30, 11, 30), at(2026, 3, 30, 13, 30), false},
		{"across midnight", []Window{{time.Monday, 1200, 1440}, {time.Tuesday, 0, 120}}, at(2026, 3, 30, 23, 0), at(2026, 3, 31, 1, 0), true},
		{"across midnight, next day closed", []Window{{time.Monday, 1200, 1440}}, at(2026, 3, 30, 23, 0), at(2026, 3, 31, 1, 0), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := WithinWindows(syd, tc.windows, tc.start, tc.end); got != tc.want {
				t.Fatalf("WithinWindows(%s, %s) = %v, want %v", tc.start, tc.end, got, tc.want)
			}
		})
	}
}

func TestBookingCheck_RefusesBadValues(t *testing.T) {
	ok := Booking{ClientID: "CLx", PractitionerID: "MEx", StartsAt: time.Now(), Minutes: 50}
	if err := ok.Check(); err != nil {
		t.Fatalf("a good booking: %v", err)
	}
	long := make([]rune, MaxTypeLength+1)
	for i := range long {
		long[i] = 'a'
	}
	for name, b := range map[string]Booking{
		"0 minutes":        {StartsAt: ok.StartsAt, Minutes: 0},
		"4 minutes":        {StartsAt: ok.StartsAt, Minutes: 4},
		"481 minutes":      {StartsAt: ok.StartsAt, Minutes: 481},
		"a long type":      {StartsAt: ok.StartsAt, Minutes: 50, Type: string(long)},
		"a type with a LF": {StartsAt: ok.StartsAt, Minutes: 50, Type: "a\nb"},
		"year 1":           {StartsAt: time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC), Minutes: 50},
	} {
		t.Run(name, func(t *testing.T) {
			err := b.Check()
			if codeOf(err) != string(errcode.BadUserInput) {
				t.Fatalf("want BAD_USER_INPUT, got %v", err)
			}
		})
	}
}

// A violation of appointment_no_overlap is the check's CONFLICT, however
// the driver wraps it; other errors pass through.
func TestOverlapError_IsTheChecksConflict(t *testing.T) {
	for _, err := range []error{
		&pq.Error{Code: exclusionViolation},
		fmt.Errorf("ent: %w", &pq.Error{Code: exclusionViolation, Constraint: constraintName}),
		errors.New(`pq: conflicting key value violates exclusion constraint "appointment_no_overlap"`),
	} {
		got := overlapError(err)
		if codeOf(got) != string(errcode.Conflict) || !strings.HasSuffix(got.Error(), BusyMessage) {
			t.Fatalf("%v became %v", err, got)
		}
	}
	other := &pq.Error{Code: "23505"}
	if got := overlapError(other); got != other {
		t.Fatalf("a unique violation must pass through, got %v", got)
	}
	if overlapError(nil) != nil {
		t.Fatal("nil must stay nil")
	}
}

// codeOf returns extensions.code of an errcode error, or "".
func codeOf(err error) string {
	var gerr *gqlerror.Error
	if !errors.As(err, &gerr) {
		return ""
	}
	code, _ := gerr.Extensions["code"].(string)
	return code
}
