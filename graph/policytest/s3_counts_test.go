package policytest

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"entgo.io/ent/dialect"

	"caseload/ent"
	"caseload/ent/schema/access"
	"caseload/graph/graphtest"
)

// Policy §3, "lists and counts leave it out": a list's totalCount is the
// number of clients the viewer lists, whether the counts the database keeps
// answer it (a whole list, for an admin and for ACCESS_ALL_CLIENTS restricted
// to no tag or one) or the clients are visited (a filtered or searched list,
// any other viewer).

// listCounts is one viewer's view of the count: the whole list's
// totalCount, the totalCount of the same list through an empty filter
// (which visits the clients), and the clients listed.
type listCounts struct{ whole, visited, listed int }

func countsOf(t *testing.T, e *graphtest.Env, m *ent.Member) listCounts {
	t.Helper()
	r := e.As(m, `{ whole: clients(first: 100) { totalCount edges { node { id } } }
  visited: clients(first: 1, where: {}) { totalCount } }`, nil)
	r.RequireNoErrors(t)
	var out struct {
		Whole struct {
			TotalCount int
			Edges      []struct{ Node struct{ ID string } }
		}
		Visited struct{ TotalCount int }
	}
	r.Decode(t, &out)
	return listCounts{out.Whole.TotalCount, out.Visited.TotalCount, len(out.Whole.Edges)}
}

// requireCount checks all three views of m's count against want.
func requireCount(t *testing.T, e *graphtest.Env, who string, m *ent.Member, want int) {
	t.Helper()
	if got := countsOf(t, e, m); got != (listCounts{want, want, want}) {
		t.Fatalf("%s: totalCount %d, through a filter %d, listed %d; want %d", who, got.whole, got.visited, got.listed, want)
	}
}

// countFixture is a practice whose clients each broad viewer counts
// differently, and another practice whose clients none of them may count.
type countFixture struct {
	p                          *ent.Practice
	calm, anxious              *ent.Tag
	admin, all, allCalm, both  *ent.Member
	practitioner               *ent.Member
	open, calmOpen, calmHidden *ent.ClientRecord
	sharedHidden, ownHidden    *ent.ClientRecord
}

func newCountFixture(t *testing.T, e *graphtest.Env) countFixture {
	t.Helper()
	var f countFixture
	f.p = e.Practice()
	other := e.Practice()
	f.calm, f.anxious = e.Tag(f.p, "calm"), e.Tag(f.p, "anxious")
	role := func(tags ...*ent.Tag) *ent.Role {
		return e.Role(f.p, access.Administrative, access.SectionLevels{access.Profile: access.View},
			[]access.Capability{access.AccessAllClients}, tags...)
	}
	f.admin = e.Member(f.p, graphtest.Admin())
	f.all = e.Member(f.p, graphtest.Administrative(), graphtest.WithRole(role()))
	f.allCalm = e.Member(f.p, graphtest.Administrative(), graphtest.WithRole(role(f.calm)))
	f.both = e.Member(f.p, graphtest.Administrative(), graphtest.WithRole(role(f.calm, f.anxious)))
	f.practitioner = e.Member(f.p)

	f.open = e.NewClient(f.p)
	f.calmOpen = e.NewClient(f.p, graphtest.Tagged(f.calm))
	e.NewClient(f.p, graphtest.Tagged(f.calm, f.anxious))
	e.NewClient(f.p, graphtest.Tagged(f.anxious))
	f.calmHidden = e.NewClient(f.p, graphtest.Tagged(f.calm), graphtest.Restricted())
	f.sharedHidden = e.NewClient(f.p, graphtest.Restricted())
	e.Share(f.sharedHidden, f.allCalm, access.View)
	f.ownHidden = e.NewClient(f.p, graphtest.Restricted(), graphtest.ResponsibleIs(f.practitioner))
	e.NewClient(other, graphtest.Tagged(e.Tag(other, "calm")))
	e.NewClient(other, graphtest.Visibility(access.AllTeam))
	return f
}

