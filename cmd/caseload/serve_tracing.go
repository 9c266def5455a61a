package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"caseload/ent/database"
	"caseload/graph/server"
)

// tracingConfigured reports whether the standard OTEL_* variables ask for
// traces: an OTLP endpoint, or OTEL_TRACES_EXPORTER set to otlp. With
// neither, or with OTEL_SDK_DISABLED=true or OTEL_TRACES_EXPORTER=none,
// tracing stays off. Any other exporter is refused at start, rather than
// silently sending nothing.
func tracingConfigured() (bool, error) {
	if strings.EqualFold(os.Getenv("OTEL_SDK_DISABLED"), "true") {
		return false, nil
	}
	switch exp := os.Getenv("OTEL_TRACES_EXPORTER"); exp {
	case "none":
		return false, nil
	case "otlp":
		return true, nil
	case "":
		return os.Getenv("OTEL_EXPORTER_OTLP_ENDPOINT") != "" ||
			os.Getenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") != "", nil
	default:
		return false, fmt.Errorf("OTEL_TRACES_EXPORTER=%q: only otlp (over HTTP) and none are supported", exp)
	}
}

// serveTracing switches tracing on when the OTEL_* variables ask for it:
// spans go by OTLP over HTTP, the exporter reading its endpoint, headers
// and timeouts from those variables, and the SDK its sampler
// (OTEL_TRACES_SAMPLER). It sets opts' tracer provider and replaces
// opts.Client by one whose statements are spans. It installs no global
// provider. It returns what flushes the spans left at exit.
func serveTracing(ctx context.Context, db *database.DB, opts *server.Options) (func(), error) {
	on, err := tracingConfigured()
	if err != nil || !on {
		return func() {}, err
	}
	exp, err := otlptracehttp.New(ctx)
	if err != nil {
		return nil, fmt.Errorf("tracing: %w", err)
	}
	// OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES, read last, win.
	res, err := resource.New(ctx,
		resource.WithAttributes(attribute.String("service.name", "caseload")),
		resource.WithTelemetrySDK(),
		resource.WithFromEnv())
	if err != nil {
		return nil, fmt.Errorf("tracing: %w", err)
	}
	tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(exp), sdktrace.WithResource(res))
	opts.TracerProvider = tp
	traced := server.TraceSQL(db.Driver(), tp)
	opts.Client = database.NewClient(traced)
	if opts.Audit != nil {
		// The audit log's batch is a span of its request too.
		opts.Audit.Driver = traced
	}
	slog.Info("tracing on: spans sent by OTLP over HTTP")
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := tp.Shutdown(ctx); err != nil {
			slog.Error("flushing spans", "err", err)
		}
	}, nil
}
