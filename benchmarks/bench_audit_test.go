package benchmarks

import (
	"fmt"
	"testing"
	"time"

	"caseload/ent/schema/pulid"
	"caseload/graph/graphtest"
	"caseload/graph/server"
)

// caseloadPageWithHistory is the caseload page with a sensitive section
// selected: every client's medical history, each read recorded (policy §9).
const caseloadPageWithHistory = `query($n: Int!) { clients(first: $n) { edges { node {
  id name tags { name } responsiblePractitioner { name } medicalHistory { text diagnoses }
  viewerAccess { level canEdit } } } } }`

// BenchmarkAuditedCaseloadPage measures, on PostgreSQL, the caseload page
// with medicalHistory selected for a practitioner who sees 50 of 10,000
// clients, with the audit log written and without, on the same database,
// side by side in one run. Each request with the log records one read per
// client, in one batch written before the response leaves.
func BenchmarkAuditedCaseloadPage(b *testing.B) {
	db := graphtest.OpenPostgres(b)
	on := graphtest.NewOn(b, db)
	off := graphtest.NewOn(b, db, func(o *server.Options) { o.Audit = nil })
	now := time.Now().UTC()
	p := on.Practice()
	practitioner := on.Member(p)
	other := on.Member(p)
	var clients, histories [][]any
	for c := 0; c < 10_000; c++ {
		id := pulid.MustNew("CL")
		owner := other.ID
		if c%200 == 0 {
			owner = practitioner.ID
		}
		clients = append(clients, []any{id, now, fmt.Sprintf("Client %05d", c), "ACTIVE", "PRACTICE_DEFAULT", false, "STAFF", p.ID, owner})
		histories = append(histories, []any{pulid.MustNew("MH"), now, "Referred for low mood.", "F32.1", p.ID, id})
	}
	copyRows(b, db.SQL, "clients", []string{"id", "created_at", "name", "status", "visibility", "restricted", "source", "practice_id", "responsible_id"}, clients)
	copyRows(b, db.SQL, "medical_histories", []string{"id", "created_at", "text", "diagnoses", "practice_id", "client_id"}, histories)
	if _, err := db.SQL.Exec("ANALYZE"); err != nil {
		b.Fatal(err)
	}
	counters := map[string]*graphtest.Counter{"auditOff": off.CountStatements(b), "auditOn": on.CountStatements(b)}
	vars := map[string]any{"n": 50}
	for _, c := range []struct {
		name string
		e    *graphtest.Env
	}{{"auditOff", off}, {"auditOn", on}} {
		b.Run(c.name, func(b *testing.B) {
			token := c.e.Token(practitioner)
			c.e.Do(token, caseloadPageWithHistory, vars).RequireNoErrors(b)
			counter := counters[c.name]
			counter.Reset()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if r := c.e.Do(token, caseloadPageWithHistory, vars); len(r.Errors) > 0 {
					b.Fatal(r.Errors)
				}
			}
			b.StopTimer()
			b.ReportMetric(float64(counter.N())/float64(b.N), "stmts/op")
		})
	}
}