func TestTotalCount_EachViewer_CountsExactlyTheClientsItLists(t *testing.T) {
	e := graphtest.New(t)
	f := newCountFixture(t, e)
	requireCount(t, e, "admin: every client of the practice", f.admin, 7)
	requireCount(t, e, "ACCESS_ALL_CLIENTS: the 4 unrestricted", f.all, 4)
	requireCount(t, e, "ACCESS_ALL_CLIENTS on calm: 2 unrestricted calm, 1 shared", f.allCalm, 3)
	requireCount(t, e, "ACCESS_ALL_CLIENTS on calm or anxious: 3 unrestricted tagged", f.both, 3)
	requireCount(t, e, "practitioner: their own", f.practitioner, 1)
}

func TestTotalCount_FollowsFlagAndTagChanges(t *testing.T) {
	e := graphtest.New(t)
	f := newCountFixture(t, e)
	change := func(q string, vars map[string]any) {
		t.Helper()
		e.As(f.admin, q, vars).RequireNoErrors(t)
	}
	restrict := `mutation($c: ID!, $r: Boolean!) { setClientRestricted(clientId: $c, restricted: $r) { id } }`
	change(restrict, map[string]any{"c": f.calmOpen.ID, "r": true})
	requireCount(t, e, "calm viewer, one calm client restricted", f.allCalm, 2)
	requireCount(t, e, "ACCESS_ALL_CLIENTS, one client restricted", f.all, 3)
	change(restrict, map[string]any{"c": f.calmHidden.ID, "r": false})
	requireCount(t, e, "calm viewer, the other calm client opened", f.allCalm, 3)
	change(`mutation($c: ID!, $t: [ID!]!) { addClientTags(clientId: $c, tagIds: $t) { id } }`,
		map[string]any{"c": f.open.ID, "t": []string{string(f.calm.ID)}})
	requireCount(t, e, "calm viewer, an open client tagged calm", f.allCalm, 4)
	change(`mutation($c: ID!, $t: [ID!]!) { addClientTags(clientId: $c, tagIds: $t) { id } }`,
		map[string]any{"c": f.sharedHidden.ID, "t": []string{string(f.calm.ID)}})
	requireCount(t, e, "calm viewer, the restricted shared client tagged calm: counted once", f.allCalm, 4)
	change(restrict, map[string]any{"c": f.sharedHidden.ID, "r": false})
	requireCount(t, e, "calm viewer, the shared client opened: counted once", f.allCalm, 4)
	change(`mutation($c: ID!, $t: [ID!]!) { removeClientTags(clientId: $c, tagIds: $t) { id } }`,
		map[string]any{"c": f.sharedHidden.ID, "t": []string{string(f.calm.ID)}})
	requireCount(t, e, "calm viewer, the shared client untagged: still shared", f.allCalm, 4)
	change(`mutation($in: CreateClientInput!) { createClient(input: $in) { id } }`,
		map[string]any{"in": map[string]any{"name": "New Calm", "tagIds": []string{string(f.calm.ID)}}})
	requireCount(t, e, "calm viewer, a new calm client", f.allCalm, 5)
	requireCount(t, e, "admin, a new client", f.admin, 8)
	requireCount(t, e, "ACCESS_ALL_CLIENTS, a new client", f.all, 6)
}

// skewKeptCounts adds 1000 to the practice's kept counts and 100 to the
// calm tag's, below the API, until the test ends: a count that reads them
// shows it, one that visits the clients does not.
func skewKeptCounts(t *testing.T, e *graphtest.Env, f countFixture) {
	t.Helper()
	skew := func(id any, by int) {
		t.Helper()
		operatorSQL(t, e, "UPDATE client_counts SET clients = clients + $1, unrestricted = unrestricted + $1 WHERE id = $2", by, id)
	}
	skew(f.p.ID, 1000)
	skew(f.calm.ID, 100)
	t.Cleanup(func() { skew(f.p.ID, -1000); skew(f.calm.ID, -100) })
}

