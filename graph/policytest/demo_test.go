package policytest

import (
	"strings"
	"testing"
	"time"

	"caseload/ent/demo"
	"caseload/graph/auth"
	"caseload/graph/graphtest"
)

// The README's run command seeds the demo practice; a login followed by a
// clients query must show each demo user what the policy gives them.
func TestDemoPractice_LoginThenClientsShowsThePolicy(t *testing.T) {
	e := graphtest.New(t)
	logins, err := demo.Seed(e.Ctx, e.Client(), demo.Options{Clients: 60, Hash: auth.NewFastHasher().Hash, Now: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	if len(logins) != 13 {
		t.Fatalf("want 13 demo logins, got %d", len(logins))
	}
	total := func(email string) string {
		c := e.Do(logIn(t, e, email, demo.Password), `{ clients(first: 5) { totalCount edges { node { name } } } }`, nil)
		c.RequireNoErrors(t)
		return string(c.Data)
	}
	admin, practitioner, billing := total("dana@harbourside.example"), total("bea@harbourside.example"), total("lee@harbourside.example")
	// 60 clients, and the two intakes that wait for triage.
	if !strings.Contains(admin, `"totalCount":62`) {
		t.Fatalf("the admin sees every client: %s", admin)
	}
	if strings.Contains(practitioner, `"totalCount":60`) || strings.Contains(practitioner, `"totalCount":0`) {
		t.Fatalf("a practitioner sees some clients, not all: %s", practitioner)
	}
	if !strings.Contains(billing, `"totalCount":60`) { // 62 less the two restricted ones
		t.Fatalf("the billing clerk sees every unrestricted client: %s", billing)
	}
	// The form with its rules and the booking page are there to try.
	form := e.Do("", `query($t: String!) { publicIntakeForm(token: $t) { practiceName questions { key } } }`, map[string]any{"t": demo.IntakeToken})
	form.RequireNoErrors(t)
	if !strings.Contains(string(form.Data), `"practiceName":"Harbourside Psychology"`) || !strings.Contains(string(form.Data), `{"key":"consent"}`) {
		t.Fatalf("the demo intake form: %s", form.Data)
	}
	page := e.Do("", `query($s: String!) { publicBookingPage(slug: $s) { practitioners { id name } appointmentTypes { name } } }`, map[string]any{"s": demo.BookingSlug})
	page.RequireNoErrors(t)
	var booking struct {
		PublicBookingPage struct{ Practitioners []struct{ ID, Name string } }
	}
	page.Decode(t, &booking)
	if len(booking.PublicBookingPage.Practitioners) != 3 {
		t.Fatalf("the demo booking page lists three practitioners: %s", page.Data)
	}
	slots := e.Do("", `query($s: String!, $p: ID!, $f: Time!, $t: Time!) { publicOpenSlots(slug: $s, practitionerId: $p, appointmentType: "Initial consultation", from: $f, to: $t) }`,
		map[string]any{"s": demo.BookingSlug, "p": booking.PublicBookingPage.Practitioners[0].ID, "f": time.Now(), "t": time.Now().AddDate(0, 0, 14)})
	slots.RequireNoErrors(t)
	if strings.Count(string(slots.Data), "T") < 5 {
		t.Fatalf("the demo practitioner has open slots over two weeks: %s", slots.Data)
	}
	triage := e.Do(logIn(t, e, "dana@harbourside.example", demo.Password), `{ unassignedClients { totalCount } }`, nil)
	triage.RequireNoErrors(t)
	if !strings.Contains(string(triage.Data), `"totalCount":2`) {
		t.Fatalf("two demo intakes wait for triage: %s", triage.Data)
	}
	if _, err := demo.Seed(e.Ctx, e.Client(), demo.Options{Hash: auth.NewFastHasher().Hash}); err != demo.ErrExists {
		t.Fatalf("seeding twice: %v", err)
	}
}
