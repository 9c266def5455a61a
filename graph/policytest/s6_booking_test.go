package policytest

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"caseload/ent"
	"caseload/ent/appointment"
	"caseload/ent/assignment"
	"caseload/ent/clientrecord"
	"caseload/ent/schema/access"
	"caseload/ent/schema/pulid"
	"caseload/graph/auth"
	"caseload/graph/graphtest"
	"caseload/graph/server"

	"github.com/ulule/limiter/v3"
)

// Policy §6, new clients ("a client booked online gets the practitioner that
// was booked"), and §11: online booking.

const bookingSettingsMutation = `mutation($in: BookingSettingsInput!) { updateBookingSettings(input: $in) { bookingSettings { enabled slug url practitioners { id } appointmentTypes { name minutes } minimumNoticeMinutes horizonDays bufferMinutes frameAncestors } } }`
const bookMutation = `mutation($slug: String!, $p: ID!, $type: String!, $at: Time!, $client: BookingClientInput!, $key: String!) {
	bookAppointment(slug: $slug, practitionerId: $p, appointmentType: $type, startsAt: $at, client: $client, idempotencyKey: $key) {
		practiceName practitionerName appointmentType startsAt endsAt status manageToken manageUrl } }`
const openSlotsQuery = `query($slug: String!, $p: ID!, $type: String!, $from: Time!, $to: Time!) { publicOpenSlots(slug: $slug, practitionerId: $p, appointmentType: $type, from: $from, to: $to) }`

type bookingFixture struct {
	e      *graphtest.Env
	p      *ent.Practice
	admin  *ent.Member
	a, b   *ent.Member
	slug   string
	loc    *time.Location
	day    time.Time // local midnight of a day three days ahead
	dayEnd time.Time
}

var slugSeq sync.Mutex
var slugN int

// newBookingPage makes a Sydney practice whose practitioner a takes online
// bookings every day 09:00–17:00 for 50-minute initial consultations, with
// 10 minutes' buffer; b is a colleague who does not.
func newBookingPage(t *testing.T, e *graphtest.Env) *bookingFixture {
	t.Helper()
	loc, _ := time.LoadLocation("Australia/Sydney")
	p := e.Practice(func(c *ent.PracticeCreate) { c.SetTimeZone("Australia/Sydney") })
	f := &bookingFixture{e: e, p: p, admin: e.Member(p, graphtest.Admin()), a: e.Member(p), b: e.Member(p), loc: loc}
	slugSeq.Lock()
	slugN++
	f.slug = fmt.Sprintf("test-practice-%d-%d", time.Now().UnixNano()%1e9, slugN)
	slugSeq.Unlock()
	var windows []any
	for d := 0; d < 7; d++ {
		windows = append(windows, map[string]any{"weekday": d, "startMinute": 9 * 60, "endMinute": 17 * 60})
	}
	e.As(f.admin, availabilityMutation, map[string]any{"id": f.a.ID, "w": windows, "s": 50}).RequireNoErrors(t)
	e.As(f.admin, bookingSettingsMutation, map[string]any{"in": map[string]any{
		"enabled": true, "slug": f.slug, "practitionerIds": []pulid.ID{f.a.ID},
		"appointmentTypes":     []any{map[string]any{"name": "Initial consultation", "minutes": 50}},
		"minimumNoticeMinutes": 60, "horizonDays": 30, "bufferMinutes": 10,
	}}).RequireNoErrors(t)
	now := time.Now().In(loc).AddDate(0, 0, 3)
	f.day = time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, loc)
	f.dayEnd = f.day.AddDate(0, 0, 1)
	return f
}

// at is the local time h:m of the fixture's day.
func (f *bookingFixture) at(h, m int) time.Time {
	return time.Date(f.day.Year(), f.day.Month(), f.day.Day(), h, m, 0, 0, f.loc)
}