// The whole list's count is read from the kept row: a row made wrong by
// hand shows in it, and only in it. This is what makes the count cost the
// same in a practice of any size.
func TestTotalCount_WholeList_IsReadFromTheKeptCounts(t *testing.T) {
	e := graphtest.New(t)
	f := newCountFixture(t, e)
	skewKeptCounts(t, e, f)
	for _, c := range []struct {
		who  string
		m    *ent.Member
		want listCounts
	}{
		{"admin", f.admin, listCounts{1007, 7, 7}},
		{"ACCESS_ALL_CLIENTS", f.all, listCounts{1004, 4, 4}},
		{"ACCESS_ALL_CLIENTS on calm", f.allCalm, listCounts{103, 3, 3}},
		{"ACCESS_ALL_CLIENTS on two tags: visited", f.both, listCounts{3, 3, 3}},
		{"practitioner: visited", f.practitioner, listCounts{1, 1, 1}},
	} {
		if got := countsOf(t, e, c.m); got != c.want {
			t.Errorf("%s: got %+v, want %+v", c.who, got, c.want)
		}
	}
}

// A page's statement carries its whole list's count (rule.CarriedCount):
// every shape of the list reads the same kept counts, whether the count
// rides on the page, is a statement of its own (no page, an empty page
// after the last cursor) or is visited (a filter); and a count carried by
// the page costs no statement.
func TestTotalCount_CarriedByThePage_CountsAsItsOwnStatement(t *testing.T) {
	e := graphtest.New(t)
	f := newCountFixture(t, e)
	skewKeptCounts(t, e, f)
	counter := e.CountStatements(t)
	statements := func(m *ent.Member, q string) int64 {
		t.Helper()
		counter.Reset()
		e.As(m, q, nil).RequireNoErrors(t)
		return counter.N()
	}
	for _, c := range []struct {
		who          string
		m            *ent.Member
		kept, listed int
		carried      bool
	}{
		{"admin", f.admin, 1007, 7, true},
		{"ACCESS_ALL_CLIENTS", f.all, 1004, 4, true},
		{"ACCESS_ALL_CLIENTS on calm", f.allCalm, 103, 3, true},
		{"ACCESS_ALL_CLIENTS on two tags: visited", f.both, 3, 3, false},
		{"practitioner: visited", f.practitioner, 1, 1, false},
	} {
		last := e.As(c.m, `{ clients(last: 1) { edges { cursor } } }`, nil)
		last.RequireNoErrors(t)
		var end struct {
			Clients struct{ Edges []struct{ Cursor string } }
		}
		last.Decode(t, &end)
		r := e.As(c.m, `query($end: String) {
  page: clients(first: 2) { totalCount edges { node { id } } }
  aliased: clients(first: 2) { n: totalCount e: edges { node { id } } }
  lastPage: clients(last: 2) { totalCount edges { node { id } } }
  alone: clients { totalCount }
  none: clients(first: 0) { totalCount edges { node { id } } }
  afterTheEnd: clients(first: 2, after: $end) { totalCount edges { node { id } } }
  visited: clients(first: 2, where: {}) { totalCount edges { node { id } } } }`,
			map[string]any{"end": end.Clients.Edges[0].Cursor})
		r.RequireNoErrors(t)
		var out map[string]map[string]any
		r.Decode(t, &out)
		page := min(2, c.listed)
		for shape, want := range map[string]struct{ count, edges int }{
			"page": {c.kept, page}, "aliased": {c.kept, page}, "lastPage": {c.kept, page},
			"alone": {c.kept, -1}, "none": {c.kept, 0}, "afterTheEnd": {c.kept, 0},
			"visited": {c.listed, page},
		} {
			count, edges := "totalCount", "edges"
			if shape == "aliased" {
				count, edges = "n", "e"
			}
			got, _ := out[shape][count].(float64)
			list, listed := out[shape][edges].([]any)
			if int(got) != want.count || (want.edges >= 0 && (!listed || len(list) != want.edges)) {
				t.Errorf("%s, %s: totalCount %v and %d edges, want %d and %d", c.who, shape, out[shape][count], len(list), want.count, want.edges)
			}
		}
		with := statements(c.m, `{ clients(first: 2) { totalCount edges { node { id } } } }`)
		without := statements(c.m, `{ clients(first: 2) { edges { node { id } } } }`)
		if more := with - without; (c.carried && more != 0) || (!c.carried && more != 1) {
			t.Errorf("%s: the count costs %d statements beside its page, want %d", c.who, more, map[bool]int{true: 0, false: 1}[c.carried])
		}
	}
}

