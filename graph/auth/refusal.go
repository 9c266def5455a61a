package auth

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"caseload/graph/errcode"
)

// RefusalError turns a refusal by the limits into the contract's error:
// RATE_LIMITED with extensions.retryAfter (seconds), or UNAVAILABLE when the
// limits cannot be counted (their store is down), since admitting what
// cannot be counted would lift the limit. Other errors pass unchanged.
func RefusalError(ctx context.Context, err error) error {
	var limited *RateLimitedError
	var store *StoreError
	switch {
	case errors.As(err, &limited):
		e := errcode.New(errcode.RateLimited, limited.Error())
		e.Extensions["retryAfter"] = int(limited.RetryAfter.Round(time.Second) / time.Second)
		return e
	case errors.As(err, &store):
		slog.ErrorContext(ctx, "rate limit store", "err", store.Err)
		return errcode.New(errcode.Unavailable, "this is unavailable for a moment; try again shortly")
	}
	return err
}
