package server

import (
	"database/sql"
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// NewMetricsRegistry returns a registry of its own, not Prometheus's global
// one, so that each server (and each test) counts apart. It holds the Go
// runtime and process figures and, when db is set, the database pool's
// (open, in use, idle connections, waits). Pass it as Options.Metrics for
// the request series and serve it with MetricsHandler.
func NewMetricsRegistry(db *sql.DB) *prometheus.Registry {
	reg := prometheus.NewRegistry()
	reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	if db != nil {
		reg.MustRegister(collectors.NewDBStatsCollector(db, "caseload"))
	}
	return reg
}

// MetricsHandler serves reg at /metrics in the Prometheus formats. It is
// meant for a listener of its own (CASELOAD_METRICS_LISTEN), never the
// API's: the figures are for operators, not for the API's callers.
func MetricsHandler(reg *prometheus.Registry) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{Registry: reg}))
	return mux
}
