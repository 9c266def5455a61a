package benchmarks

import (
	"context"
	"database/sql"
	"fmt"
	"reflect"
	"runtime"
	"testing"
	"time"

	"github.com/lib/pq"

	"caseload/ent"
	"caseload/ent/schema/access"
	"caseload/graph/graphtest"
)

// BenchmarkCaseloadFloor (issue P) measures how far the API's caseload page
// is from the cheapest way to produce the same page: one hand-written SQL
// statement per viewer. For a target practice of 10,000 clients and one of
// 100,000 (each among a million clients), for the admin, the practitioner
// responsible for 40 clients and the tag-restricted ACCESS_ALL_CLIENTS
// role, with and without totalCount, each iteration sends the page through
// the real HTTP handler once and runs the floor statement once, in
// alternating order so that both meet the machine in the same state.
//
// Metrics: api-ms/op and floor-ms/op, their ratio api/floor, the API's SQL
// statements per page (stmts/op), the Go CPU each side spent per page
// (api-go-cpu-ms/op, floor-go-cpu-ms/op: processCPU), and on the
// tag-restricted role's line api/admin-api, its API time over the admin's
// for the same page. ns/op is the sum of both sides and means little.
//
// Before timing, each viewer's floor page is checked field by field against
// the API's page (IDs, names, tags, responsible practitioner, viewerAccess,
// totalCount): a floor that read less, or saw other clients, would fail.
func BenchmarkCaseloadFloor(b *testing.B) {
	for _, size := range []struct {
		name    string
		clients int
	}{{"10k", 10_000}, {"100k", 100_000}} {
		b.Run(size.name, func(b *testing.B) {
			db := graphtest.OpenPostgres(b)
			e := graphtest.NewOn(b, db)
			fp := generateFloorData(b, e, size.clients)
			counter := e.CountStatements(b)
			apiMs := map[string]float64{}
			// A parent benchmark's log shows only with -v: the first
			// page's log says how long the data took to load.
			loadLogged := false
			for _, page := range []struct {
				name, query string
				count       bool
			}{{"page", caseloadPageNoCount, false}, {"pageWithTotalCount", caseloadPage, true}} {
				for _, v := range floorViewers(fp) {
					b.Run(page.name+"/"+v.name, func(b *testing.B) {
						if !loadLogged {
							b.Log(fp.loaded)
							loadLogged = true
						}
						ms := benchFloor(b, e, counter, v, page.query, page.count)
						apiMs[page.name+"/"+v.name] = ms
						if admin, ok := apiMs[page.name+"/admin"]; ok && v.name == "tagRestrictedAllClients" {
							b.ReportMetric(ms/admin, "api/admin-api")
						}
					})
				}
			}
		})
	}
}

// benchFloor measures one viewer's page against its floor and returns the
// API's milliseconds per page.
func benchFloor(b *testing.B, e *graphtest.Env, counter *graphtest.Counter, v floorViewer, query string, count bool) float64 {
	token := e.Token(v.member)
	vars := map[string]any{"n": 50}
	statement := v.statement(count)
	floor := func() *floorPage { return runFloor(b, e.DB.SQL, statement, v.args, count) }

	// Keep the floor honest: the same clients, fields and count.
	r := e.Do(token, query, vars)
	r.RequireNoErrors(b)
	if diff := pageDifference(floor(), decodeAPIPage(b, r, count)); diff != "" {
		b.Fatalf("%s: the floor's page differs from the API's: %s", v.name, diff)
	}
	page := newPageRequest(b, e, token, query, vars)
	// From a collected heap, so that the loading's garbage is not
	// collected on one page's time.
	runtime.GC()
	counter.Reset()
	var spentAPI, spentFloor, cpuAPI, cpuFloor time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for side := 0; side < 2; side++ {
			start, cpu := time.Now(), processCPU()
			if (i+side)%2 == 0 {
				if err := page.send(); err != nil {
					b.Fatal(err)
				}
				spentAPI += time.Since(start)
				cpuAPI += processCPU() - cpu
			} else {
				floor()
				spentFloor += time.Since(start)
				cpuFloor += processCPU() - cpu
			}
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(cpuAPI.Microseconds())/float64(b.N)/1000, "api-go-cpu-ms/op")
	b.ReportMetric(float64(cpuFloor.Microseconds())/float64(b.N)/1000, "floor-go-cpu-ms/op")
	apiMs := float64(spentAPI.Microseconds()) / float64(b.N) / 1000
	b.ReportMetric(apiMs, "api-ms/op")
	b.ReportMetric(float64(spentFloor.Microseconds())/float64(b.N)/1000, "floor-ms/op")
	b.ReportMetric(float64(spentAPI)/float64(spentFloor), "api/floor")
	b.ReportMetric(float64(counter.N())/float64(b.N), "stmts/op")
	return apiMs
}

