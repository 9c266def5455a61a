package server

import (
	"net/http"

	"github.com/rs/cors"
)

// withCORS lets a single-page app served from one of origins call /graphql
// from the browser. Nothing is allowed by default: with no origins the
// handler is returned as it is and browsers keep the same-origin rule.
// Callers authenticate with bearer tokens, never cookies, so credentials
// stay off; X-Request-Id is exposed so a front end can quote it in a report.
func withCORS(origins []string, next http.Handler) http.Handler {
	if len(origins) == 0 {
		return next
	}
	return cors.New(cors.Options{
		AllowedOrigins: origins,
		AllowedMethods: []string{http.MethodGet, http.MethodPost},
		// X-Request-Id is accepted because the service echoes a caller's
		// own id (requestlog.go).
		AllowedHeaders:   []string{"Authorization", "Content-Type", "X-Request-Id"},
		ExposedHeaders:   []string{"X-Request-Id"},
		AllowCredentials: false,
		MaxAge:           600,
	}).Handler(next)
}
