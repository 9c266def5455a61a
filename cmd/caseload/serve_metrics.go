package main

import (
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"time"

	"caseload/graph/server"
)

// serveMetrics starts /metrics on addr, a listener apart from the API's so
// that operators' figures are never reachable where callers are, and sets
// opts.Metrics for the request series. Empty addr leaves metrics off. It
// returns what stops the listener.
func serveMetrics(addr string, db *sql.DB, opts *server.Options) (func(), error) {
	if addr == "" {
		return func() {}, nil
	}
	reg := server.NewMetricsRegistry(db)
	opts.Metrics = reg
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	srv := &http.Server{
		Handler:           server.MetricsHandler(reg),
		ReadHeaderTimeout: 5 * time.Second,
		WriteTimeout:      30 * time.Second,
	}
	go func() {
		if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			slog.Error("metrics listener failed", "err", err)
		}
	}()
	slog.Info("metrics listening", "addr", "http://"+ln.Addr().String()+"/metrics")
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
	}, nil
}
