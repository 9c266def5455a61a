package policytest

import (
	"fmt"
	"testing"
	"time"

	"caseload/ent/appointment"
	"caseload/graph/graphtest"
)

// 500 invalid submissions from 25 addresses lock a link for everyone.
func TestZZReviewTargetLimitDoS(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	a := e.Member(p)
	f := newIntakeForm(t, e, p, a)
	tok := f.link(t, nil)
	bad := answers("X", map[string]any{"consent": nil}) // invalid: consent missing
	for i := 0; i < 25; i++ {
		ee := e.From(fmt.Sprintf("198.51.100.%d:1234", i+1))
		for j := 0; j < 20; j++ {
			r := submit(ee, tok, bad, newKey())
			if len(r.Errors) != 1 || r.Errors[0].Code() != "BAD_USER_INPUT" {
				t.Fatalf("%d/%d: %+v", i, j, r.Errors)
			}
		}
	}
	n, _ := e.Client().ClientRecord.Query().Count(e.Ctx)
	r := submit(e.From("203.0.113.9:1"), tok, answers("Real Person", nil), newKey())
	t.Logf("clients created by the flood: %d; a genuine person afterwards: %+v", n, r.Errors)
}

func TestZZReviewCancelPastAndWhileOff(t *testing.T) {
	e := graphtest.New(t)
	f := newBookingPage(t, e)
	sl := f.slots(t)
	var tokens []string
	for i := 0; i < 2; i++ {
		r := f.book(sl[i*3], fmt.Sprintf("Booker %d", i), newKey())
		r.RequireNoErrors(t)
		var out struct{ BookAppointment struct{ ManageToken string } }
		r.Decode(t, &out)
		tokens = append(tokens, out.BookAppointment.ManageToken)
	}
	// 1: the appointment took place yesterday (still BOOKED, nobody marked it).
	past := time.Now().Add(-24 * time.Hour).UTC().Truncate(time.Minute)
	if _, err := e.Client().Appointment.Update().Where(appointment.StartsAtEQ(sl[0].UTC())).
		SetStartsAt(past).SetEndsAt(past.Add(50 * time.Minute)).Save(e.Ctx); err != nil {
		t.Fatal(err)
	}
	cancel := `mutation($t: String!) { cancelBooking(manageToken: $t) { status startsAt } }`
	r := e.Do("", cancel, map[string]any{"t": tokens[0]})
	t.Logf("cancel a past appointment by token: %s %+v", r.Data, r.Errors)
	move := `mutation($t: String!, $at: Time!) { rescheduleBooking(manageToken: $t, startsAt: $at) { status startsAt } }`
	_ = move
	// 2: booking switched off
	e.As(f.admin, bookingSettingsMutation, map[string]any{"in": map[string]any{"enabled": false}}).RequireNoErrors(t)
	r = e.Do("", cancel, map[string]any{"t": tokens[1]})
	t.Logf("cancel while the practice takes no bookings: %s %+v", r.Data, r.Errors)
}
