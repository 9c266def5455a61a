package server

import (
	"errors"
	"net/http"
	"strings"
	"unicode"
	"unicode/utf8"

	"caseload/ent/database"
	"caseload/ent/rule"
	"caseload/ent/viewer"
	"caseload/graph/auth"
	"caseload/graph/capacity"
	"caseload/graph/errcode"
	"caseload/graph/marshalonce"
)

// authenticate turns a bearer token into the request's viewer, loaded fresh
// from the database: a forged or expired token, a token without a session
// or whose session has ended, or a deactivated member is refused with 401
// UNAUTHENTICATED on this very request. A request without a token goes on
// anonymous; requireViewer admits it only to the public fields. Every
// request first gets its client address (the contract's: the TCP peer, or
// the forwarded address behind a trusted proxy), for rate limits and the
// session a sign-in starts.
func authenticate(opts Options, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := auth.WithRequest(r.Context(), auth.Request{
			Address:   cleanHeader(opts.ClientAddresses.Of(r), 64),
			UserAgent: cleanHeader(r.UserAgent(), 300),
		})
		ctx = withAudit(ctx, opts)
		r = r.WithContext(ctx)
		header := r.Header.Get("Authorization")
		if header == "" {
			next.ServeHTTP(w, r)
			return
		}
		scheme, token, ok := strings.Cut(header, " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
			writeError(w, http.StatusUnauthorized, errcode.Unauthenticated, "use the Authorization header as: Bearer <token>")
			return
		}
		memberID, sessionID, err := opts.Tokens.Verify(token)
		if err != nil {
			writeError(w, http.StatusUnauthorized, errcode.Unauthenticated, "the token is invalid or has expired; log in again")
			return
		}
		v, err := viewer.Load(ctx, opts.Client, memberID, sessionID, opts.Now())
		switch {
		case errors.Is(err, viewer.ErrInactive):
			writeError(w, http.StatusUnauthorized, errcode.Unauthenticated, "this account is deactivated")
			return
		case errors.Is(err, viewer.ErrSessionEnded):
			writeError(w, http.StatusUnauthorized, errcode.Unauthenticated, "this session has ended; log in again")
			return
		case database.IsUnavailable(err):
			writeUnavailable(w)
			return
		case err != nil:
			opts.Logger.ErrorContext(ctx, "loading viewer", "err", err, "request_id", viewer.RequestID(ctx))
			writeError(w, http.StatusInternalServerError, errcode.Internal, "internal error (request "+viewer.RequestID(ctx)+")")
			return
		}
		if l, ok := ctx.Value(logFieldsKey{}).(*logFields); ok {
			l.member = string(v.MemberID)
			l.practice = string(v.PracticeID)
		}
		ctx = viewer.NewContext(ctx, v)
		ctx = rule.WithDecisions(ctx, opts.Client)
		ctx = marshalonce.With(ctx)
		ctx = capacity.WithRequestCaches(ctx)
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// cleanHeader makes a header value fit to store: valid UTF-8 without
// control characters (PostgreSQL refuses a NUL), cut to at most n bytes on
// a rune boundary.
func cleanHeader(s string, n int) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, strings.ToValidUTF8(s, ""))
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
