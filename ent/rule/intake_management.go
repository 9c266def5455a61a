package rule

import (
	"context"

	"entgo.io/ent/entql"

	"caseload/ent/privacy"
	"caseload/ent/schema/access"
	"caseload/ent/viewer"
)

// Policy §6, intake, booking and appointments: "Intake forms, their links
// and rules, and booking settings: admin or MANAGE_TEAM."

// ManagesIntake reports whether the viewer may define intake forms, their
// links and rules, and the practice's online booking settings.
func ManagesIntake(v *viewer.Viewer) bool {
	return v != nil && v.Active && v.Can(access.ManageTeam)
}

// FilterOwnIntakeLinks lets a practitioner read the links that route to
// them, so that they can put their own link on their own website; a link's
// token is what lets a stranger submit the form, so no one else's is shown.
func FilterOwnIntakeLinks() privacy.QueryRule {
	type practitionerFilter interface{ WherePractitionerID(entql.StringP) }
	return privacy.FilterFunc(func(ctx context.Context, f privacy.Filter) error {
		v := viewer.FromContext(ctx)
		pf, ok := f.(practitionerFilter)
		if v == nil || !ok {
			return privacy.Denyf("intake links need a viewer")
		}
		pf.WherePractitionerID(entql.StringEQ(string(v.MemberID)))
		return privacy.Allow
	})
}

// AllowIfManagesIntake allows those ManagesIntake admits to read and write
// the forms, their versions, rules and links.
func AllowIfManagesIntake() privacy.QueryMutationRule {
	return privacy.ContextQueryMutationRule(func(ctx context.Context) error {
		if ManagesIntake(viewer.FromContext(ctx)) {
			return privacy.Allow
		}
		return privacy.Skip
	})
}

// SeesUnassignedClients reports whether the viewer may read the triage list
// of clients no rule or link could route (§6): admins and
// ASSIGN_PRACTITIONERS, who are the members that may give them a
// practitioner. The list still holds only the clients §3 lets them see.
func SeesUnassignedClients(v *viewer.Viewer) bool {
	return v != nil && v.Active && v.Can(access.AssignPractitioners)
}
