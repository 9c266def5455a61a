package server

import (
	"context"
	"log/slog"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"caseload/ent/audit"
	"caseload/ent/viewer"
	"caseload/graph/auth"
	"caseload/graph/errcode"
)

// withAudit gives a request its audit scope (policy §9): the events its
// resolvers record, with its request id and client address, the writer,
// and the metrics that time the writes and count the denials.
func withAudit(ctx context.Context, opts Options) context.Context {
	ctx = audit.NewRequest(ctx, audit.Meta{RequestID: viewer.RequestID(ctx), ClientAddress: auth.RequestOf(ctx).Address})
	if opts.Audit != nil {
		ctx = audit.WithWriter(ctx, opts.Audit)
		if opts.metrics != nil {
			ctx = audit.WithObserver(ctx, opts.metrics.audit)
		}
	}
	return ctx
}

// writeAudit writes what the request read or was refused, in one batch,
// before its response leaves (policy §9). If the log cannot be written the
// response is not sent: the whole answer is UNAVAILABLE, so that no
// sensitive value leaves without its record.
func writeAudit(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	resp := next(ctx)
	if err := audit.Flush(ctx); err != nil {
		slog.ErrorContext(ctx, "audit log", "err", err, "request_id", viewer.RequestID(ctx))
		return &graphql.Response{Errors: gqlerror.List{errcode.New(errcode.Unavailable, "the service is temporarily unavailable; try again shortly")}}
	}
	return resp
}
