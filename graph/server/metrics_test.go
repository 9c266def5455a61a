package server_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	"github.com/alexedwards/argon2id"
	"github.com/ulule/limiter/v3"

	"caseload/ent/audit"
	"caseload/ent/schema/access"
	"caseload/graph/auth"
	"caseload/graph/email"
	"caseload/graph/graphtest"
	"caseload/graph/server"
)

// After requests of every kind the series count (an answer, a FORBIDDEN
// field, a refused document, an unknown ID, a refused mutation, a login
// that hashes, a login past its limit, a full hashing queue, audited reads
// and writes, a failed audit write), /metrics holds each series with its
// labels.
func TestMetricsAfterRequests(t *testing.T) {
	out := scrapeAfterEveryKind(t)
	for _, want := range []string{
		`caseload_graphql_requests_total{operation="Caseload",outcome="ok"} 1`,
		`caseload_graphql_requests_total{operation="History",outcome="FORBIDDEN"} 1`,
		`caseload_graphql_requests_total{operation="unnamed",outcome="QUERY_TOO_COMPLEX"} 1`,
		`caseload_graphql_requests_total{operation="anonymous",outcome="ok"} 2`,
		`caseload_graphql_requests_total{operation="Login",outcome="ok"} 2`,
		`caseload_graphql_requests_total{operation="Login",outcome="RATE_LIMITED"} 2`,
		// A caller without a token names only the server's operations.
		`caseload_graphql_requests_total{operation="other",outcome="ok"} 1`,
		`caseload_graphql_errors_total{code="FORBIDDEN"} 2`,
		`caseload_graphql_errors_total{code="QUERY_TOO_COMPLEX"} 1`,
		`caseload_graphql_request_duration_seconds_count{operation="Caseload"} 1`,
		`caseload_graphql_request_duration_seconds_bucket{operation="History",le="+Inf"} 1`,
		`caseload_rate_limited_total{limit="login_account"} 1`,
		`caseload_rate_limited_total{limit="hash_queue"} 1`,
		`caseload_denied_total{kind="forbidden",section="MEDICAL_HISTORY"} 1`,
		`caseload_denied_total{kind="not_found",section="none"} 1`,
		`caseload_denied_total{kind="refused_mutation",section="none"} 1`,
		`caseload_password_hashes_running 0`,
		`caseload_password_hashes_waiting 0`,
		// Three logins hashed: two from the test, one behind the full queue
		// (the queue's own background hash is not a login).
		`caseload_password_hash_wait_seconds_count 3`,
		`caseload_audit_write_failures_total{batch="request"} 1`,
		`go_sql_open_connections{db_name="caseload"}`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	// Every request that recorded a read or a denial wrote a batch, and
	// every mutation field that recorded a change or a login wrote its own.
	if n := sampleValue(t, out, `caseload_audit_write_duration_seconds_count{batch="request"}`); n < 4 {
		t.Errorf("request batches timed: %v, want at least 4", n)
	}
	if n := sampleValue(t, out, `caseload_audit_write_duration_seconds_count{batch="mutation"}`); n < 1 {
		t.Errorf("mutation batches timed: %v, want at least 1", n)
	}
	if t.Failed() {
		t.Log(grepLines(out, "caseload"))
	}
}

// The anonymous operation names a caller without a token may label are
// the server's own: junk names are "other", never a series of their own.
func TestMetricsAnonymousNamesAreBounded(t *testing.T) {
	reg := server.NewMetricsRegistry(nil)
	e := graphtest.New(t, func(o *server.Options) { o.Metrics = reg })
	for _, name := range []string{"Junk1", "Junk2", "Junk3"} {
		e.Do("", `query `+name+` { __typename }`, nil).RequireNoErrors(t)
	}
	out := scrape(t, server.MetricsHandler(reg))
	if strings.Contains(out, "Junk") {
		t.Errorf("an anonymous caller's names are labels:\n%s", grepLines(out, "requests_total"))
	}
	if want := `caseload_graphql_requests_total{operation="other",outcome="ok"} 3`; !strings.Contains(out, want) {
		t.Errorf("metrics lack %s:\n%s", want, grepLines(out, "requests_total"))
	}
}

// The API's handler does not serve /metrics: it has a listener of its own.
func TestMetricsNotOnAPI(t *testing.T) {
	reg := server.NewMetricsRegistry(nil)
	e := graphtest.New(t, func(o *server.Options) { o.Metrics = reg })
	rec := httptest.NewRecorder()
	e.Handler.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if strings.Contains(rec.Body.String(), "caseload_graphql") || strings.Contains(rec.Body.String(), "go_goroutines") {
		t.Fatal("the API's handler serves metrics")
	}
}

// loginOperation is the server's own named login (builtinOperations).
const loginOperation = `mutation Login($email: String!, $password: String!) { login(email: $email, password: $password) { token expiresAt member { id name } } }`

// scrapeAfterEveryKind sends the requests that feed every series of the
// server and returns /metrics: the metrics test and the dashboard's
// (dashboard_test.go) read the same scrape.
func scrapeAfterEveryKind(t *testing.T) string {
	t.Helper()
	db := graphtest.OpenDB(t)
	reg := server.NewMetricsRegistry(db.SQL)
	// One slot, and hardly any wait: a login behind a hash in progress is
	// refused at once.
	hasher := auth.NewFastHasher().WithQueue(1, time.Millisecond)
	e := graphtest.NewOn(t, db, func(o *server.Options) {
		o.Metrics = reg
		o.Hasher = hasher
		// One login per account and address; a success starts afresh.
		o.SignInLimits = auth.NewMemoryLimits(auth.Rates{LoginAttemptsPerPair: limiter.Rate{Period: time.Hour, Limit: 1}})
	})
	p := e.Practice()
	role := e.Role(p, access.Administrative, access.SectionLevels{access.Profile: access.View},
		[]access.Capability{access.AccessAllClients})
	clerk := e.Member(p, graphtest.Administrative(), graphtest.WithRole(role))
	const password = "correct horse battery"
	hash, err := auth.NewFastHasher().Hash(password)
	if err != nil {
		t.Fatal(err)
	}
	admin := e.Member(p, graphtest.Admin(), graphtest.WithPassword(hash))
	c := e.NewClient(p)

	e.As(clerk, `query Caseload { clients(first: 5) { edges { node { id } } } }`, nil).RequireNoErrors(t)
	if codes := e.As(clerk, `query History { clients(first: 5) { edges { node { medicalHistory { id } } } } }`, nil).Codes(); len(codes) == 0 || codes[0] != "FORBIDDEN" {
		t.Fatalf("want FORBIDDEN, got %v", codes)
	}
	deep := `query Deep { clients { edges { node { team { members { team { members { team { members { id } } } } } } } } } }`
	if codes := e.As(clerk, deep, nil).Codes(); len(codes) == 0 || codes[0] != "QUERY_TOO_COMPLEX" {
		t.Fatalf("want QUERY_TOO_COMPLEX, got %v", codes)
	}
	e.As(clerk, `{ __typename }`, nil).RequireNoErrors(t)
	e.Do("", `query MadeUpByAStranger { __typename }`, nil).RequireNoErrors(t)
	// An ID never issued: null, recorded as a denial.
	e.As(clerk, `query Find($id: ID!) { client(id: $id) { id } }`, map[string]any{"id": "CL00000000000000000000000000"}).RequireNoErrors(t)
	// A mutation the clerk may not make.
	if codes := e.As(clerk, `mutation { updateMedicalHistory(clientId: "`+string(c.ID)+`", text: "x") { id } }`, nil).Codes(); len(codes) == 0 || codes[0] != "FORBIDDEN" {
		t.Fatalf("want FORBIDDEN, got %v", codes)
	}
	// An audited read and a mutation's changes.
	e.As(admin, `query Read { clients(first: 5) { edges { node { medicalHistory { id } } } } }`, nil).RequireNoErrors(t)
	e.As(admin, `mutation { createTag(name: "North") { id } }`, nil).RequireNoErrors(t)

	// A login that hashes; a wrong password; a second try for the account
	// past its limit of one.
	login := func(pw string) *graphtest.Response {
		return e.Do("", loginOperation, map[string]any{"email": admin.Email, "password": pw})
	}
	login(password).RequireNoErrors(t)
	if codes := login("wrong password").Codes(); len(codes) != 1 || codes[0] != "UNAUTHENTICATED" {
		t.Fatalf("want UNAUTHENTICATED, got %v", codes)
	}
	if codes := login("wrong password").Codes(); len(codes) != 1 || codes[0] != "RATE_LIMITED" {
		t.Fatalf("want RATE_LIMITED, got %v", codes)
	}

	// A full hashing queue: a slow hash holds the only slot while a login
	// from another address (its own limit untouched) asks for it.
	release := holdHashSlot(t, hasher)
	running := scrape(t, server.MetricsHandler(reg))
	if !strings.Contains(running, "caseload_password_hashes_running 1") {
		t.Errorf("the hash in progress is not counted:\n%s", grepLines(running, "hashes"))
	}
	other := e.From("198.51.100.9:1000")
	if codes := other.Do("", loginOperation, map[string]any{"email": admin.Email, "password": password}).Codes(); len(codes) != 1 || codes[0] != "RATE_LIMITED" {
		t.Fatalf("want RATE_LIMITED from the full queue, got %v", codes)
	}
	release()
	// The slot free again, a login from a third address hashes.
	e.From("198.51.100.10:1000").Do("", loginOperation, map[string]any{"email": admin.Email, "password": password}).RequireNoErrors(t)

	// A server on the same registry whose audit log cannot be written.
	broken := graphtest.NewOn(t, db, func(o *server.Options) {
		o.Metrics = reg
		o.Audit = &audit.Writer{Key: graphtest.AuditKey, Driver: brokenDriver{entsql.OpenDB(db.Dialect, db.SQL)}}
	})
	if r := broken.As(admin, `query Read { clients(first: 5) { edges { node { medicalHistory { id } } } } }`, nil); r.Status != http.StatusServiceUnavailable {
		t.Fatalf("an unwritten audit log answers 503, got %d %+v", r.Status, r.Errors)
	}
	// The outbox's dispatcher, which serve runs beside the server
	// (cmd/caseload/serve_mail.go), reports to the same registry.
	server.EmailMetrics(reg)(email.KindInvitation, nil)
	return scrape(t, server.MetricsHandler(reg))
}

// holdHashSlot starts a slow hash in h's queue and returns once it holds
// a slot; calling the returned function waits for it to end.
func holdHashSlot(t *testing.T, h *auth.Hasher) func() {
	t.Helper()
	// The hash's own parameters: slow enough to outlast one request even
	// on a loaded machine (about 1 s on two idle cores; at 40 iterations,
	// 0.12 s, the login behind it sometimes arrived after it had ended
	// while the whole suite ran).
	slow, err := argon2id.CreateHash("x", &argon2id.Params{Memory: 8 * 1024, Iterations: 400, Parallelism: 1, SaltLength: 16, KeyLength: 32})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { defer close(done); _, _ = h.Verify(context.Background(), "y", slow) }()
	for deadline := time.Now().Add(5 * time.Second); h.Running() == 0; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the slow hash never started")
		}
	}
	return func() { <-done }
}

// brokenDriver is a database that answers nothing, for the audit writer.
type brokenDriver struct{ dialect.Driver }

var errBroken = errors.New("the audit log's database is gone")

func (brokenDriver) Exec(context.Context, string, any, any) error  { return errBroken }
func (brokenDriver) Query(context.Context, string, any, any) error { return errBroken }
func (brokenDriver) Tx(context.Context) (dialect.Tx, error)        { return nil, errBroken }

func scrape(t *testing.T, h http.Handler) string {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("/metrics: status %d", rec.Code)
	}
	b, _ := io.ReadAll(rec.Body)
	return string(b)
}

// sampleValue is the value of the series line starting with series.
func sampleValue(t *testing.T, out, series string) float64 {
	t.Helper()
	for _, l := range strings.Split(out, "\n") {
		if v, ok := strings.CutPrefix(l, series+" "); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				t.Fatalf("%s: %v", l, err)
			}
			return f
		}
	}
	t.Fatalf("no series %s", series)
	return 0
}

func grepLines(s, word string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, word) && !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