func (f *bookingFixture) slots(t *testing.T) []time.Time {
	t.Helper()
	r := f.e.Do("", openSlotsQuery, map[string]any{"slug": f.slug, "p": f.a.ID, "type": "Initial consultation", "from": f.day, "to": f.dayEnd})
	r.RequireNoErrors(t)
	var out struct{ PublicOpenSlots []time.Time }
	r.Decode(t, &out)
	return out.PublicOpenSlots
}

func (f *bookingFixture) book(at time.Time, name, key string) *graphtest.Response {
	return f.bookFrom(f.e, at, name, key)
}

// bookFrom books as a caller of e (another client address).
func (f *bookingFixture) bookFrom(e *graphtest.Env, at time.Time, name, key string) *graphtest.Response {
	return e.Do("", bookMutation, map[string]any{"slug": f.slug, "p": f.a.ID, "type": "Initial consultation", "at": at,
		"client": map[string]any{"name": name, "email": strings.ToLower(strings.ReplaceAll(name, " ", ".")) + "@mail.example"}, "key": key})
}

func TestBookingPage_ShowsOnlyWhatThePracticePublished(t *testing.T) {
	e := graphtest.New(t)
	f := newBookingPage(t, e)
	e.NewClient(f.p, graphtest.ResponsibleIs(f.a))
	q := `query($s: String!) { publicBookingPage(slug: $s) { practiceName timeZone practitioners { id name } appointmentTypes { name minutes } minimumNoticeMinutes horizonDays } }`
	r := e.Do("", q, map[string]any{"s": f.slug})
	r.RequireNoErrors(t)
	want := fmt.Sprintf(`{"publicBookingPage":{"practiceName":%q,"timeZone":"Australia/Sydney","practitioners":[{"id":%q,"name":%q}],"appointmentTypes":[{"name":"Initial consultation","minutes":50}],"minimumNoticeMinutes":60,"horizonDays":30}}`,
		f.p.Name, f.a.ID, f.a.Name)
	if string(r.Data) != want {
		t.Fatalf("got %s\nwant %s", r.Data, want)
	}
	// Off, or never there: the same null.
	e.As(f.admin, bookingSettingsMutation, map[string]any{"in": map[string]any{"enabled": false}}).RequireNoErrors(t)
	for _, slug := range []string{f.slug, "no-such-practice", "NOT A SLUG"} {
		r := e.Do("", q, map[string]any{"s": slug})
		r.RequireNoErrors(t)
		if string(r.Data) != `{"publicBookingPage":null}` {
			t.Fatalf("%s: %s", slug, r.Data)
		}
	}
	// A member may not reach the page's practitioner list through slots.
	requireCode(t, e.Do("", openSlotsQuery, map[string]any{"slug": f.slug, "p": f.a.ID, "type": "Initial consultation", "from": f.day, "to": f.dayEnd}), "NOT_FOUND")
}

// Open slots are computed as teamCapacity computes them, in the practice's
// time zone, less appointments widened by the buffer.
func TestBookingOpenSlots_FollowAvailabilityAndBuffer(t *testing.T) {
	e := graphtest.New(t)
	f := newBookingPage(t, e)
	var want []time.Time
	for _, hm := range [][2]int{{9, 0}, {9, 50}, {10, 40}, {11, 30}, {12, 20}, {13, 10}, {14, 0}, {14, 50}, {15, 40}} {
		want = append(want, f.at(hm[0], hm[1]))
	}
	requireTimes(t, f.slots(t), want)
	// A 11:30–12:20 appointment, with 10 minutes either side, takes the
	// 10:40, 11:30 and 12:20 slots.
	c := e.NewClient(f.p, graphtest.ResponsibleIs(f.b))
	if err := e.Client().Appointment.Create().SetPracticeID(f.p.ID).SetClientID(c.ID).SetPractitionerID(f.a.ID).
		SetStartsAt(f.at(11, 30).UTC()).SetEndsAt(f.at(12, 20).UTC()).Exec(e.Ctx); err != nil {
		t.Fatal(err)
	}
	requireTimes(t, f.slots(t), append(append([]time.Time{}, want[:2]...), want[5:]...))
}

