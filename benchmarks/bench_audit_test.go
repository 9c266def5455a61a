package benchmarks

import (
	"fmt"
	"testing"
	"time"

	"caseload/ent/clientrecord"
	"caseload/ent/schema/pulid"
	"caseload/graph/graphtest"
	"caseload/graph/server"
)

// caseloadPageWithHistory is the authorization issue's caseload page with
// a sensitive section selected: every client's medical history, whose
// reads are recorded (policy §9).
const caseloadPageWithHistory = `query($n: Int!) { clients(first: $n) { edges { node {
  id name tags { name } responsiblePractitioner { name } medicalHistory { text diagnoses }
  viewerAccess { level canEdit canAssign canShare canChangeResponsible sections { section level } } } } } }`

// BenchmarkAuditedCaseloadPage measures, on PostgreSQL and on the
// authorization issue's practice (10,000 clients among 200,000), the
// caseload page with medicalHistory selected, with the audit log written
// and without, for the admin (50 reads recorded), the practitioner who
// sees 40 clients (40 reads) and the tag-restricted role that may not read
// medical histories (50 refusals recorded).
//
// Each iteration sends the page once to each server, in alternating order,
// so that both meet the same machine at the same moment: on/off is the
// ratio of their total times, extra-stmts/op the statements the log adds.
func BenchmarkAuditedCaseloadPage(b *testing.B) {
	db := graphtest.OpenPostgres(b)
	on := graphtest.NewOn(b, db)
	off := graphtest.NewOn(b, db, func(o *server.Options) { o.Audit = nil })
	target := loadBigPractice(b, on)
	addMedicalHistories(b, on, target.admin.PracticeID)
	counters := map[*graphtest.Env]*graphtest.Counter{off: off.CountStatements(b), on: on.CountStatements(b)}
	for _, c := range pageViewers(target) {
		b.Run(c.name, func(b *testing.B) {
			sideBySide(b, off, on, c.m, caseloadPageWithHistory, func(r *graphtest.Response) {
				// A refused section is a FORBIDDEN error beside the data,
				// the same with the log and without.
				if len(r.Data) < 100 {
					b.Fatalf("no page: %s %v", r.Data, r.Errors)
				}
			}, func() {
				counters[off].Reset()
				counters[on].Reset()
			})
			b.ReportMetric(float64(counters[on].N()-counters[off].N())/float64(b.N), "extra-stmts/op")
		})
	}
}

// addMedicalHistories gives every client of the practice a medical history.
func addMedicalHistories(b *testing.B, e *graphtest.Env, practice pulid.ID) {
	b.Helper()
	ids, err := e.Client().ClientRecord.Query().Where(clientrecord.PracticeIDEQ(practice)).IDs(e.Ctx)
	if err != nil {
		b.Fatal(err)
	}
	now := time.Now().UTC()
	rows := make([][]any, len(ids))
	for i, id := range ids {
		rows[i] = []any{pulid.MustNew("MH"), now, fmt.Sprintf("Referred for low mood (%d).", i), "F32.1", practice, id}
	}
	copyRows(b, e.DB.SQL, "medical_histories", []string{"id", "created_at", "text", "diagnoses", "practice_id", "client_id"}, rows)
	if _, err := e.DB.SQL.Exec("ANALYZE medical_histories"); err != nil {
		b.Fatal(err)
	}
}
