// Package publicpage serves the pages people without an account use: the
// intake form at /intake/{token} and the booking page at /book/{slug}
// (policy §11). They are plain HTML forms, posting to their own URLs, that
// call the same graph/intake and graph/booking functions as the GraphQL
// API.
//
// Every page works without JavaScript; the one small script only helps
// (it loads a booking page's open slots without a reload and keeps a form
// from being sent twice). Nothing comes from another origin: the
// stylesheet and the script are embedded and served under AssetPrefix.
package publicpage

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"caseload/ent"
	"caseload/ent/viewer"
	"caseload/graph/auth"
	"caseload/graph/booking"
	"caseload/graph/email"
)

// Options are what the pages need. Limits and Booking are the API's own,
// so that a submission counts against the same limits and books through
// the same service whichever way it comes (policy §11).
type Options struct {
	Client *ent.Client
	// Limits count the public submissions per client address and per
	// link or page.
	Limits *auth.Limits
	// Booking books, and signs and checks the links that manage a
	// booking.
	Booking *booking.Service
	// ClientAddress finds a request's client address, for rate limits.
	ClientAddress func(*http.Request) string
	// Now is the clock; time.Now if nil.
	Now func() time.Time
	// Audit gives a request its audit scope (policy §9); none if nil.
	Audit func(context.Context) context.Context
	// Mail receives the confirmation of a submitted form; none if nil.
	Mail *email.Outbox
}

// MaxBodyBytes bounds a form's body: a person types far less, and the
// pages are open to anyone (policy §11). A larger body is answered 413.
const MaxBodyBytes = 256 << 10

// maxUserAgent bounds the User-Agent kept with a request.
const maxUserAgent = 256

// handler serves every public page.
type handler struct {
	opts Options
}

// Handler serves /intake/ and /book/: the pages of policy §11, for people
// without an account. Mount it at both prefixes of the server's root.
func Handler(opts Options) http.Handler {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.ClientAddress == nil {
		opts.ClientAddress = peerAddress
	}
	return &handler{opts: opts}
}

// ServeHTTP routes by hand rather than with ServeMux patterns, because a
// booking page's slug is a free path segment: /book/{slug},
// /book/{slug}/slots, /book/manage/{token} and the assets under
// /book/_assets/ would overlap as patterns. A slug never starts with "_",
// and a manage token always holds a ".", so the routes below cannot be
// confused.
func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// The headers every answer carries, whatever happens next (policy §11:
	// the URL holds a secret token, and no page is cached or sniffed).
	hd := w.Header()
	hd.Set("Content-Security-Policy", contentSecurityPolicy(nil))
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Referrer-Policy", "no-referrer")
	hd.Set("Cache-Control", "no-store")
	defer func() {
		if p := recover(); p != nil {
			if p == http.ErrAbortHandler {
				panic(p)
			}
			slog.ErrorContext(r.Context(), "panic in public page", "panic", p, "request_id", viewer.RequestID(r.Context()))
			h.errorPage(w, r, nil, http.StatusInternalServerError, internalPage(r.Context()))
		}
	}()
	ctx := auth.WithRequest(r.Context(), auth.Request{
		Address:   h.opts.ClientAddress(r),
		UserAgent: cleanUserAgent(r.UserAgent()),
	})
	if h.opts.Audit != nil {
		ctx = h.opts.Audit(ctx)
	}
	r = r.WithContext(ctx)

	segs := strings.Split(strings.TrimPrefix(r.URL.Path, "/"), "/")
	switch {
	case len(segs) == 2 && segs[0] == "intake" && segs[1] != "":
		h.methods(w, r, func() { h.intakeForm(w, r, segs[1]) }, func() { h.intakeSubmit(w, r, segs[1]) })
	case segs[0] != "book" || h.opts.Booking == nil:
		h.notFound(w, r)
	case len(segs) == 3 && segs[1] == assetDir:
		h.methods(w, r, func() { serveAsset(w, r, segs[2]) }, nil)
	case len(segs) == 3 && segs[1] == "manage" && strings.Contains(segs[2], "."):
		h.methods(w, r, func() { h.managePage(w, r, segs[2]) }, func() { h.manageChange(w, r, segs[2]) })
	case len(segs) == 3 && segs[2] == "slots" && segs[1] != "":
		h.methods(w, r, func() { h.slotsJSON(w, r, segs[1]) }, nil)
	case len(segs) == 2 && segs[1] != "":
		h.methods(w, r, func() { h.bookingPage(w, r, segs[1]) }, func() { h.bookingSubmit(w, r, segs[1]) })
	default:
		h.notFound(w, r)
	}
}

// methods runs get for GET and HEAD, post for POST, and answers 405 with
// Allow for anything else.
func (h *handler) methods(w http.ResponseWriter, r *http.Request, get, post func()) {
	switch {
	case r.Method == http.MethodGet || r.Method == http.MethodHead:
		get()
	case r.Method == http.MethodPost && post != nil:
		post()
	default:
		allow := "GET, HEAD"
		if post != nil {
			allow += ", POST"
		}
		w.Header().Set("Allow", allow)
		h.errorPage(w, r, nil, http.StatusMethodNotAllowed, messagePage{
			Title:   "This request is not supported",
			Message: "This address does not accept this kind of request.",
		})
	}
}

// now is the handler's clock.
func (h *handler) now() time.Time { return h.opts.Now() }

// peerAddress is the TCP peer, when no ClientAddress is given.
func peerAddress(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// cleanUserAgent keeps a bounded, printable User-Agent.
func cleanUserAgent(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, strings.ToValidUTF8(s, ""))
	if len(s) <= maxUserAgent {
		return s
	}
	n := maxUserAgent
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
