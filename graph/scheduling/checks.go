package scheduling

import (
	"context"
	"errors"
	"sort"
	"time"

	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql"

	"caseload/ent"
	"caseload/ent/appointment"
	"caseload/ent/availability"
	"caseload/ent/leave"
	"caseload/ent/member"
	"caseload/ent/schema/access"
	"caseload/ent/schema/pulid"
	"caseload/ent/viewer"
	"caseload/graph/errcode"
)

// ErrNoPractice is returned when the context names no practice: a
// programming error of the caller, never a user's (see the package doc).
var ErrNoPractice = errors.New("scheduling: the context names no practice")

// NotPractitionerMessage is the answer, BAD_USER_INPUT, when the
// practitioner is not an active PRACTITIONER of the practice (policy §2:
// only they receive bookings). It is the message of the Appointment write's
// own rule (ent/rule/named_members.go), and the same whether the ID is
// unknown, of another practice, inactive or administrative, so that it
// reveals nothing across practices (policy §1).
const NotPractitionerMessage = "an appointment is with an active practitioner of the practice"

// BusyMessage is the CONFLICT answer to a time the practitioner already has
// an appointment at (policy §6): the same from the check and from the
// database's exclusion constraint.
const BusyMessage = "the practitioner already has an appointment at that time"

// OutsideAvailabilityMessage is the BAD_USER_INPUT answer to a time outside
// the practitioner's availability or during their leave. It does not say
// which, so that a booker without VIEW_TEAM learns no more of a
// practitioner's schedule than that this time is not open (policy §7).
const OutsideAvailabilityMessage = "the time is outside the practitioner's availability or during their leave; pass outsideAvailability: true to book it anyway"

func errBusy() error { return errcode.New(errcode.Conflict, BusyMessage) }

// practiceOf returns the practice the context acts in.
func practiceOf(ctx context.Context) (pulid.ID, error) {
	p := viewer.PracticeOf(ctx)
	if p == "" {
		return "", ErrNoPractice
	}
	return p, nil
}

// lockNoKeyUpdate locks the selected rows until the transaction ends. On
// PostgreSQL it is FOR NO KEY UPDATE rather than rule.LockRows' FOR UPDATE:
// it serialises bookers of one practitioner just as well (it conflicts with
// itself), but not with the FOR KEY SHARE lock that every insert referencing
// the member takes (a new client made responsible to them, an assignment,
// the appointment itself), so that a booking and such a write in another
// transaction never deadlock on the member row. On SQLite every write
// transaction is exclusive already (BEGIN IMMEDIATE).
func lockNoKeyUpdate(s *sql.Selector) {
	if s.Dialect() == dialect.Postgres {
		s.For(sql.LockNoKeyUpdate)
	}
}

// LockPractitioner locks the practitioner's member row until the
// transaction ends, so that two bookings of one practitioner check and write
// one after the other (policy §6: appointments never overlap). It refuses,
// BAD_USER_INPUT with NotPractitionerMessage, a practitioner who is not an
// active PRACTITIONER of the context's practice (policy §2). It reads past
// privacy: the anonymous booking path calls it too.
func LockPractitioner(ctx context.Context, db *ent.Client, practitionerID pulid.ID) error {
	practice, err := practiceOf(ctx)
	if err != nil {
		return err
	}
	_, err = db.Member.Query().
		Where(member.IDEQ(practitionerID), member.PracticeIDEQ(practice),
			member.Active(true), member.AccountTypeEQ(access.Practitioner)).
		Modify(lockNoKeyUpdate).
		Only(viewer.Bypass(ctx, "policy §6: a booking locks its practitioner so that appointments never overlap"))
	if ent.IsNotFound(err) {
		return errcode.New(errcode.BadUserInput, NotPractitionerMessage)
	}
	return err
}

// CheckFree returns a CONFLICT error (BusyMessage) if [start-buffer,
// end+buffer) overlaps any live appointment (status other than CANCELLED)
// of the practitioner other than except ("" for none): policy §6, two live
// appointments never overlap; cancelled ones free their time. It reads only
// whether such an appointment exists, past privacy: appointments of clients
// the caller cannot see are counted, never shown. Call it after
// LockPractitioner, in the same transaction.
func CheckFree(ctx context.Context, db *ent.Client, practitionerID pulid.ID, start, end time.Time, buffer time.Duration, except pulid.ID) error {
	practice, err := practiceOf(ctx)
	if err != nil {
		return err
	}
	if buffer < 0 {
		buffer = 0
	}
	q := db.Appointment.Query().Where(
		appointment.PracticeIDEQ(practice),
		appointment.PractitionerIDEQ(practitionerID),
		appointment.StatusNEQ(appointment.StatusCANCELLED),
		appointment.StartsAtLT(end.Add(buffer).UTC()),
		appointment.EndsAtGT(start.Add(-buffer).UTC()),
	)
	if except != "" {
		q.Where(appointment.IDNEQ(except))
	}
	busy, err := q.Exist(viewer.Bypass(ctx, "policy §6: appointments never overlap, whoever their clients are"))
	if err != nil {
		return err
	}
	if busy {
		return errBusy()
	}
	return nil
}

