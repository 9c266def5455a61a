package server

import (
	"errors"
	"net/http"
	"strings"

	"caseload/ent"
	"caseload/ent/rule"
	"caseload/ent/viewer"
	"caseload/graph/capacity"
	"caseload/graph/errcode"
)

// authenticate turns a bearer token into the request's viewer, loaded fresh
// from the database: a deactivated member, or a forged or expired token, is
// refused with 401 UNAUTHENTICATED on this very request. A request without a
// token goes on anonymous; requireViewer admits it only to the public fields.
func authenticate(opts Options, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
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
		memberID, err := opts.Tokens.Verify(token)
		if err != nil {
			writeError(w, http.StatusUnauthorized, errcode.Unauthenticated, "the token is invalid or has expired; log in again")
			return
		}
		v, err := viewer.Load(ctx, opts.Client, memberID, opts.Now())
		switch {
		case errors.Is(err, viewer.ErrInactive):
			writeError(w, http.StatusUnauthorized, errcode.Unauthenticated, "this account is deactivated")
			return
		case ent.IsNotFound(err):
			writeError(w, http.StatusUnauthorized, errcode.Unauthenticated, "the token is invalid or has expired; log in again")
			return
		case err != nil:
			opts.Logger.ErrorContext(ctx, "loading viewer", "err", err, "request_id", viewer.RequestID(ctx))
			writeError(w, http.StatusInternalServerError, errcode.Internal, "internal error (request "+viewer.RequestID(ctx)+")")
			return
		}
		if l, ok := ctx.Value(logFieldsKey{}).(*logFields); ok {
			l.member = string(v.MemberID)
		}
		ctx = viewer.NewContext(ctx, v)
		ctx = rule.WithDecisions(ctx, opts.Client)
		ctx = capacity.WithRequestCaches(ctx)
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}
