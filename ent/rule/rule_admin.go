package rule

import (
	"context"

	"caseload/ent/privacy"
	"caseload/ent/schema/access"
	"caseload/ent/viewer"
)

// Policy §3 rule 1 and §2: an admin sees and edits every client of the
// practice; nothing restricts an admin.

func adminReach(v *viewer.Viewer, _ access.Level) reach {
	if v.Admin {
		return everyClient()
	}
	return reach{}
}

// AllowIfAdmin allows anything within the practice to an admin. It must come
// after the tenancy filter, which still applies.
func AllowIfAdmin() privacy.QueryMutationRule {
	return privacy.ContextQueryMutationRule(func(ctx context.Context) error {
		if v := viewer.FromContext(ctx); v != nil && v.Admin {
			return privacy.Allow
		}
		return privacy.Skip
	})
}
