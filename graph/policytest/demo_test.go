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
		r := e.Do("", loginMutation, map[string]any{"e": email, "pw": demo.Password})
		r.RequireNoErrors(t)
		var out struct{ Login struct{ Token string } }
		r.Decode(t, &out)
		c := e.Do(out.Login.Token, `{ clients(first: 5) { totalCount edges { node { name } } } }`, nil)
		c.RequireNoErrors(t)
		return string(c.Data)
	}
	admin, practitioner, billing := total("dana@harbourside.example"), total("bea@harbourside.example"), total("lee@harbourside.example")
	if !strings.Contains(admin, `"totalCount":60`) {
		t.Fatalf("the admin sees every client: %s", admin)
	}
	if strings.Contains(practitioner, `"totalCount":60`) || strings.Contains(practitioner, `"totalCount":0`) {
		t.Fatalf("a practitioner sees some clients, not all: %s", practitioner)
	}
	if !strings.Contains(billing, `"totalCount":58`) { // 60 less the two restricted ones
		t.Fatalf("the billing clerk sees every unrestricted client: %s", billing)
	}
	if _, err := demo.Seed(e.Ctx, e.Client(), demo.Options{Hash: auth.NewFastHasher().Hash}); err != demo.ErrExists {
		t.Fatalf("seeding twice: %v", err)
	}
}
