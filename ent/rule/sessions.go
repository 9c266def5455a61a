package rule

import (
	"context"
	"slices"
	"time"

	"entgo.io/ent/entql"

	"caseload/ent"
	"caseload/ent/hook"
	"caseload/ent/passwordreset"
	"caseload/ent/privacy"
	"caseload/ent/schema/pulid"
	"caseload/ent/session"
	"caseload/ent/viewer"
)

// Policy §2, sessions: "Logging out ends the session used; changing a
// password ends every other session; an admin can end all of a member's
// sessions", and a deactivated member's sessions "stop working at once ...
// and stay ended if the member is reactivated". A session starts at
// sign-in, past privacy, on the credentials just checked; after that the
// only change this file allows is ending it.

// CheckEndSessions refuses unless the viewer may end every session of
// member: an admin, for any member of the practice, or the member
// themself ("log out everywhere"). endSessions asks it first so that a
// refusal is FORBIDDEN rather than a write that AllowEndingSessions
// narrows to nothing.
func CheckEndSessions(v *viewer.Viewer, member pulid.ID) error {
	if v != nil && (v.Admin || v.MemberID == member) {
		return nil
	}
	return deny("only an admin can end another member's sessions")
}

// FilterSessions shows admins every session of the practice and anyone else
// their own: when and from where a member signs in is theirs and the
// admins'.
func FilterSessions() privacy.QueryRule {
	type memberFilter interface{ WhereMemberID(entql.StringP) }
	return privacy.FilterFunc(func(ctx context.Context, f privacy.Filter) error {
		v := viewer.FromContext(ctx)
		mf, ok := f.(memberFilter)
		if v == nil || !ok {
			return privacy.Denyf("sessions need a viewer")
		}
		if !v.Admin {
			mf.WhereMemberID(entql.StringEQ(string(v.MemberID)))
		}
		return privacy.Allow
	})
}

// sessionEndFields are the only fields a viewer's write may set on a session.
var sessionEndFields = []string{session.FieldEndedAt, session.FieldEndReason, session.FieldEndedByID}

// AllowEndingSessions lets an admin end any session of the practice and
// anyone else end their own (the write is narrowed to their rows, as
// CheckEndSessions says). Nothing else is allowed to a viewer: no create,
// no delete, no change to a session but its end, and no reopening.
func AllowEndingSessions() privacy.MutationRule {
	type memberFilter interface{ WhereMemberID(entql.StringP) }
	return privacy.SessionMutationRuleFunc(func(ctx context.Context, m *ent.SessionMutation) error {
		v := viewer.FromContext(ctx)
		if v == nil || !m.Op().Is(ent.OpUpdate|ent.OpUpdateOne) {
			return privacy.Skip
		}
		for _, f := range m.Fields() {
			if !slices.Contains(sessionEndFields, f) {
				return deny("a session can only be ended")
			}
		}
		if len(m.ClearedFields()) > 0 {
			return deny("an ended session stays ended")
		}
		if v.Admin {
			return privacy.Allow
		}
		return privacy.FilterFunc(func(_ context.Context, f privacy.Filter) error {
			mf, ok := f.(memberFilter)
			if !ok {
				return privacy.Denyf("sessions are filtered by member")
			}
			mf.WhereMemberID(entql.StringEQ(string(v.MemberID)))
			return privacy.Allow
		}).EvalMutation(ctx, m)
	})
}

// EndSessionsOnMemberWrite is the hook of Member that ends every open
// session of a member who is deactivated, or whose password changes or is
// cleared, whatever path writes it. Ended sessions are never reopened, so
// they stay ended when the member is reactivated; whoever changes their
// password gets a new session from the resolver, not a reprieve here. The
// member's unused password reset codes are spent too.
func EndSessionsOnMemberWrite() ent.Hook {
	return hook.On(func(next ent.Mutator) ent.Mutator {
		return hook.MemberFunc(func(ctx context.Context, m *ent.MemberMutation) (ent.Value, error) {
			reason := sessionsEndReason(m)
			if reason == "" {
				return next.Mutate(ctx, m)
			}
			// The members are found before the write, whose
			// predicates may no longer match after it.
			ids, err := m.IDs(ctx)
			if err != nil {
				return nil, err
			}
			value, err := next.Mutate(ctx, m)
			if err != nil {
				return nil, err
			}
			internal := viewer.Bypass(ctx, "policy §2: the member write just allowed ends their sessions")
			if _, err = EndOpenSessions(internal, m.Client(), reason, ids...); err != nil {
				return nil, err
			}
			// A password reset code asked for before the change (or before
			// a deactivation that may be undone) must not undo it.
			return value, m.Client().PasswordReset.Update().
				Where(passwordreset.MemberIDIn(ids...), passwordreset.UsedAtIsNil()).
				SetUsedAt(time.Now()).
				Exec(internal)
		})
	}, ent.OpUpdate|ent.OpUpdateOne)
}

// sessionsEndReason says why a member write ends the member's sessions, or
// "" when it does not.
func sessionsEndReason(m *ent.MemberMutation) session.EndReason {
	if active, set := m.Active(); set && !active {
		return session.EndReasonDEACTIVATED
	}
	if _, set := m.PasswordHash(); set || m.PasswordHashCleared() {
		return session.EndReasonPASSWORD_CHANGED
	}
	return ""
}

// EndOpenSessions ends the open sessions of the members, as ctx allows, and
// returns how many it ended. The viewer, if any, is recorded as who ended
// them.
func EndOpenSessions(ctx context.Context, client *ent.Client, reason session.EndReason, members ...pulid.ID) (int, error) {
	if len(members) == 0 {
		return 0, nil
	}
	now := time.Now()
	upd := client.Session.Update().
		Where(session.MemberIDIn(members...), session.EndedAtIsNil()).
		SetEndReason(reason)
	if v := viewer.FromContext(ctx); v != nil {
		now = v.Now
		upd.SetEndedByID(v.MemberID)
	}
	return upd.SetEndedAt(now).Save(ctx)
}
