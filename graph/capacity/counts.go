package capacity

import (
	"context"
	"sync"

	"caseload/ent"
	"caseload/ent/assignment"
	"caseload/ent/clientrecord"
	"caseload/ent/schema/access"
	"caseload/ent/schema/pulid"
	"caseload/ent/viewer"
)

// countsCache holds, for one request, every practitioner's active client
// count, computed once in two grouped queries however many members a page
// shows.
type countsCache struct {
	once   sync.Once
	counts map[pulid.ID]int
	err    error
}

type countsKey struct{}

// WithRequestCaches returns a context with the request's caches; the server
// calls it once per request.
func WithRequestCaches(ctx context.Context) context.Context {
	return context.WithValue(ctx, countsKey{}, &countsCache{})
}

// ActiveClientCounts returns every practitioner's active client count.
func ActiveClientCounts(ctx context.Context, db *ent.Client) (map[pulid.ID]int, error) {
	if c, ok := ctx.Value(countsKey{}).(*countsCache); ok {
		c.once.Do(func() { c.counts, c.err = countActiveClients(ctx, db) })
		return c.counts, c.err
	}
	return countActiveClients(ctx, db)
}

// countActiveClients counts, per practitioner of the viewer's practice, the
// active clients they are responsible for or assigned to — including clients
// the viewer cannot see: policy §7 defines the count as a capacity figure, and
// only numbers leave this function.
func countActiveClients(ctx context.Context, db *ent.Client) (map[pulid.ID]int, error) {
	v := viewer.FromContext(ctx)
	internal := viewer.Bypass(ctx, "policy §7: capacity counts every client, seen or not")
	var responsible []struct {
		ResponsibleID pulid.ID `json:"responsible_id"`
		Count         int      `json:"count"`
	}
	if err := db.ClientRecord.Query().
		Where(clientrecord.PracticeIDEQ(v.PracticeID), clientrecord.StatusEQ(clientrecord.StatusACTIVE), clientrecord.ResponsibleIDNotNil()).
		GroupBy(clientrecord.FieldResponsibleID).Aggregate(ent.Count()).Scan(internal, &responsible); err != nil {
		return nil, err
	}
	var assigned []struct {
		MemberID pulid.ID `json:"member_id"`
		Count    int      `json:"count"`
	}
	if err := db.Assignment.Query().
		Where(assignment.PracticeIDEQ(v.PracticeID), assignment.KindEQ(assignment.KindCARE_TEAM), assignment.EndedAtIsNil(),
			assignment.HasClientWith(clientrecord.StatusEQ(clientrecord.StatusACTIVE))).
		GroupBy(assignment.FieldMemberID).Aggregate(ent.Count()).Scan(internal, &assigned); err != nil {
		return nil, err
	}
	out := make(map[pulid.ID]int, len(responsible)+len(assigned))
	for _, r := range responsible {
		out[r.ResponsibleID] += r.Count
	}
	for _, a := range assigned {
		out[a.MemberID] += a.Count
	}
	return out, nil
}

// MemberActiveClientCount is Member.activeClientCount: null for members who
// are not practitioners.
func MemberActiveClientCount(ctx context.Context, db *ent.Client, m *ent.Member) (*int, error) {
	if m.AccountType != access.Practitioner {
		return nil, nil
	}
	counts, err := ActiveClientCounts(ctx, db)
	if err != nil {
		return nil, err
	}
	n := counts[m.ID]
	return &n, nil
}
