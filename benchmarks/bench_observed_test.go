package benchmarks

import (
	"context"
	"sync/atomic"
	"testing"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"caseload/ent/database"
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
		traced := server.TraceSQL(db.Driver(), tp)
		o.Client = database.NewClient(traced)
		o.Audit.Driver = traced
	})
	target := loadBigPractice(b, off)
	for _, page := range []struct{ name, query string }{
		{"page", caseloadPageNoCount},
		{"pageWithTotalCount", caseloadPage},
	} {
		for _, c := range pageViewers(target) {
			b.Run(page.name+"/"+c.name, func(b *testing.B) {
				sideBySide(b, off, on, c.m, page.query,
					func(r *graphtest.Response) { r.RequireNoErrors(b) },
					func() { spans.n.Store(0) })
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
