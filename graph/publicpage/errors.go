package publicpage

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/vektah/gqlparser/v2/gqlerror"

	"caseload/ent"
	"caseload/ent/database"
	"caseload/ent/viewer"
	"caseload/graph/errcode"
)

// unavailableRetry is what a page tells a browser to wait during an
// outage, as the API does.
const unavailableRetry = 5

// outcome is how a page answers a service's error: the status, and what
// the person is told. Messages come only from the contract's codes, whose
// messages are written for the person; anything else is logged and shown
// as a generic message, never as itself.
type outcome struct {
	status     int
	message    string
	retryAfter int
}

// classify maps an error of graph/intake or graph/booking to its answer:
// NOT_FOUND 404, BAD_USER_INPUT 422, CONFLICT 409, RATE_LIMITED 429 with
// Retry-After, UNAVAILABLE 503, anything else 500.
func classify(ctx context.Context, err error) outcome {
	var gerr *gqlerror.Error
	if errors.As(err, &gerr) {
		code, _ := gerr.Extensions["code"].(string)
		switch errcode.Code(code) {
		case errcode.NotFound:
			return outcome{status: http.StatusNotFound}
		case errcode.BadUserInput:
			return outcome{status: http.StatusUnprocessableEntity, message: sentence(gerr.Message)}
		case errcode.Conflict:
			return outcome{status: http.StatusConflict, message: sentence(gerr.Message)}
		case errcode.RateLimited:
			retry, _ := gerr.Extensions["retryAfter"].(int)
			retry = max(retry, 1)
			return outcome{
				status:     http.StatusTooManyRequests,
				retryAfter: retry,
				message:    "Too many forms have been sent from your network. Nothing was saved. Please try again in " + waitText(retry) + ".",
			}
		case errcode.Unavailable:
			return unavailable()
		}
	}
	var input interface{ BadUserInput() bool }
	switch {
	case errors.As(err, &input) && input.BadUserInput():
		// The services' own field errors (booking.PersonError) say what
		// to correct.
		return outcome{status: http.StatusUnprocessableEntity, message: sentence(err.Error())}
	case ent.IsValidationError(err):
		return outcome{status: http.StatusUnprocessableEntity, message: "One of the answers is not valid. Please check them and send the form again."}
	case database.IsTransient(err), ent.IsConstraintError(err):
		return outcome{status: http.StatusConflict, message: "Your request crossed with another one. Nothing was saved. Please send it again."}
	case database.IsUnavailable(err):
		slog.ErrorContext(ctx, "public page: database unavailable", "err", err, "request_id", viewer.RequestID(ctx))
		return unavailable()
	case ent.IsNotFound(err):
		return outcome{status: http.StatusNotFound}
	case errors.Is(err, context.Canceled):
		slog.InfoContext(ctx, "public page: request cancelled", "request_id", viewer.RequestID(ctx))
	default:
		slog.ErrorContext(ctx, "public page: internal error", "err", err, "request_id", viewer.RequestID(ctx))
	}
	return outcome{status: http.StatusInternalServerError, message: internalPage(ctx).Message}
}

func unavailable() outcome {
	return outcome{
		status:     http.StatusServiceUnavailable,
		retryAfter: unavailableRetry,
		message:    "This service is unavailable for a moment. Nothing was saved. Please try again shortly.",
	}
}

// setRetryAfter sends Retry-After for 429 and 503.
func (o outcome) setRetryAfter(w http.ResponseWriter) {
	if o.retryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(o.retryAfter))
	}
}

// waitText says how long to wait, in words.
func waitText(seconds int) string {
	d := time.Duration(seconds) * time.Second
	switch {
	case d <= time.Minute:
		return "a minute"
	case d < time.Hour:
		return fmt.Sprintf("%d minutes", int((d+time.Minute-1)/time.Minute))
	default:
		h := int((d + time.Hour - 1) / time.Hour)
		if h == 1 {
			return "an hour"
		}
		return fmt.Sprintf("%d hours", h)
	}
}

// sentence makes a service's message a sentence: capital first, full stop
// last.
func sentence(s string) string {
	if s == "" {
		return s
	}
	b := []rune(s)
	if b[0] >= 'a' && b[0] <= 'z' {
		b[0] -= 'a' - 'A'
	}
	if last := b[len(b)-1]; last != '.' && last != '!' && last != '?' {
		b = append(b, '.')
	}
	return string(b)
}
