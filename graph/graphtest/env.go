package graphtest

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"caseload/ent"
	"caseload/ent/audit"
	"caseload/ent/database"
	"caseload/ent/viewer"
	"caseload/graph/auth"
	"caseload/graph/server"

	entsql "entgo.io/ent/dialect/sql"
)

// Secret signs the tokens of every test server.
var Secret = []byte("test-secret-of-at-least-32-bytes!!")

// AuditKey signs the test servers' audit logs.
var AuditKey = []byte("test-audit-key-of-at-least-32-bytes")

// Env is a test's server: its own database and the real HTTP handler.
type Env struct {
	T       testing.TB
	DB      *database.DB
	Tokens  *auth.Tokens
	Handler http.Handler
	// Ctx bypasses privacy, for building fixtures and checking rows.
	Ctx context.Context
	// client is where requests come from (From).
	client client
	// opts are the options the server was made with.
	opts []func(*server.Options)
}

// New returns a test server on a fresh database; opts change its options.
func New(t testing.TB, opts ...func(*server.Options)) *Env {
	t.Helper()
	return NewOn(t, OpenDB(t), opts...)
}

// NewOn returns a test server on the given database; opts change its
// options.
func NewOn(t testing.TB, db *database.DB, opts ...func(*server.Options)) *Env {
	t.Helper()
	tokens, err := auth.NewTokens(Secret, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	o := server.Options{
		Client:  db.Client,
		Dialect: db.Dialect,
		Hasher:  auth.NewFastHasher(),
		Tokens:  tokens,
		Ready:   db.Ping,
		Logger:  slog.New(slog.DiscardHandler),
		Audit:   &audit.Writer{Key: AuditKey, Driver: entsql.OpenDB(db.Dialect, db.SQL)},
	}
	for _, f := range opts {
		f(&o)
	}
	return &Env{
		T:       t,
		DB:      db,
		Tokens:  tokens,
		Handler: server.New(o),
		opts:    opts,
		Ctx:     viewer.Bypass(context.Background(), "test fixtures and checks of stored rows"),
	}
}

// Client is the Ent client, for fixtures (use with e.Ctx).
func (e *Env) Client() *ent.Client { return e.DB.Client }

// Token returns a valid bearer token for m, of a new session (policy §2:
// every token names its session).
func (e *Env) Token(m *ent.Member) string {
	e.T.Helper()
	s, err := e.Client().Session.Create().SetMemberID(m.ID).SetPracticeID(m.PracticeID).Save(e.Ctx)
	if err != nil {
		e.T.Fatal(err)
	}
	tok, _, err := e.Tokens.Issue(m.ID, s.ID)
	if err != nil {
		e.T.Fatal(err)
	}
	return tok
}

// Error is one GraphQL error as the API sends it.
type Error struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path"`
	Extensions map[string]any `json:"extensions"`
}

// Code returns extensions.code.
func (e Error) Code() string { s, _ := e.Extensions["code"].(string); return s }

// Response is a GraphQL response with its HTTP status.
type Response struct {
	Status int
	Header http.Header
	Data   json.RawMessage `json:"data"`
	Errors []Error         `json:"errors"`
}

// Decode unmarshals data into v, failing the test on error.
func (r *Response) Decode(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Data, v); err != nil {
		t.Fatalf("decoding %s: %v", r.Data, err)
	}
}

// Codes lists the error codes, in order.
func (r *Response) Codes() []string {
	out := make([]string, len(r.Errors))
	for i, e := range r.Errors {
		out[i] = e.Code()
	}
	return out
}

// RequireNoErrors fails the test if the response has errors.
func (r *Response) RequireNoErrors(t testing.TB) {
	t.Helper()
	if len(r.Errors) > 0 || r.Status != http.StatusOK {
		t.Fatalf("unexpected errors (status %d): %+v", r.Status, r.Errors)
	}
}

// Do sends a GraphQL POST with the token (none if empty).
func (e *Env) Do(token, query string, vars map[string]any) *Response {
	e.T.Helper()
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		e.T.Fatal(err)
	}
	return e.Raw(http.MethodPost, "/graphql", token, "application/json", body)
}

// As sends a GraphQL query as member m.
func (e *Env) As(m *ent.Member, query string, vars map[string]any) *Response {
	e.T.Helper()
	return e.Do(e.Token(m), query, vars)
}

// Send sends any request and returns the answer unread: for benchmarks,
// whose timings must not include a test client's decoding.
func (e *Env) Send(method, path, token, contentType string, body []byte) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, bytes.NewReader(body))
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	e.client.apply(req)
	rec := httptest.NewRecorder()
	e.Handler.ServeHTTP(rec, req)
	return rec
}

// Raw sends any request and parses a JSON answer if there is one.
func (e *Env) Raw(method, path, token, contentType string, body []byte) *Response {
	e.T.Helper()
	rec := e.Send(method, path, token, contentType, body)
	resp := &Response{Status: rec.Code, Header: rec.Header()}
	if ct := rec.Header().Get("Content-Type"); len(ct) >= 16 && ct[:16] == "application/json" {
		if err := json.Unmarshal(rec.Body.Bytes(), resp); err != nil {
			e.T.Fatalf("response is not JSON: %v: %s", err, rec.Body.String())
		}
	}
	return resp
}
