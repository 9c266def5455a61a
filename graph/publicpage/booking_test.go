package publicpage_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

var sydney = func() *time.Location {
	loc, err := time.LoadLocation("Australia/Sydney")
	if err != nil {
		panic(err)
	}
	return loc
}()

// bookingForm is what the booking page posts for slot s.
func (f *fixture) bookingForm(body, practitioner, s, name, email string) url.Values {
	f.t.Helper()
	return url.Values{
		"idempotency_key": {key(f.t, body)},
		"practitioner":    {practitioner},
		"type":            {"Initial consultation"},
		"from":            {""},
		"slot":            {s},
		"name":            {name},
		"email":           {email},
		"phone":           {""},
		"website":         {""},
	}
}

// book books Alice's n-th open slot as the person name, and returns the
// slot and the confirmation.
func (f *fixture) book(n int, name string) (string, response) {
	f.t.Helper()
	page := f.get("/book/" + slug)
	ss := slots(page.body)
	if len(ss) <= n {
		f.t.Fatalf("only %d slots:\n%s", len(ss), page.body)
	}
	r := f.post("/book/"+slug, f.bookingForm(page.body, string(f.alice.ID), ss[n], name, strings.ToLower(strings.ReplaceAll(name, " ", "."))+"@example.com"))
	r.expect(f.t, http.StatusOK, "Your appointment is booked")
	return ss[n], r
}

func TestBookingPageListsPractitionersAndSlots(t *testing.T) {
	f := newFixture(t)
	r := f.get("/book/" + slug)
	r.expect(t, http.StatusOK,
		`<html lang="en">`, "<h1>Book an appointment</h1>", "Harbourside Psychology",
		`<form method="get" action="/book/harbourside" id="choose"`,
		`<option value="`+string(f.alice.ID)+`" selected>Dr Alice Ng</option>`,
		`<option value="`+string(f.bob.ID)+`">Dr Bob Stone</option>`,
		`<option value="Initial consultation" selected>Initial consultation (50 minutes)</option>`,
		`<option value="Review">Review (30 minutes)</option>`,
		`Times are in <span class="zone-name">Australia/Sydney</span> time.`,
		`<form method="post" action="/book/harbourside" id="book"`,
		`<label for="name">Your name <span class="req">(required)</span></label>`,
		`<input type="email" id="email" name="email" value="" autocomplete="email" required aria-describedby="email-hint">`,
		`<input type="text" id="website" name="website" value="" tabindex="-1" autocomplete="off">`,
		`<fieldset class="day">`,
	)
	if r.header.Get("Content-Security-Policy") != wantCSP {
		t.Fatalf("CSP %q", r.header.Get("Content-Security-Policy"))
	}
	checkLabels(t, r.body)
	ss := slots(r.body)
	if len(ss) < 50 {
		t.Fatalf("%d slots for a week of full days", len(ss))
	}
	now := time.Now()
	for i, s := range ss {
		at, err := time.Parse(time.RFC3339, s)
		if err != nil || at.Before(now.Add(59*time.Minute)) || at.After(now.Add(8*24*time.Hour)) {
			t.Fatalf("slot %q (%v): outside the notice or the week", s, err)
		}
		local := at.In(sydney)
		if (local.Hour()*60+local.Minute())%50 != 0 && local.Hour() != 0 {
			t.Fatalf("slot %s is off the 50-minute grid", local)
		}
		label := regexp.MustCompile(`<label for="slot-` + strconv.Itoa(i) + `">([^<]+)</label>`).FindStringSubmatch(r.body)
		if label == nil || label[1] != local.Format("15:04 MST") {
			t.Fatalf("slot %d is labelled %v, want %s", i, label, local.Format("15:04 MST"))
		}
	}

	// Without JavaScript the chooser is a GET form: Bob, Review, from a
	// later date.
	later := time.Now().In(sydney).AddDate(0, 0, 3).Format(time.DateOnly)
	q := url.Values{"practitioner": {string(f.bob.ID)}, "type": {"Review"}, "from": {later}}
	r = f.get("/book/" + slug + "?" + q.Encode())
	r.expect(t, http.StatusOK,
		`<option value="`+string(f.bob.ID)+`" selected>Dr Bob Stone</option>`,
		`<option value="Review" selected>Review (30 minutes)</option>`,
		`<input type="hidden" name="practitioner" value="`+string(f.bob.ID)+`">`,
		`<input type="hidden" name="type" value="Review">`,
		`value="`+later+`"`,
		`class="prev" href="/book/harbourside?`,
		`class="next" href="/book/harbourside?`,
	)
	bobSlots := slots(r.body)
	first, _ := time.Parse(time.RFC3339, bobSlots[0])
	if got := first.In(sydney).Format(time.DateOnly); got != later {
		t.Fatalf("the first slot is on %s, want %s", got, later)
	}

	// The script's endpoint answers the same slots as JSON.
	j := f.get("/book/" + slug + "/slots?" + q.Encode())
	if j.status != http.StatusOK || !strings.HasPrefix(j.header.Get("Content-Type"), "application/json") {
		t.Fatalf("slots: %d %s", j.status, j.body)
	}
	var period struct {
		Zone, From, Prev, Next, Label string
		Days                          []struct {
			Label string
			Slots []struct{ ID, Value, Label string }
		}
	}
	if err := json.Unmarshal([]byte(j.body), &period); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range period.Days {
		for _, s := range d.Slots {
			got = append(got, s.Value)
		}
	}
	if period.Zone != "Australia/Sydney" || period.From != later || !slices.Equal(got, bobSlots) {
		t.Fatalf("JSON period %+v differs from the page's %d slots", period, len(bobSlots))
	}
	f.get("/book/"+slug+"/slots?practitioner=nobody&type=Review").expect(t, http.StatusUnprocessableEntity)
	if r := f.get("/book/no-such-page/slots?practitioner=x&type=y"); r.status != http.StatusNotFound {
		t.Fatalf("unknown page's slots: %d", r.status)
	}
}

