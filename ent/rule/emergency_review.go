package rule

import (
	"context"

	"caseload/ent"
	"caseload/ent/emergencyaccess"
	"caseload/ent/schema/access"
	"caseload/ent/viewer"
)

// Policy §8: every emergency access "shows in a list that admins review".
// Members with VIEW_AUDIT_LOG, who read the emergency accesses as the audit
// log's readers (policy §9; ent/schema/policy_client.go), read the list
// too, within what that policy shows them; only admins mark an entry
// reviewed (break_glass.go). Anyone else is refused rather than shown an
// empty list, which would say that no one broke the glass.

// SeesEmergencyAccesses reports whether the viewer reads the review list:
// admins, who hold every capability, and members with VIEW_AUDIT_LOG.
func SeesEmergencyAccesses(v *viewer.Viewer) bool {
	return v != nil && v.Can(access.ViewAuditLog)
}

// EmergencyAccesses is the query of the review list, through the privacy
// policy of EmergencyAccess: all of them, or only those reviewed (true) or
// not yet reviewed (false); a Denial (FORBIDDEN) for those who do not read
// the list.
func EmergencyAccesses(ctx context.Context, client *ent.Client, reviewed *bool) (*ent.EmergencyAccessQuery, error) {
	if !SeesEmergencyAccesses(viewer.FromContext(ctx)) {
		return nil, deny("the emergency accesses are reviewed by admins and read by members with VIEW_AUDIT_LOG")
	}
	q := client.EmergencyAccess.Query()
	switch {
	case reviewed == nil:
	case *reviewed:
		q.Where(emergencyaccess.ReviewedAtNotNil())
	default:
		q.Where(emergencyaccess.ReviewedAtIsNil())
	}
	return q, nil
}
