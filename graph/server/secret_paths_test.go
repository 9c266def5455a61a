package server

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
)

// A link's token and a booking's manage token open things: neither the log
// line nor the span of a request for them carries the token, while the
// pages themselves still receive it.
func TestSecretPaths_NeitherLoggedNorTraced(t *testing.T) {
	const secret = "AP01SECRETSECRETSECRET.c2lnbmF0dXJlc2lnbmF0dXJl"
	var seen []string
	inner := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { seen = append(seen, r.URL.Path) })
	var logs bytes.Buffer
	spans := tracetest.NewSpanRecorder()
	opts := Options{TracerProvider: trace.NewTracerProvider(trace.WithSpanProcessor(spans))}
	h := withTracing(opts, logRequests(slog.New(slog.NewJSONHandler(&logs, nil)), inner))
	for _, path := range []string{"/book/manage/" + secret, "/intake/" + secret} {
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, path+"?x=1", nil))
	}
	if len(seen) != 2 || !strings.HasSuffix(seen[0], secret) || !strings.HasSuffix(seen[1], secret) {
		t.Fatalf("the pages receive the token: %v", seen)
	}
	if strings.Contains(logs.String(), secret) || !strings.Contains(logs.String(), `"path":"/book/manage/{token}"`) {
		t.Fatalf("the log carries the token: %s", logs.String())
	}
	ended := spans.Ended()
	if len(ended) != 2 {
		t.Fatalf("want 2 spans, got %d", len(ended))
	}
	for _, s := range ended {
		for _, a := range s.Attributes() {
			if strings.Contains(a.Value.Emit(), "SECRET") {
				t.Fatalf("span %q attribute %s carries the token: %s", s.Name(), a.Key, a.Value.Emit())
			}
		}
	}
}
