package server_test

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"

	entsql "entgo.io/ent/dialect/sql"
	"go.opentelemetry.io/otel"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"caseload/ent"
	"caseload/ent/audit"
	"caseload/ent/database"
	"caseload/ent/schema/access"
	"caseload/graph/graphtest"
	"caseload/graph/server"
)

// The caller's trace context, as a W3C traceparent header.
const (
	callerTrace  = "4bf92f3577b34da6a3ce929d0e0e4736"
	callerSpan   = "00f067aa0ba902b7"
	callerHeader = "00-" + callerTrace + "-" + callerSpan + "-01"
)

// tracedEnv is a test server whose spans go to an in-memory exporter and
// whose log lines to a buffer; installed through Options, not globals.
func tracedEnv(t *testing.T, traced bool) (*graphtest.Env, *tracetest.InMemoryExporter, *bytes.Buffer) {
	t.Helper()
	exp := tracetest.NewInMemoryExporter()
	logs := &bytes.Buffer{}
	db := graphtest.OpenDB(t)
	e := graphtest.NewOn(t, db, func(o *server.Options) {
		o.Logger = slog.New(slog.NewJSONHandler(logs, nil))
		if traced {
			tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp))
			t.Cleanup(func() { _ = tp.Shutdown(t.Context()) })
			o.TracerProvider = tp
			o.Client = database.NewClient(server.TraceSQL(db.Driver(), tp))
		}
	})
	return e, exp, logs
}

// caseloadQuery runs a named query as a member of a new practice, with the
// caller's traceparent, and returns the member.
func caseloadQuery(t *testing.T, e *graphtest.Env) *ent.Member {
	t.Helper()
	p := e.Practice()
	role := e.Role(p, access.Administrative, access.SectionLevels{access.Profile: access.View},
		[]access.Capability{access.AccessAllClients})
	clerk := e.Member(p, graphtest.Administrative(), graphtest.WithRole(role))
	e.NewClient(p)
	e.From("192.0.2.1:1234", "Traceparent", callerHeader).
		As(clerk, `query Caseload { clients(first: 5) { edges { node { id name } } } }`, nil).RequireNoErrors(t)
	return clerk
}

// One request carrying a traceparent makes an HTTP span under the caller's
// span, an operation span under it, and SQL spans under that.
func TestTracing_SpansOfOneRequest(t *testing.T) {
	e, exp, _ := tracedEnv(t, true)
	caseloadQuery(t, e)

	spans := exp.GetSpans()
	find := func(name string, parent trace.SpanID) *tracetest.SpanStub {
		for i := range spans {
			if spans[i].Name == name && spans[i].Parent.SpanID() == parent {
				return &spans[i]
			}
		}
		return nil
	}
	callerID, _ := trace.SpanIDFromHex(callerSpan)
	httpSpan := find("POST /graphql", callerID)
	if httpSpan == nil {
		t.Fatalf("no HTTP span under the caller's span among %d spans", len(spans))
	}
	if got := httpSpan.SpanContext.TraceID().String(); got != callerTrace {
		t.Fatalf("HTTP span in trace %s, want the caller's %s", got, callerTrace)
	}
	op := find("query Caseload", httpSpan.SpanContext.SpanID())
	if op == nil {
		t.Fatal("no operation span under the HTTP span")
	}
	sqlSpans := 0
	for _, s := range spans {
		if s.Parent.SpanID() == op.SpanContext.SpanID() && s.SpanKind == trace.SpanKindClient {
			sqlSpans++
		}
	}
	if sqlSpans == 0 {
		t.Fatal("no SQL span under the operation span")
	}
}

// The request's log line names the trace, the operation, the member and
// the practice, with its duration in milliseconds.
func TestTracing_RequestLogLine(t *testing.T) {
	e, _, logs := tracedEnv(t, true)
	clerk := caseloadQuery(t, e)
	line := requestLine(t, logs)
	want := map[string]any{
		"trace_id":    callerTrace,
		"operation":   "Caseload",
		"member_id":   string(clerk.ID),
		"practice_id": string(clerk.PracticeID),
	}
	for k, v := range want {
		if line[k] != v {
			t.Errorf("%s = %v, want %v", k, line[k], v)
		}
	}
	if _, ok := line["duration_ms"].(float64); !ok {
		t.Errorf("duration_ms = %v, want a number", line["duration_ms"])
	}
}

