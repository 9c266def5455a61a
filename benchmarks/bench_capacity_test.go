package benchmarks

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"caseload/ent/schema/access"
	"caseload/ent/schema/pulid"
	"caseload/graph/graphtest"
)

// capacityQuery is the capacity screen's question: every practitioner's
// figures and open slots over a period.
const capacityQuery = `query($f: Time!, $t: Time!) { teamCapacity(from: $f, to: $t) { practitioner { id } activeClientCount openSlotCount bookedMinutes availableMinutes openSlots { start end } } }`

// BenchmarkTeamCapacity measures, on PostgreSQL, practitioners(search:) with
// active client counts and teamCapacity for a week, in a practice of 50
// practitioners and 10,000 clients with weekly availability and a week of
// appointments. It reports SQL statements per request.
func BenchmarkTeamCapacity(b *testing.B) {
	e := graphtest.NewOn(b, graphtest.OpenPostgres(b))
	rnd := rand.New(rand.NewPCG(3, 4))
	now := time.Now().UTC()
	weekStart := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	p := e.Practice()
	var members, windows, clients, assignments, appts [][]any
	var staff []pulid.ID
	booked := map[string]bool{}
	for m := 0; m < 50; m++ {
		id := pulid.MustNew("ME")
		staff = append(staff, id)
		members = append(members, []any{id, now, fmt.Sprintf("Practitioner %02d", m), fmt.Sprintf("bench%d@cap.example", m), "PRACTITIONER", false, true, 50, p.ID})
		for wd := 1; wd <= 5; wd++ {
			windows = append(windows, []any{pulid.MustNew("AV"), now, wd, 9 * 60, 17 * 60, p.ID, id})
		}
	}
	for c := 0; c < 10_000; c++ {
		id := pulid.MustNew("CL")
		owner := staff[rnd.IntN(len(staff))]
		clients = append(clients, []any{id, now, fmt.Sprintf("Client %05d", c), "ACTIVE", "PRACTICE_DEFAULT", false, "STAFF", p.ID, owner})
		if other := staff[rnd.IntN(len(staff))]; other != owner {
			assignments = append(assignments, []any{pulid.MustNew("AS"), now, "CARE_TEAM", p.ID, other, id})
		}
		if c%7 == 0 { // about 1,400 appointments in the week
			start := weekStart.AddDate(0, 0, rnd.IntN(5)).Add(time.Duration(9+rnd.IntN(7)) * time.Hour)
			// A practitioner's live appointments never overlap (an
			// exclusion constraint on PostgreSQL): a taken hour is skipped.
			if booked[string(owner)+start.String()] {
				continue
			}
			booked[string(owner)+start.String()] = true
			appts = append(appts, []any{pulid.MustNew("AP"), now, start, start.Add(50 * time.Minute), "BOOKED", false, p.ID, id, owner})
		}
	}
	copyRows(b, e.DB.SQL, "members", []string{"id", "created_at", "name", "email", "account_type", "admin", "active", "slot_minutes", "practice_id"}, members)
	copyRows(b, e.DB.SQL, "availabilities", []string{"id", "created_at", "weekday", "start_minute", "end_minute", "practice_id", "member_id"}, windows)
	copyRows(b, e.DB.SQL, "clients", []string{"id", "created_at", "name", "status", "visibility", "restricted", "source", "practice_id", "responsible_id"}, clients)
	copyRows(b, e.DB.SQL, "assignments", []string{"id", "created_at", "kind", "practice_id", "member_id", "client_id"}, assignments)
	copyRows(b, e.DB.SQL, "appointments", []string{"id", "created_at", "starts_at", "ends_at", "status", "booked_online", "practice_id", "client_id", "practitioner_id"}, appts)
	if _, err := e.DB.SQL.Exec("ANALYZE"); err != nil {
		b.Fatal(err)
	}
	role := e.Role(p, access.Administrative, access.SectionLevels{access.Scheduling: access.View}, []access.Capability{access.ViewTeam, access.AssignPractitioners})
	planner := e.Member(p, graphtest.Administrative(), graphtest.WithRole(role))
	counter := e.CountStatements(b)
	token := e.Token(planner)
	for _, c := range []struct {
		name, query string
		vars        map[string]any
	}{
		{"practitionersSearchWithCounts", `query($s: String) { practitioners(search: $s, first: 50) { totalCount edges { node { id name activeClientCount } } } }`, map[string]any{"s": "Practitioner"}},
		{"teamCapacityWeek", capacityQuery, map[string]any{"f": weekStart, "t": weekStart.AddDate(0, 0, 7)}},
	} {
		b.Run(c.name, func(b *testing.B) {
			e.Do(token, c.query, c.vars).RequireNoErrors(b)
			counter.Reset()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if r := e.Do(token, c.query, c.vars); len(r.Errors) > 0 {
					b.Fatal(r.Errors)
				}
			}
			b.StopTimer()
			b.ReportMetric(float64(counter.N())/float64(b.N), "stmts/op")
		})
	}
}
