// Package capacity computes a practitioner's open appointment slots and
// minutes over a period (policy §7), from weekly availability in the
// practice's time zone, leave, and existing appointments. It is plain
// arithmetic on times, kept apart from the API so it can be tested against
// hand-computed answers, daylight-saving changes included.
package capacity

import (
	"sort"
	"time"
)

// Window is a weekly working window in local wall-clock time.
type Window struct {
	Weekday     time.Weekday
	StartMinute int // minutes after local midnight
	EndMinute   int
}

// Interval is a half-open span of time [Start, End).
type Interval struct{ Start, End time.Time }

// Input is what one practitioner's capacity is computed from.
type Input struct {
	Loc         *time.Location
	From, To    time.Time
	Windows     []Window
	SlotMinutes int
	// Leave removes time from availability.
	Leave []Interval
	// Booked are the appointments that hold time (not cancelled).
	Booked []Interval
}

// Result is a practitioner's capacity over the period.
type Result struct {
	// OpenSlots are slot-length spans inside availability, outside leave,
	// that no appointment overlaps, in time order.
	OpenSlots []Interval
	// AvailableMinutes is the working time inside the period, less leave.
	AvailableMinutes int
	// BookedMinutes is the appointment time inside the period.
	BookedMinutes int
}

// Compute returns the capacity. Windows are placed on each local calendar
// day with time.Date in the practice's zone, so a window keeps its wall-clock
// hours across a daylight-saving change, and its length in real time changes
// only when the change falls inside it.
func Compute(in Input) Result {
	var res Result
	slot := time.Duration(in.SlotMinutes) * time.Minute
	from, to := in.From.In(in.Loc), in.To.In(in.Loc)
	var working []Interval
	for day := time.Date(from.Year(), from.Month(), from.Day(), 0, 0, 0, 0, in.Loc); day.Before(to); day = day.AddDate(0, 0, 1) {
		for _, w := range in.Windows {
			if w.Weekday != day.Weekday() || w.EndMinute <= w.StartMinute {
				continue
			}
			start := time.Date(day.Year(), day.Month(), day.Day(), w.StartMinute/60, w.StartMinute%60, 0, 0, in.Loc)
			end := time.Date(day.Year(), day.Month(), day.Day(), w.EndMinute/60, w.EndMinute%60, 0, 0, in.Loc)
			working = append(working, subtract(clip(Interval{start, end}, in.From, in.To), in.Leave)...)
		}
	}
	sort.Slice(working, func(i, j int) bool { return working[i].Start.Before(working[j].Start) })
	for _, w := range working {
		res.AvailableMinutes += int(w.End.Sub(w.Start) / time.Minute)
		if slot <= 0 {
			continue
		}
		for t := w.Start; !t.Add(slot).After(w.End); t = t.Add(slot) {
			s := Interval{t, t.Add(slot)}
			if !overlapsAny(s, in.Booked) {
				res.OpenSlots = append(res.OpenSlots, Interval{s.Start.UTC(), s.End.UTC()})
			}
		}
	}
	for _, b := range in.Booked {
		c := clip(b, in.From, in.To)
		if c.End.After(c.Start) {
			res.BookedMinutes += int(c.End.Sub(c.Start) / time.Minute)
		}
	}
	return res
}

func clip(i Interval, from, to time.Time) Interval {
	if i.Start.Before(from) {
		i.Start = from
	}
	if i.End.After(to) {
		i.End = to
	}
	return i
}

func overlapsAny(i Interval, others []Interval) bool {
	for _, o := range others {
		if i.Start.Before(o.End) && o.Start.Before(i.End) {
			return true
		}
	}
	return false
}

// subtract removes the cut intervals from i.
func subtract(i Interval, cuts []Interval) []Interval {
	if !i.End.After(i.Start) {
		return nil
	}
	parts := []Interval{i}
	for _, c := range cuts {
		var next []Interval
		for _, p := range parts {
			if !(p.Start.Before(c.End) && c.Start.Before(p.End)) {
				next = append(next, p)
				continue
			}
			if p.Start.Before(c.Start) {
				next = append(next, Interval{p.Start, c.Start})
			}
			if c.End.Before(p.End) {
				next = append(next, Interval{c.End, p.End})
			}
		}
		parts = next
	}
	return parts
}