// floorPage is the caseload page as data, whichever side produced it, so
// that the two can be compared.
type floorPage struct {
	TotalCount int // -1 when the page does not ask for it
	Clients    []floorClient
}

// floorClient is one client of the page with what the viewer may do.
type floorClient struct {
	ID, Name                                           string
	Tags                                               []string
	Responsible                                        string // "" for none
	Level                                              string
	CanEdit, CanAssign, CanShare, CanChangeResponsible bool
	// Sections are the section levels in access.Sections order.
	Sections []string
}

// decodeAPIPage turns the API's JSON into a floorPage.
func decodeAPIPage(b *testing.B, r *graphtest.Response, count bool) *floorPage {
	var d struct {
		Clients struct {
			TotalCount int
			Edges      []struct {
				Node struct {
					ID, Name                string
					Tags                    []struct{ Name string }
					ResponsiblePractitioner *struct{ Name string }
					ViewerAccess            struct {
						Level                                              string
						CanEdit, CanAssign, CanShare, CanChangeResponsible bool
						Sections                                           []struct{ Section, Level string }
					}
				}
			}
		}
	}
	r.Decode(b, &d)
	p := &floorPage{TotalCount: -1}
	if count {
		p.TotalCount = d.Clients.TotalCount
	}
	for _, edge := range d.Clients.Edges {
		n := edge.Node
		c := floorClient{ID: n.ID, Name: n.Name, Tags: []string{}, Level: n.ViewerAccess.Level,
			CanEdit: n.ViewerAccess.CanEdit, CanAssign: n.ViewerAccess.CanAssign,
			CanShare: n.ViewerAccess.CanShare, CanChangeResponsible: n.ViewerAccess.CanChangeResponsible}
		for _, t := range n.Tags {
			c.Tags = append(c.Tags, t.Name)
		}
		if n.ResponsiblePractitioner != nil {
			c.Responsible = n.ResponsiblePractitioner.Name
		}
		for i, s := range n.ViewerAccess.Sections {
			if i >= len(access.Sections) || s.Section != string(access.Sections[i]) {
				b.Fatalf("the API's sections are not in access.Sections order: %+v", n.ViewerAccess.Sections)
			}
			c.Sections = append(c.Sections, s.Level)
		}
		p.Clients = append(p.Clients, c)
	}
	return p
}

// pageDifference describes the first difference between the floor's page
// and the API's, or is "" when they are equal.
func pageDifference(floor, api *floorPage) string {
	if floor.TotalCount != api.TotalCount || len(floor.Clients) != len(api.Clients) {
		return fmt.Sprintf("floor totalCount %d and %d clients, API %d and %d",
			floor.TotalCount, len(floor.Clients), api.TotalCount, len(api.Clients))
	}
	for i := range floor.Clients {
		if !reflect.DeepEqual(floor.Clients[i], api.Clients[i]) {
			return fmt.Sprintf("client %d:\nfloor %+v\nAPI   %+v", i, floor.Clients[i], api.Clients[i])
		}
	}
	return ""
}

// runFloor runs a floor statement and reads every row into a floorPage:
// the work a hand-written server would do before encoding its answer.
func runFloor(b *testing.B, db *sql.DB, statement string, args []any, count bool) *floorPage {
	rows, err := db.QueryContext(context.Background(), statement, args...)
	if err != nil {
		b.Fatalf("%v\n%s", err, statement)
	}
	defer rows.Close()
	p := &floorPage{TotalCount: -1}
	for rows.Next() {
		var c floorClient
		var responsible sql.NullString
		sections := make([]string, len(access.Sections))
		dest := []any{&c.ID, &c.Name, pq.Array(&c.Tags), &responsible, &c.Level,
			&c.CanEdit, &c.CanAssign, &c.CanShare, &c.CanChangeResponsible}
		for i := range sections {
			dest = append(dest, &sections[i])
		}
		if count {
			dest = append(dest, &p.TotalCount)
		}
		if err := rows.Scan(dest...); err != nil {
			b.Fatal(err)
		}
		c.Responsible, c.Sections = responsible.String, sections
		if c.Tags == nil {
			c.Tags = []string{}
		}
		p.Clients = append(p.Clients, c)
	}
	if err := rows.Err(); err != nil {
		b.Fatal(err)
	}
	if count && len(p.Clients) == 0 {
		p.TotalCount = 0 // no row carried the count
	}
	return p
}

