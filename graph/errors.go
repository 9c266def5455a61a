package graph

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"golang.org/x/time/rate"

	"caseload/ent"
	"caseload/ent/database"
	"caseload/ent/privacy"
	"caseload/ent/rule"
	"caseload/ent/viewer"
	"caseload/graph/errcode"
)

// PresentError is the one place where errors become the contract's typed
// GraphQL errors. Messages never carry SQL, stack traces or data the viewer
// may not read: anything unexpected is logged with the request id and shown
// as INTERNAL.
func PresentError(ctx context.Context, err error) *gqlerror.Error {
	gerr := graphql.DefaultErrorPresenter(ctx, err)
	code, message, extra := classify(ctx, err)
	out := &gqlerror.Error{
		Message:    message,
		Path:       gerr.Path,
		Locations:  gerr.Locations,
		Extensions: map[string]any{"code": string(code)},
	}
	for k, v := range extra {
		out.Extensions[k] = v
	}
	return out
}

// unavailableLog logs an unreachable database at most once a second: an
// outage under load would otherwise write a line per request.
var unavailableLog = rate.Sometimes{Interval: time.Second}

func classify(ctx context.Context, err error) (errcode.Code, string, map[string]any) {
	var gerr *gqlerror.Error
	if errors.As(err, &gerr) {
		if code, ok := gerr.Extensions["code"].(string); ok && errcode.Known(code) {
			return errcode.Code(code), gerr.Message, gerr.Extensions
		}
		if gerr.Err == nil {
			// Parsing, validation and variable coercion errors from gqlgen
			// describe the request, never data: show them as bad input.
			return errcode.BadUserInput, gerr.Message, nil
		}
	}
	var input interface{ BadUserInput() bool }
	if errors.As(err, &input) && input.BadUserInput() {
		return errcode.BadUserInput, input.(error).Error(), nil
	}
	var denial *rule.Denial
	if errors.As(err, &denial) {
		return errcode.Forbidden, denial.Reason, nil
	}
	var conflict *rule.Conflict
	if errors.As(err, &conflict) {
		return errcode.Conflict, conflict.Reason, nil
	}
	var denied *rule.SectionDenied
	var validation *ent.ValidationError
	switch {
	case errors.As(err, &denied):
		e := errcode.ForbiddenSection(denied.Section)
		return errcode.Forbidden, e.Message, e.Extensions
	case errors.Is(err, rule.ErrHidden), ent.IsNotFound(err):
		return errcode.NotFound, "not found", nil
	case errors.Is(err, privacy.Deny):
		return errcode.Forbidden, "you are not permitted to do this", nil
	case errors.As(err, &validation):
		return errcode.BadUserInput, validationMessage(validation), nil
	case ent.IsConstraintError(err):
		return errcode.Conflict, "this conflicts with existing data", nil
	case database.IsTransient(err):
		// Still losing a race after the retries of graph/server.
		return errcode.Conflict, "this change raced with another one; try again", nil
	case database.IsUnavailable(err):
		unavailableLog.Do(func() {
			slog.ErrorContext(ctx, "database unavailable", "err", err, "request_id", viewer.RequestID(ctx))
		})
		return errcode.Unavailable, "the service is temporarily unavailable; try again shortly", nil
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return errcode.Internal, "the request was cancelled or timed out", nil
	}
	slog.ErrorContext(ctx, "internal error", "err", err, "request_id", viewer.RequestID(ctx))
	return errcode.Internal, "internal error (request " + viewer.RequestID(ctx) + ")", nil
}

// validationMessage names the field without Ent's Go type names.
func validationMessage(e *ent.ValidationError) string {
	name := e.Name
	if i := strings.LastIndex(name, "."); i >= 0 {
		name = name[i+1:]
	}
	return "the value of " + name + " is not valid"
}

// Recover turns a panic in a resolver into an INTERNAL error instead of a
// crash, and logs it for the request.
func Recover(ctx context.Context, p any) error {
	slog.ErrorContext(ctx, "panic in resolver", "panic", p, "request_id", viewer.RequestID(ctx))
	return errcode.New(errcode.Internal, "internal error (request "+viewer.RequestID(ctx)+")")
}
