package publicpage

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/vektah/gqlparser/v2/gqlerror"

	"caseload/ent/schema/forms"
	"caseload/ent/schema/pulid"
	"caseload/graph/booking"
	"caseload/graph/intake"
	"caseload/graph/scalar"
)

// periodDays is how many days of open slots a booking page shows at once.
const periodDays = 7

// Names of the booking form's fields.
const (
	fieldPractitioner = "practitioner"
	fieldType         = "type"
	fieldFrom         = "from"
	fieldSlot         = "slot"
	fieldName         = "name"
	fieldEmail        = "email"
	fieldPhone        = "phone"
)

// bookingView is the booking page: the choices (practitioner, type,
// week), the open slots as radio buttons, and who is booking.
type bookingView struct {
	base
	Action         string
	SlotsURL       string
	Available      bool
	Practitioners  []choice
	Types          []choice
	PractitionerID string
	TypeName       string
	periodView
	Name   string
	Email  string
	Phone  string
	Key    string
	Errors map[string]string
}

// periodView is a period of open slots: the days shown, in the practice's
// time zone, and the links to the periods around it.
type periodView struct {
	Zone    string     `json:"zone"`
	From    string     `json:"from"`
	MinDate string     `json:"minDate"`
	MaxDate string     `json:"maxDate"`
	Prev    string     `json:"prev"`
	Next    string     `json:"next"`
	Label   string     `json:"label"`
	Days    []dayView  `json:"days"`
	PrevURL string     `json:"-"`
	NextURL string     `json:"-"`
	Slots   []slotView `json:"-"`
}

// choice is one option of a select.
type choice struct {
	Value    string
	Label    string
	Selected bool
}

// dayView is one day's open slots.
type dayView struct {
	ID    string     `json:"id"`
	Label string     `json:"label"`
	Slots []slotView `json:"slots"`
}

// slotView is one open slot: its start as RFC 3339 in UTC (the value
// posted), shown in the practice's time zone with the zone named.
type slotView struct {
	ID      string `json:"id"`
	Value   string `json:"value"`
	Label   string `json:"label"`
	Checked bool   `json:"-"`
}

// bookingDone is the confirmation: the booking itself and the link to
// manage it, nothing about anyone else (policy §11).
type bookingDone struct {
	base
	PractitionerName string
	AppointmentType  string
	When             string
	WhenISO          string
	Zone             string
	ManageURL        string
}

// bookingInput is what the booking form posted.
type bookingInput struct {
	practitioner, typ, from, slot string
	name, email, phone, key       string
}

// bookingPage serves GET /book/{slug}: without JavaScript the chooser is a
// GET form that shows this page again with the chosen practitioner's open
// slots for the chosen type and week.
func (h *handler) bookingPage(w http.ResponseWriter, r *http.Request, slug string) {
	page, err := booking.PublicPage(r.Context(), h.opts.Client, slug)
	if err != nil {
		h.failure(w, r, nil, err)
		return
	}
	q := r.URL.Query()
	in := bookingInput{practitioner: q.Get(fieldPractitioner), typ: q.Get(fieldType), from: q.Get(fieldFrom)}
	view, err := h.newBookingView(r, page, in, newKey(), "")
	if err != nil {
		h.failure(w, r, page.FrameAncestors, err)
		return
	}
	h.render(w, r, page.FrameAncestors, http.StatusOK, "booking", view)
}

// slotsJSON serves GET /book/{slug}/slots?practitioner=&type=&from=: the
// open slots of one period as the page shows them, for the script that
// updates the page without a reload.
func (h *handler) slotsJSON(w http.ResponseWriter, r *http.Request, slug string) {
	ctx := r.Context()
	page, err := booking.PublicPage(ctx, h.opts.Client, slug)
	if err != nil {
		o := classify(ctx, err)
		writeJSON(w, o.status, map[string]string{"error": jsonMessage(o)})
		return
	}
	w.Header().Set("Content-Security-Policy", contentSecurityPolicy(page.FrameAncestors))
	q := r.URL.Query()
	pr, errP := page.Practitioner(pulid.ID(q.Get(fieldPractitioner)))
	typ, errT := page.AppointmentType(q.Get(fieldType))
	if errP != nil || errT != nil {
		writeJSON(w, http.StatusUnprocessableEntity, map[string]string{"error": "Choose a practitioner and an appointment type."})
		return
	}
	period, err := h.period(r, page, pr.ID, typ, q.Get(fieldFrom), "", nil)
	if err != nil {
		o := classify(ctx, err)
		o.setRetryAfter(w)
		writeJSON(w, o.status, map[string]string{"error": jsonMessage(o)})
		return
	}
	writeJSON(w, http.StatusOK, period)
}