// With tracing off nothing is installed: no span, no global provider, and
// no trace id in the log line, though the caller sent one.
func TestTracing_OffInstallsNothing(t *testing.T) {
	global := otel.GetTracerProvider()
	e, exp, logs := tracedEnv(t, false)
	caseloadQuery(t, e)
	if n := len(exp.GetSpans()); n != 0 {
		t.Fatalf("%d spans with tracing off", n)
	}
	if otel.GetTracerProvider() != global {
		t.Fatal("the global tracer provider changed")
	}
	line := requestLine(t, logs)
	if _, ok := line["trace_id"]; ok {
		t.Fatalf("trace_id logged with tracing off: %v", line)
	}
	if line["operation"] != "Caseload" {
		t.Fatalf("operation = %v, want Caseload", line["operation"])
	}
}

// requestLine is the access log line of the /graphql request.
func requestLine(t *testing.T, logs *bytes.Buffer) map[string]any {
	t.Helper()
	for _, l := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("log line is not JSON: %s", l)
		}
		if m["msg"] == "request" && m["path"] == "/graphql" {
			return m
		}
	}
	t.Fatalf("no request line for /graphql in %s", logs)
	return nil
}

// Every line logged for a traced request names its trace, not only the
// request line: here the error logged when the audit log cannot be
// written, deep in the response path.
func TestTracing_EveryLogLineOfARequestNamesItsTrace(t *testing.T) {
	logs := &bytes.Buffer{}
	previous := slog.Default()
	slog.SetDefault(slog.New(server.LogHandler(slog.NewJSONHandler(logs, nil))))
	t.Cleanup(func() { slog.SetDefault(previous) })
	exp := tracetest.NewInMemoryExporter()
	db := graphtest.OpenDB(t)
	broken, err := sql.Open("postgres", "postgres://127.0.0.1:1/none?sslmode=disable&connect_timeout=1")
	if err != nil {
		t.Fatal(err)
	}
	_ = broken.Close()
	e := graphtest.NewOn(t, db, func(o *server.Options) {
		o.Logger = slog.Default()
		tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp))
		t.Cleanup(func() { _ = tp.Shutdown(t.Context()) })
		o.TracerProvider = tp
		o.Audit = &audit.Writer{Key: graphtest.AuditKey, Driver: entsql.OpenDB(db.Dialect, broken)}
	})
	p := e.Practice()
	admin := e.Member(p, graphtest.Admin())
	c := e.NewClient(p)
	if err := e.Client().MedicalHistory.Create().SetPracticeID(p.ID).SetClientID(c.ID).SetText("x").Exec(e.Ctx); err != nil {
		t.Fatal(err)
	}
	r := e.From("192.0.2.1:1234", "Traceparent", callerHeader).
		As(admin, `query($id: ID!) { client(id: $id) { medicalHistory { text } } }`, map[string]any{"id": c.ID})
	if len(r.Errors) != 1 || r.Errors[0].Code() != "UNAVAILABLE" {
		t.Fatalf("want UNAVAILABLE, got %+v", r.Errors)
	}
	found := false
	for _, raw := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		var line map[string]any
		if json.Unmarshal([]byte(raw), &line) != nil || line["msg"] != "audit log" {
			continue
		}
		found = true
		if line["trace_id"] != callerTrace || line["span_id"] == nil || line["request_id"] == nil {
			t.Errorf("the audit error's line does not name its request and trace: %v", line)
		}
	}
	if !found {
		t.Fatalf("no audit error line in %s", logs)
	}
}

// A practice's first audited mutation makes its audit chain's head inside
// the mutation's transaction with a raw statement (ent/audit): through the
// traced driver, whose transactions wrap the real one, it completes and its
// statement is traced like the others.
func TestTracing_FirstAuditedMutationOfAPractice_Completes(t *testing.T) {
	e, exp, _ := tracedEnv(t, true)
	p := e.Practice()
	admin := e.Member(p, graphtest.Admin())
	c := e.NewClient(p)
	e.As(admin, `mutation($id: ID!) { updateClient(id: $id, input: { phone: "0411 111 111" }) { medicalHistory { text } } }`,
		map[string]any{"id": c.ID}).RequireNoErrors(t)
	n := 0
	for _, s := range exp.GetSpans() {
		for _, a := range s.Attributes {
			if q := a.Value.AsString(); a.Key == "db.query.text" && strings.HasPrefix(q, "INSERT") && strings.Contains(q, "audit_heads") {
				n++
			}
		}
	}
	if n < 1 {
		t.Errorf("the head's INSERT is not among the traced statements")
	}
}
