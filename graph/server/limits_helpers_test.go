package server_test

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"caseload/ent"
	"caseload/graph/auth"
	"caseload/graph/graphtest"
	"caseload/graph/server"
)

// answer is a GraphQL response read in full, extensions included.
type answer struct {
	Status     int
	Data       json.RawMessage   `json:"data"`
	Errors     []graphtest.Error `json:"errors"`
	Extensions map[string]any    `json:"extensions"`
	raw        []byte
}

// post sends a GraphQL POST to h with the token (none if empty).
func post(t testing.TB, h http.Handler, token, query string, vars map[string]any) answer {
	t.Helper()
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	a := answer{Status: rec.Code, raw: rec.Body.Bytes()}
	if err := json.Unmarshal(rec.Body.Bytes(), &a); err != nil {
		t.Fatalf("response is not JSON: %v: %s", err, rec.Body.String())
	}
	return a
}

// executed reports whether the request ran: a refused one has no data.
func (a answer) executed() bool {
	return len(a.Data) > 0 && string(a.Data) != "null"
}

// requireOK fails unless the request ran without errors.
func (a answer) requireOK(t testing.TB) {
	t.Helper()
	if a.Status != http.StatusOK || len(a.Errors) > 0 || !a.executed() {
		t.Fatalf("want an answer without errors, got HTTP %d errors %+v", a.Status, a.Errors)
	}
}

// requireRefused fails unless the request was refused before it ran, with
// one error of the code and, for QUERY_TOO_COMPLEX, the limit named.
func (a answer) requireRefused(t testing.TB, code, limit string) graphtest.Error {
	t.Helper()
	if a.executed() {
		t.Fatalf("the request ran: data %s", a.Data)
	}
	if len(a.Errors) != 1 || a.Errors[0].Code() != code {
		t.Fatalf("want one %s error, got HTTP %d errors %+v", code, a.Status, a.Errors)
	}
	if got, _ := a.Errors[0].Extensions["limit"].(string); limit != "" && got != limit {
		t.Fatalf("want extensions.limit %q, got %+v", limit, a.Errors[0].Extensions)
	}
	return a.Errors[0]
}

// cost returns extensions.cost, failing the test if it is missing.
func (a answer) cost(t testing.TB) (requested, budget int, hasRequested bool) {
	t.Helper()
	c, ok := a.Extensions["cost"].(map[string]any)
	if !ok {
		t.Fatalf("no extensions.cost in %s", a.raw)
	}
	b, ok := c["maxQueryCost"].(float64)
	if !ok {
		t.Fatalf("no maxQueryCost in %v", c)
	}
	r, hasRequested := c["requestedQueryCost"].(float64)
	return int(r), int(b), hasRequested
}

// intExt reads a number of an error's extensions.
func intExt(t testing.TB, e graphtest.Error, key string) int {
	t.Helper()
	n, ok := e.Extensions[key].(float64)
	if !ok {
		t.Fatalf("extensions.%s missing: %+v", key, e.Extensions)
	}
	return int(n)
}

// limited is a test server with the given limits on e's database, its
// client optionally replaced (to count or hold statements).
func limited(e *graphtest.Env, l server.Limits, client *ent.Client) http.Handler {
	if client == nil {
		client = e.Client()
	}
	return server.New(server.Options{
		Client: client,
		Hasher: auth.NewFastHasher(),
		Tokens: e.Tokens,
		Ready:  e.DB.Ping,
		Logger: slog.New(slog.DiscardHandler),
		Limits: l,
	})
}

// repeat joins n copies of s, each made by f(i).
func repeat(n int, f func(i int) string) string {
	var b strings.Builder
	for i := range n {
		b.WriteString(f(i))
		b.WriteByte(' ')
	}
	return b.String()
}
