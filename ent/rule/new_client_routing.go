package rule

import (
	"context"

	"caseload/ent/schema/pulid"
)

// Policy §6, new clients: "a client booked online gets the practitioner
// that was booked; a client created through a practitioner's intake-form
// link gets that practitioner, unless a form rule chooses another", and for
// an appointment made for a new client "the appointment's practitioner
// becomes responsible unless the creator (who may assign) names another".
// Such a responsible practitioner is the policy's choice, not the
// creator's: DecideClientCreate accepts it without ASSIGN_PRACTITIONERS.

type routedKey struct{}

// WithRoutedResponsible returns a context in which creating a client whose
// responsible practitioner is practitioner is §6's routing rather than the
// creator's own choice. It opens nothing else: the creator still needs
// CREATE_CLIENTS, and must see the client they create.
func WithRoutedResponsible(ctx context.Context, practitioner pulid.ID) context.Context {
	return context.WithValue(ctx, routedKey{}, practitioner)
}

// routedResponsible reports whether id is the practitioner §6 routed the
// client being created to.
func routedResponsible(ctx context.Context, id pulid.ID) bool {
	routed, ok := ctx.Value(routedKey{}).(pulid.ID)
	return ok && routed != "" && routed == id
}
