package benchmarks

import (
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/lib/pq"

	"caseload/ent"
	"caseload/ent/schema/access"
	"caseload/ent/schema/pulid"
	"caseload/graph/graphtest"
)

// Sizes of the floor benchmark's database (issue P): about 100 practices
// and at least a million clients in all, whatever the target practice's
// size, each practice with 40 practitioners and three location tags.
const (
	floorPractices     = 100
	floorTotalClients  = 1_000_000
	floorPractitioners = 40
	floorTags          = 3
)

// floorPractice is the target practice (practice 0) and the benchmark's
// three viewers in it.
type floorPractice struct {
	practice *ent.Practice
	// tag is the location tag the restricted role is limited to.
	tag                                *ent.Tag
	admin, practitioner, tagRestricted *ent.Member
	// loaded says how long generating the data took, for the log.
	loaded string
}

// floorID is the SQL expression of an ID of the app's shape for the number
// n: the two-letter prefix, then 26 characters of a valid ULID ("01" and
// 24 hex digits), so that indexes and comparisons work on keys of the
// length and alphabet of the app's own.
func floorID(prefix, n string) string {
	return fmt.Sprintf("'%s01' || lpad(upper(to_hex(%s)), 24, '0')", prefix, n)
}

// floorClientPlan is the SQL set of every client to generate, one row per
// client: its practice p, its number c within the practice, a number n
// unique in the database, the index of its responsible practitioner
// (owner) and of a care-team colleague (other) within the practice's 40,
// and its tag's index. The three INSERTs that build clients, their tags
// and their assignments read the same rows, so they agree without a
// table in between. Choices come from a multiplicative hash of n:
// deterministic, and spread evenly enough.
//
// In the target practice practitioner 0 is responsible for clients 0..39
// (the first 40 by name) and for no other; no one else has them on a care
// team, as in loadBigPractice, so that this practitioner sees exactly 40.
// $1 is the target practice's number of clients, $2 every other's.
var floorClientPlan = `
SELECT p, c, n,
  CASE WHEN p = 0 AND c < 40 THEN 0 ELSE 1 + h % 39 END AS owner,
  1 + (h / 39) % 39 AS other,
  (h / 1521) % 3 AS tag
FROM (
  SELECT p, c, p::bigint * 1000000 + c AS n, ((p::bigint * 1000000 + c) * 2654435761) % 4294967296 AS h
  FROM generate_series(0, ` + fmt.Sprint(floorPractices-1) + `) AS p,
       LATERAL generate_series(0, CASE WHEN p = 0 THEN $1::int ELSE $2::int END - 1) AS c
) AS s`