func requireTimes(t *testing.T, got, want []time.Time) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d slots %v, want %d %v", len(got), got, len(want), want)
	}
	for i := range got {
		if !got[i].Equal(want[i]) {
			t.Fatalf("slot %d: got %v, want %v", i, got[i], want[i])
		}
	}
}

func TestBookAppointment_CreatesClientAssignedToTheBookedPractitioner(t *testing.T) {
	e := graphtest.New(t)
	f := newBookingPage(t, e)
	capacityBefore := openSlotCount(t, e, f)
	r := f.book(f.at(9, 50), "Booked Online", newKey())
	r.RequireNoErrors(t)
	for _, want := range []string{`"practitionerName":"` + f.a.Name, `"appointmentType":"Initial consultation"`, `"status":"BOOKED"`, `"manageUrl":"/book/manage/`} {
		if !strings.Contains(string(r.Data), want) {
			t.Fatalf("want %s in %s", want, r.Data)
		}
	}
	c := arrived(t, e, "Booked Online")
	if c.ResponsibleID == nil || *c.ResponsibleID != f.a.ID || c.Source != clientrecord.SourceONLINE_BOOKING || c.Email != "booked.online@mail.example" {
		t.Fatalf("the client goes to the booked practitioner: %+v", c)
	}
	h, err := e.Client().Assignment.Query().Where(assignment.ClientIDEQ(c.ID)).Only(e.Ctx)
	if err != nil || h.Source != assignment.SourceONLINE_BOOKING || h.AppointmentID == nil {
		t.Fatalf("the history names the booking: %+v %v", h, err)
	}
	requireSees(t, e, f.a, []*ent.ClientRecord{c}, c)
	requireSees(t, e, f.b, []*ent.ClientRecord{c})
	ap := e.As(f.a, `query($id: ID!) { client(id: $id) { appointments { startsAt endsAt status bookedOnline appointmentType practitioner { id } } } }`, map[string]any{"id": c.ID})
	ap.RequireNoErrors(t)
	if !strings.Contains(string(ap.Data), `"bookedOnline":true`) || !strings.Contains(string(ap.Data), `"appointmentType":"Initial consultation"`) {
		t.Fatalf("the appointment is on the client: %s", ap.Data)
	}
	if after := openSlotCount(t, e, f); after >= capacityBefore {
		t.Fatalf("teamCapacity's open slots follow at once: %d then %d", capacityBefore, after)
	}
	// The slot is gone for the next person, and so are its neighbours
	// within the buffer.
	requireCode(t, f.book(f.at(9, 50), "Too Late", newKey()), "CONFLICT")
	requireCode(t, f.book(f.at(10, 40), "Buffer", newKey()), "CONFLICT")
	f.book(f.at(11, 30), "Next Free", newKey()).RequireNoErrors(t)
}

func openSlotCount(t *testing.T, e *graphtest.Env, f *bookingFixture) int {
	t.Helper()
	r := e.As(f.admin, `query($f: Time!, $t: Time!) { teamCapacity(from: $f, to: $t) { practitioner { id } openSlotCount } }`, map[string]any{"f": f.day, "t": f.dayEnd})
	r.RequireNoErrors(t)
	var out struct {
		TeamCapacity []struct {
			Practitioner  struct{ ID pulid.ID }
			OpenSlotCount int
		}
	}
	r.Decode(t, &out)
	for _, c := range out.TeamCapacity {
		if c.Practitioner.ID == f.a.ID {
			return c.OpenSlotCount
		}
	}
	t.Fatal("the practitioner is not in teamCapacity")
	return 0
}

