package policytest

import (
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"testing"

	"caseload/ent"
	"caseload/ent/audit"
	"caseload/ent/database"
	"caseload/ent/schema/access"
	"caseload/ent/schema/pulid"
	"caseload/graph/graphtest"
	"caseload/graph/server"

	entsql "entgo.io/ent/dialect/sql"
)

// requireCode fails unless the response carries exactly one error, with
// code, and no error message leaks internals.
func requireCode(t *testing.T, r *graphtest.Response, code string) graphtest.Error {
	t.Helper()
	if len(r.Errors) != 1 || r.Errors[0].Code() != code {
		t.Fatalf("want one %s error, got status %d errors %+v", code, r.Status, r.Errors)
	}
	requireNoLeaks(t, r)
	return r.Errors[0]
}

// requireNoLeaks fails if an error message names SQL, Ent or a panic.
func requireNoLeaks(t *testing.T, r *graphtest.Response) {
	t.Helper()
	for _, e := range r.Errors {
		low := strings.ToLower(e.Message)
		for _, leak := range []string{"select ", "insert ", "sql", "ent:", "panic", "goroutine"} {
			if strings.Contains(low, leak) {
				t.Fatalf("error message leaks internals: %q", e.Message)
			}
		}
	}
}

// errorAt returns the errors whose path ends with the given field name.
func errorAt(r *graphtest.Response, field string) []graphtest.Error {
	var out []graphtest.Error
	for _, e := range r.Errors {
		if len(e.Path) > 0 && fmt.Sprint(e.Path[len(e.Path)-1]) == field {
			out = append(out, e)
		}
	}
	return out
}

// requireForbiddenSection fails unless every error is a FORBIDDEN at field
// naming section, and there is at least one, and no message leaks internals.
func requireForbiddenSection(t *testing.T, r *graphtest.Response, field string, section access.Section) {
	t.Helper()
	errs := errorAt(r, field)
	if len(errs) == 0 || len(errs) != len(r.Errors) {
		t.Fatalf("want FORBIDDEN at %s only, got %+v", field, r.Errors)
	}
	for _, e := range errs {
		if e.Code() != "FORBIDDEN" || e.Extensions["section"] != string(section) {
			t.Fatalf("want FORBIDDEN/%s at %s, got %+v", section, field, e)
		}
	}
	requireNoLeaks(t, r)
}

// practitionerRole is a role of p for practitioners with every section at
// level, and the given capabilities, optionally restricted to tags.
func practitionerRole(e *graphtest.Env, p *ent.Practice, level access.Level, caps []access.Capability, tags ...*ent.Tag) *ent.Role {
	return e.Role(p, access.Practitioner, access.AllSections(level), caps, tags...)
}

// profileOnlyRole is a role of p for administrative staff who see every
// client (ACCESS_ALL_CLIENTS), or with tags every client carrying one of
// them, and read its profile only: every other section is NONE.
func profileOnlyRole(e *graphtest.Env, p *ent.Practice, tags ...*ent.Tag) *ent.Role {
	return e.Role(p, access.Administrative, access.SectionLevels{access.Profile: access.View}, []access.Capability{access.AccessAllClients}, tags...)
}

// quoted joins ids as a GraphQL list literal.
func quoted[T ~string](ids ...T) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = fmt.Sprintf("%q", string(id))
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// visibleClients lists the clients m sees, through the list with its
// totalCount, and checks that the count agrees with the list.
func visibleClients(t *testing.T, e *graphtest.Env, m *ent.Member) []pulid.ID {
	t.Helper()
	r := e.As(m, `{ clients(first: 100) { totalCount edges { node { id } } } }`, nil)
	r.RequireNoErrors(t)
	var out struct {
		Clients struct {
			TotalCount int
			Edges      []struct{ Node struct{ ID pulid.ID } }
		}
	}
	r.Decode(t, &out)
	ids := make([]pulid.ID, 0, len(out.Clients.Edges))
	for _, edge := range out.Clients.Edges {
		ids = append(ids, edge.Node.ID)
	}
	if out.Clients.TotalCount != len(ids) {
		t.Fatalf("totalCount %d disagrees with the %d clients listed", out.Clients.TotalCount, len(ids))
	}
	slices.Sort(ids)
	return ids
}

// seesByID reports whether client(id), node(id) and nodes(ids) return the
// client; they must agree.
func seesByID(t *testing.T, e *graphtest.Env, m *ent.Member, c *ent.ClientRecord) bool {
	t.Helper()
	r := e.As(m, `query($id: ID!) { client(id: $id) { id } node(id: $id) { id } nodes(ids: [$id]) { id } }`,
		map[string]any{"id": c.ID})
	r.RequireNoErrors(t)
	var out struct {
		Client *struct{ ID string }
		Node   *struct{ ID string }
		Nodes  []*struct{ ID string }
	}
	r.Decode(t, &out)
	if len(out.Nodes) != 1 {
		t.Fatalf("nodes(ids) answered %d entries for one id", len(out.Nodes))
	}
	if (out.Client == nil) != (out.Node == nil) || (out.Client == nil) != (out.Nodes[0] == nil) {
		t.Fatalf("client(id), node(id) and nodes(ids) disagree for %s", c.ID)
	}
	return out.Client != nil
}

// requireSees checks both sides: m sees exactly want among all, by list,
// count, client(id) and node(id).
func requireSees(t *testing.T, e *graphtest.Env, m *ent.Member, all []*ent.ClientRecord, want ...*ent.ClientRecord) {
	t.Helper()
	wantIDs := graphtest.IDs(want...)
	slices.Sort(wantIDs)
	if got := visibleClients(t, e, m); !slices.Equal(got, wantIDs) {
		t.Fatalf("clients: got %v, want %v", got, wantIDs)
	}
	for _, c := range all {
		if got, want := seesByID(t, e, m, c), slices.Contains(wantIDs, c.ID); got != want {
			t.Fatalf("client(id: %s): visible=%v, want %v", c.Name, got, want)
		}
	}
}

// reload reads c again, bypassing the API.
func reload(t *testing.T, e *graphtest.Env, c *ent.ClientRecord) *ent.ClientRecord {
	t.Helper()
	got, err := e.Client().ClientRecord.Get(e.Ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// withBrokenAudit is a server whose audit log cannot be written: its writer
// talks to a database that is closed.
func withBrokenAudit(t *testing.T, db *database.DB) *graphtest.Env {
	t.Helper()
	broken, err := sql.Open("postgres", "postgres://127.0.0.1:1/none?sslmode=disable&connect_timeout=1")
	if err != nil {
		t.Fatal(err)
	}
	_ = broken.Close()
	return graphtest.NewOn(t, db, func(o *server.Options) {
		o.Audit = &audit.Writer{Key: graphtest.AuditKey, Driver: entsql.OpenDB(db.Dialect, broken)}
	})
}
