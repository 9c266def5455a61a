package server

import (
	"context"

	"github.com/99designs/gqlgen/graphql"

	"caseload/ent/viewer"
	"caseload/graph/errcode"
)

// publicFields are the root fields an anonymous request may use: what it
// takes to get a token, __typename, and introspection where
// Limits.AnonymousIntrospection allows it. This is the one list:
// checkAnonymous (anonymous.go) reads it before validation, requireViewer
// at execution.
var publicFields = map[string]bool{
	"signUp":           true,
	"login":            true,
	"acceptInvitation": true,
	// Email codes: asking for one and using it, before any token exists.
	"requestPasswordReset": true,
	"resetPassword":        true,
	"requestSignUp":        true,
	"confirmSignUp":        true,
	// Intake forms and online booking (policy §11): what a practice
	// published, and what a person without an account sends it.
	"publicIntakeForm":  true,
	"submitIntakeForm":  true,
	"publicBookingPage": true,
	"publicOpenSlots":   true,
	"bookAppointment":   true,
	"publicBooking":     true,
	"cancelBooking":     true,
	"rescheduleBooking": true,
	"__schema":          true,
	"__type":            true,
	"__typename":        true,
}

// requireViewer answers UNAUTHENTICATED for every other root field of an
// anonymous request, before its resolver runs.
func requireViewer(ctx context.Context, next graphql.RootResolver) graphql.Marshaler {
	fc := graphql.GetRootFieldContext(ctx)
	if fc != nil && !publicFields[fc.Field.Name] && viewer.FromContext(ctx) == nil {
		graphql.AddError(ctx, errcode.New(errcode.Unauthenticated, "log in first: send Authorization: Bearer <token>"))
		return graphql.Null
	}
	return next(ctx)
}
