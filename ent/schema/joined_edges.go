//go:build !bootstrap

package schema

import (
	"context"

	"caseload/ent"
	"caseload/ent/intercept"
)

// joinResponsiblePractitioner answers a client query's eager load of the
// responsible practitioner (the caseload page's responsiblePractitioner)
// inside the query's own statement instead of a second one (issue P). The
// member query joined is the one the load would have run, after Member's
// privacy policy has filtered it; see ent/schema/joinload.
func joinResponsiblePractitioner() ent.Interceptor {
	return intercept.TraverseClientRecord(func(ctx context.Context, q *ent.ClientRecordQuery) error {
		_, err := q.JoinResponsiblePractitioner(ctx)
		return err
	})
}
