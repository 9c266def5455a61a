package main

import (
	"context"
	"path/filepath"
	"testing"

	"caseload/ent/database"
	"caseload/ent/querycount"
	"caseload/ent/viewer"
	"caseload/graph/server"
)

// Only the standard OTEL_* variables switch tracing on; an exporter other
// than OTLP is refused rather than sending nothing.
func TestTracingConfigured(t *testing.T) {
	for _, c := range []struct {
		name, endpoint, exporter, disabled string
		on, fails                          bool
	}{
		{name: "nothing set"},
		{name: "endpoint", endpoint: "http://127.0.0.1:4318", on: true},
		{name: "exporter", exporter: "otlp", on: true},
		{name: "exporter none", endpoint: "http://127.0.0.1:4318", exporter: "none"},
		{name: "SDK disabled", endpoint: "http://127.0.0.1:4318", disabled: "true"},
		{name: "unsupported exporter", exporter: "zipkin", fails: true},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", c.endpoint)
			t.Setenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "")
			t.Setenv("OTEL_TRACES_EXPORTER", c.exporter)
			t.Setenv("OTEL_SDK_DISABLED", c.disabled)
			on, err := tracingConfigured()
			if on != c.on || (err != nil) != c.fails {
				t.Fatalf("got %v, %v; want on %v, fails %v", on, err, c.on, c.fails)
			}
		})
	}
}

// With tracing off, serveTracing installs nothing and leaves the client.
func TestServeTracing_OffInstallsNothing(t *testing.T) {
	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "")
	t.Setenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "")
	t.Setenv("OTEL_TRACES_EXPORTER", "")
	db := openSQLite(t)
	opts := server.Options{Client: db.Client}
	stop, err := serveTracing(context.Background(), db, &opts)
	if err != nil {
		t.Fatal(err)
	}
	stop()
	if opts.TracerProvider != nil || opts.Client != db.Client {
		t.Fatal("tracing off installed something")
	}
}

// With an endpoint set, serveTracing installs a provider and a traced
// client, and its stop flushes without a collector listening.
func TestServeTracing_On(t *testing.T) {
	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:1")
	t.Setenv("OTEL_TRACES_EXPORTER", "")
	db := openSQLite(t)
	opts := server.Options{Client: db.Client}
	stop, err := serveTracing(context.Background(), db, &opts)
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	if opts.TracerProvider == nil || opts.Client == db.Client {
		t.Fatal("tracing on installed no provider or traced client")
	}
	// The traced client is a server client: it counts its queries, or
	// every list would be marshalled one element at a time
	// (graph/listmarshal).
	ctx, queries := querycount.Under(viewer.Bypass(context.Background(), "test: counting queries"))
	_, _ = opts.Client.Practice.Query().Count(ctx)
	if queries.N() != 1 {
		t.Fatalf("the traced client counted %d queries, want 1", queries.N())
	}
}

// openSQLite opens a fresh, unmigrated SQLite file: enough to build a
// client on.
func openSQLite(t *testing.T) *database.DB {
	t.Helper()
	db, err := database.Open(context.Background(), filepath.Join(t.TempDir(), "caseload.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}
