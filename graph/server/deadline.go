package server

import (
	"context"
	"net/http"
	"time"
)

// withDeadline gives every GraphQL request a deadline: past it, the
// request's context is cancelled, and with it the resolvers and their
// database queries, which Ent runs with that context (the drivers cancel a
// running statement). The caller hanging up cancels the same context: net/http
// cancels a request's context when its connection closes.
func withDeadline(timeout time.Duration, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), timeout)
		defer cancel()
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}
