package viewer_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"entgo.io/ent/dialect"

	"caseload/ent/schema/access"
	"caseload/ent/viewer"
	"caseload/graph/graphtest"
)

func TestMain(m *testing.M) { graphtest.Main(m) }

// The viewer's statement, which every request sends first, runs prepared
// (ent/prepared): on PostgreSQL the connection holds it after a load. With
// prepared statements off (database.DB.Unprepared, -db-prepared-statements)
// it holds none.
func TestLoad_ViewerStatementIsPrepared_UnlessTurnedOff(t *testing.T) {
	for _, on := range []bool{true, false} {
		t.Run(fmt.Sprintf("prepared statements %v", on), func(t *testing.T) {
			db := graphtest.OpenDB(t)
			e := graphtest.NewOn(t, db)
			p := e.Practice()
			m := e.Member(p)
			if !on {
				db.Unprepared()
			}
			db.SQL.SetMaxOpenConns(1)
			for range 2 {
				if _, err := viewer.LoadMember(context.Background(), db.Client, m.ID, p.ID, time.Now()); err != nil {
					t.Fatal(err)
				}
			}
			if db.Dialect != dialect.Postgres {
				return
			}
			var n int
			if err := db.SQL.QueryRow(`SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE '%role_tags%'`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if want := map[bool]int{true: 1, false: 0}[on]; n != want {
				t.Fatalf("the viewer's statement is prepared %d times on the connection, want %d", n, want)
			}
		})
	}
}

// Without holds exactly the kinds of personal grant the member has none of
// that gives access now; ForWrites forgets them all.
func TestLoad_WithoutIsThePersonalGrantsHeldNoneOf(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	owner, m := e.Member(p), e.Member(p)
	c := e.NewClient(p, graphtest.ResponsibleIs(owner))
	load := func() *viewer.Viewer {
		t.Helper()
		v, err := viewer.LoadMember(context.Background(), e.Client(), m.ID, p.ID, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	all := viewer.CareTeamGrant | viewer.ShareGrant | viewer.EmergencyGrant
	if v := load(); v.Without != all {
		t.Fatalf("a member with no grant: Without %03b, want %03b", v.Without, all)
	}
	e.Share(c, m, access.View, graphtest.Revoked())
	e.Emergency(c, m, time.Now().Add(-time.Minute))
	e.EndAssignment(e.Assign(c, m))
	if v := load(); v.Without != all {
		t.Fatalf("a member whose grants lapsed: Without %03b, want %03b", v.Without, all)
	}
	e.Share(c, m, access.View, graphtest.Expires(time.Now().Add(time.Hour)))
	if v := load(); v.Without != viewer.CareTeamGrant|viewer.EmergencyGrant || v.MayHold(viewer.CareTeamGrant) || !v.MayHold(viewer.ShareGrant) {
		t.Fatalf("a member with a live share: Without %03b", v.Without)
	}
	e.Assign(c, m)
	e.Emergency(c, m, time.Now().Add(time.Hour))
	v := load()
	if v.Without != 0 {
		t.Fatalf("a member with every grant: Without %03b, want none", v.Without)
	}
	held := load()
	held.Without = all
	if w := held.ForWrites(); w.Without != 0 || held.Without != all {
		t.Fatalf("ForWrites: %03b, and the viewer it copied became %03b", w.Without, held.Without)
	}
}
