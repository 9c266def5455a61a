// Package publicpage serves the pages people without an account use: the
// intake form at /intake/{token} and the booking page at /book/{slug}
// (policy §11). They are plain HTML forms, posting to their own URLs, that
// call the same graph/intake and graph/booking functions as the GraphQL
// API.
package publicpage

import (
	"net/http"
	"time"

	"caseload/ent"
	"caseload/graph/auth"
	"caseload/graph/booking"
)

// Options are what the pages need.
type Options struct {
	Client  *ent.Client
	Limits  *auth.Limits
	Booking *booking.Service
	// ClientAddress finds a request's client address, for rate limits.
	ClientAddress func(*http.Request) string
	// Now is the clock; time.Now if nil.
	Now func() time.Time
}

// Handler serves /intake/ and /book/: not yet; the pages come next.
func Handler(opts Options) http.Handler {
	return http.NotFoundHandler()
}
