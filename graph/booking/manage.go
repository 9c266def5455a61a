package booking

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"time"

	"caseload/ent"
	"caseload/ent/appointment"
	"caseload/ent/database"
	"caseload/ent/practice"
	"caseload/ent/schema/pulid"
	"caseload/ent/viewer"
	"caseload/graph/errcode"
	"caseload/graph/scheduling"
)

// Receipt is what the person who booked is told: their own appointment,
// and the token that lets them manage it.
type Receipt struct {
	PracticeName     string
	PractitionerName string
	AppointmentType  string
	StartsAt, EndsAt time.Time
	Cancelled        bool
	ManageToken      string
}

// ErrUnknownBooking is a manage token that names no online booking.
var ErrUnknownBooking = errcode.New(errcode.NotFound, "this booking link is not valid")

// manageRead is why managing a booking reads and writes past privacy: the
// token, which only the person who booked was given, names the one
// appointment it acts on.
const manageRead = "policy §11: the person who booked manages their own appointment with the token they were given"

// ManageToken signs the appointment's ID: the appointment's ID, a dot, and
// an HMAC of it under the service's key. It needs no storage, is the same
// for a repeated booking, and cannot be made for another appointment
// without the key.
func (s *Service) ManageToken(id pulid.ID) string {
	return string(id) + "." + s.sign(id)
}

