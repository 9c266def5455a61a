package rule

import (
	"context"
	"time"

	"caseload/ent"
	"caseload/ent/privacy"
	"caseload/ent/viewer"
)

// Policy §8: breaking the glass gives the member VIEW on a client they
// cannot otherwise see, for the practice's emergencyAccessMinutes, with a
// mandatory reason; admins review each one. This file decides every write of
// an emergency access: the grant (breakGlass) and the review
// (reviewEmergencyAccess). Nothing deletes one.

// DecideEmergencyAccessWrite is the mutation policy of EmergencyAccess. A
// grant is allowed to a member with EMERGENCY_ACCESS, for themselves, on a
// client they identified by an emergency search within
// IdentificationWindow that rule 7 still reaches, until no later than the
// practice's emergencyAccessMinutes from now. A client they already see is
// a CONFLICT (admins see every client); one they did not identify is
// NOT_FOUND exactly as an unknown ID. Only admins review, as themselves.
func DecideEmergencyAccessWrite() privacy.MutationRule {
	return privacy.EmergencyAccessMutationRuleFunc(func(ctx context.Context, m *ent.EmergencyAccessMutation) error {
		v := viewer.FromContext(ctx)
		if v == nil {
			return privacy.Denyf("no viewer in context")
		}
		switch {
		case m.Op().Is(ent.OpCreate):
			return decideBreakGlass(ctx, m, v)
		case m.Op().Is(ent.OpDelete | ent.OpDeleteOne):
			return deny("an emergency access is never deleted")
		case !v.Admin:
			return deny("only admins review emergency accesses")
		}
		if by, ok := m.ReviewedByID(); ok && by != v.MemberID {
			return deny("an admin reviews an emergency access as themselves")
		}
		return privacy.Allow
	})
}

// decideBreakGlass decides a new grant.
func decideBreakGlass(ctx context.Context, m *ent.EmergencyAccessMutation, v *viewer.Viewer) error {
	if err := RequireEmergencyAccess(v); err != nil {
		return err
	}
	holder, _ := m.MemberID()
	clientID, _ := m.ClientID()
	expires, ok := m.ExpiresAt()
	switch {
	case holder != v.MemberID:
		return deny("a member breaks the glass for themselves only")
	case !ok || expires.After(v.Now.Add(time.Duration(v.Settings.EmergencyAccessMinutes)*time.Minute)):
		return deny("an emergency access lasts at most the practice's emergencyAccessMinutes")
	}
	d, err := Decide(ctx, m.Client(), v, clientID)
	if err != nil {
		return err
	}
	if d.Visible() {
		return &Conflict{Reason: "you can already see this client"}
	}
	found, err := identified(ctx, m.Client(), v, clientID)
	if err != nil {
		return err
	}
	if !found {
		return ErrHidden
	}
	return privacy.Allow
}
