package server

import (
	"context"
	"log/slog"

	"go.opentelemetry.io/otel/trace"

	"caseload/ent/viewer"
)

// LogHandler wraps h so that every record logged with a request's context
// (slog's *Context functions, anywhere in the server) names the request
// and, when the request is traced, its trace and span: an error logged deep
// in a resolver is found from the request line or the trace it belongs to.
// Attributes the record already names are not repeated.
func LogHandler(h slog.Handler) slog.Handler { return contextHandler{h} }

type contextHandler struct{ slog.Handler }

// Handle adds the request id and the trace context before passing the
// record on.
func (c contextHandler) Handle(ctx context.Context, r slog.Record) error {
	has := map[string]bool{}
	r.Attrs(func(a slog.Attr) bool {
		has[a.Key] = true
		return true
	})
	if id := viewer.RequestID(ctx); id != "" && !has["request_id"] {
		r.AddAttrs(slog.String("request_id", id))
	}
	if sc := trace.SpanContextFromContext(ctx); sc.IsValid() {
		if !has["trace_id"] {
			r.AddAttrs(slog.String("trace_id", sc.TraceID().String()))
		}
		if !has["span_id"] {
			r.AddAttrs(slog.String("span_id", sc.SpanID().String()))
		}
	}
	return c.Handler.Handle(ctx, r)
}

// WithAttrs keeps the wrapping.
func (c contextHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return contextHandler{c.Handler.WithAttrs(attrs)}
}

// WithGroup keeps the wrapping.
func (c contextHandler) WithGroup(name string) slog.Handler {
	return contextHandler{c.Handler.WithGroup(name)}
}