// Flags and tags of the same clients changed at once, by many requests,
// leave the kept counts exact (the triggers lock the clients they read) and
// every count right.
func TestClientCounts_ConcurrentFlagAndTagChanges_StayExact(t *testing.T) {
	e := graphtest.New(t)
	f := newCountFixture(t, e)
	clients := []*ent.ClientRecord{f.open, f.calmOpen, f.calmHidden, f.sharedHidden, f.ownHidden}
	tags := []string{string(f.calm.ID), string(f.anxious.ID)}
	var wg sync.WaitGroup
	errs := make(chan string, 64)
	for w := range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(w), 7))
			for i := range 20 {
				c := clients[rng.IntN(len(clients))].ID
				var q string
				vars := map[string]any{"c": c}
				switch rng.IntN(4) {
				case 0:
					q = `mutation($c: ID!, $r: Boolean!) { setClientRestricted(clientId: $c, restricted: $r) { id } }`
					vars["r"] = rng.IntN(2) == 0
				case 1:
					q = `mutation($c: ID!, $t: [ID!]!) { addClientTags(clientId: $c, tagIds: $t) { id } }`
					vars["t"] = tags[:1+rng.IntN(2)]
				case 2:
					q = `mutation($c: ID!, $t: [ID!]!) { removeClientTags(clientId: $c, tagIds: $t) { id } }`
					vars["t"] = tags[rng.IntN(2):]
				default:
					q = `mutation($in: CreateClientInput!) { createClient(input: $in) { id } }`
					vars = map[string]any{"in": map[string]any{"name": fmt.Sprintf("Client %d-%d", w, i), "tagIds": tags[rng.IntN(2):]}}
				}
				if r := e.As(f.admin, q, vars); len(r.Errors) > 0 {
					errs <- fmt.Sprint(r.Errors)
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("a change failed: %s", err)
	}
	graphtest.RequireClientCountsExact(t, e.DB.SQL)
	for _, m := range []*ent.Member{f.admin, f.all, f.allCalm, f.both, f.practitioner} {
		if got := countsOf(t, e, m); got.whole != got.visited || got.whole != got.listed {
			t.Errorf("member %s: totalCount %d, through a filter %d, listed %d", m.Name, got.whole, got.visited, got.listed)
		}
	}
}

// Policy §1: a client carrying another practice's tag (planted below the
// API, as a broken import might) is counted in neither practice's tag, so a
// member of the tag's practice whose role is restricted to it counts only
// what they list.
func TestTotalCount_PairAcrossPractices_IsCountedNowhere(t *testing.T) {
	e := graphtest.New(t)
	f := newCountFixture(t, e)
	other := e.Practice()
	otherTag := e.Tag(other, "elsewhere")
	role := e.Role(other, access.Administrative, access.SectionLevels{access.Profile: access.View},
		[]access.Capability{access.AccessAllClients}, otherTag)
	m := e.Member(other, graphtest.Administrative(), graphtest.WithRole(role))
	e.NewClient(other, graphtest.Tagged(otherTag))
	operatorSQL(t, e, `INSERT INTO client_tags (client_id, tag_id) VALUES ($1, $2)`, f.open.ID, otherTag.ID)
	requireCount(t, e, "the other practice's tag viewer", m, 1)
	requireCount(t, e, "ACCESS_ALL_CLIENTS of the planted client's practice", f.all, 4)
	operatorSQL(t, e, `UPDATE clients SET restricted = true WHERE id = $1`, f.open.ID)
	requireCount(t, e, "the other practice's tag viewer, the planted client restricted", m, 1)
	operatorSQL(t, e, `UPDATE clients SET restricted = false WHERE id = $1`, f.open.ID)
	operatorSQL(t, e, `UPDATE client_tags SET tag_id = $1 WHERE client_id = $2 AND tag_id = $3`, f.calm.ID, f.open.ID, otherTag.ID)
	requireCount(t, e, "the other practice's tag viewer, the pair moved home", m, 1)
	requireCount(t, e, "calm viewer, the pair moved home", f.allCalm, 4)
	operatorSQL(t, e, `INSERT INTO client_tags (client_id, tag_id) VALUES ($1, $2)`, f.open.ID, otherTag.ID)
	operatorSQL(t, e, `DELETE FROM client_tags WHERE client_id = $1 AND tag_id = $2`, f.open.ID, otherTag.ID)
	requireCount(t, e, "the other practice's tag viewer, a planted pair deleted", m, 1)
	operatorSQL(t, e, `INSERT INTO client_tags (client_id, tag_id) VALUES ($1, $2)`, f.open.ID, otherTag.ID)
	operatorSQL(t, e, `UPDATE clients SET practice_id = $1 WHERE id = $2`, other.ID, f.open.ID)
	requireCount(t, e, "the other practice's tag viewer, the planted client moved to it", m, 2)
	requireCount(t, e, "calm viewer, its calm client moved away", f.allCalm, 3)
}