// floorViewer is one of the benchmark's viewers and the floor statement of
// their page.
type floorViewer struct {
	name   string
	member *ent.Member
	args   []any
	floorSQL
}

// floorSQL is a viewer's floor statement in parts, assembled by statement:
// what differs between viewers is which clients they see and how their
// access is decided; the page around it is the same for all.
type floorSQL struct {
	// with is a WITH clause the other parts may read, or "".
	with string
	// page selects the viewer's first 50 visible clients by name and id:
	// id, name, responsible_id, and responsible (whether the viewer is
	// it) where access reads it.
	page string
	// joins joins what access reads beside the page row pg (settings,
	// role).
	joins string
	// access is viewerAccess: level, canEdit, canAssign, canShare,
	// canChangeResponsible, then the level of each section in
	// access.Sections order.
	access string
	// total counts the clients the viewer sees.
	total string
}

// statement is the viewer's whole floor statement, with the count when
// the page asks for it. The responsible practitioner and the tags are
// read for the page's 50 rows only, within the practice.
func (f floorSQL) statement(count bool) string {
	total := ""
	if count {
		total = ",\n  (" + f.total + ") AS total"
	}
	return f.with + `
SELECT pg.id, pg.name, tg.names, m.name,
  ` + f.access + total + `
FROM (` + f.page + `) AS pg` + f.joins + `
LEFT JOIN members AS m ON m.id = pg.responsible_id AND m.practice_id = $1
LEFT JOIN LATERAL (
  SELECT array_agg(t.name ORDER BY t.name) AS names
  FROM client_tags AS ct JOIN tags AS t ON t.id = ct.tag_id
  WHERE ct.client_id = pg.id AND t.practice_id = $1
) AS tg ON true
ORDER BY pg.name, pg.id`
}

// floorViewers are the benchmark's three viewers with their floors. Each
// statement takes the practice as $1 and, where it needs them, reads the
// viewer's relationships, role and the practice's settings itself, as the
// API reads them on every request.
func floorViewers(fp floorPractice) []floorViewer {
	return []floorViewer{
		{"admin", fp.admin, []any{fp.practice.ID}, floorAdmin},
		{"practitioner40", fp.practitioner, []any{fp.practice.ID, fp.practitioner.ID}, floorPractitioner},
		{"tagRestrictedAllClients", fp.tagRestricted, []any{fp.practice.ID, fp.tagRestricted.ID}, floorTagRestricted},
	}
}

// floorAdmin: an admin sees every client of the practice with EDIT on
// everything and every action (policy §2); nothing needs deciding. The count
// is the practice's kept row in client_counts, as the API's.
var floorAdmin = floorSQL{
	page: `
  SELECT c.id, c.name, c.responsible_id FROM clients AS c
  WHERE c.practice_id = $1
  ORDER BY c.name, c.id LIMIT 50`,
	access: `'EDIT', true, true, true, true, 'EDIT', 'EDIT', 'EDIT', 'EDIT', 'EDIT', 'EDIT'`,
	total:  `SELECT cc.clients FROM client_counts AS cc WHERE cc.id = $1`,
}