func TestBookAppointment_BadRequests_TypedErrors_NothingWritten(t *testing.T) {
	e := graphtest.New(t)
	f := newBookingPage(t, e)
	past := time.Now().Add(-24 * time.Hour)
	for name, tc := range map[string]struct {
		vars map[string]any
		code string
	}{
		"a slot in the past":        {map[string]any{"at": past}, "CONFLICT"},
		"inside the minimum notice": {map[string]any{"at": time.Now().Add(30 * time.Minute).Truncate(time.Hour)}, "CONFLICT"},
		"beyond the horizon":        {map[string]any{"at": f.at(9, 0).AddDate(0, 0, 40)}, "CONFLICT"},
		"off the slot grid":         {map[string]any{"at": f.at(9, 10)}, "CONFLICT"},
		"outside availability":      {map[string]any{"at": f.at(18, 0)}, "CONFLICT"},
		"a practitioner not listed": {map[string]any{"p": f.b.ID}, "NOT_FOUND"},
		"an unknown page":           {map[string]any{"slug": "no-such-page"}, "NOT_FOUND"},
		"a type not offered":        {map[string]any{"type": "Hypnosis"}, "BAD_USER_INPUT"},
		"no email":                  {map[string]any{"client": map[string]any{"name": "No Email", "email": ""}}, "BAD_USER_INPUT"},
		"a megabyte name":           {map[string]any{"client": map[string]any{"name": strings.Repeat("n", 1<<20), "email": "a@b.example"}}, "BAD_USER_INPUT"},
		"a NUL in the name":         {map[string]any{"client": map[string]any{"name": "a\x00b", "email": "a@b.example"}}, "BAD_USER_INPUT"},
		"a short idempotency key":   {map[string]any{"key": "k"}, "BAD_USER_INPUT"},
	} {
		t.Run(name, func(t *testing.T) {
			vars := map[string]any{"slug": f.slug, "p": f.a.ID, "type": "Initial consultation", "at": f.at(9, 0),
				"client": map[string]any{"name": "Someone", "email": "someone@mail.example"}, "key": newKey()}
			for k, v := range tc.vars {
				vars[k] = v
			}
			r := e.Do("", bookMutation, vars)
			if r.Status >= 500 {
				t.Fatalf("bad input answered %d", r.Status)
			}
			if len(r.Errors) == 1 && r.Errors[0].Code() == "BAD_USER_INPUT" && tc.code == "BAD_USER_INPUT" {
				return
			}
			requireCode(t, r, tc.code)
		})
	}
	if n, _ := e.Client().ClientRecord.Query().Count(e.Ctx); n != 0 {
		t.Fatalf("refused bookings wrote %d clients", n)
	}
}

func TestBookAppointment_OneKey_OneBooking(t *testing.T) {
	e := graphtest.New(t)
	f := newBookingPage(t, e)
	key := newKey()
	first := f.book(f.at(9, 0), "Twice Clicked", key)
	first.RequireNoErrors(t)
	again := f.book(f.at(9, 0), "Twice Clicked", key)
	again.RequireNoErrors(t)
	if string(first.Data) != string(again.Data) {
		t.Fatalf("a repeated booking answers the same receipt: %s / %s", first.Data, again.Data)
	}
	// The key of another booking books nothing and reveals nothing of it.
	other := f.book(f.at(13, 10), "Someone Else", key)
	requireCode(t, other, "CONFLICT")
	if strings.Contains(fmt.Sprint(other.Errors), "Twice") {
		t.Fatalf("the conflict reveals the other booking: %v", other.Errors)
	}
	if n, _ := e.Client().Appointment.Query().Count(e.Ctx); n != 1 {
		t.Fatalf("one appointment, got %d", n)
	}
}

