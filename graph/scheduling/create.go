package scheduling

import (
	"context"
	"errors"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/lib/pq"

	"caseload/ent"
	"caseload/ent/appointment"
	"caseload/ent/schema/pulid"
	"caseload/graph/errcode"
)

// The bounds of an appointment: its length in minutes, as Member.slot_minutes
// allows for a slot, and the longest type and cancel reason the Appointment
// schema stores.
const (
	MinMinutes      = 5
	MaxMinutes      = 480
	MaxTypeLength   = 100
	MaxReasonLength = 500
)

// The years an appointment may start in. Staff may record past
// appointments, so any time is accepted, but not one so far off that it can
// only be a typing error (or that SQLite's text comparison of times would
// misorder: a five-digit year).
const (
	minYear = 1900
	maxYear = 9000
)

// constraintName is the PostgreSQL exclusion constraint that refuses two
// overlapping live appointments of one practitioner
// (ent/migrate/migrations/postgres, appointment_no_overlap).
const constraintName = "appointment_no_overlap"

// exclusionViolation is PostgreSQL's SQLSTATE for a violated exclusion
// constraint.
const exclusionViolation = "23P01"

// Booking is an appointment to make (policy §6, "Intake, booking and
// appointments"): staff's createAppointment and the anonymous online booking
// both describe theirs with it.
type Booking struct {
	ClientID, PractitionerID pulid.ID
	StartsAt                 time.Time
	Minutes                  int    // 5..480
	Type                     string // "" allowed, max 100 chars
	OutsideAvailability      bool   // true: skip CheckWithinAvailability
	BookedOnline             bool
	CreatedBy                *pulid.ID
	IdempotencyKey           *string
}

// Check refuses, BAD_USER_INPUT, a booking whose own values are wrong
// whatever the schedule and whoever asks: a length outside 5..480 minutes, a
// type longer than 100 characters or with line breaks, a start in an
// implausible year. It does not look at the IDs.
// Create runs it first; a caller that writes something before Create (the
// new client of createAppointment) runs it before that write, so that a bad
// request writes nothing.
func (b Booking) Check() error {
	_, err := b.normalized()
	return err
}

// normalized checks b and returns it with its type trimmed.
func (b Booking) normalized() (Booking, error) {
	if err := checkMinutes(b.Minutes); err != nil {
		return b, err
	}
	if err := checkStart(b.StartsAt); err != nil {
		return b, err
	}
	b.Type = strings.TrimSpace(b.Type)
	if utf8.RuneCountInString(b.Type) > MaxTypeLength || len(b.Type) > MaxTypeLength {
		return b, errcode.New(errcode.BadUserInput, "the appointment type has at most 100 characters")
	}
	if strings.ContainsFunc(b.Type, func(r rune) bool {
		return r == '\n' || r == '\r' || r == '\t' || unicode.Is(unicode.Bidi_Control, r)
	}) {
		return b, errcode.New(errcode.BadUserInput, "the appointment type must not contain line breaks, tabs or text-direction controls")
	}
	return b, nil
}

func checkMinutes(m int) error {
	if m < MinMinutes || m > MaxMinutes {
		return errcode.New(errcode.BadUserInput, "an appointment lasts from 5 to 480 minutes")
	}
	return nil
}

func checkStart(t time.Time) error {
	if y := t.UTC().Year(); y < minYear || y > maxYear {
		return errcode.New(errcode.BadUserInput, "the start time is not plausible")
	}
	return nil
}

// Create books b (policy §6): it locks the practitioner (refusing one who is
// not an active practitioner of the practice), checks that the time is within
// their availability and outside their leave unless b.OutsideAvailability,
// and that it overlaps none of their live appointments, then inserts the
// appointment through db with ctx, so that privacy decides the write: the
// viewer's effective SCHEDULING EDIT on the client, or the anonymous path's
// own bypass. Times are stored in UTC. A violation of the PostgreSQL
// exclusion constraint, a race the lock did not cover, is the same CONFLICT
// as the check's.
func Create(ctx context.Context, db *ent.Client, b Booking) (*ent.Appointment, error) {
	b, err := b.normalized()
	if err != nil {
		return nil, err
	}
	if b.ClientID == "" || b.PractitionerID == "" {
		return nil, errcode.New(errcode.BadUserInput, "an appointment needs a client and a practitioner")
	}
	start := b.StartsAt.UTC()
	end := start.Add(time.Duration(b.Minutes) * time.Minute)
	if err := LockPractitioner(ctx, db, b.PractitionerID); err != nil {
		return nil, err
	}
	if !b.OutsideAvailability {
		if err := CheckWithinAvailability(ctx, db, b.PractitionerID, start, end); err != nil {
			return nil, err
		}
	}
	if err := CheckFree(ctx, db, b.PractitionerID, start, end, 0, ""); err != nil {
		return nil, err
	}
	create := db.Appointment.Create().
		SetClientID(b.ClientID).
		SetPractitionerID(b.PractitionerID).
		SetStartsAt(start).
		SetEndsAt(end).
		SetBookedOnline(b.BookedOnline).
		SetOutsideAvailability(b.OutsideAvailability).
		SetNillableCreatedByID(b.CreatedBy).
		SetNillableIdempotencyKey(b.IdempotencyKey)
	if b.Type != "" {
		create.SetAppointmentType(b.Type)
	}
	a, err := create.Save(ctx)
	return a, overlapError(err)
}

