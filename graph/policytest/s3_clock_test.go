package policytest

import (
	"testing"
	"time"

	"caseload/ent"
	"caseload/ent/schema/access"
	"caseload/graph/graphtest"
	"caseload/graph/server"
)

// inZone is a server whose clock runs in a zone other than UTC: the server
// of a clinic in Sydney or New York.
func inZone(t *testing.T, name string) func(*server.Options) {
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return func(o *server.Options) { o.Now = func() time.Time { return time.Now().In(loc) } }
}

// Policy §3 rule 4: a share applies while "expiresAt is null or in the
// future", whatever the zone of the server's clock (SQLite compares stored
// times as text, so the request's clock must be in the stored zone).
func TestShareExpired_HidesClient_OnAServerOutsideUTC(t *testing.T) {
	e := graphtest.New(t, inZone(t, "America/New_York"))
	p := e.Practice(func(c *ent.PracticeCreate) { c.SetClientVisibility(access.CareTeam) })
	owner, m := e.Member(p), e.Member(p)
	expired := e.NewClient(p, graphtest.ResponsibleIs(owner))
	live := e.NewClient(p, graphtest.ResponsibleIs(owner))
	e.Share(expired, m, access.View, graphtest.Expires(time.Now().Add(-2*time.Hour)))
	e.Share(live, m, access.View, graphtest.Expires(time.Now().Add(2*time.Hour)))
	requireSees(t, e, m, []*ent.ClientRecord{expired, live}, live)
}
