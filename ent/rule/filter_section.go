package rule

import (
	"context"

	"entgo.io/ent/entql"

	"caseload/ent/privacy"
	"caseload/ent/schema/access"
	"caseload/ent/viewer"
)

// FilterSection limits the rows of a client section (appointments, invoices,
// medical history, notes, forms) to viewers whose effective level on the
// section is at least VIEW (policy §4). For a client the viewer sees, the
// relationship level is at least VIEW, so the effective level reaches VIEW
// exactly when the role level does: without it no row matches, whatever the
// path (node, edges, counts). Combine with FilterClientRows.
func FilterSection(s access.Section) privacy.QueryRule {
	return privacy.FilterFunc(func(ctx context.Context, f privacy.Filter) error {
		v := viewer.FromContext(ctx)
		if v == nil {
			return privacy.Denyf("no viewer in context")
		}
		if !MayReadOnVisibleClients(v, s) {
			// No row has a null primary key: this matches nothing.
			f.Where(entql.FieldNil("id"))
		}
		return privacy.Skip
	})
}