// floorLoadSQL builds the database in SQL alone: generate_series makes the
// rows inside PostgreSQL, so a million clients load in seconds, where
// sending them from Go (even with COPY) costs a round of encoding per row.
// The column lists are loadBigPractice's.
func floorLoadSQL() []string {
	pr := func(p string) string { return floorID("PR", p) }
	me := func(p, m string) string {
		return floorID("ME", fmt.Sprintf("(%s)::bigint * %d + (%s)", p, floorPractitioners, m))
	}
	tg := func(p, t string) string {
		return floorID("TG", fmt.Sprintf("(%s)::bigint * %d + (%s)", p, floorTags, t))
	}
	return []string{
		`INSERT INTO practices (id, created_at, name, time_zone, client_visibility, assign_new_clients_to_creator, practitioners_manage_own_clients, emergency_access_minutes, emergency_reaches_restricted)
		SELECT ` + pr("p") + `, now(), 'Practice ' || p, 'UTC', 'CARE_TEAM', true, false, 60, false
		FROM generate_series(0, ` + fmt.Sprint(floorPractices-1) + `) AS p`,

		`INSERT INTO members (id, created_at, name, email, account_type, admin, active, slot_minutes, practice_id)
		SELECT ` + me("p", "m") + `, now(), 'P' || p || ' M' || m, 'p' || p || '.m' || m || '@bench.example', 'PRACTITIONER', false, true, 50, ` + pr("p") + `
		FROM generate_series(0, ` + fmt.Sprint(floorPractices-1) + `) AS p, generate_series(0, ` + fmt.Sprint(floorPractitioners-1) + `) AS m`,

		`INSERT INTO tags (id, created_at, name, practice_id)
		SELECT ` + tg("p", "t") + `, now(), 'Location ' || t, ` + pr("p") + `
		FROM generate_series(0, ` + fmt.Sprint(floorPractices-1) + `) AS p, generate_series(0, ` + fmt.Sprint(floorTags-1) + `) AS t`,

		`INSERT INTO clients (id, created_at, name, status, visibility, restricted, source, practice_id, responsible_id)
		SELECT ` + floorID("CL", "n") + `, now(), 'Client ' || lpad(c::text, 6, '0'), 'ACTIVE', 'PRACTICE_DEFAULT', c % 50 = 7, 'STAFF', ` + pr("p") + `, ` + me("p", "owner") + `
		FROM (` + floorClientPlan + `) AS plan`,

		`INSERT INTO client_tags (client_id, tag_id)
		SELECT ` + floorID("CL", "n") + `, ` + tg("p", "tag") + `
		FROM (` + floorClientPlan + `) AS plan`,

		// The responsible practitioner's assignment, and a care-team
		// colleague's for the ~97% of clients whose colleague is not
		// already responsible.
		`INSERT INTO assignments (id, created_at, kind, practice_id, member_id, client_id)
		SELECT ` + floorID("AS", "2 * n + k") + `, now(), CASE k WHEN 0 THEN 'RESPONSIBLE' ELSE 'CARE_TEAM' END, ` + pr("p") + `,
		  ` + me("p", "CASE k WHEN 0 THEN owner ELSE other END") + `, ` + floorID("CL", "n") + `
		FROM (` + floorClientPlan + `) AS plan, generate_series(0, 1) AS k
		WHERE k = 0 OR other <> owner`,
	}
}

// floorBulkTables are the tables that get a row or two per client: they
// are loaded with their secondary indexes and foreign keys set aside.
var floorBulkTables = []string{"clients", "client_tags", "assignments"}

// generateFloorData fills an empty database with floorPractices practices
// totalling at least floorTotalClients clients, of which the target
// practice (practice 0) has targetClients, then creates the benchmark's
// admin and tag-restricted member through the fixtures, as loadBigPractice
// does. The practitioner is practitioner 0 of the target practice. It
// takes the Env rather than its *sql.DB because the fixtures need it.
func generateFloorData(b *testing.B, e *graphtest.Env, targetClients int) floorPractice {
	b.Helper()
	db := e.DB.SQL
	others := (floorTotalClients - targetClients + floorPractices - 2) / (floorPractices - 1) // rounded up
	start := time.Now()
	withIndexesDeferred(b, db, floorBulkTables, func(tx *sql.Tx) {
		for _, q := range floorLoadSQL() {
			if _, err := tx.Exec(q, floorParams(q, targetClients, others)...); err != nil {
				b.Fatalf("%v\n%s", err, q)
			}
		}
	})
	loaded := time.Since(start)
	// VACUUM as well as ANALYZE: this server runs without autovacuum, and
	// a production database's autovacuum would have set the visibility
	// map that lets counts read an index alone. It is the same database
	// for the API and the floor. The CHECKPOINT writes the load out now
	// rather than during the first measurements.
	for _, q := range []string{"VACUUM (ANALYZE)", "CHECKPOINT"} {
		if _, err := db.Exec(q); err != nil {
			b.Fatal(err)
		}
	}
	fp := floorPractice{loaded: fmt.Sprintf("loaded %d clients (target practice %d) in %s, then VACUUM (ANALYZE) and CHECKPOINT in %s",
		targetClients+others*(floorPractices-1), targetClients,
		loaded.Round(time.Millisecond), (time.Since(start) - loaded).Round(time.Millisecond))}
	checkFloorData(b, db, targetClients)

	var err error
	if fp.practice, err = e.Client().Practice.Get(e.Ctx, floorRowID("PR", 0)); err != nil {
		b.Fatal(err)
	}
	if fp.practitioner, err = e.Client().Member.Get(e.Ctx, floorRowID("ME", 0)); err != nil {
		b.Fatal(err)
	}
	if fp.tag, err = e.Client().Tag.Get(e.Ctx, floorRowID("TG", 0)); err != nil {
		b.Fatal(err)
	}
	fp.admin = e.Member(fp.practice, graphtest.Admin())
	role := e.Role(fp.practice, access.Administrative, access.SectionLevels{access.Profile: access.View, access.Scheduling: access.Edit},
		[]access.Capability{access.AccessAllClients}, fp.tag)
	fp.tagRestricted = e.Member(fp.practice, graphtest.Administrative(), graphtest.WithRole(role))
	return fp
}

