package capacity

import (
	"context"
	"time"

	"caseload/ent"
	"caseload/ent/appointment"
	"caseload/ent/availability"
	"caseload/ent/leave"
	"caseload/ent/member"
	"caseload/ent/schema/access"
	"caseload/ent/schema/pulid"
	"caseload/ent/viewer"
	"caseload/graph/errcode"
	"caseload/graph/model"
)

// maxPeriod bounds Team so that a request cannot ask for years of slots.
const maxPeriod = 31 * 24 * time.Hour

// Team is each active practitioner's capacity over [from, to) (policy §7):
// active client count, open slots from weekly availability in the practice's
// time zone less leave and appointments, booked and available minutes. The
// @teamCapacity directive has decided who may ask.
func Team(ctx context.Context, db *ent.Client, from, to time.Time) ([]*model.PractitionerCapacity, error) {
	v := viewer.FromContext(ctx)
	// SQLite compares times as text: parameters must be in UTC like the
	// stored values.
	from, to = from.UTC(), to.UTC()
	if !to.After(from) || to.Sub(from) > maxPeriod {
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
	counts, err := ActiveClientCounts(ctx, db)
	if err != nil {
		return nil, err
	}
	inputs := make(map[pulid.ID]*Input, len(practitioners))
	for _, m := range practitioners {
		inputs[m.ID] = &Input{Loc: loc, From: from, To: to, SlotMinutes: m.SlotMinutes}
	}
	for _, w := range windows {
		inputs[w.MemberID].Windows = append(inputs[w.MemberID].Windows, Window{Weekday: time.Weekday(w.Weekday), StartMinute: w.StartMinute, EndMinute: w.EndMinute})
	}
	for _, l := range leaves {
		inputs[l.MemberID].Leave = append(inputs[l.MemberID].Leave, Interval{Start: l.StartsAt, End: l.EndsAt})
	}
	for _, a := range appts {
		inputs[a.PractitionerID].Booked = append(inputs[a.PractitionerID].Booked, Interval{Start: a.StartsAt, End: a.EndsAt})
	}
	out := make([]*model.PractitionerCapacity, 0, len(practitioners))
	for _, m := range practitioners {
		res := Compute(*inputs[m.ID])
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
