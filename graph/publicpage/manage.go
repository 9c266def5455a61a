package publicpage

import (
	"errors"
	"net/http"
	"time"

	"caseload/ent/schema/forms"
	"caseload/graph/booking"
)

// manageView is the page where the person who booked sees their booking
// and cancels or moves it.
type manageView struct {
	base
	Action           string
	PractitionerName string
	AppointmentType  string
	When             string
	Zone             string
	Cancelled        bool
	Past             bool
	Notice           string
	CanChange        bool
	CanMove          bool
	periodView
	Errors map[string]string
}

// managePage serves GET /book/manage/{token}: the booking, and the forms
// to cancel it or move it to another open slot.
func (h *handler) managePage(w http.ResponseWriter, r *http.Request, token string) {
	h.showManage(w, r, token, http.StatusOK, "", nil)
}

// showManage looks the booking up and shows it, with a notice after a
// change or the problems of a refused one.
func (h *handler) showManage(w http.ResponseWriter, r *http.Request, token string, status int, notice string, problems map[string]string) {
	ctx := r.Context()
	rc, err := h.opts.Booking.Lookup(ctx, h.opts.Client, token)
	if err != nil {
		h.failure(w, r, nil, err)
		return
	}
	place, err := h.opts.Booking.Manage(ctx, h.opts.Client, token)
	if err != nil {
		h.failure(w, r, nil, err)
		return
	}
	now := h.now()
	v := manageView{
		base:             base{Title: "Your appointment", PracticeName: rc.PracticeName},
		Action:           manageURL(token),
		PractitionerName: rc.PractitionerName,
		AppointmentType:  rc.AppointmentType,
		When:             when(rc.StartsAt, rc.EndsAt, place.TimeZone),
		Zone:             place.TimeZone.String(),
		Cancelled:        rc.Cancelled,
		Past:             !rc.StartsAt.After(now),
		Notice:           notice,
		Errors:           map[string]string{},
	}
	v.CanChange = !v.Cancelled && !v.Past
	if v.CanChange && place.Page != nil {
		from := r.URL.Query().Get(fieldFrom)
		if r.Method == http.MethodPost {
			from = r.PostForm.Get(fieldFrom)
		}
		period, err := h.period(r, place.Page, place.PractitionerID, forms.AppointmentType{Name: rc.AppointmentType, Minutes: place.Minutes}, from, "", place)
		if err != nil {
			h.failure(w, r, place.FrameAncestors, err)
			return
		}
		// The week links stay on this page.
		if period.Prev != "" {
			period.PrevURL = manageURL(token) + "?from=" + period.Prev
		}
		if period.Next != "" {
			period.NextURL = manageURL(token) + "?from=" + period.Next
		}
		v.periodView = period
		v.CanMove = true
	}
	for _, field := range []string{"", fieldSlot} {
		if msg, ok := problems[field]; ok {
			v.Errors[field] = msg
			target := ""
			if field == fieldSlot {
				target = "slot-list"
				if len(v.Slots) > 0 {
					target = v.Slots[0].ID
				}
			}
			v.Problems = append(v.Problems, problem{Field: target, Message: msg})
		}
	}
	h.render(w, r, place.FrameAncestors, status, "manage", v)
}

// manageChange serves POST /book/manage/{token}: action=cancel cancels
// through booking.Service.Cancel; action=move with a slot moves through
// booking.Service.Reschedule. Both are safe to repeat.
func (h *handler) manageChange(w http.ResponseWriter, r *http.Request, token string) {
	ctx := r.Context()
	if _, err := h.opts.Booking.Lookup(ctx, h.opts.Client, token); err != nil {
		h.failure(w, r, nil, err)
		return
	}
	if err := readForm(w, r); err != nil {
		h.formFailure(w, r, nil, err)
		return
	}
	var err error
	var notice string
	switch r.PostForm.Get("action") {
	case "cancel":
		_, err = h.opts.Booking.Cancel(ctx, h.opts.Client, token, h.now())
		notice = "Your appointment has been cancelled."
	case "move":
		start, perr := time.Parse(time.RFC3339, r.PostForm.Get(fieldSlot))
		if perr != nil {
			h.showManage(w, r, token, http.StatusUnprocessableEntity, "", map[string]string{fieldSlot: "Choose one of the times shown."})
			return
		}
		_, err = h.opts.Booking.Reschedule(ctx, h.opts.Client, token, start, h.now())
		notice = "Your appointment has been moved."
	default:
		h.showManage(w, r, token, http.StatusUnprocessableEntity, "", map[string]string{"": "Choose whether to cancel or move your appointment."})
		return
	}
	if err == nil {
		h.showManage(w, r, token, http.StatusOK, notice, nil)
		return
	}
	o := classify(ctx, err)
	switch {
	case errors.Is(err, booking.ErrSlotTaken):
		h.showManage(w, r, token, http.StatusConflict, "", map[string]string{fieldSlot: "This time is no longer available. Please choose another time."})
	case o.status == http.StatusNotFound && !errors.Is(err, booking.ErrUnknownBooking):
		// The practice stopped taking bookings, or the practitioner left
		// its page, since the page was shown.
		h.showManage(w, r, token, http.StatusConflict, "", map[string]string{"": "This appointment can no longer be moved online. Please contact the practice."})
	case o.status == http.StatusNotFound:
		h.notFound(w, r)
	default:
		o.setRetryAfter(w)
		h.showManage(w, r, token, o.status, "", map[string]string{"": o.message})
	}
}