// Move moves a to startsAt (policy §6: the same rules as booking): its length
// becomes minutes when minutes > 0 (5..480; any other value but 0 is
// BAD_USER_INPUT), and stays as it was when minutes is 0. It locks the practitioner, reads a again, checks
// availability unless outsideAvailability and that the new time overlaps no
// other live appointment, and writes through db with ctx, so that privacy
// decides. outside_availability records outsideAvailability.
//
// A CANCELLED appointment cannot be moved: CONFLICT, because it is the
// appointment's state, not the request, that is wrong (as cancelling twice);
// that holds too when a cancellation commits while the move waits, since
// the update applies only to a live row.
func Move(ctx context.Context, db *ent.Client, a *ent.Appointment, startsAt time.Time, minutes int, outsideAvailability bool) (*ent.Appointment, error) {
	if a == nil {
		return nil, errcode.NotFoundError()
	}
	if minutes != 0 {
		if err := checkMinutes(minutes); err != nil {
			return nil, err
		}
	}
	if err := checkStart(startsAt); err != nil {
		return nil, err
	}
	if err := LockPractitioner(ctx, db, a.PractitionerID); err != nil {
		return nil, err
	}
	// Read again under the lock: another move of it may have committed
	// since the caller loaded it.
	cur, err := db.Appointment.Get(ctx, a.ID)
	if ent.IsNotFound(err) {
		return nil, errcode.NotFoundError()
	}
	if err != nil {
		return nil, err
	}
	if cur.Status == appointment.StatusCANCELLED {
		return nil, errCancelledMove()
	}
	length := cur.EndsAt.Sub(cur.StartsAt)
	if minutes > 0 {
		length = time.Duration(minutes) * time.Minute
	}
	start := startsAt.UTC()
	end := start.Add(length)
	if !outsideAvailability {
		if err := CheckWithinAvailability(ctx, db, cur.PractitionerID, start, end); err != nil {
			return nil, err
		}
	}
	if err := CheckFree(ctx, db, cur.PractitionerID, start, end, 0, cur.ID); err != nil {
		return nil, err
	}
	moved, err := db.Appointment.UpdateOne(cur).
		Where(appointment.StatusNEQ(appointment.StatusCANCELLED)).
		SetStartsAt(start).
		SetEndsAt(end).
		SetOutsideAvailability(outsideAvailability).
		Save(ctx)
	if ent.IsNotFound(err) {
		return nil, errCancelledMove()
	}
	return moved, overlapError(err)
}

func errCancelledMove() error {
	return errcode.New(errcode.Conflict, "a cancelled appointment cannot be moved")
}

// Cancel cancels a (policy §6): status CANCELLED, cancelled_at now, and the
// reason, trimmed, at most 500 characters (BAD_USER_INPUT beyond). Its time
// is free again at once: CheckFree and the exclusion constraint ignore
// cancelled appointments. The write goes through db with ctx, so that
// privacy decides. Cancelling a cancelled appointment is CONFLICT, also when
// another cancellation commits while this one waits: the update applies only
// to a live row.
func Cancel(ctx context.Context, db *ent.Client, a *ent.Appointment, reason string) (*ent.Appointment, error) {
	if a == nil {
		return nil, errcode.NotFoundError()
	}
	reason = strings.TrimSpace(reason)
	if utf8.RuneCountInString(reason) > MaxReasonLength || len(reason) > MaxReasonLength {
		return nil, errcode.New(errcode.BadUserInput, "the reason has at most 500 characters")
	}
	if a.Status == appointment.StatusCANCELLED {
		return nil, errAlreadyCancelled()
	}
	upd := db.Appointment.UpdateOne(a).
		Where(appointment.StatusNEQ(appointment.StatusCANCELLED)).
		SetStatus(appointment.StatusCANCELLED).
		SetCancelledAt(time.Now().UTC())
	if reason != "" {
		upd.SetCancelReason(reason)
	}
	cancelled, err := upd.Save(ctx)
	if ent.IsNotFound(err) {
		return nil, errAlreadyCancelled()
	}
	return cancelled, err
}

func errAlreadyCancelled() error {
	return errcode.New(errcode.Conflict, "the appointment is already cancelled")
}

// overlapError turns a violation of the exclusion constraint
// appointment_no_overlap into the CONFLICT the check answers; Ent does not
// recognise exclusion violations as constraint errors, so without this it
// would be INTERNAL.
func overlapError(err error) error {
	if err == nil {
		return nil
	}
	var pqErr *pq.Error
	if errors.As(err, &pqErr) && (pqErr.Code == exclusionViolation || pqErr.Constraint == constraintName) {
		return errBusy()
	}
	if strings.Contains(err.Error(), constraintName) {
		return errBusy()
	}
	return err
}
