package benchmarks

import (
	"database/sql"
	"fmt"
	"math/rand/v2"
	"runtime"
	"testing"
	"time"

	"github.com/lib/pq"

	"caseload/ent"
	"caseload/ent/schema/access"
	"caseload/ent/schema/pulid"
	"caseload/graph/graphtest"
)

// Benchmark sizes from the authorization issue: a practice of 10,000
// clients among 100 practices totalling 200,000.
const (
	benchPractices      = 100
	benchTotalClients   = 200_000
	benchTargetClients  = 10_000
	benchPractitioners  = 40
	benchOwnClientCount = 40
)

// bigPractice is the benchmark's target practice and its viewers.
type bigPractice struct {
	admin, practitioner, tagRestricted *ent.Member
}

// copyRows bulk-loads rows with COPY, which builds 200,000 clients in
// seconds where row-by-row inserts would take minutes.
func copyRows(b *testing.B, db *sql.DB, table string, cols []string, rows [][]any) {
	b.Helper()
	tx, err := db.Begin()
	if err != nil {
		b.Fatal(err)
	}
	stmt, err := tx.Prepare(pq.CopyIn(table, cols...))
	if err != nil {
		b.Fatal(err)
	}
	for _, r := range rows {
		if _, err := stmt.Exec(r...); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := stmt.Exec(); err != nil {
		b.Fatal(err)
	}
	if err := stmt.Close(); err != nil {
		b.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
}

// loadBigPractice fills the database: 100 practices, each with
// practitioners, three location tags and clients with a responsible
// practitioner, a care-team assignment and one tag; the target practice has
// 10,000 clients, one practitioner responsible for exactly 40 of them.
func loadBigPractice(b *testing.B, e *graphtest.Env) bigPractice {
	b.Helper()
	rnd := rand.New(rand.NewPCG(1, 2))
	now := time.Now()
	var practices, members, tags, clients, clientTags, assignments [][]any
	var target bigPractice
	var targetTag pulid.ID
	for p := 0; p < benchPractices; p++ {
		pid := pulid.MustNew("PR")
		practices = append(practices, []any{pid, now, fmt.Sprintf("Practice %d", p), "UTC", "CARE_TEAM", true, false, 60, false})
		var staff []pulid.ID
		for m := 0; m < benchPractitioners; m++ {
			id := pulid.MustNew("ME")
			staff = append(staff, id)
			members = append(members, []any{id, now, fmt.Sprintf("P%d M%d", p, m), fmt.Sprintf("p%d.m%d@bench.example", p, m), "PRACTITIONER", false, true, 50, pid})
		}
		var tagIDs []pulid.ID
		for t := 0; t < 3; t++ {
			id := pulid.MustNew("TG")
			tagIDs = append(tagIDs, id)
			tags = append(tags, []any{id, now, fmt.Sprintf("Location %d", t), pid})
		}
		n := (benchTotalClients - benchTargetClients) / (benchPractices - 1)
		if p == 0 {
			n = benchTargetClients
			targetTag = tagIDs[0]
		}
		for c := 0; c < n; c++ {
			id := pulid.MustNew("CL")
			owner := staff[1+rnd.IntN(len(staff)-1)]
			if p == 0 && c < benchOwnClientCount {
				owner = staff[0] // the benchmark practitioner's own caseload
			}
			clients = append(clients, []any{id, now, fmt.Sprintf("Client %06d", c), "ACTIVE", "PRACTICE_DEFAULT", c%50 == 7, "STAFF", pid, owner})
			clientTags = append(clientTags, []any{id, tagIDs[rnd.IntN(3)]})
			assignments = append(assignments, []any{pulid.MustNew("AS"), now, "RESPONSIBLE", pid, owner, id})
			if other := staff[1+rnd.IntN(len(staff)-1)]; other != owner {
				assignments = append(assignments, []any{pulid.MustNew("AS"), now, "CARE_TEAM", pid, other, id})
			}
		}
		if p == 0 {
			target.practitioner = &ent.Member{ID: staff[0], PracticeID: pid}
		}
	}
	sqlDB := e.DB.SQL
	copyRows(b, sqlDB, "practices", []string{"id", "created_at", "name", "time_zone", "client_visibility", "assign_new_clients_to_creator", "practitioners_manage_own_clients", "emergency_access_minutes", "emergency_reaches_restricted"}, practices)
	copyRows(b, sqlDB, "members", []string{"id", "created_at", "name", "email", "account_type", "admin", "active", "slot_minutes", "practice_id"}, members)
	copyRows(b, sqlDB, "tags", []string{"id", "created_at", "name", "practice_id"}, tags)
	copyRows(b, sqlDB, "clients", []string{"id", "created_at", "name", "status", "visibility", "restricted", "source", "practice_id", "responsible_id"}, clients)
	copyRows(b, sqlDB, "client_tags", []string{"client_id", "tag_id"}, clientTags)
	copyRows(b, sqlDB, "assignments", []string{"id", "created_at", "kind", "practice_id", "member_id", "client_id"}, assignments)
	if _, err := sqlDB.Exec("ANALYZE"); err != nil {
		b.Fatal(err)
	}
	p0, err := e.Client().Practice.Get(e.Ctx, practices[0][0].(pulid.ID))
	if err != nil {
		b.Fatal(err)
	}
	target.practitioner, err = e.Client().Member.Get(e.Ctx, target.practitioner.ID)
	if err != nil {
		b.Fatal(err)
	}
	target.admin = e.Member(p0, graphtest.Admin())
	tag, err := e.Client().Tag.Get(e.Ctx, targetTag)
	if err != nil {
		b.Fatal(err)
	}
	role := e.Role(p0, access.Administrative, access.SectionLevels{access.Profile: access.View, access.Scheduling: access.Edit},
		[]access.Capability{access.AccessAllClients}, tag)
	target.tagRestricted = e.Member(p0, graphtest.Administrative(), graphtest.WithRole(role))
	return target
}

// BenchmarkCaseloadPage measures the first page of 50 clients with name,
// tags, responsible practitioner and viewerAccess, on PostgreSQL, for an
// admin, a practitioner who sees 40 clients, and a tag-restricted
// ACCESS_ALL_CLIENTS role. It reports SQL statements per request and the Go
// CPU per page (go-cpu-ms/op: processCPU).
func BenchmarkCaseloadPage(b *testing.B) {
	e := graphtest.NewOn(b, graphtest.OpenPostgres(b))
	start := time.Now()
	target := loadBigPractice(b, e)
	b.Logf("loaded %d clients in %s", benchTotalClients, time.Since(start).Round(time.Millisecond))
	counter := e.CountStatements(b)
	for _, page := range []struct{ name, query string }{
		{"page", caseloadPageNoCount},
		{"pageWithTotalCount", caseloadPage},
	} {
		for _, c := range pageViewers(target) {
			benchPage(b, e, counter, page.name+"/"+c.name, page.query, c.m)
		}
	}
}

// caseloadPageNoCount is the page the authorization issue defines: the first
// 50 clients with name, tags, responsible practitioner and viewerAccess.
const caseloadPageNoCount = `query($n: Int!) { clients(first: $n) { edges { node {
  id name tags { name } responsiblePractitioner { name }
  viewerAccess { level canEdit canAssign canShare canChangeResponsible sections { section level } } } } } }`

func benchPage(b *testing.B, e *graphtest.Env, counter *graphtest.Counter, name, query string, m *ent.Member) {
	b.Run(name, func(b *testing.B) {
		token := e.Token(m)
		vars := map[string]any{"n": 50}
		e.Do(token, query, vars).RequireNoErrors(b)
		page := newPageRequest(b, e, token, query, vars)
		// From a collected heap, so that the loading's garbage is not
		// collected on one page's time.
		runtime.GC()
		counter.Reset()
		b.ResetTimer()
		cpu := processCPU()
		for i := 0; i < b.N; i++ {
			if err := page.send(); err != nil {
				b.Fatal(err)
			}
		}
		cpu = processCPU() - cpu
		b.StopTimer()
		b.ReportMetric(float64(counter.N())/float64(b.N), "stmts/op")
		b.ReportMetric(float64(cpu.Microseconds())/float64(b.N)/1000, "go-cpu-ms/op")
	})
}