// The counts follow what an operator's SQL does to clients, tags and their
// pairs, not only what the API does; the check after every test compares
// them with the rows themselves.
func TestClientCounts_FollowOperatorSQL(t *testing.T) {
	e := graphtest.New(t)
	f := newCountFixture(t, e)
	other, merged := e.Practice(), e.Tag(f.p, "merged")
	loose := e.NewClient(f.p)
	for _, step := range []struct {
		q    string
		args []any
	}{
		{`UPDATE client_tags SET tag_id = $1 WHERE tag_id = $2`, []any{merged.ID, f.calm.ID}},
		{`UPDATE clients SET restricted = NOT restricted`, nil},
		{`UPDATE clients SET name = 'Renamed', restricted = NOT restricted WHERE practice_id = $1`, []any{f.p.ID}},
		{`UPDATE tags SET practice_id = $1 WHERE id = $2`, []any{other.ID, f.calm.ID}},
		{`UPDATE tags SET practice_id = $1 WHERE id = $2`, []any{f.p.ID, f.calm.ID}},
		{`UPDATE clients SET id = 'CL0000000000000000000000MOVED', restricted = NOT restricted WHERE id = $1`, []any{loose.ID}},
		{`UPDATE clients SET practice_id = $1 WHERE id = $2`, []any{other.ID, f.calmOpen.ID}},
		{`DELETE FROM client_tags WHERE client_id = $1`, []any{f.open.ID}},
		{`DELETE FROM shares WHERE client_id = $1`, []any{f.sharedHidden.ID}},
		{`DELETE FROM client_tags WHERE client_id = $1`, []any{f.sharedHidden.ID}},
		{`DELETE FROM clients WHERE id = $1`, []any{f.sharedHidden.ID}},
	} {
		operatorSQL(t, e, step.q, step.args...)
		graphtest.RequireClientCountsExact(t, e.DB.SQL)
	}
	for _, m := range []*ent.Member{f.admin, f.all, f.allCalm, f.both} {
		if got := countsOf(t, e, m); got.whole != got.visited || got.whole != got.listed {
			t.Errorf("member %s: totalCount %d, through a filter %d, listed %d", m.Name, got.whole, got.visited, got.listed)
		}
	}
	// What the counts could not follow is refused, and leaves them exact:
	// a tag that clients carry moving to another practice, and (on
	// PostgreSQL, which has writable CTEs) a client deleted in the
	// statement that deletes its pairs.
	refused := []string{fmt.Sprintf(`UPDATE tags SET practice_id = '%s' WHERE id = '%s'`, other.ID, merged.ID)}
	if graphtest.Dialect() == "postgres" {
		refused = append(refused, fmt.Sprintf(`WITH d AS (DELETE FROM client_tags WHERE client_id = '%[1]s') DELETE FROM clients WHERE id = '%[1]s'`, f.calmHidden.ID))
	}
	for _, q := range refused {
		if _, err := e.DB.SQL.Exec(q); err == nil {
			t.Errorf("%s: done, want refused", q)
		}
		graphtest.RequireClientCountsExact(t, e.DB.SQL)
	}
}

