package rule

import (
	"context"

	"caseload/ent"
	"caseload/ent/member"
	"caseload/ent/privacy"
	"caseload/ent/viewer"
)

// Policy §2, sessions: a member changes their own password, which ends every
// other session. No one, admins included, sets another member's password:
// the API has no such path, and a password known to two people proves
// nothing about who signs in. (A reset by email acts past privacy, on the
// reset token.)

// DenyPasswordOfOthers refuses a write that sets or clears the password of
// anyone but the viewer. It runs before the rules that allow admins.
func DenyPasswordOfOthers() privacy.MutationRule {
	return privacy.MemberMutationRuleFunc(func(ctx context.Context, m *ent.MemberMutation) error {
		_, set := m.PasswordHash()
		if !set && !m.PasswordHashCleared() {
			return privacy.Skip
		}
		v := viewer.FromContext(ctx)
		if id, ok := m.ID(); v != nil && ok && m.Op().Is(ent.OpUpdateOne) && id == v.MemberID {
			return privacy.Skip
		}
		return deny("a member's password is changed only by that member")
	})
}

// AllowOwnPassword lets a member change their own password, and nothing else
// about their account in the same write.
func AllowOwnPassword() privacy.MutationRule {
	return privacy.MemberMutationRuleFunc(func(ctx context.Context, m *ent.MemberMutation) error {
		v := viewer.FromContext(ctx)
		id, ok := m.ID()
		if v == nil || !ok || id != v.MemberID || !m.Op().Is(ent.OpUpdateOne) {
			return privacy.Skip
		}
		fields := m.Fields()
		if len(fields) != 1 || fields[0] != member.FieldPasswordHash {
			return privacy.Skip
		}
		if len(m.ClearedFields()) > 0 || len(m.AddedEdges()) > 0 || len(m.RemovedEdges()) > 0 || len(m.ClearedEdges()) > 0 {
			return privacy.Skip
		}
		return privacy.Allow
	})
}
