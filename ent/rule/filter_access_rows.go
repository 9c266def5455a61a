package rule

import (
	"context"

	"caseload/ent"
	"caseload/ent/clientrecord"
	"caseload/ent/emergencyaccess"
	"caseload/ent/predicate"
	"caseload/ent/privacy"
	"caseload/ent/schema/access"
	"caseload/ent/share"
	"caseload/ent/viewer"
)

// FilterManagedShares shows a share to those who manage access to its client
// (policy §6, sharing: the responsible practitioner, or MANAGE_CLIENT_ACCESS
// with EDIT on the client) and to the member it was given to; admins are
// allowed before this rule. Whatever the path (Client.shares, node, edges).
func FilterManagedShares() privacy.QueryRule {
	return privacy.ShareQueryRuleFunc(func(ctx context.Context, q *ent.ShareQuery) error {
		v := viewer.FromContext(ctx)
		if v == nil {
			return privacy.Denyf("no viewer in context")
		}
		any := []predicate.Share{
			share.MemberIDEQ(v.MemberID),
			share.HasClientWith(clientrecord.ResponsibleIDEQ(v.MemberID)),
		}
		if v.Can(access.ManageClientAccess) {
			if editable := editableClients(v); editable != nil {
				any = append(any, share.HasClientWith(editable))
			}
		}
		q.Where(share.Or(any...))
		return privacy.Skip
	})
}

// FilterOwnEmergencyAccess shows a break-glass grant to its holder; admins
// and VIEW_AUDIT_LOG, who review them (policy §8, §9), are allowed before
// this rule.
func FilterOwnEmergencyAccess() privacy.QueryRule {
	return privacy.EmergencyAccessQueryRuleFunc(func(ctx context.Context, q *ent.EmergencyAccessQuery) error {
		v := viewer.FromContext(ctx)
		if v == nil {
			return privacy.Denyf("no viewer in context")
		}
		q.Where(emergencyaccess.MemberIDEQ(v.MemberID))
		return privacy.Skip
	})
}
