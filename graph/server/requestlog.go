package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"regexp"
	"time"

	"go.opentelemetry.io/otel/trace"

	"caseload/ent/viewer"
)

// validRequestID accepts a caller's request id only if it is short and plain,
// so that it cannot inject anything into logs.
var validRequestID = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// withRequestID gives every request an id: the caller's X-Request-Id if it is
// sane, else a new one. It is echoed in the response and carried in the
// context for logs, errors and audit.
func withRequestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get("X-Request-Id")
		if !validRequestID.MatchString(id) {
			b := make([]byte, 8)
			_, _ = rand.Read(b)
			id = hex.EncodeToString(b)
		}
		w.Header().Set("X-Request-Id", id)
		next.ServeHTTP(w, r.WithContext(viewer.WithRequestID(r.Context(), id)))
	})
}

type logFieldsKey struct{}

// logFields collects what later handlers learn about a request (who it
// was, which operation it ran) for its access log line.
type logFields struct {
	member, practice string
	// operation is the GraphQL operation's name (requestlog_operation.go).
	operation string
}

type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int
}

// WriteHeader records the status for the log line.
func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

// Write records the bytes sent, and an implicit 200.
func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	n, err := s.ResponseWriter.Write(b)
	s.bytes += n
	return n, err
}

// logRequests writes one JSON log line per request. It logs no bodies or
// queries' variables: they may carry client data.
func logRequests(logger *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		fields := &logFields{}
		rec := &statusRecorder{ResponseWriter: w}
		ctx := context.WithValue(r.Context(), logFieldsKey{}, fields)
		next.ServeHTTP(rec, r.WithContext(ctx))
		attrs := []slog.Attr{
			slog.String("request_id", viewer.RequestID(ctx)),
			slog.String("method", r.Method),
			slog.String("path", redactedPath(r.URL.Path)),
			slog.Int("status", rec.status),
			slog.Int("bytes", rec.bytes),
			slog.Float64("duration_ms", milliseconds(time.Since(start))),
			slog.String("operation", fields.operation),
			slog.String("member_id", fields.member),
			slog.String("practice_id", fields.practice),
		}
		if sc := trace.SpanContextFromContext(ctx); sc.IsValid() {
			attrs = append(attrs, slog.String("trace_id", sc.TraceID().String()))
		}
		logger.LogAttrs(ctx, slog.LevelInfo, "request", attrs...)
	})
}

// milliseconds is d in milliseconds to the microsecond: every duration in
// the logs is one number in one unit, for log queries to compare.
func milliseconds(d time.Duration) float64 {
	return float64(d.Microseconds()) / 1000
}
