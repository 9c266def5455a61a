package auth

import "context"

// BeginPasswordResetRequest counts a requestPasswordReset from addr. It
// shares the sign-up rate: both make the server email an address the
// caller names, which unbounded would let anyone flood a mailbox or the
// clinic's relay.
func (l *Limits) BeginPasswordResetRequest(ctx context.Context, addr string) error {
	return l.count(ctx, l.signUps, addressKey("password-resets", addr), LimitSignUp, "password reset requests from this address")
}