// CheckWithinAvailability returns a BAD_USER_INPUT error
// (OutsideAvailabilityMessage) unless [start, end) lies inside the
// practitioner's weekly availability and overlaps none of their leave
// (policy §6, §7). Windows are placed on each local calendar day of the
// practice's time zone with their wall-clock hours, as graph/capacity places
// them for open slots, so a window keeps its hours across a daylight-saving
// change; windows that touch (Monday 09:00–12:00 and 12:00–17:00, or
// Monday 20:00–24:00 and Tuesday 00:00–02:00) count as one. It reads the
// schedule past privacy: a booker need not hold VIEW_TEAM, and learns only
// whether this one time is open.
func CheckWithinAvailability(ctx context.Context, db *ent.Client, practitionerID pulid.ID, start, end time.Time) error {
	practice, err := practiceOf(ctx)
	if err != nil {
		return err
	}
	start, end = start.UTC(), end.UTC()
	bypass := viewer.Bypass(ctx, "policy §6: a booking must fall within the practitioner's availability, whoever books it")
	p, err := db.Practice.Get(bypass, practice)
	if err != nil {
		return err
	}
	loc, err := time.LoadLocation(p.TimeZone)
	if err != nil {
		loc = time.UTC
	}
	rows, err := db.Availability.Query().
		Where(availability.PracticeIDEQ(practice), availability.MemberIDEQ(practitionerID)).
		All(bypass)
	if err != nil {
		return err
	}
	windows := make([]Window, len(rows))
	for i, w := range rows {
		windows[i] = Window{Weekday: time.Weekday(w.Weekday), StartMinute: w.StartMinute, EndMinute: w.EndMinute}
	}
	if !WithinWindows(loc, windows, start, end) {
		return errcode.New(errcode.BadUserInput, OutsideAvailabilityMessage)
	}
	onLeave, err := db.Leave.Query().
		Where(leave.PracticeIDEQ(practice), leave.MemberIDEQ(practitionerID), leave.StartsAtLT(end), leave.EndsAtGT(start)).
		Exist(bypass)
	if err != nil {
		return err
	}
	if onLeave {
		return errcode.New(errcode.BadUserInput, OutsideAvailabilityMessage)
	}
	return nil
}

// Window is a weekly availability window in the practice's wall-clock time,
// as stored in Availability: minutes after local midnight, end at most 1440.
type Window struct {
	Weekday                time.Weekday
	StartMinute, EndMinute int
}

// span is a half-open interval of time.
type span struct{ start, end time.Time }

// WithinWindows reports whether [start, end) lies inside the union of the
// weekly windows placed on the local days of loc that it touches (policy §7:
// availability is weekly, in the practice's time zone). It is plain
// arithmetic, exported for the online booking path and tested across
// daylight-saving changes.
func WithinWindows(loc *time.Location, windows []Window, start, end time.Time) bool {
	if !end.After(start) {
		return false
	}
	first, last := start.In(loc), end.In(loc)
	var spans []span
	// Days are counted with time.Date's normalisation from the first local
	// day, never by adding 24 hours, so that a 23- or 25-hour day is one day.
	for i := 0; ; i++ {
		day := time.Date(first.Year(), first.Month(), first.Day()+i, 0, 0, 0, 0, loc)
		if day.After(last) {
			break
		}
		for _, w := range windows {
			if w.Weekday != day.Weekday() || w.EndMinute <= w.StartMinute {
				continue
			}
			spans = append(spans, span{
				start: time.Date(day.Year(), day.Month(), day.Day(), w.StartMinute/60, w.StartMinute%60, 0, 0, loc),
				end:   time.Date(day.Year(), day.Month(), day.Day(), w.EndMinute/60, w.EndMinute%60, 0, 0, loc),
			})
		}
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].start.Before(spans[j].start) })
	var merged []span
	for _, s := range spans {
		if n := len(merged); n > 0 && !s.start.After(merged[n-1].end) {
			if s.end.After(merged[n-1].end) {
				merged[n-1].end = s.end
			}
			continue
		}
		merged = append(merged, s)
	}
	for _, s := range merged {
		if !start.Before(s.start) && !end.After(s.end) {
			return true
		}
	}
	return false
}