func (s *Service) sign(id pulid.ID) string {
	m := hmac.New(sha256.New, s.Key)
	m.Write([]byte("manage booking:" + string(id)))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// appointmentOf returns the appointment a token names, if its signature
// holds.
func (s *Service) appointmentOf(token string) (pulid.ID, bool) {
	id, sig, ok := strings.Cut(token, ".")
	if !ok || len(token) > 200 || id == "" {
		return "", false
	}
	return pulid.ID(id), hmac.Equal([]byte(sig), []byte(s.sign(pulid.ID(id))))
}

func (s *Service) receipt(practiceName, practitionerName string, a *ent.Appointment) *Receipt {
	return &Receipt{
		PracticeName:     practiceName,
		PractitionerName: practitionerName,
		AppointmentType:  a.AppointmentType,
		StartsAt:         a.StartsAt,
		EndsAt:           a.EndsAt,
		Cancelled:        a.Status == appointment.StatusCANCELLED,
		ManageToken:      s.ManageToken(a.ID),
	}
}

// Lookup returns the booking a token names, or ErrUnknownBooking.
func (s *Service) Lookup(ctx context.Context, db *ent.Client, token string) (*Receipt, error) {
	a, page, err := s.load(ctx, db, token)
	if err != nil {
		return nil, err
	}
	return s.receipt(page.Name, a.Edges.Practitioner.Name, a), nil
}

// load reads the online booking a token names. It takes no lock: a change
// locks the practitioner first, as every booking does, and the scheduling
// functions then change the appointment only if it is still as read.
func (s *Service) load(ctx context.Context, db *ent.Client, token string) (*ent.Appointment, *ent.Practice, error) {
	id, ok := s.appointmentOf(token)
	if !ok {
		return nil, nil, ErrUnknownBooking
	}
	ctx = viewer.Bypass(viewer.Anonymous(ctx), manageRead)
	a, err := db.Appointment.Query().Where(appointment.IDEQ(id), appointment.BookedOnlineEQ(true)).WithPractitioner().Only(ctx)
	if ent.IsNotFound(err) {
		return nil, nil, ErrUnknownBooking
	}
	if err != nil {
		return nil, nil, err
	}
	p, err := db.Practice.Query().Where(practice.IDEQ(a.PracticeID)).Only(ctx)
	if err != nil {
		return nil, nil, err
	}
	return a, p, nil
}

// ErrPassed is a change to a booking whose time has come: what happened at
// it (a session, a missed one) is the practice's record, not the
// booker's to rewrite.
var ErrPassed = errcode.New(errcode.Conflict, "this appointment has started or taken place and can no longer be changed online; please contact the practice")

// Cancel cancels the booking a token names, until it starts, whether or
// not the practice still takes bookings online. Cancelling a cancelled
// booking answers it as it is.
func (s *Service) Cancel(ctx context.Context, db *ent.Client, token string, now time.Time) (*Receipt, error) {
	var out *Receipt
	ctx = viewer.Anonymous(ctx)
	err := database.InTx(ctx, db, func(tx *ent.Client) error {
		a, p, err := s.load(ctx, tx, token)
		if err != nil {
			return err
		}
		if a.Status == appointment.StatusCANCELLED {
			out = s.receipt(p.Name, a.Edges.Practitioner.Name, a)
			return nil
		}
		if a.Status != appointment.StatusBOOKED || !a.StartsAt.After(now) {
			return ErrPassed
		}
		wctx := viewer.WithPractice(viewer.Bypass(ctx, manageRead), a.PracticeID)
		cancelled, err := scheduling.Cancel(wctx, tx, a, "cancelled online by the client")
		if err != nil {
			return err
		}
		out = s.receipt(p.Name, a.Edges.Practitioner.Name, cancelled)
		return nil
	})
	return out, err
}

// Reschedule moves the booking a token names, before it starts, to
// another open slot of the same practitioner and length, if the practice
// still takes bookings and the practitioner is still on its page.
func (s *Service) Reschedule(ctx context.Context, db *ent.Client, token string, startsAt, now time.Time) (*Receipt, error) {
	var out *Receipt
	ctx = viewer.Anonymous(ctx)
	err := database.InTx(ctx, db, func(tx *ent.Client) error {
		a, p, err := s.load(ctx, tx, token)
		if err != nil {
			return err
		}
		if a.Status == appointment.StatusCANCELLED {
			return errcode.New(errcode.Conflict, "this appointment was cancelled; book a new one")
		}
		if a.Status != appointment.StatusBOOKED || !a.StartsAt.After(now) {
			return ErrPassed
		}
		if p.BookingSlug == nil {
			return ErrUnknownPage
		}
		page, err := PublicPage(ctx, tx, *p.BookingSlug)
		if err != nil {
			return err
		}
		if _, err := page.Practitioner(a.PractitionerID); err != nil {
			return err
		}
		wctx := viewer.WithPractice(viewer.Bypass(ctx, manageRead), a.PracticeID)
		if err := scheduling.LockPractitioner(wctx, tx, a.PractitionerID); err != nil {
			return err
		}
		minutes := int(a.EndsAt.Sub(a.StartsAt) / time.Minute)
		// The appointment's own time does not hold the slot it moves to.
		open, err := isOpenExcept(wctx, tx, page, a, minutes, startsAt.UTC(), now)
		if err != nil {
			return err
		}
		if !open {
			return ErrSlotTaken
		}
		moved, err := scheduling.Move(wctx, tx, a, startsAt.UTC(), minutes, false)
		if err != nil {
			return err
		}
		out = s.receipt(p.Name, a.Edges.Practitioner.Name, moved)
		return nil
	})
	return out, err
}

// Managed is a booking as its manage page shows it: the receipt, and what
// moving it needs.
type Managed struct {
	Receipt
	// AppointmentID is the booking's appointment.
	AppointmentID pulid.ID
	// TimeZone is the practice's: times are shown in it.
	TimeZone *time.Location
	// FrameAncestors are the origins that may embed the page.
	FrameAncestors []string
	// Page is the practice's booking page, nil when the booking can no
	// longer be moved online (booking is off, or the practitioner left the
	// page).
	Page           *Page
	PractitionerID pulid.ID
	Minutes        int
}

// Manage returns the booking a token names, with what its page needs, or
// ErrUnknownBooking.
func (s *Service) Manage(ctx context.Context, db *ent.Client, token string) (*Managed, error) {
	a, p, err := s.load(ctx, db, token)
	if err != nil {
		return nil, err
	}
	loc, err := time.LoadLocation(p.TimeZone)
	if err != nil {
		loc = time.UTC
	}
	m := &Managed{
		Receipt:        *s.receipt(p.Name, a.Edges.Practitioner.Name, a),
		AppointmentID:  a.ID,
		TimeZone:       loc,
		FrameAncestors: p.PublicFrameAncestors,
		PractitionerID: a.PractitionerID,
		Minutes:        int(a.EndsAt.Sub(a.StartsAt) / time.Minute),
	}
	if p.BookingSlug != nil {
		page, err := PublicPage(ctx, db, *p.BookingSlug)
		switch {
		case err == nil:
			if _, err := page.Practitioner(a.PractitionerID); err == nil {
				m.Page = page
			}
		case err != ErrUnknownPage:
			return nil, err
		}
	}
	return m, nil
}

// MoveSlots are the open slots a managed booking may move to over [from,
// to): its practitioner's, of its length, as if it were not booked.
func (m *Managed) MoveSlots(ctx context.Context, db *ent.Client, from, to, now time.Time) ([]time.Time, error) {
	if m.Page == nil {
		return []time.Time{}, nil
	}
	return openSlots(ctx, db, m.Page, m.PractitionerID, m.Minutes, from, to, now, m.AppointmentID)
}