// Two people booking the same slot at the same moment: exactly one wins,
// the others are told the slot is gone.
func TestBookAppointment_TwentySimultaneousBookingsOfOneSlot_ExactlyOneWins(t *testing.T) {
	e := graphtest.New(t)
	f := newBookingPage(t, e)
	const n = 20
	codes := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := f.bookFrom(f.e.From(fmt.Sprintf("198.51.100.%d:4000", i+1)), f.at(14, 0), fmt.Sprintf("Racer %02d", i), newKey())
			switch {
			case len(r.Errors) == 0:
				codes[i] = "OK"
			case len(r.Errors) == 1:
				codes[i] = r.Errors[0].Code()
			default:
				codes[i] = fmt.Sprint(r.Errors)
			}
		}()
	}
	wg.Wait()
	won := 0
	for _, c := range codes {
		switch c {
		case "OK":
			won++
		case "CONFLICT":
		default:
			t.Fatalf("a loser is told the slot is gone, with CONFLICT: %q", codes)
		}
	}
	if won != 1 {
		t.Fatalf("exactly one booking wins, got %d: %q", won, codes)
	}
	if c, _ := e.Client().Appointment.Query().Where(appointment.StartsAtEQ(f.at(14, 0).UTC())).Count(e.Ctx); c != 1 {
		t.Fatalf("one appointment at 14:00, got %d", c)
	}
	if c, _ := e.Client().ClientRecord.Query().Count(e.Ctx); c != 1 {
		t.Fatalf("losers leave no client behind, got %d", c)
	}
}

func TestManageBooking_CancelFreesTheSlot_MoveToAnotherOpenSlot(t *testing.T) {
	e := graphtest.New(t)
	f := newBookingPage(t, e)
	r := f.book(f.at(9, 0), "Changes Mind", newKey())
	r.RequireNoErrors(t)
	var out struct{ BookAppointment struct{ ManageToken string } }
	r.Decode(t, &out)
	token := out.BookAppointment.ManageToken
	look := `query($t: String!) { publicBooking(manageToken: $t) { status startsAt practitionerName } }`
	if r := e.Do("", look, map[string]any{"t": token}); !strings.Contains(string(r.Data), `"status":"BOOKED"`) {
		t.Fatalf("the token shows the booking: %s", r.Data)
	}
	// A forged or altered token opens nothing.
	for _, bad := range []string{token + "x", strings.Replace(token, ".", ".A", 1), "AP00000000000000000000000000.abc", "nonsense"} {
		if r := e.Do("", look, map[string]any{"t": bad}); string(r.Data) != `{"publicBooking":null}` {
			t.Fatalf("%q: %s", bad, r.Data)
		}
		requireCode(t, e.Do("", `mutation($t: String!) { cancelBooking(manageToken: $t) { status } }`, map[string]any{"t": bad}), "NOT_FOUND")
	}
	move := `mutation($t: String!, $at: Time!) { rescheduleBooking(manageToken: $t, startsAt: $at) { status startsAt } }`
	requireCode(t, e.Do("", move, map[string]any{"t": token, "at": f.at(9, 10)}), "CONFLICT")
	e.Do("", move, map[string]any{"t": token, "at": f.at(10, 40)}).RequireNoErrors(t)
	// The old slot is open again; the new one is not.
	slots := f.slots(t)
	if !containsTime(slots, f.at(9, 0)) || containsTime(slots, f.at(10, 40)) {
		t.Fatalf("moving frees the old slot and takes the new: %v", slots)
	}
	r = e.Do("", `mutation($t: String!) { cancelBooking(manageToken: $t) { status } }`, map[string]any{"t": token})
	r.RequireNoErrors(t)
	if !strings.Contains(string(r.Data), `"CANCELLED"`) || !containsTime(f.slots(t), f.at(10, 40)) {
		t.Fatalf("cancelling frees the slot: %s %v", r.Data, f.slots(t))
	}
	requireCode(t, e.Do("", move, map[string]any{"t": token, "at": f.at(9, 0)}), "CONFLICT")
}

func containsTime(ts []time.Time, t time.Time) bool {
	for _, x := range ts {
		if x.Equal(t) {
			return true
		}
	}
	return false
}