func TestBookingBooksOnceAndRefusesATakenSlot(t *testing.T) {
	f := newFixture(t)
	page := f.get("/book/" + slug)
	s := slots(page.body)[2]
	form := f.bookingForm(page.body, string(f.alice.ID), s, "Sam Taylor", "sam@example.com")
	r := f.post("/book/"+slug, form)
	at, _ := time.Parse(time.RFC3339, s)
	start := at.In(sydney)
	r.expect(t, http.StatusOK, "Your appointment is booked",
		`<dd id="booked-practitioner">Dr Alice Ng</dd>`,
		`<dd id="booked-type">Initial consultation</dd>`,
		start.Format("Monday 2 January 2006, 15:04")+" to "+start.Add(50*time.Minute).Format("15:04 MST")+" (Australia/Sydney time)",
	)
	link := manageLink(t, r.body)
	if r.header.Get("Content-Security-Policy") != wantCSP {
		t.Fatalf("CSP %q", r.header.Get("Content-Security-Policy"))
	}

	cs := f.clientsAs(f.alice)
	if len(cs) != 1 || cs[0].Name != "Sam Taylor" || cs[0].Source != "ONLINE_BOOKING" ||
		cs[0].Responsible == nil || cs[0].Responsible.ID != string(f.alice.ID) {
		t.Fatalf("Alice sees %+v", cs)
	}
	if len(cs[0].Appointments) != 1 || cs[0].Appointments[0].Status != "BOOKED" {
		t.Fatalf("appointments %+v", cs[0].Appointments)
	}
	if st, _ := time.Parse(time.RFC3339, cs[0].Appointments[0].StartsAt); !st.Equal(at) {
		t.Fatalf("the appointment starts at %s, want %s", cs[0].Appointments[0].StartsAt, s)
	}

	// The same form again (a double click): the same booking.
	again := f.post("/book/"+slug, form)
	again.expect(t, http.StatusOK, "Your appointment is booked")
	if manageLink(t, again.body) != link {
		t.Fatal("a repeated booking got another manage link")
	}

	// Someone else, the same slot, another page load: 409, the slots
	// again without the taken one, their details kept.
	other := f.get("/book/" + slug)
	if slices.Contains(slots(other.body), s) {
		t.Fatal("a booked slot is still offered")
	}
	late := f.bookingForm(other.body, string(f.alice.ID), s, "Kim Park", "kim@example.com")
	r = f.post("/book/"+slug, late)
	r.expect(t, http.StatusConflict,
		`role="alert"`,
		`<p class="error" id="slot-error"><span class="visually-hidden">Error:</span> This time is no longer available. Please choose another time.</p>`,
		`aria-describedby="slot-error"`,
		`value="Kim Park"`, `value="kim@example.com"`,
		`name="idempotency_key" value="`+late.Get("idempotency_key")+`"`,
	)
	if ss := slots(r.body); len(ss) == 0 || slices.Contains(ss, s) {
		t.Fatalf("the conflict page offers %d slots, the taken one included: %v", len(ss), slices.Contains(ss, s))
	}
	if n := len(f.clientsAs(f.admin)); n != 1 {
		t.Fatalf("the practice has %d clients, want 1", n)
	}
}

