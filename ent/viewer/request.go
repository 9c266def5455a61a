package viewer

import "context"

type requestIDKey struct{}

// WithRequestID returns a context carrying the request id used in logs, error
// reports and (later) audit records.
func WithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDKey{}, id)
}

// RequestID returns the request id, or "" outside a request.
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}
