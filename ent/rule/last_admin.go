package rule

import (
	"context"

	"caseload/ent"
	"caseload/ent/member"
	"caseload/ent/privacy"
	"caseload/ent/viewer"
)

// DenyLosingLastActiveAdmin refuses to demote or deactivate the practice's
// last active admin (policy §2: "A practice always keeps at least one active
// admin"), whoever asks and whatever the path. It locks the active admins in
// one order, so that two admins demoting each other at once queue and the
// second sees the first.
func DenyLosingLastActiveAdmin() privacy.MutationRule {
	return privacy.MemberMutationRuleFunc(func(ctx context.Context, m *ent.MemberMutation) error {
		v := viewer.FromContext(ctx)
		id, ok := m.ID()
		if v == nil || !ok || !m.Op().Is(ent.OpUpdateOne) {
			return privacy.Skip
		}
		admin, adminSet := m.Admin()
		active, activeSet := m.Active()
		if !(adminSet && !admin) && !(activeSet && !active) {
			return privacy.Skip
		}
		lookup := viewer.Bypass(ctx, "the last-admin rule counts every active admin")
		old, err := m.Client().Member.Query().Where(member.IDEQ(id)).Only(lookup)
		if err != nil {
			return err
		}
		if !old.Admin || !old.Active {
			return privacy.Skip
		}
		admins, err := m.Client().Member.Query().
			Where(member.PracticeIDEQ(v.PracticeID), member.Admin(true), member.Active(true)).
			Order(ent.Asc(member.FieldID)).
			Modify(LockRows).
			IDs(lookup)
		if err != nil {
			return err
		}
		if len(admins) == 0 || (len(admins) == 1 && admins[0] == id) {
			return &Conflict{Reason: "the practice must keep at least one active admin"}
		}
		return privacy.Skip
	})
}