func TestBookingRefusesBadInput(t *testing.T) {
	f := newFixture(t)
	page := f.get("/book/" + slug)
	s := slots(page.body)[3]
	cases := []struct {
		name   string
		change func(url.Values)
		field  string
		status int
		msg    string
	}{
		{"no name", func(v url.Values) { v.Set("name", " ") }, "name", 422, "Enter your name."},
		{"no email", func(v url.Values) { v.Del("email") }, "email", 422, "Enter your email address."},
		{"bad email", func(v url.Values) { v.Set("email", "sam@") }, "email", 422, "Enter an email address such as name@example.com."},
		{"bad phone", func(v url.Values) { v.Set("phone", "call me") }, "phone", 422, "Enter a phone number: digits, spaces, +, -, ( and )."},
		{"no slot", func(v url.Values) { v.Del("slot") }, "slot", 422, "Choose one of the times shown."},
		{"not a time", func(v url.Values) { v.Set("slot", "tomorrow") }, "slot", 422, "Choose one of the times shown."},
		{"unknown practitioner", func(v url.Values) { v.Set("practitioner", string(f.admin.ID)) }, "practitioner", 422, "Choose a practitioner."},
		{"unknown type", func(v url.Values) { v.Set("type", "Massage") }, "type", 422, "Choose an appointment type."},
		{"NUL in the name", func(v url.Values) { v.Set("name", "Sam\x00") }, "name", 422, "Text must not contain the control character U+0000."},
		{"invalid UTF-8 in the email", func(v url.Values) { v.Set("email", "s\xffm@example.com") }, "email", 422, "Text must be valid UTF-8."},
		{"a slot off the grid", func(v url.Values) {
			at, _ := time.Parse(time.RFC3339, s)
			v.Set("slot", at.Add(7*time.Minute).Format(time.RFC3339))
		}, "slot", 409, "This time is no longer available. Please choose another time."},
		{"a past slot", func(v url.Values) { v.Set("slot", "2001-01-01T00:00:00Z") }, "slot", 409, "This time is no longer available. Please choose another time."},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			form := f.bookingForm(page.body, string(f.alice.ID), s, "Sam Taylor", "sam@example.com")
			c.change(form)
			r := f.post("/book/"+slug, form)
			r.expect(t, c.status, `role="alert"`,
				`<p class="error" id="`+c.field+`-error"><span class="visually-hidden">Error:</span> `+esc(c.msg)+`</p>`,
				`name="idempotency_key" value="`+form.Get("idempotency_key")+`"`,
			)
			if !regexp.MustCompile(`aria-describedby="[^"]*\b` + c.field + `-error\b`).MatchString(r.body) {
				t.Fatalf("nothing is described by %s-error", c.field)
			}
			checkLabels(t, r.body)
		})
	}
	if n := len(f.clientsAs(f.admin)); n != 0 {
		t.Fatalf("refused bookings created %d clients", n)
	}

	// A robot: the confirmation, nothing booked, and a manage link that
	// manages nothing.
	form := f.bookingForm(page.body, string(f.alice.ID), s, "Robot", "robot@example.com")
	form.Set("website", "http://spam.example")
	r := f.post("/book/"+slug, form)
	r.expect(t, http.StatusOK, "Your appointment is booked", "Dr Alice Ng")
	if n := len(f.clientsAs(f.admin)); n != 0 {
		t.Fatalf("a robot's booking created %d clients", n)
	}
	if !slices.Contains(slots(f.get("/book/"+slug).body), s) {
		t.Fatal("a robot's booking took the slot")
	}
	f.get(manageLink(t, r.body)).expect(t, http.StatusNotFound)

	huge := f.bookingForm(page.body, string(f.alice.ID), s, strings.Repeat("n", 300<<10), "sam@example.com")
	f.post("/book/"+slug, huge).expect(t, http.StatusRequestEntityTooLarge)
	f.do(http.MethodPost, "/book/"+slug, "application/json", strings.NewReader(`{}`), nextAddress()).expect(t, http.StatusUnsupportedMediaType)
}

