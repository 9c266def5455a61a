package booking

import (
	"context"
	"net/mail"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"caseload/ent"
	"caseload/ent/appointment"
	"caseload/ent/assignment"
	"caseload/ent/clientrecord"
	"caseload/ent/database"
	"caseload/ent/schema/pulid"
	"caseload/ent/viewer"
	"caseload/graph/auth"
	outbox "caseload/graph/email"
	"caseload/graph/errcode"
	"caseload/graph/intake"
	"caseload/graph/scheduling"
)

// publicWrite is why a booking writes past privacy: no member makes it; §6
// assigns the client it creates to the booked practitioner.
const publicWrite = "policy §11 and §6: an online booking creates a new client, assigned to the booked practitioner"

// ErrSlotTaken is a slot that is not open (any more): booked by someone
// else, or outside the practitioner's availability, notice or horizon.
var ErrSlotTaken = errcode.New(errcode.Conflict, "this time is no longer available; choose another")

// Request is a booking as the person booking sends it.
type Request struct {
	Slug            string
	PractitionerID  pulid.ID
	AppointmentType string
	StartsAt        time.Time
	Name            string
	Email           string
	Phone           string
	// IdempotencyKey makes a repeated submission book once.
	IdempotencyKey string
}

// Service books appointments online. Its key signs the links that let a
// person manage their own booking.
type Service struct {
	Limits *auth.Limits
	Key    []byte
	// Mail, if set, receives the booking's confirmation, written in the
	// booking's transaction.
	Mail *outbox.Outbox
}

// Book books the slot: in one transaction, with the practitioner locked so
// that of two people booking one slot at the same moment exactly one wins,
// it checks that the slot is open and creates the client (source
// ONLINE_BOOKING, the booked practitioner responsible, the assignment in
// the history) and the appointment. A taken slot is ErrSlotTaken. A key
// already used with the same booking answers the same receipt; with
// another booking, CONFLICT. The answer says nothing about other clients
// (policy §11).
func (s *Service) Book(ctx context.Context, db *ent.Client, r Request, now time.Time) (*Receipt, error) {
	ctx = viewer.Anonymous(ctx)
	key, err := intake.CheckIdempotencyKey(r.IdempotencyKey)
	if err != nil {
		return nil, err
	}
	name, email, phone, err := checkPerson(r.Name, r.Email, r.Phone)
	if err != nil {
		return nil, err
	}
	page, err := PublicPage(ctx, db, r.Slug)
	if err != nil {
		return nil, err
	}
	pr, err := page.Practitioner(r.PractitionerID)
	if err != nil {
		return nil, err
	}
	typ, err := page.AppointmentType(r.AppointmentType)
	if err != nil {
		return nil, err
	}
	if err := s.Limits.BeginPublicSubmission(ctx, auth.RequestOf(ctx).Address, page.RateKey()); err != nil {
		return nil, auth.RefusalError(ctx, err)
	}
	start := r.StartsAt.UTC()
	ctx = viewer.WithPractice(viewer.Bypass(ctx, publicWrite), page.PracticeID)
	var booked *ent.Appointment
	err = database.InTx(ctx, db, func(tx *ent.Client) error {
		if err := scheduling.LockPractitioner(ctx, tx, pr.ID); err != nil {
			return err
		}
		prior, err := tx.Appointment.Query().
			Where(appointment.PracticeIDEQ(page.PracticeID), appointment.IdempotencyKeyEQ(key)).
			WithClient().Only(ctx)
		switch {
		case err == nil:
			if prior.PractitionerID != pr.ID || !prior.StartsAt.Equal(start) || prior.AppointmentType != typ.Name ||
				prior.Edges.Client == nil || prior.Edges.Client.Name != name || prior.Edges.Client.Email != email {
				return errcode.New(errcode.Conflict, "this idempotency key was used for another booking")
			}
			booked = prior
			return nil
		case !ent.IsNotFound(err):
			return err
		}
		open, err := IsOpen(ctx, tx, page, pr.ID, typ.Minutes, start, now)
		if err != nil {
			return err
		}
		if !open {
			return ErrSlotTaken
		}
		client, err := tx.ClientRecord.Create().
			SetPracticeID(page.PracticeID).
			SetName(name).
			SetEmail(email).
			SetNillablePhone(nonEmpty(phone)).
			SetSource(clientrecord.SourceONLINE_BOOKING).
			SetResponsibleID(pr.ID).
			Save(ctx)
		if err != nil {
			return err
		}
		booked, err = scheduling.Create(ctx, tx, scheduling.Booking{
			ClientID:       client.ID,
			PractitionerID: pr.ID,
			StartsAt:       start,
			Minutes:        typ.Minutes,
			Type:           typ.Name,
			BookedOnline:   true,
			IdempotencyKey: &key,
		})
		if err != nil {
			return err
		}
		if err := tx.Assignment.Create().
			SetPracticeID(page.PracticeID).
			SetKind(assignment.KindRESPONSIBLE).
			SetClientID(client.ID).
			SetMemberID(pr.ID).
			SetSource(assignment.SourceONLINE_BOOKING).
			SetAppointmentID(booked.ID).
			SetReason("booked online: " + typ.Name).
			Exec(ctx); err != nil {
			return err
		}
		if s.Mail != nil {
			receipt := s.receipt(page.PracticeName, pr.Name, booked)
			m := s.Mail.BookingConfirmation(email, page.PracticeName, pr.Name, typ.Name, start.In(page.TimeZone), receipt.ManageToken)
			if err := s.Mail.Enqueue(ctx, tx, m); err != nil {
				return err
			}
		}
		return s.Limits.PublicSubmissionWritten(ctx, page.RateKey())
	})
	if err != nil {
		return nil, auth.RefusalError(ctx, err)
	}
	s.Mail.Wake()
	return s.receipt(page.PracticeName, pr.Name, booked), nil
}

// PersonError is a booking whose person details do not fit: Field is
// "name", "email" or "phone". The API answers it BAD_USER_INPUT; the
// booking page shows it beside its field.
type PersonError struct {
	Field, Message string
}

// Error implements error.
func (e *PersonError) Error() string { return e.Message }

// BadUserInput marks the error as the caller's, for the error presenter.
func (*PersonError) BadUserInput() bool { return true }

// checkPerson checks who is booking: a name, an email to reach them, and
// optionally a phone.
func checkPerson(name, email, phone string) (string, string, string, error) {
	name, email, phone = strings.TrimSpace(name), strings.ToLower(strings.TrimSpace(email)), strings.TrimSpace(phone)
	for field, s := range map[string]string{"name": name, "email": email, "phone": phone} {
		if !utf8.ValidString(s) || strings.IndexFunc(s, unicode.IsControl) >= 0 {
			return "", "", "", &PersonError{field, "the " + field + " must be one line of text, without control characters"}
		}
	}
	if name == "" || len(name) > 200 || strings.IndexFunc(name, func(r rune) bool { return unicode.Is(unicode.Bidi_Control, r) }) >= 0 {
		return "", "", "", &PersonError{"name", "your name is one line of 1 to 200 characters"}
	}
	if addr, err := mail.ParseAddress(email); err != nil || addr.Address != email || len(email) > 320 {
		return "", "", "", &PersonError{"email", "enter an email address such as name@example.com"}
	}
	if phone != "" && (len(phone) > 50 || !intake.PhoneLike(phone)) {
		return "", "", "", &PersonError{"phone", "enter a phone number: digits, spaces, +, -, ( and )"}
	}
	return name, email, phone, nil
}

func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