// Policy §3 rule 7 beside a tag restriction: an emergency grant on a
// restricted client counts only where the practice lets emergency access
// reach restricted clients, and a grant on a client the tag already brings
// counts once.
func TestTotalCount_EmergencyAccessBesideATag_CountsOnce(t *testing.T) {
	e := graphtest.New(t)
	f := newCountFixture(t, e)
	soon := time.Now().Add(time.Hour)
	e.Emergency(f.calmOpen, f.allCalm, soon)
	e.Emergency(f.ownHidden, f.allCalm, soon)
	requireCount(t, e, "calm viewer, restricted clients out of emergency reach", f.allCalm, 3)
	if err := e.Client().Practice.UpdateOne(f.p).SetEmergencyReachesRestricted(true).Exec(e.Ctx); err != nil {
		t.Fatal(err)
	}
	requireCount(t, e, "calm viewer, emergency reaching a restricted client", f.allCalm, 4)
}

// Every shape of the whole list counts the same: no page, the last page,
// a page after a cursor.
func TestTotalCount_EveryShapeOfTheWholeList_CountsTheSame(t *testing.T) {
	e := graphtest.New(t)
	f := newCountFixture(t, e)
	first := e.As(f.allCalm, `{ clients(first: 1) { edges { cursor } } }`, nil)
	first.RequireNoErrors(t)
	var page struct {
		Clients struct{ Edges []struct{ Cursor string } }
	}
	first.Decode(t, &page)
	r := e.As(f.allCalm, `query($after: String) { a: clients(first: 0) { totalCount } b: clients(last: 2) { totalCount }
  c: clients(first: 1, after: $after) { totalCount pageInfo { hasNextPage } } }`,
		map[string]any{"after": page.Clients.Edges[0].Cursor})
	r.RequireNoErrors(t)
	var out map[string]struct{ TotalCount int }
	r.Decode(t, &out)
	for _, k := range []string{"a", "b", "c"} {
		if out[k].TotalCount != 3 {
			t.Errorf("%s: totalCount %d, want 3", k, out[k].TotalCount)
		}
	}
}

// operatorSQL runs a statement below the API, with $n placeholders on
// either dialect.
func operatorSQL(t *testing.T, e *graphtest.Env, q string, args ...any) {
	t.Helper()
	if graphtest.Dialect() == "sqlite" {
		for i := len(args); i >= 1; i-- {
			q = strings.ReplaceAll(q, fmt.Sprintf("$%d", i), fmt.Sprintf("?%d", i))
		}
	}
	if _, err := e.DB.SQL.Exec(q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

// A count read from the kept row alone (an admin's), asked without a page
// whose statement would carry it, is kept prepared on PostgreSQL
// (ent/prepared): whatever the practice, one plan serves it. A count that
// visits clients is not, since its best plan depends on the viewer and the
// practice; the counts are right either way.
func TestTotalCount_KeptRowOnly_IsPrepared(t *testing.T) {
	db := graphtest.OpenDB(t)
	e := graphtest.NewOn(t, db)
	f := newCountFixture(t, e)
	db.SQL.SetMaxOpenConns(1)
	prepared := func() int {
		t.Helper()
		if db.Dialect != dialect.Postgres {
			return 0
		}
		var n int
		if err := db.SQL.QueryRow(`SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE '%client_counts%'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	for _, c := range []struct {
		who      string
		m        *ent.Member
		want     listCounts
		prepared int // on PostgreSQL, after this viewer's lists
	}{
		{"admin", f.admin, listCounts{7, 7, 7}, 1},
		{"admin again", f.admin, listCounts{7, 7, 7}, 1},
		{"practitioner: visited", f.practitioner, listCounts{1, 1, 1}, 1},
		// The kept row, and the restricted clients it is responsible for
		// visited beside it.
		{"ACCESS_ALL_CLIENTS: kept row and visited", f.all, listCounts{4, 4, 4}, 1},
	} {
		if got := countsOf(t, e, c.m); got != c.want {
			t.Errorf("%s: got %+v, want %+v", c.who, got, c.want)
		}
		alone := e.As(c.m, `{ clients { totalCount } }`, nil)
		alone.RequireNoErrors(t)
		var out struct{ Clients struct{ TotalCount int } }
		if alone.Decode(t, &out); out.Clients.TotalCount != c.want.whole {
			t.Errorf("%s: a count alone is %d, want %d", c.who, out.Clients.TotalCount, c.want.whole)
		}
		if db.Dialect == dialect.Postgres {
			if got := prepared(); got != c.prepared {
				t.Errorf("%s: %d count statements prepared, want %d", c.who, got, c.prepared)
			}
		}
	}
}