func TestManageCancelsAndMoves(t *testing.T) {
	f := newFixture(t)
	s, r := f.book(2, "Sam Taylor")
	link := manageLink(t, r.body)

	m := f.get(link)
	m.expect(t, http.StatusOK, "<h1>Your appointment</h1>", "Dr Alice Ng", "Initial consultation",
		`<dd id="status">Booked</dd>`, `id="cancel-button"`, `id="move-button"`, "(Australia/Sydney time)")
	if m.header.Get("Content-Security-Policy") != wantCSP || m.header.Get("Referrer-Policy") != "no-referrer" {
		t.Fatalf("headers %v", m.header)
	}
	checkLabels(t, m.body)
	moveTo := slots(m.body)[5]

	// Move it: the old slot is open again, the new one taken.
	r = f.post(link, url.Values{"action": {"move"}, "slot": {moveTo}})
	at, _ := time.Parse(time.RFC3339, moveTo)
	r.expect(t, http.StatusOK, "Your appointment has been moved.", at.In(sydney).Format("Monday 2 January 2006, 15:04"))
	open := slots(f.get("/book/" + slug).body)
	if !slices.Contains(open, s) || slices.Contains(open, moveTo) {
		t.Fatal("moving did not free the old slot and take the new one")
	}

	// Someone else takes a slot; moving there is refused with 409.
	taken, _ := f.book(8, "Kim Park")
	f.post(link, url.Values{"action": {"move"}, "slot": {taken}}).expect(t, http.StatusConflict,
		"This time is no longer available. Please choose another time.")

	// Cancel it: the slot is open again.
	r = f.post(link, url.Values{"action": {"cancel"}})
	r.expect(t, http.StatusOK, "Your appointment has been cancelled.", `<dd id="status">Cancelled</dd>`)
	if strings.Contains(r.body, `id="cancel-button"`) {
		t.Fatal("a cancelled booking offers to cancel")
	}
	if !slices.Contains(slots(f.get("/book/"+slug).body), moveTo) {
		t.Fatal("cancelling did not free the slot")
	}
	var sam apiClient
	for _, c := range f.clientsAs(f.alice) {
		if c.Name == "Sam Taylor" {
			sam = c
		}
	}
	if len(sam.Appointments) != 1 || sam.Appointments[0].Status != "CANCELLED" {
		t.Fatalf("Sam's appointments %+v", sam.Appointments)
	}
	// Cancelling again answers the booking as it is; moving it is refused.
	f.post(link, url.Values{"action": {"cancel"}}).expect(t, http.StatusOK, `<dd id="status">Cancelled</dd>`)
	f.post(link, url.Values{"action": {"move"}, "slot": {moveTo}}).expect(t, http.StatusConflict, "This appointment was cancelled; book a new one.")
	f.post(link, url.Values{"action": {"nothing"}}).expect(t, http.StatusUnprocessableEntity)

	// A token with a wrong signature is the one not-found page.
	bad := link[:len(link)-1] + "A"
	if strings.HasSuffix(link, "A") {
		bad = link[:len(link)-1] + "B"
	}
	nf := f.get(bad)
	nf.expect(t, http.StatusNotFound)
	if nf.body != f.get("/intake/"+strings.Repeat("z", 32)).body {
		t.Fatal("a bad manage token's page differs from the other not-found pages")
	}
	f.post(bad, url.Values{"action": {"cancel"}}).expect(t, http.StatusNotFound)
}

// TestBookingRaceHasOneWinner: two people sending the same slot at the same
// moment: one booking, one 409 with the slots again.
func TestBookingRaceHasOneWinner(t *testing.T) {
	f := newFixture(t)
	page := f.get("/book/" + slug)
	s := slots(page.body)[4]
	forms := []url.Values{
		f.bookingForm(page.body, string(f.alice.ID), s, "Ann Lee", "ann@example.com"),
		f.bookingForm(f.get("/book/"+slug).body, string(f.alice.ID), s, "Ben Ong", "ben@example.com"),
	}
	statuses := make([]int, len(forms))
	var wg sync.WaitGroup
	for i, form := range forms {
		wg.Go(func() { statuses[i] = f.post("/book/"+slug, form).status })
	}
	wg.Wait()
	slices.Sort(statuses)
	if !slices.Equal(statuses, []int{http.StatusOK, http.StatusConflict}) {
		t.Fatalf("statuses %v, want one 200 and one 409", statuses)
	}
	if n := len(f.clientsAs(f.alice)); n != 1 {
		t.Fatalf("%d clients, want the winner's", n)
	}
}