func jsonMessage(o outcome) string {
	if o.status == http.StatusNotFound {
		return notFoundPage.Message
	}
	return o.message
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"error":"internal error"}`)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// bookingSubmit serves POST /book/{slug}: it books through
// booking.Service.Book, which creates the appointment and the client
// assigned to the booked practitioner (policy §6), and answers the
// confirmation, or the page again with each problem beside its field.
func (h *handler) bookingSubmit(w http.ResponseWriter, r *http.Request, slug string) {
	ctx := r.Context()
	page, err := booking.PublicPage(ctx, h.opts.Client, slug)
	if err != nil {
		h.failure(w, r, nil, err)
		return
	}
	if err := readForm(w, r); err != nil {
		h.formFailure(w, r, page.FrameAncestors, err)
		return
	}
	f := r.PostForm
	in := bookingInput{
		practitioner: f.Get(fieldPractitioner), typ: f.Get(fieldType), from: f.Get(fieldFrom), slot: f.Get(fieldSlot),
		name: f.Get(fieldName), email: f.Get(fieldEmail), phone: f.Get(fieldPhone), key: f.Get(fieldKey),
	}
	pr, errP := page.Practitioner(pulid.ID(in.practitioner))
	typ, errT := page.AppointmentType(in.typ)
	start, errS := time.Parse(time.RFC3339, in.slot)
	if strings.TrimSpace(f.Get(fieldHoneypot)) != "" {
		// A robot: the same confirmation as a person gets, with a link
		// that manages nothing, and nothing saved.
		h.bookingConfirm(w, r, page, &booking.Receipt{
			PracticeName: page.PracticeName, PractitionerName: pr.Name, AppointmentType: typ.Name,
			StartsAt: start, EndsAt: start.Add(time.Duration(typ.Minutes) * time.Minute),
			ManageToken: h.opts.Booking.ManageToken(pulid.MustNew("AP")),
		})
		return
	}
	problems := map[string]string{}
	if errP != nil {
		problems[fieldPractitioner] = "Choose a practitioner."
	}
	if errT != nil {
		problems[fieldType] = "Choose an appointment type."
	}
	if errS != nil {
		problems[fieldSlot] = "Choose one of the times shown."
	}
	for field, v := range map[string]string{fieldName: in.name, fieldEmail: in.email, fieldPhone: in.phone} {
		if err := scalar.CheckText(v); err != nil {
			msg := "This contains characters that cannot be stored."
			var gerr *gqlerror.Error
			if errors.As(err, &gerr) {
				msg = sentence(gerr.Message)
			}
			problems[field] = msg
		}
	}
	if _, ok := problems[fieldName]; !ok && strings.TrimSpace(in.name) == "" {
		problems[fieldName] = "Enter your name."
	}
	if _, ok := problems[fieldEmail]; !ok && strings.TrimSpace(in.email) == "" {
		problems[fieldEmail] = "Enter your email address."
	}
	key := in.key
	if _, err := intake.CheckIdempotencyKey(key); err != nil {
		// Only an altered page sends no key; a fresh one lets the person
		// send the form again.
		key = newKey()
		problems[""] = "This form could not be sent as it was. Please check the details and send it again."
	}
	if len(problems) > 0 {
		h.bookingAgain(w, r, page, in, key, http.StatusUnprocessableEntity, problems)
		return
	}
	receipt, err := h.opts.Booking.Book(ctx, h.opts.Client, booking.Request{
		Slug:            slug,
		PractitionerID:  pr.ID,
		AppointmentType: typ.Name,
		StartsAt:        start,
		Name:            in.name,
		Email:           in.email,
		Phone:           in.phone,
		IdempotencyKey:  key,
	}, h.now())
	if err == nil {
		h.bookingConfirm(w, r, page, receipt)
		return
	}
	o := classify(ctx, err)
	switch {
	case errors.Is(err, booking.ErrSlotTaken):
		in.slot = ""
		h.bookingAgain(w, r, page, in, key, http.StatusConflict, map[string]string{
			fieldSlot: "This time is no longer available. Please choose another time.",
		})
	case errors.Is(err, booking.ErrUnknownPractitioner):
		h.bookingAgain(w, r, page, in, key, http.StatusUnprocessableEntity, map[string]string{
			fieldPractitioner: "This practitioner no longer takes bookings here. Please choose another.",
		})
	case o.status == http.StatusNotFound:
		h.notFound(w, r)
	case o.status == http.StatusUnprocessableEntity:
		h.bookingAgain(w, r, page, in, key, o.status, map[string]string{personField(err): o.message})
	case o.status == http.StatusConflict:
		// The key booked something else already (the person went back
		// and changed the booking): a new key books this one.
		h.bookingAgain(w, r, page, in, newKey(), o.status, map[string]string{
			"": "This form was already used to book an appointment. To book this time as well, check the details and press Book again.",
		})
	default:
		o.setRetryAfter(w)
		h.bookingAgain(w, r, page, in, key, o.status, map[string]string{"": o.message})
	}
}

// personField names the field a BAD_USER_INPUT of booking.Book is about:
// the person's name, email or phone (booking.PersonError), or the
// appointment type; "" for the form as a whole.
func personField(err error) string {
	var person *booking.PersonError
	switch {
	case errors.As(err, &person):
		return map[string]string{"name": fieldName, "email": fieldEmail, "phone": fieldPhone}[person.Field]
	case strings.Contains(err.Error(), "does not offer"):
		return fieldType
	}
	return ""
}

// bookingAgain shows the page again with the person's entries and the
// problems, keeping the idempotency key.
func (h *handler) bookingAgain(w http.ResponseWriter, r *http.Request, page *booking.Page, in bookingInput, key string, status int, problems map[string]string) {
	view, err := h.newBookingView(r, page, in, key, in.slot)
	if err != nil {
		h.failure(w, r, page.FrameAncestors, err)
		return
	}
	view.Name, view.Email, view.Phone = display(in.name), display(in.email), display(in.phone)
	for field, msg := range problems {
		view.Errors[field] = msg
	}
	// The summary in the order of the page.
	targets := map[string]string{
		fieldPractitioner: "practitioner", fieldType: "type", fieldSlot: "slot-list",
		fieldName: "name", fieldEmail: "email", fieldPhone: "phone",
	}
	if len(view.Slots) > 0 {
		targets[fieldSlot] = view.Slots[0].ID
	} else {
		targets[fieldSlot] = "slot-list"
	}
	for _, field := range []string{"", fieldPractitioner, fieldType, fieldSlot, fieldName, fieldEmail, fieldPhone} {
		if msg, ok := problems[field]; ok {
			view.Problems = append(view.Problems, problem{Field: targets[field], Message: msg})
		}
	}
	h.render(w, r, page.FrameAncestors, status, "booking", view)
}

// bookingConfirm answers the confirmation page.
func (h *handler) bookingConfirm(w http.ResponseWriter, r *http.Request, page *booking.Page, rc *booking.Receipt) {
	done := bookingDone{
		base:             base{Title: "Your appointment is booked", PracticeName: page.PracticeName},
		PractitionerName: rc.PractitionerName,
		AppointmentType:  rc.AppointmentType,
		Zone:             page.TimeZone.String(),
		ManageURL:        manageURL(rc.ManageToken),
	}
	if !rc.StartsAt.IsZero() {
		done.When = when(rc.StartsAt, rc.EndsAt, page.TimeZone)
		done.WhenISO = rc.StartsAt.UTC().Format(time.RFC3339)
	}
	h.render(w, r, page.FrameAncestors, http.StatusOK, "booking_done", done)
}

// manageURL is the page where the person who booked manages it.
func manageURL(token string) string { return "/book/manage/" + token }

// newBookingView builds the booking page for the choices in in (the
// first practitioner and type when none or an unknown one is chosen),
// with the slot checked if still open.
func (h *handler) newBookingView(r *http.Request, page *booking.Page, in bookingInput, key, checked string) (bookingView, error) {
	v := bookingView{
		base:      base{Title: "Book an appointment", PracticeName: page.PracticeName},
		Action:    "/book/" + page.Slug,
		SlotsURL:  "/book/" + page.Slug + "/slots",
		Available: len(page.Practitioners) > 0 && len(page.AppointmentTypes) > 0,
		Key:       key,
		Errors:    map[string]string{},
	}
	if !v.Available {
		return v, nil
	}
	pr, err := page.Practitioner(pulid.ID(in.practitioner))
	if err != nil {
		pr = page.Practitioners[0]
	}
	typ, err := page.AppointmentType(in.typ)
	if err != nil {
		typ = page.AppointmentTypes[0]
	}
	v.PractitionerID, v.TypeName = string(pr.ID), typ.Name
	for _, p := range page.Practitioners {
		v.Practitioners = append(v.Practitioners, choice{Value: string(p.ID), Label: p.Name, Selected: p.ID == pr.ID})
	}
	for _, t := range page.AppointmentTypes {
		v.Types = append(v.Types, choice{Value: t.Name, Label: typeLabel(t), Selected: t.Name == typ.Name})
	}
	period, err := h.period(r, page, pr.ID, typ, in.from, checked, nil)
	if err != nil {
		return v, err
	}
	v.periodView = period
	return v, nil
}

// typeLabel is an appointment type with its length.
func typeLabel(t forms.AppointmentType) string {
	return t.Name + " (" + strconv.Itoa(t.Minutes) + " minutes)"
}

// period computes the open slots of the periodDays days from the local
// date from (today when empty, invalid or past), in the practice's time
// zone, through booking.OpenSlots, or for moving a booking (moving not
// nil) through its MoveSlots, where its own time does not count as taken.
func (h *handler) period(r *http.Request, page *booking.Page, practitioner pulid.ID, typ forms.AppointmentType, from, checked string, moving *booking.Managed) (periodView, error) {
	loc := page.TimeZone
	now := h.now()
	today := midnight(now.In(loc))
	last := midnight(now.Add(page.Horizon).In(loc))
	start := today
	if d, err := time.ParseInLocation(time.DateOnly, from, loc); err == nil && d.After(today) {
		start = d
		if start.After(last) {
			start = last
		}
	}
	end := start.AddDate(0, 0, periodDays)
	var slots []time.Time
	var err error
	if moving != nil {
		slots, err = moving.MoveSlots(r.Context(), h.opts.Client, start, end, now)
	} else {
		slots, err = booking.OpenSlots(r.Context(), h.opts.Client, page, practitioner, typ.Minutes, start, end, now)
	}
	if err != nil {
		return periodView{}, err
	}
	v := periodView{
		Zone:    loc.String(),
		From:    start.Format(time.DateOnly),
		MinDate: today.Format(time.DateOnly),
		MaxDate: last.Format(time.DateOnly),
		Label:   start.Format("Monday 2 January") + " to " + end.AddDate(0, 0, -1).Format("Monday 2 January 2006"),
		Days:    []dayView{},
	}
	if start.After(today) {
		v.Prev = maxTime(start.AddDate(0, 0, -periodDays), today).Format(time.DateOnly)
	}
	if end.Before(last) || end.Equal(last) {
		v.Next = end.Format(time.DateOnly)
	}
	link := func(date string) string {
		if date == "" {
			return ""
		}
		q := url.Values{fieldPractitioner: {string(practitioner)}, fieldType: {typ.Name}, fieldFrom: {date}}
		return "/book/" + page.Slug + "?" + q.Encode()
	}
	v.PrevURL, v.NextURL = link(v.Prev), link(v.Next)
	for i, s := range slots {
		local := s.In(loc)
		day := local.Format(time.DateOnly)
		if len(v.Days) == 0 || v.Days[len(v.Days)-1].ID != "day-"+day {
			v.Days = append(v.Days, dayView{ID: "day-" + day, Label: local.Format("Monday 2 January")})
		}
		sv := slotView{
			ID:    "slot-" + strconv.Itoa(i),
			Value: s.UTC().Format(time.RFC3339),
			Label: local.Format("15:04 MST"),
		}
		sv.Checked = checked != "" && sv.Value == checked
		d := &v.Days[len(v.Days)-1]
		d.Slots = append(d.Slots, sv)
		v.Slots = append(v.Slots, sv)
	}
	return v, nil
}

// midnight is the start of t's day in t's location.
func midnight(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, t.Location())
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// when is an appointment's time in the practice's time zone, the zone
// named: "Monday 16 March 2026, 09:00 to 09:50 AEDT (Australia/Sydney time)".
func when(start, end time.Time, loc *time.Location) string {
	s, e := start.In(loc), end.In(loc)
	return s.Format("Monday 2 January 2006, 15:04") + " to " + e.Format("15:04 MST") + " (" + loc.String() + " time)"
}
