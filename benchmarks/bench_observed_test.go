package benchmarks

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	entsql "entgo.io/ent/dialect/sql"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"caseload/ent"
	"caseload/graph/graphtest"
	"caseload/graph/server"
)

// BenchmarkObservedCaseloadPage measures what observing the server costs:
// the caseload page of BenchmarkCaseloadPage (with and without totalCount,
// for its three viewers, on its practice of 10,000 clients among 200,000)
// from a server with Prometheus metrics and OpenTelemetry tracing on and
// from one with both off, on the same database. Tracing is wired as serve
// wires it (an HTTP span, an operation span, a span per statement, the
// audit writer's statements too, through a batch span processor), with
// every span sampled and exported to a no-op exporter: spans are made,
// ended and batched, only never sent.
//
// Each iteration sends the page once to each server, in alternating
// order, so that both meet the same machine at the same moment: on/off is
// the ratio of their total times; spans/op counts the spans ended per
// request with tracing on.
func BenchmarkObservedCaseloadPage(b *testing.B) {
	db := graphtest.OpenPostgres(b)
	off := graphtest.NewOn(b, db)
	spans := &endedSpans{}
	tp := sdktrace.NewTracerProvider(
		sdktrace.WithBatcher(tracetest.NewNoopExporter()),
		sdktrace.WithSpanProcessor(spans))
	b.Cleanup(func() { _ = tp.Shutdown(context.Background()) })
	on := graphtest.NewOn(b, db, func(o *server.Options) {
		o.Metrics = server.NewMetricsRegistry(db.SQL)
		o.TracerProvider = tp
		traced := server.TraceSQL(entsql.OpenDB(db.Dialect, db.SQL), tp)
		o.Client = ent.NewClient(ent.Driver(traced))
		o.Audit.Driver = traced
	})
	target := loadBigPractice(b, off)
	vars := map[string]any{"n": 50}
	for _, page := range []struct{ name, query string }{
		{"page", caseloadPageNoCount},
		{"pageWithTotalCount", caseloadPage},
	} {
		for _, c := range []struct {
			name string
			m    *ent.Member
		}{{"admin", target.admin}, {"practitioner40", target.practitioner}, {"tagRestrictedAllClients", target.tagRestricted}} {
			b.Run(page.name+"/"+c.name, func(b *testing.B) {
				tokens := map[*graphtest.Env]string{off: off.Token(c.m), on: on.Token(c.m)}
				spent := map[*graphtest.Env]time.Duration{}
				order := [2]*graphtest.Env{off, on}
				for _, e := range order {
					e.Do(tokens[e], page.query, vars).RequireNoErrors(b)
				}
				spans.n.Store(0)
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					for _, e := range order {
						start := time.Now()
						if r := e.Do(tokens[e], page.query, vars); len(r.Errors) > 0 {
							b.Fatal(r.Errors)
						}
						spent[e] += time.Since(start)
					}
					order[0], order[1] = order[1], order[0]
				}
				b.StopTimer()
				b.ReportMetric(float64(spent[off].Microseconds())/float64(b.N)/1000, "off-ms/op")
				b.ReportMetric(float64(spent[on].Microseconds())/float64(b.N)/1000, "on-ms/op")
				b.ReportMetric(float64(spent[on])/float64(spent[off]), "on/off")
				b.ReportMetric(float64(spans.n.Load())/float64(b.N), "spans/op")
			})
		}
	}
}

// endedSpans is a span processor that counts the spans ended, so that the
// benchmark shows spans were made.
type endedSpans struct{ n atomic.Int64 }

// OnStart implements sdktrace.SpanProcessor.
func (*endedSpans) OnStart(context.Context, sdktrace.ReadWriteSpan) {}

// OnEnd implements sdktrace.SpanProcessor.
func (s *endedSpans) OnEnd(sdktrace.ReadOnlySpan) { s.n.Add(1) }

// Shutdown implements sdktrace.SpanProcessor.
func (*endedSpans) Shutdown(context.Context) error { return nil }

// ForceFlush implements sdktrace.SpanProcessor.
func (*endedSpans) ForceFlush(context.Context) error { return nil }
