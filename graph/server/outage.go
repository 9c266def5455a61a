package server

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"golang.org/x/time/rate"

	"caseload/graph/errcode"
)

// retryAfterSeconds is what an answer during a database outage tells
// clients to wait before trying again.
const retryAfterSeconds = 5

type outageKey struct{}

// outageStatus answers HTTP 503 with Retry-After when the database could
// not be reached for the request (an UNAVAILABLE error, contract
// "Conventions"), so that clients and load balancers retry instead of
// treating it as a failure of the request.
func outageStatus(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var down atomic.Bool
		ctx := context.WithValue(r.Context(), outageKey{}, &down)
		next.ServeHTTP(&outageWriter{ResponseWriter: w, down: &down}, r.WithContext(ctx))
	})
}

// markOutage is the response interceptor that notes an UNAVAILABLE error
// before the response is written.
func markOutage(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	resp := next(ctx)
	if resp == nil {
		return resp
	}
	for _, e := range resp.Errors {
		if code, _ := e.Extensions["code"].(string); code == string(errcode.Unavailable) {
			if down, ok := ctx.Value(outageKey{}).(*atomic.Bool); ok {
				down.Store(true)
			}
		}
	}
	return resp
}

// writeUnavailable answers a request refused before GraphQL runs because the
// database cannot be reached (loading the viewer failed).
func writeUnavailable(w http.ResponseWriter) {
	w.Header().Set("Retry-After", strconv.Itoa(retryAfterSeconds))
	unavailableLog.Do(func() { slog.Error("database unavailable while authenticating") })
	writeError(w, http.StatusServiceUnavailable, errcode.Unavailable, "the service is temporarily unavailable; try again shortly")
}

// unavailableLog logs an outage at most once a second, not once a request.
var unavailableLog = rate.Sometimes{Interval: time.Second}

// outageWriter turns the status of an answer during an outage into 503.
type outageWriter struct {
	http.ResponseWriter
	down  *atomic.Bool
	wrote bool
}

// WriteHeader implements http.ResponseWriter.
func (w *outageWriter) WriteHeader(code int) {
	if !w.wrote && w.down.Load() {
		w.Header().Set("Retry-After", strconv.Itoa(retryAfterSeconds))
		code = http.StatusServiceUnavailable
	}
	w.wrote = true
	w.ResponseWriter.WriteHeader(code)
}

// Write implements http.ResponseWriter.
func (w *outageWriter) Write(b []byte) (int, error) {
	if !w.wrote {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *outageWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