func TestBookingSettings_ManagedByAdminsAndManageTeam_Checked(t *testing.T) {
	e := graphtest.New(t)
	f := newBookingPage(t, e)
	requireCode(t, e.As(f.a, bookingSettingsMutation, map[string]any{"in": map[string]any{"enabled": false}}), "FORBIDDEN")
	manager := e.Member(f.p, graphtest.Administrative(), graphtest.WithRole(e.Role(f.p, access.Administrative, access.SectionLevels{}, []access.Capability{access.ManageTeam})))
	e.As(manager, bookingSettingsMutation, map[string]any{"in": map[string]any{"enabled": true, "frameAncestors": []string{"https://www.clinic.example"}}}).RequireNoErrors(t)
	other := e.Practice()
	otherAdmin := e.Member(other, graphtest.Admin())
	requireCode(t, e.As(otherAdmin, bookingSettingsMutation, map[string]any{"in": map[string]any{"enabled": false, "slug": f.slug}}), "CONFLICT")
	for name, in := range map[string]map[string]any{
		"bad slug":              {"enabled": true, "slug": "Not A Slug"},
		"no types":              {"enabled": true, "appointmentTypes": []any{}},
		"type too long":         {"enabled": true, "appointmentTypes": []any{map[string]any{"name": "x", "minutes": 1000}}},
		"duplicate types":       {"enabled": true, "appointmentTypes": []any{map[string]any{"name": "A", "minutes": 50}, map[string]any{"name": "a", "minutes": 30}}},
		"administrative member": {"enabled": true, "practitionerIds": []pulid.ID{manager.ID}},
		"no practitioners":      {"enabled": true, "practitionerIds": []pulid.ID{}},
		"a wildcard ancestor":   {"enabled": true, "frameAncestors": []string{"*"}},
		"a script ancestor":     {"enabled": true, "frameAncestors": []string{"https://a.example; script-src *"}},
		"an http ancestor":      {"enabled": true, "frameAncestors": []string{"http://clinic.example"}},
		"a negative buffer":     {"enabled": true, "bufferMinutes": -5},
	} {
		t.Run(name, func(t *testing.T) {
			requireCode(t, e.As(f.admin, bookingSettingsMutation, map[string]any{"in": in}), "BAD_USER_INPUT")
		})
	}
	r := e.As(f.a, `{ practice { bookingSettings { enabled slug url practitioners { id } frameAncestors } } }`, nil)
	r.RequireNoErrors(t)
	if !strings.Contains(string(r.Data), `"url":"/book/`+f.slug+`"`) || !strings.Contains(string(r.Data), `"frameAncestors":["https://www.clinic.example"]`) {
		t.Fatalf("members read the published settings: %s", r.Data)
	}
}

// What a person without an account does is the same, with the same answer,
// whether or not a member's token comes with the request (§11).
func TestPublicSubmissions_WithAMemberToken_ActAsAnonymous(t *testing.T) {
	e := graphtest.New(t)
	f := newBookingPage(t, e)
	intake := newIntakeForm(t, e, f.p, nil)
	token := intake.link(t, nil)
	stranger := e.Member(e.Practice())
	receptionist := e.Member(f.p, graphtest.Administrative())
	for i, m := range []*ent.Member{stranger, receptionist} {
		name := fmt.Sprintf("Token Sender %d", i)
		e.As(m, submitMutation, map[string]any{"token": token, "answers": answers(name, nil), "key": newKey()}).RequireNoErrors(t)
		if c := arrived(t, e, name); c.ResponsibleID != nil || c.PracticeID != f.p.ID {
			t.Fatalf("the intake lands unassigned in the form's practice: %+v", c)
		}
		at := []time.Time{f.at(9, 0), f.at(11, 30)}[i]
		e.As(m, bookMutation, map[string]any{"slug": f.slug, "p": f.a.ID, "type": "Initial consultation", "at": at,
			"client": map[string]any{"name": name + " booked", "email": "token@mail.example"}, "key": newKey()}).RequireNoErrors(t)
		if c := arrived(t, e, name+" booked"); c.ResponsibleID == nil || *c.ResponsibleID != f.a.ID {
			t.Fatalf("the booking goes to the booked practitioner: %+v", c)
		}
	}
}

