package server_test

import (
	"net/http"
	"strings"
	"testing"

	"caseload/ent/clientrecord"
	"caseload/graph/graphtest"
)

// Bad input is a typed BAD_USER_INPUT error, never INTERNAL or a match:
// refused at the edge (the String, Int and Time scalars and the input
// checks), before any statement, and nothing half-written is left behind.
func TestBadInput_IsRefusedTypedAndWritesNothing(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	admin := e.Member(p, graphtest.Admin())
	e.NewClient(p)
	create := `mutation($in: CreateClientInput!) { createClient(input: $in) { id } }`
	search := `query($s: String) { clients(first: 5, search: $s) { totalCount } }`
	for _, tc := range []struct {
		name  string
		query string
		vars  map[string]any
	}{
		{"NUL in a name", create, map[string]any{"in": map[string]any{"name": "Ada\u0000"}}},
		{"control character in a name", create, map[string]any{"in": map[string]any{"name": "Ada\u0007"}}},
		{"text-direction override in a name", create, map[string]any{"in": map[string]any{"name": "Ada \u202egnp.exe"}}},
		{"line break in a name", create, map[string]any{"in": map[string]any{"name": "Ada\nLovelace"}}},
		{"email that is not an address", create, map[string]any{"in": map[string]any{"name": "Ada", "email": "not an email"}}},
		{"NUL search", search, map[string]any{"s": "\u0000"}},
		{"NUL search in the query text", `{ clients(first: 5, search: "\u0000") { totalCount } }`, nil},
		{"half-megabyte search", search, map[string]any{"s": strings.Repeat("a", 500_000)}},
		{"time that is not RFC 3339", `{ teamCapacity(from: "yesterday", to: "2030-01-08T00:00:00Z") { openSlotCount } }`, nil},
		{"Int beyond 32 bits", `{ clients(first: 3000000000) { totalCount } }`, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := e.Client().ClientRecord.Query().CountX(e.Ctx)
			r := e.As(admin, tc.query, tc.vars)
			if r.Status >= http.StatusInternalServerError {
				t.Fatalf("HTTP %d", r.Status)
			}
			if len(r.Errors) == 0 {
				t.Fatalf("accepted: %s", r.Data)
			}
			for _, er := range r.Errors {
				if er.Code() != "BAD_USER_INPUT" {
					t.Fatalf("want BAD_USER_INPUT, got %+v", r.Errors)
				}
			}
			if after := e.Client().ClientRecord.Query().CountX(e.Ctx); after != before {
				t.Fatalf("a refused request wrote %d clients", after-before)
			}
		})
	}
	// The other side: ordinary text with tabs, accents and right-to-left
	// script is accepted.
	r := e.As(admin, create, map[string]any{"in": map[string]any{"name": "Zoë أحمد", "email": "zoe@example.org"}})
	r.RequireNoErrors(t)
	if n := e.Client().ClientRecord.Query().Where(clientrecord.NameEQ("Zoë أحمد")).CountX(e.Ctx); n != 1 {
		t.Fatalf("a valid client was not created (%d)", n)
	}
}
