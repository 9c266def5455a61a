//go:build !bootstrap

package schema

import (
	"context"

	"caseload/ent"
	"caseload/ent/intercept"
)

// joinEdges answers a client query's eager loads of the responsible
// practitioner and the tags (what the caseload page shows beside the name)
// inside the query's own statement instead of a statement each (issue P).
// The queries joined are the ones the loads would have run, after Member's
// and Tag's privacy policies have filtered them; see ent/schema/joinload.
func joinEdges() ent.Interceptor {
	return intercept.TraverseClientRecord(func(ctx context.Context, q *ent.ClientRecordQuery) error {
		if _, err := q.JoinResponsiblePractitioner(ctx); err != nil {
			return err
		}
		_, err := q.JoinTags(ctx)
		return err
	})
}
