package server_test

import (
	"encoding/json"
	"testing"
	"time"

	"caseload/ent"
	"caseload/graph"
	"caseload/graph/graphtest"
)

// pageFixture is a tag on 60 clients, the first of which has 60
// appointments and 60 session notes: more than a default page of each.
type pageFixture struct {
	e      *graphtest.Env
	token  string
	client *ent.ClientRecord
}

const pageRows = 60

func newPageFixture(t *testing.T) pageFixture {
	e := graphtest.New(t)
	p := e.Practice()
	admin := e.Member(p, graphtest.Admin())
	tag := e.Tag(p, "North")
	var first *ent.ClientRecord
	for i := range pageRows {
		c := e.NewClient(p, graphtest.ResponsibleIs(admin), graphtest.Tagged(tag))
		if i == 0 {
			first = c
		}
	}
	start := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	appointments := make([]*ent.AppointmentCreate, pageRows)
	notes := make([]*ent.SessionNoteCreate, pageRows)
	for i := range pageRows {
		at := start.Add(time.Duration(i) * 24 * time.Hour)
		appointments[i] = e.Client().Appointment.Create().SetPracticeID(p.ID).SetClientID(first.ID).
			SetPractitionerID(admin.ID).SetStartsAt(at).SetEndsAt(at.Add(time.Hour))
		notes[i] = e.Client().SessionNote.Create().SetPracticeID(p.ID).SetClientID(first.ID).
			SetAuthorID(admin.ID).SetDate(at).SetContent("note")
	}
	if err := e.Client().Appointment.CreateBulk(appointments...).Exec(e.Ctx); err != nil {
		t.Fatal(err)
	}
	if err := e.Client().SessionNote.CreateBulk(notes...).Exec(e.Ctx); err != nil {
		t.Fatal(err)
	}
	return pageFixture{e: e, token: e.Token(admin), client: first}
}

// page is a connection as the tests read it.
type page struct {
	TotalCount int
	PageInfo   struct{ HasNextPage, HasPreviousPage bool }
	Edges      []struct{ Node struct{ ID string } }
}

func TestNestedConnections_HaveADefaultPageSize(t *testing.T) {
	f := newPageFixture(t)
	const conn = `{ totalCount pageInfo { hasNextPage hasPreviousPage } edges { node { id } } }`
	cases := map[string]struct {
		query string
		vars  map[string]any
		read  func(json.RawMessage) page
	}{
		"Tag.clients": {`{ tags { clients ` + conn + ` } }`, nil, func(d json.RawMessage) page {
			var v struct{ Tags []struct{ Clients page } }
			mustDecode(t, d, &v)
			return v.Tags[0].Clients
		}},
		"Tag.clients, $first absent": {`query($first: Int) { tags { clients(first: $first) ` + conn + ` } }`, nil, func(d json.RawMessage) page {
			var v struct{ Tags []struct{ Clients page } }
			mustDecode(t, d, &v)
			return v.Tags[0].Clients
		}},
		"Tag.clients, $first null": {`query($first: Int) { tags { clients(first: $first) ` + conn + ` } }`, map[string]any{"first": nil}, func(d json.RawMessage) page {
			var v struct{ Tags []struct{ Clients page } }
			mustDecode(t, d, &v)
			return v.Tags[0].Clients
		}},
		"Tag.clients, $last null": {`query($last: Int) { tags { clients(last: $last) ` + conn + ` } }`, map[string]any{"last": nil}, func(d json.RawMessage) page {
			var v struct{ Tags []struct{ Clients page } }
			mustDecode(t, d, &v)
			return v.Tags[0].Clients
		}},
		"Client.sessionNotes, loaded with its page of clients": {`query($id: ID!) { clients(first: 1, where: { id: $id }) { edges { node { sessionNotes ` + conn + ` } } } }`,
			map[string]any{"id": f.client.ID}, func(d json.RawMessage) page {
				var v struct {
					Clients struct {
						Edges []struct{ Node struct{ SessionNotes page } }
					}
				}
				mustDecode(t, d, &v)
				return v.Clients.Edges[0].Node.SessionNotes
			}},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			got := post(t, f.e.Handler, f.token, c.query, c.vars)
			got.requireOK(t)
			p := c.read(got.Data)
			more := p.PageInfo.HasNextPage || p.PageInfo.HasPreviousPage
			if len(p.Edges) != graph.DefaultPageSize || p.TotalCount != pageRows || !more {
				t.Fatalf("want %d of %d with more pages, got %d of %d (%+v)",
					graph.DefaultPageSize, pageRows, len(p.Edges), p.TotalCount, p.PageInfo)
			}
		})
	}
}

func TestChildLists_HaveADefaultAndABound(t *testing.T) {
	f := newPageFixture(t)
	q := `query($id: ID!, $n: Int) { client(id: $id) { appointments(first: $n) { startsAt } } }`
	read := func(vars map[string]any) []struct{ StartsAt time.Time } {
		got := post(t, f.e.Handler, f.token, q, vars)
		got.requireOK(t)
		var v struct {
			Client struct {
				Appointments []struct{ StartsAt time.Time }
			}
		}
		mustDecode(t, got.Data, &v)
		return v.Client.Appointments
	}
	if n := len(read(map[string]any{"id": f.client.ID})); n != graph.DefaultPageSize {
		t.Fatalf("want the default %d appointments, got %d", graph.DefaultPageSize, n)
	}
	latest := read(map[string]any{"id": f.client.ID, "n": 2})
	if len(latest) != 2 || !latest[0].StartsAt.After(latest[1].StartsAt) {
		t.Fatalf("want the 2 latest appointments, latest first: %+v", latest)
	}
	post(t, f.e.Handler, f.token, q, map[string]any{"id": f.client.ID, "n": graph.MaxPageSize + 1}).
		requireRefused(t, "BAD_USER_INPUT", "")
}

func TestPageSize_MaximumIsBadUserInputEverywhere(t *testing.T) {
	f := newPageFixture(t)
	for name, q := range map[string]string{
		"root connection":       `{ clients(first: 101) { totalCount } }`,
		"root connection, last": `{ members(last: 101) { totalCount } }`,
		"Tag.clients":           `{ tags { clients(first: 101) { totalCount } } }`,
		"Client.sessionNotes":   `{ clients(first: 1) { edges { node { sessionNotes(last: 101) { totalCount } } } } }`,
		"assignmentHistory":     `{ clients(first: 1) { edges { node { assignmentHistory(first: 101) { id } } } } }`,
		"negative":              `{ tags { clients(first: -1) { totalCount } } }`,
		"nodes":                 `{ nodes(ids: [` + repeat(101, func(int) string { return `"x"` }) + `]) { id } }`,
	} {
		t.Run(name, func(t *testing.T) {
			post(t, f.e.Handler, f.token, q, nil).requireRefused(t, "BAD_USER_INPUT", "")
		})
	}
	// At the maximum, accepted.
	post(t, f.e.Handler, f.token, `{ tags { clients(first: 100) { totalCount } } }`, nil).requireOK(t)
}

func mustDecode(t *testing.T, data json.RawMessage, v any) {
	t.Helper()
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("decoding %s: %v", data, err)
	}
}