// floorPractitioner: a practitioner without a role (every section EDIT)
// sees the clients they are responsible for, those whose care team they
// are on, and unrestricted clients visible to the whole team (their own
// visibility ALL_TEAM, or PRACTICE_DEFAULT in an ALL_TEAM practice); each
// of these gives EDIT (policy §3). The sets are a UNION of index scans,
// and the PRACTICE_DEFAULT branch is cut at once when the practice's
// setting is CARE_TEAM, as the generated practices' is. Shares, team
// access and emergency grants, of which the data has none, are left out:
// this is a floor. Actions (policy §6): sharing is the responsible
// practitioner's; assigning needs practitionersManageOwnClients for one's
// own client (the default role lacks ASSIGN_PRACTITIONERS); changing the
// responsible practitioner also needs a practice that is not CARE_TEAM.
var floorPractitioner = floorSQL{
	with: `
WITH visible AS (
  SELECT c.id, c.name, c.responsible_id FROM clients AS c
  WHERE c.practice_id = $1 AND c.responsible_id = $2
  UNION
  SELECT c.id, c.name, c.responsible_id FROM assignments AS a JOIN clients AS c ON c.id = a.client_id
  WHERE a.member_id = $2 AND a.kind = 'CARE_TEAM' AND a.ended_at IS NULL AND c.practice_id = $1
  UNION
  SELECT c.id, c.name, c.responsible_id FROM clients AS c
  WHERE c.practice_id = $1 AND NOT c.restricted AND c.visibility = 'ALL_TEAM'
  UNION
  SELECT c.id, c.name, c.responsible_id FROM clients AS c
  WHERE c.practice_id = $1 AND NOT c.restricted AND c.visibility = 'PRACTICE_DEFAULT'
    AND (SELECT p.client_visibility FROM practices AS p WHERE p.id = $1) = 'ALL_TEAM'
)`,
	page: `
  SELECT v.id, v.name, v.responsible_id, v.responsible_id IS NOT DISTINCT FROM $2 AS responsible
  FROM visible AS v
  ORDER BY v.name, v.id LIMIT 50`,
	joins: `
JOIN practices AS p ON p.id = $1`,
	access: `'EDIT', true,
  pg.responsible AND p.practitioners_manage_own_clients,
  pg.responsible,
  pg.responsible AND p.practitioners_manage_own_clients AND p.client_visibility <> 'CARE_TEAM',
  'EDIT', 'EDIT', 'EDIT', 'EDIT', 'EDIT', 'EDIT'`,
	total: `SELECT count(*) FROM visible`,
}

// floorTagRestricted: an administrative member whose role has
// ACCESS_ALL_CLIENTS restricted to tags sees the unrestricted clients
// carrying one of the role's tags, at EDIT (policy §3, rule 2 and its
// limits); each section's level is the role's (the lower of the role's and
// EDIT, §4). The role and its tags are read in the statement. The page
// walks the (practice, name) index and probes each client's tags by
// primary key, stopping after 50: the probe is a scalar subquery because
// PostgreSQL would turn an EXISTS into a semi-join or a hashed subplan
// that reads every client carrying the tag (3,300 of them at 10k, 33,000
// at 100k). The count is the unrestricted clients of the role's tag kept in
// client_counts (exact for a role with one tag, as this one has) plus the
// clients the member's own rules reach beyond them, of which the data has
// none: a floor.
// Actions: assigning needs ASSIGN_PRACTITIONERS, sharing MANAGE_CLIENT_ACCESS
// (or being responsible), changing the responsible practitioner a practice
// that is not CARE_TEAM as well.
var floorTagRestricted = floorSQL{
	with: `
WITH role AS (
  SELECT r.* FROM members AS me JOIN roles AS r ON r.id = me.role_id AND r.practice_id = me.practice_id
  WHERE me.id = $2 AND me.practice_id = $1
)`,
	page: `
  SELECT c.id, c.name, c.responsible_id, c.responsible_id IS NOT DISTINCT FROM $2 AS responsible
  FROM clients AS c
  WHERE c.practice_id = $1 AND NOT c.restricted AND (
    SELECT true FROM client_tags AS ct
    WHERE ct.client_id = c.id AND ct.tag_id = ANY(ARRAY(
      SELECT rt.tag_id FROM role_restrict_to_tags AS rt JOIN role ON role.id = rt.role_id))
    LIMIT 1)
  ORDER BY c.name, c.id LIMIT 50`,
	joins: `
CROSS JOIN role
JOIN practices AS p ON p.id = $1`,
	access: `'EDIT', true,
  role.capabilities ? 'ASSIGN_PRACTITIONERS',
  pg.responsible OR role.capabilities ? 'MANAGE_CLIENT_ACCESS',
  role.capabilities ? 'ASSIGN_PRACTITIONERS' AND p.client_visibility <> 'CARE_TEAM',
  role.profile_level, role.scheduling_level, role.billing_level,
  role.medical_history_level, role.session_notes_level, role.forms_level`,
	total: `SELECT COALESCE(sum(cc.unrestricted), 0) FROM client_counts AS cc
  WHERE cc.id IN (SELECT rt.tag_id FROM role_restrict_to_tags AS rt JOIN role ON role.id = rt.role_id)`,
}
