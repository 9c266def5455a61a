package graph

import (
	"context"
	"sync"
	"time"

	"caseload/ent"
	"caseload/ent/appointment"
	"caseload/ent/assignment"
	"caseload/ent/availability"
	"caseload/ent/clientrecord"
	"caseload/ent/leave"
	"caseload/ent/member"
	"caseload/ent/schema/access"
	"caseload/ent/schema/pulid"
	"caseload/ent/viewer"
	"caseload/graph/capacity"
	"caseload/graph/errcode"
	"caseload/graph/model"
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

// activeClientCounts returns every practitioner's active client count.
func activeClientCounts(ctx context.Context, db *ent.Client) (map[pulid.ID]int, error) {
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

// memberActiveClientCount is Member.activeClientCount: null for members who
// are not practitioners.
func memberActiveClientCount(ctx context.Context, db *ent.Client, m *ent.Member) (*int, error) {
	if m.AccountType != access.Practitioner {
		return nil, nil
	}
	counts, err := activeClientCounts(ctx, db)
	if err != nil {
		return nil, err
	}
	n := counts[m.ID]
	return &n, nil
}

// maxCapacityPeriod bounds teamCapacity so that a request cannot ask for
// years of slots.
const maxCapacityPeriod = 31 * 24 * time.Hour

// teamCapacity computes each active practitioner's capacity over [from, to)
// in a fixed number of queries.
func (r *Resolver) teamCapacity(ctx context.Context, from, to time.Time) ([]*model.PractitionerCapacity, error) {
	v := viewer.FromContext(ctx)
	db := r.db(ctx)
	// SQLite compares times as text: parameters must be in UTC like the
	// stored values.
	from, to = from.UTC(), to.UTC()
	if !to.After(from) || to.Sub(from) > maxCapacityPeriod {
		return nil, errcode.New(errcode.BadUserInput, "the period must run forward and last at most 31 days")
	}
	p, err := db.Practice.Get(ctx, v.PracticeID)
	if err != nil {
		return nil, err
	}
	loc, err := time.LoadLocation(p.TimeZone)
	if err != nil {
		loc = time.UTC
	}
	practitioners, err := db.Member.Query().
		Where(member.AccountTypeEQ(access.Practitioner), member.Active(true)).
		Order(ent.Asc(member.FieldName)).All(ctx)
	if err != nil {
		return nil, err
	}
	ids := make([]pulid.ID, len(practitioners))
	for i, m := range practitioners {
		ids[i] = m.ID
	}
	windows, err := db.Availability.Query().Where(availability.MemberIDIn(ids...)).All(ctx)
	if err != nil {
		return nil, err
	}
	leaves, err := db.Leave.Query().Where(leave.MemberIDIn(ids...), leave.StartsAtLT(to), leave.EndsAtGT(from)).All(ctx)
	if err != nil {
		return nil, err
	}
	// Only the times of appointments are read, to subtract them from
	// availability; their clients are never loaded or shown.
	appts, err := db.Appointment.Query().
		Where(appointment.PracticeIDEQ(v.PracticeID), appointment.PractitionerIDIn(ids...),
			appointment.StatusNEQ(appointment.StatusCANCELLED), appointment.StartsAtLT(to), appointment.EndsAtGT(from)).
		All(viewer.Bypass(ctx, "policy §7: capacity counts every client, seen or not"))
	if err != nil {
		return nil, err
	}
	counts, err := activeClientCounts(ctx, db)
	if err != nil {
		return nil, err
	}
	inputs := make(map[pulid.ID]*capacity.Input, len(practitioners))
	for _, m := range practitioners {
		inputs[m.ID] = &capacity.Input{Loc: loc, From: from, To: to, SlotMinutes: m.SlotMinutes}
	}
	for _, w := range windows {
		inputs[w.MemberID].Windows = append(inputs[w.MemberID].Windows, capacity.Window{Weekday: time.Weekday(w.Weekday), StartMinute: w.StartMinute, EndMinute: w.EndMinute})
	}
	for _, l := range leaves {
		inputs[l.MemberID].Leave = append(inputs[l.MemberID].Leave, capacity.Interval{Start: l.StartsAt, End: l.EndsAt})
	}
	for _, a := range appts {
		inputs[a.PractitionerID].Booked = append(inputs[a.PractitionerID].Booked, capacity.Interval{Start: a.StartsAt, End: a.EndsAt})
	}
	out := make([]*model.PractitionerCapacity, 0, len(practitioners))
	for _, m := range practitioners {
		res := capacity.Compute(*inputs[m.ID])
		slots := make([]*model.TimeSlot, len(res.OpenSlots))
		for i, s := range res.OpenSlots {
			slots[i] = &model.TimeSlot{Start: s.Start, End: s.End}
		}
		out = append(out, &model.PractitionerCapacity{
			Practitioner:      m,
			ActiveClientCount: counts[m.ID],
			OpenSlots:         slots,
			OpenSlotCount:     len(slots),
			BookedMinutes:     res.BookedMinutes,
			AvailableMinutes:  res.AvailableMinutes,
		})
	}
	return out, nil
}
