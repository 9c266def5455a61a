package booking

import (
	"context"
	"time"

	"caseload/ent"
	"caseload/ent/appointment"
	"caseload/ent/availability"
	"caseload/ent/leave"
	"caseload/ent/member"
	"caseload/ent/schema/pulid"
	"caseload/ent/viewer"
	"caseload/graph/capacity"
)

// MaxPeriod bounds one request for open slots, as teamCapacity is bounded.
const MaxPeriod = 31 * 24 * time.Hour

// OpenSlots returns the start times a practitioner of the page can be
// booked at for an appointment of the given length in [from, to), within
// the page's notice and horizon from now. They are computed as teamCapacity
// computes open slots (policy §7): weekly availability placed on local days
// in the practice's time zone, less leave, less existing live appointments,
// here widened by the practice's buffer, stepping by the appointment's
// length from the start of each window.
func OpenSlots(ctx context.Context, db *ent.Client, page *Page, practitioner pulid.ID, minutes int, from, to, now time.Time) ([]time.Time, error) {
	return openSlots(ctx, db, page, practitioner, minutes, from, to, now, "")
}

// openSlots is OpenSlots as if the appointment except were not booked: the
// slots it may move to.
func openSlots(ctx context.Context, db *ent.Client, page *Page, practitioner pulid.ID, minutes int, from, to, now time.Time, except pulid.ID) ([]time.Time, error) {
	from, to = from.UTC(), to.UTC()
	if !to.After(from) || to.Sub(from) > MaxPeriod {
		return nil, bad("the period must run forward and last at most 31 days")
	}
	earliest := now.Add(page.MinimumNotice).UTC()
	latest := now.Add(page.Horizon).UTC()
	if from.Before(earliest) {
		from = earliest
	}
	if to.After(latest) {
		to = latest
	}
	if !to.After(from) {
		return []time.Time{}, nil
	}
	// Windows are placed from the local midnight before from, so that a
	// slot keeps its place on the grid whatever from is.
	local := from.In(page.TimeZone)
	dayStart := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, page.TimeZone).UTC()
	in, err := scheduleOf(ctx, db, page, practitioner, dayStart, to.Add(time.Duration(minutes)*time.Minute), except)
	if err != nil {
		return nil, err
	}
	in.SlotMinutes = minutes
	res := capacity.Compute(in)
	out := []time.Time{}
	for _, s := range res.OpenSlots {
		if !s.Start.Before(from) && s.Start.Before(to) {
			out = append(out, s.Start)
		}
	}
	return out, nil
}

// IsOpen reports whether [start, start+minutes) is one of the open slots.
func IsOpen(ctx context.Context, db *ent.Client, page *Page, practitioner pulid.ID, minutes int, start, now time.Time) (bool, error) {
	return isOpen(ctx, db, page, practitioner, minutes, start, now, "")
}

// isOpenExcept is IsOpen for moving the appointment a.
func isOpenExcept(ctx context.Context, db *ent.Client, page *Page, a *ent.Appointment, minutes int, start, now time.Time) (bool, error) {
	return isOpen(ctx, db, page, a.PractitionerID, minutes, start, now, a.ID)
}

func isOpen(ctx context.Context, db *ent.Client, page *Page, practitioner pulid.ID, minutes int, start, now time.Time, except pulid.ID) (bool, error) {
	slots, err := openSlots(ctx, db, page, practitioner, minutes, start, start.Add(time.Minute), now, except)
	if err != nil {
		return false, err
	}
	return len(slots) == 1 && slots[0].Equal(start), nil
}

// scheduleOf reads the practitioner's windows, leave and live appointments
// (their times only, whatever their clients) over [from, to).
func scheduleOf(ctx context.Context, db *ent.Client, page *Page, practitioner pulid.ID, from, to time.Time, except pulid.ID) (capacity.Input, error) {
	ctx = viewer.Bypass(ctx, "policy §11 and §7: open slots subtract every appointment's time, and show nothing else of it")
	in := capacity.Input{Loc: page.TimeZone, From: from, To: to}
	windows, err := db.Availability.Query().
		Where(availability.MemberIDEQ(practitioner), availability.HasMemberWith(member.PracticeIDEQ(page.PracticeID))).All(ctx)
	if err != nil {
		return in, err
	}
	for _, w := range windows {
		in.Windows = append(in.Windows, capacity.Window{Weekday: time.Weekday(w.Weekday), StartMinute: w.StartMinute, EndMinute: w.EndMinute})
	}
	leaves, err := db.Leave.Query().
		Where(leave.MemberIDEQ(practitioner), leave.StartsAtLT(to), leave.EndsAtGT(from)).All(ctx)
	if err != nil {
		return in, err
	}
	for _, l := range leaves {
		in.Leave = append(in.Leave, capacity.Interval{Start: l.StartsAt, End: l.EndsAt})
	}
	appts, err := db.Appointment.Query().
		Where(appointment.PractitionerIDEQ(practitioner), appointment.StatusNEQ(appointment.StatusCANCELLED),
			appointment.StartsAtLT(to.Add(page.Buffer)), appointment.EndsAtGT(from.Add(-page.Buffer)), appointment.IDNEQ(except)).
		Select(appointment.FieldStartsAt, appointment.FieldEndsAt).All(ctx)
	if err != nil {
		return in, err
	}
	for _, a := range appts {
		in.Booked = append(in.Booked, capacity.Interval{Start: a.StartsAt.Add(-page.Buffer), End: a.EndsAt.Add(page.Buffer)})
	}
	return in, nil
}