// Requests that write nothing (taken slots, refused answers) count against
// the sender's address only: they cannot use up a page's submissions and
// lock genuine people out. Written submissions count against the page.
func TestPublicSubmissionLimits_OnlyWrittenSubmissionsFillAPage(t *testing.T) {
	rates := auth.DefaultRates
	rates.PublicSubmissionsPerAddress = limiter.Rate{Period: time.Hour, Limit: 100}
	rates.PublicSubmissionsPerTarget = limiter.Rate{Period: time.Hour, Limit: 2}
	e := graphtest.New(t, func(o *server.Options) { o.SignInLimits = auth.NewMemoryLimits(rates) })
	f := newBookingPage(t, e)
	f.book(f.at(9, 0), "First Booking", newKey()).RequireNoErrors(t)
	for i := range 10 {
		from := e.From(fmt.Sprintf("203.0.113.%d:5000", i+1))
		requireCode(t, f.bookFrom(from, f.at(9, 0), "Junk", newKey()), "CONFLICT")
	}
	f.book(f.at(11, 30), "Second Booking", newKey()).RequireNoErrors(t)
	r := f.book(f.at(13, 10), "Third Booking", newKey())
	requireCode(t, r, "RATE_LIMITED")
	if r.Errors[0].Extensions["retryAfter"] == nil {
		t.Fatalf("a refusal says when to try again: %+v", r.Errors[0])
	}
}

// A booking's time, once come, is the practice's record: the link no longer
// cancels or moves it. Before then it cancels even when the practice has
// stopped taking bookings online.
func TestManageBooking_NoChangeOnceStarted_CancelWhileBookingIsOff(t *testing.T) {
	e := graphtest.New(t)
	f := newBookingPage(t, e)
	tokenOf := func(r *graphtest.Response) string {
		r.RequireNoErrors(t)
		var out struct{ BookAppointment struct{ ManageToken string } }
		r.Decode(t, &out)
		return out.BookAppointment.ManageToken
	}
	past := tokenOf(f.book(f.at(9, 0), "Already Seen", newKey()))
	if err := e.Client().Appointment.Update().Where(appointment.StartsAtEQ(f.at(9, 0).UTC())).
		SetStartsAt(time.Now().Add(-2 * time.Hour)).SetEndsAt(time.Now().Add(-70 * time.Minute)).Exec(e.Ctx); err != nil {
		t.Fatal(err)
	}
	cancel := `mutation($t: String!) { cancelBooking(manageToken: $t) { status } }`
	move := `mutation($t: String!, $at: Time!) { rescheduleBooking(manageToken: $t, startsAt: $at) { status } }`
	requireCode(t, e.Do("", cancel, map[string]any{"t": past}), "CONFLICT")
	requireCode(t, e.Do("", move, map[string]any{"t": past, "at": f.at(13, 10)}), "CONFLICT")
	future := tokenOf(f.book(f.at(11, 30), "Changes Plans", newKey()))
	e.As(f.admin, bookingSettingsMutation, map[string]any{"in": map[string]any{"enabled": false}}).RequireNoErrors(t)
	requireCode(t, e.Do("", move, map[string]any{"t": future, "at": f.at(13, 10)}), "NOT_FOUND")
	r := e.Do("", cancel, map[string]any{"t": future})
	r.RequireNoErrors(t)
	if !strings.Contains(string(r.Data), "CANCELLED") {
		t.Fatalf("a future booking cancels while booking is off: %s", r.Data)
	}
}