// withIndexesDeferred runs load in one transaction in which the tables'
// foreign keys and secondary indexes are dropped, and restores them,
// exactly as the catalog defined them, before it commits. Maintaining a
// dozen B-trees and checking foreign keys row by row made a million
// clients take 80 seconds; building the indexes once afterwards and
// validating each foreign key in one join takes a fraction of that. The
// primary keys stay: other tables' foreign keys depend on them.
func withIndexesDeferred(b *testing.B, db *sql.DB, tables []string, load func(tx *sql.Tx)) {
	b.Helper()
	tx, err := db.Begin()
	if err != nil {
		b.Fatal(err)
	}
	defer func() { _ = tx.Rollback() }()
	rows, err := tx.Query(`
		SELECT format('ALTER TABLE %s DROP CONSTRAINT %I', conrelid::regclass, conname),
		       format('ALTER TABLE %s ADD CONSTRAINT %I %s', conrelid::regclass, conname, pg_get_constraintdef(oid)), true
		FROM pg_constraint WHERE contype = 'f' AND conrelid = ANY($1::text[]::regclass[])
		UNION ALL
		SELECT format('DROP INDEX %s', indexrelid::regclass), pg_get_indexdef(indexrelid), false
		FROM pg_index WHERE indrelid = ANY($1::text[]::regclass[]) AND NOT indisprimary
		  AND NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conindid = indexrelid)`, pq.Array(tables))
	if err != nil {
		b.Fatal(err)
	}
	// Foreign keys are dropped before the indexes and restored after
	// them.
	var dropKeys, dropIndexes, createIndexes, addKeys []string
	for rows.Next() {
		var drop, restore string
		var foreignKey bool
		if err := rows.Scan(&drop, &restore, &foreignKey); err != nil {
			b.Fatal(err)
		}
		if foreignKey {
			dropKeys, addKeys = append(dropKeys, drop), append(addKeys, restore)
		} else {
			dropIndexes, createIndexes = append(dropIndexes, drop), append(createIndexes, restore)
		}
	}
	if err := rows.Err(); err != nil {
		b.Fatal(err)
	}
	exec := func(qs ...string) {
		for _, q := range qs {
			if _, err := tx.Exec(q); err != nil {
				b.Fatalf("%v\n%s", err, q)
			}
		}
	}
	exec("SET LOCAL maintenance_work_mem = '256MB'")
	exec(dropKeys...)
	exec(dropIndexes...)
	load(tx)
	exec(createIndexes...)
	exec(addKeys...)
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
}

// floorParams passes the client counts to the statements that read
// floorClientPlan, and nothing to the others.
func floorParams(q string, targetClients, others int) []any {
	if strings.Contains(q, "$1") {
		return []any{targetClients, others}
	}
	return nil
}

// floorRowID is the ID floorID gives number n, computed in Go.
func floorRowID(prefix string, n int64) pulid.ID {
	return pulid.ID(fmt.Sprintf("%s01%024X", prefix, n))
}

// checkFloorData fails the benchmark unless the generated target practice
// is what the issue describes: targetClients clients, practitioner 0
// responsible for exactly 40, 2% restricted, and at least a million
// clients in all.
func checkFloorData(b *testing.B, db *sql.DB, targetClients int) {
	b.Helper()
	var total, target, own, restricted int
	err := db.QueryRow(`SELECT (SELECT count(*) FROM clients),
		count(*), count(*) FILTER (WHERE responsible_id = $2), count(*) FILTER (WHERE restricted)
		FROM clients WHERE practice_id = $1`, floorRowID("PR", 0), floorRowID("ME", 0)).
		Scan(&total, &target, &own, &restricted)
	if err != nil {
		b.Fatal(err)
	}
	if total < floorTotalClients || target != targetClients || own != 40 || restricted != targetClients/50 {
		b.Fatalf("generated %d clients, target practice %d, practitioner 0 responsible for %d, %d restricted",
			total, target, own, restricted)
	}
}
