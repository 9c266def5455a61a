package rule

import (
	"context"

	"caseload/ent"
	"caseload/ent/practice"
	"caseload/ent/privacy"
	"caseload/ent/viewer"
)

// DenyEmergencyReachUnlessAdmin refuses to anyone but an admin changing
// whether break-glass access reaches restricted clients (policy §3: the
// practice setting emergencyReachesRestricted is "admins only"). A team
// manager may change the other settings; this one widens who may open a
// restricted record, their own reach included.
func DenyEmergencyReachUnlessAdmin() privacy.MutationRule {
	return privacy.PracticeMutationRuleFunc(func(ctx context.Context, m *ent.PracticeMutation) error {
		v := viewer.FromContext(ctx)
		if v == nil || v.Admin {
			return privacy.Skip
		}
		if changed(m, practice.FieldEmergencyReachesRestricted) {
			return deny("only an admin decides whether emergency access reaches restricted clients")
		}
		return privacy.Skip
	})
}
