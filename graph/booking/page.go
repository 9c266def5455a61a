package booking

import (
	"context"
	"time"

	"caseload/ent"
	"caseload/ent/member"
	"caseload/ent/practice"
	"caseload/ent/schema/access"
	"caseload/ent/schema/forms"
	"caseload/ent/schema/pulid"
	"caseload/ent/viewer"
	"caseload/graph/errcode"
)

// publicRead is why the booking page reads past privacy: it reads only what
// the practice published (policy §11).
const publicRead = "policy §11: a booking page shows only what the practice published"

// ErrUnknownPage is a booking address that names no practice taking
// bookings: the public answer never says whether the practice exists.
var ErrUnknownPage = errcode.New(errcode.NotFound, "there is no booking page at this address")

// ErrUnknownPractitioner is a practitioner the page does not list.
var ErrUnknownPractitioner = errcode.New(errcode.NotFound, "this practitioner does not take bookings here")

// Practitioner is a bookable practitioner as the page shows them.
type Practitioner struct {
	ID   pulid.ID
	Name string
}

// Page is a practice's published booking page.
type Page struct {
	PracticeID       pulid.ID
	PracticeName     string
	TimeZone         *time.Location
	Practitioners    []Practitioner
	AppointmentTypes []forms.AppointmentType
	MinimumNotice    time.Duration
	Horizon          time.Duration
	Buffer           time.Duration
	// FrameAncestors are the origins whose pages may embed this page.
	FrameAncestors []string
	// Slug is the page's address.
	Slug string
}

// PublicPage returns the booking page at slug, or ErrUnknownPage unless the
// practice takes bookings online.
func PublicPage(ctx context.Context, db *ent.Client, slug string) (*Page, error) {
	if CheckSlug(slug) != nil {
		return nil, ErrUnknownPage
	}
	ctx = viewer.Bypass(viewer.Anonymous(ctx), publicRead)
	p, err := db.Practice.Query().Where(practice.BookingSlugEQ(slug), practice.BookingEnabledEQ(true)).Only(ctx)
	if ent.IsNotFound(err) {
		return nil, ErrUnknownPage
	}
	if err != nil {
		return nil, err
	}
	loc, err := time.LoadLocation(p.TimeZone)
	if err != nil {
		loc = time.UTC
	}
	ms, err := db.Member.Query().
		Where(member.PracticeIDEQ(p.ID), member.BookableOnlineEQ(true), member.ActiveEQ(true), member.AccountTypeEQ(access.Practitioner)).
		Order(ent.Asc(member.FieldName), ent.Asc(member.FieldID)).
		Select(member.FieldID, member.FieldName).All(ctx)
	if err != nil {
		return nil, err
	}
	page := &Page{
		PracticeID:       p.ID,
		PracticeName:     p.Name,
		TimeZone:         loc,
		AppointmentTypes: p.BookingAppointmentTypes,
		MinimumNotice:    time.Duration(p.BookingMinNoticeMinutes) * time.Minute,
		Horizon:          time.Duration(p.BookingHorizonDays) * 24 * time.Hour,
		Buffer:           time.Duration(p.BookingBufferMinutes) * time.Minute,
		FrameAncestors:   p.PublicFrameAncestors,
		Slug:             slug,
	}
	for _, m := range ms {
		page.Practitioners = append(page.Practitioners, Practitioner{ID: m.ID, Name: m.Name})
	}
	return page, nil
}

// RateKey names the page for the limits on submissions.
func (p *Page) RateKey() string { return "booking:" + string(p.PracticeID) }

// Practitioner returns the page's practitioner with the id, or
// ErrUnknownPractitioner.
func (p *Page) Practitioner(id pulid.ID) (Practitioner, error) {
	for _, m := range p.Practitioners {
		if m.ID == id {
			return m, nil
		}
	}
	return Practitioner{}, ErrUnknownPractitioner
}

// AppointmentType returns the offered type with the name, or BAD_USER_INPUT.
func (p *Page) AppointmentType(name string) (forms.AppointmentType, error) {
	for _, t := range p.AppointmentTypes {
		if t.Name == name {
			return t, nil
		}
	}
	return forms.AppointmentType{}, bad("this practice does not offer %.100q online", name)
}
