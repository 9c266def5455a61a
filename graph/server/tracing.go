package server

import (
	"context"
	"net/http"

	"github.com/99designs/gqlgen/graphql"
	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
)

// tracerName names the instrumentation of this package in every span.
const tracerName = "caseload/graph/server"

// withTracing wraps h in an HTTP server span per request, continuing the
// caller's trace from its W3C traceparent header. Without a tracer
// provider it returns h itself, so tracing off costs nothing.
func withTracing(opts Options, h http.Handler) http.Handler {
	if opts.TracerProvider == nil {
		return h
	}
	prop := opts.Propagator
	if prop == nil {
		prop = propagation.TraceContext{}
	}
	// The span records the path: it sees the path with any secret cut.
	return withRedactedURL(otelhttp.NewHandler(restoreURL(h), "caseload",
		otelhttp.WithTracerProvider(opts.TracerProvider),
		otelhttp.WithPropagators(prop),
		otelhttp.WithSpanNameFormatter(func(_ string, r *http.Request) string {
			return r.Method + " " + route(r.URL.Path)
		})))
}

// route is a span name's path: the service's own paths, and "/" for every
// other (the playground's), so that callers cannot invent span names.
func route(path string) string {
	switch path {
	case "/graphql", "/healthz", "/readyz":
		return path
	}
	return "/"
}

// operationSpans is the gqlgen extension making one span per GraphQL
// operation, named "query Caseload" and the like. It intercepts the
// response, not the operation: gqlgen runs the resolvers while it makes the
// response, so only there does the span cover them and parent their SQL.
type operationSpans struct{ tracer trace.Tracer }

var _ interface {
	graphql.HandlerExtension
	graphql.ResponseInterceptor
} = operationSpans{}

// ExtensionName implements graphql.HandlerExtension.
func (operationSpans) ExtensionName() string { return "OperationSpans" }

// Validate implements graphql.HandlerExtension.
func (operationSpans) Validate(graphql.ExecutableSchema) error { return nil }

// InterceptResponse implements graphql.ResponseInterceptor. A request
// refused before an operation was chosen has no operation span; its HTTP
// span records it.
func (o operationSpans) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	if !graphql.HasOperationContext(ctx) {
		return next(ctx)
	}
	oc := graphql.GetOperationContext(ctx)
	if oc.Operation == nil {
		return next(ctx)
	}
	kind := string(oc.Operation.Operation)
	name := oc.Operation.Name
	spanName := kind
	if name != "" {
		spanName += " " + name
	}
	ctx, span := o.tracer.Start(ctx, spanName, trace.WithAttributes(
		attribute.String("graphql.operation.type", kind),
		attribute.String("graphql.operation.name", name),
	))
	defer span.End()
	resp := next(ctx)
	if resp != nil {
		span.SetAttributes(attribute.Int("graphql.errors", len(resp.Errors)))
	}
	return resp
}
