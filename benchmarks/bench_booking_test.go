package benchmarks

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"caseload/ent/schema/pulid"
	"caseload/graph/auth"
	"caseload/graph/graphtest"
	"caseload/graph/server"
)

// BenchmarkPublicBooking measures, on PostgreSQL, what a person without an
// account costs the server (policy §11): loading a booking page with the
// open slots of its 10 practitioners over two weeks, booking a slot, and
// submitting an intake form, in practices of 1,000 and 50,000 clients. It
// reports SQL statements per request: neither the statements nor the time
// may grow with the practice's clients, since none of these reads a client.
func BenchmarkPublicBooking(b *testing.B) {
	for _, clients := range []int{1_000, 50_000} {
		b.Run(fmt.Sprintf("clients=%d", clients), func(b *testing.B) { benchPublicBooking(b, clients) })
	}
}

func benchPublicBooking(b *testing.B, nClients int) {
	// The limits on anonymous submissions are off: this measures the work.
	e := graphtest.NewOn(b, graphtest.OpenPostgres(b), func(o *server.Options) { o.SignInLimits = auth.NewMemoryLimits(auth.Rates{}) })
	now := time.Now().UTC()
	p := e.Practice()
	slug := fmt.Sprintf("bench-%d", now.UnixNano())
	var members, windows, clients, appts [][]any
	var staff []pulid.ID
	for m := 0; m < 10; m++ {
		id := pulid.MustNew("ME")
		staff = append(staff, id)
		members = append(members, []any{id, now, fmt.Sprintf("Practitioner %02d", m), fmt.Sprintf("bench%d-%d@booking.example", m, now.UnixNano()), "PRACTITIONER", false, true, 50, true, p.ID})
		for wd := 0; wd <= 6; wd++ {
			windows = append(windows, []any{pulid.MustNew("AV"), now, wd, 0, 24 * 60, p.ID, id})
		}
	}
	// Clients with appointments over the two weeks, every fourth hour of
	// each practitioner, so the slots are cut by real bookings.
	start := now.Truncate(time.Hour).Add(48 * time.Hour)
	for c := 0; c < nClients; c++ {
		id := pulid.MustNew("CL")
		owner := staff[c%len(staff)]
		clients = append(clients, []any{id, now, fmt.Sprintf("Client %05d", c), "ACTIVE", "PRACTICE_DEFAULT", false, "STAFF", p.ID, owner})
		if k := c / len(staff); k < 14*6 {
			at := start.Add(time.Duration(k*4) * time.Hour)
			appts = append(appts, []any{pulid.MustNew("AP"), now, at, at.Add(50 * time.Minute), "BOOKED", false, p.ID, id, owner})
		}
	}
	copyRows(b, e.DB.SQL, "members", []string{"id", "created_at", "name", "email", "account_type", "admin", "active", "slot_minutes", "bookable_online", "practice_id"}, members)
	copyRows(b, e.DB.SQL, "availabilities", []string{"id", "created_at", "weekday", "start_minute", "end_minute", "practice_id", "member_id"}, windows)
	copyRows(b, e.DB.SQL, "clients", []string{"id", "created_at", "name", "status", "visibility", "restricted", "source", "practice_id", "responsible_id"}, clients)
	copyRows(b, e.DB.SQL, "appointments", []string{"id", "created_at", "starts_at", "ends_at", "status", "booked_online", "practice_id", "client_id", "practitioner_id"}, appts)
	if _, err := e.DB.SQL.Exec(`UPDATE practices SET booking_enabled = true, booking_slug = $1, booking_min_notice_minutes = 0, booking_horizon_days = 60, booking_buffer_minutes = 10,
		booking_appointment_types = '[{"name":"Consultation","minutes":30}]' WHERE id = $2`, slug, p.ID); err != nil {
		b.Fatal(err)
	}
	admin := e.Member(p, graphtest.Admin())
	r := e.As(admin, `mutation($in: IntakeFormInput!) { createIntakeForm(input: $in) { id } }`, map[string]any{"in": map[string]any{
		"name": "Intake", "defaultPractitionerId": staff[0], "questions": []any{
			map[string]any{"key": "name", "label": "Name", "kind": "TEXT", "required": true},
			map[string]any{"key": "email", "label": "Email", "kind": "EMAIL", "required": true},
			map[string]any{"key": "service", "label": "Service", "kind": "SINGLE_CHOICE", "options": []string{"A", "B"}},
		}}})
	r.RequireNoErrors(b)
	var form struct{ CreateIntakeForm struct{ ID pulid.ID } }
	r.Decode(b, &form)
	r = e.As(admin, `mutation($id: ID!, $p: ID!) { setIntakeFormRules(formId: $id, rules: [{questionKey: "service", operator: EQUALS, values: ["B"], practitionerId: $p}]) { id } l: intakeLink(formId: $id) { token } }`,
		map[string]any{"id": form.CreateIntakeForm.ID, "p": staff[1]})
	r.RequireNoErrors(b)
	var link struct{ L struct{ Token string } }
	r.Decode(b, &link)
	if _, err := e.DB.SQL.Exec("ANALYZE"); err != nil {
		b.Fatal(err)
	}

	// The page: its settings and every practitioner's slots for two weeks,
	// one request, as the page's script asks.
	var page strings.Builder
	page.WriteString(`query($s: String!, $f: Time!, $t: Time!) { publicBookingPage(slug: $s) { practiceName practitioners { id name } appointmentTypes { name minutes } }`)
	for i, id := range staff {
		fmt.Fprintf(&page, ` p%d: publicOpenSlots(slug: $s, practitionerId: %q, appointmentType: "Consultation", from: $f, to: $t)`, i, id)
	}
	page.WriteString(" }")
	pageVars := map[string]any{"s": slug, "f": start, "t": start.AddDate(0, 0, 14)}
	counter := e.CountStatements(b)

	b.Run("bookingPageTwoWeeks", func(b *testing.B) {
		e.Do("", page.String(), pageVars).RequireNoErrors(b)
		counter.Reset()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if r := e.Do("", page.String(), pageVars); len(r.Errors) > 0 {
				b.Fatal(r.Errors)
			}
		}
		b.StopTimer()
		b.ReportMetric(float64(counter.N())/float64(b.N), "stmts/op")
	})
	// Each booking takes the next free 30-minute slot: practitioners in
	// turn, the hour after a seeded appointment, then the hour after that,
	// then the next: 2,520 bookings in all, however often the framework
	// runs the function (-count).
	booked := 0
	b.Run("bookAppointment", func(b *testing.B) {
		if booked+b.N > 3*14*6*len(staff) {
			b.Fatalf("at most %d bookings fit the fixture", 3*14*6*len(staff))
		}
		counter.Reset()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			n := booked
			booked++
			k := n / len(staff)
			at := start.Add(time.Duration(1+k/84)*time.Hour + time.Duration(k%84)*4*time.Hour)
			r := e.Do("", `mutation($s: String!, $p: ID!, $at: Time!, $k: String!) { bookAppointment(slug: $s, practitionerId: $p, appointmentType: "Consultation", startsAt: $at,
				client: {name: "Booked Person", email: "booked@mail.example"}, idempotencyKey: $k) { startsAt } }`,
				map[string]any{"s": slug, "p": staff[n%len(staff)], "at": at, "k": fmt.Sprintf("bench-book-%d", n)})
			if len(r.Errors) > 0 {
				b.Fatal(n, r.Errors)
			}
		}
		b.StopTimer()
		b.ReportMetric(float64(counter.N())/float64(b.N), "stmts/op")
	})
	submitted := 0
	b.Run("submitIntakeForm", func(b *testing.B) {
		counter.Reset()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			r := e.Do("", `mutation($t: String!, $k: String!) { submitIntakeForm(token: $t, idempotencyKey: $k, answers: [
				{questionKey: "name", value: "Intake Person"}, {questionKey: "email", value: "intake@mail.example"}, {questionKey: "service", value: "B"}]) { receivedAt } }`,
				map[string]any{"t": link.L.Token, "k": fmt.Sprintf("bench-intake-%d", submitted)})
			submitted++
			if len(r.Errors) > 0 {
				b.Fatal(r.Errors)
			}
		}
		b.StopTimer()
		b.ReportMetric(float64(counter.N())/float64(b.N), "stmts/op")
	})
}
