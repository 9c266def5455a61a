package graph

import (
	"context"
	"sort"
	"strings"
	"time"

	"caseload/ent"
	"caseload/ent/availability"
	"caseload/ent/leave"
	"caseload/ent/rule"
	"caseload/ent/schema/pulid"
	"caseload/ent/viewer"
	"caseload/graph/errcode"
	"caseload/graph/model"
)

// setAvailability replaces a practitioner's weekly windows (policy §7).
// Privacy admits the team's managers and the practitioner themself.
func (r *Resolver) setAvailability(ctx context.Context, practitionerID pulid.ID, windows []*model.AvailabilityWindowInput, slotMinutes *int) (*ent.Member, error) {
	v := viewer.FromContext(ctx)
	db := r.db(ctx)
	if !rule.CanManageSchedule(v, practitionerID) {
		return nil, errSchedule()
	}
	if err := checkWindows(windows); err != nil {
		return nil, err
	}
	if _, err := db.Availability.Delete().Where(availability.MemberIDEQ(practitionerID)).Exec(ctx); err != nil {
		return nil, err
	}
	creates := make([]*ent.AvailabilityCreate, len(windows))
	for i, w := range windows {
		creates[i] = db.Availability.Create().SetMemberID(practitionerID).
			SetWeekday(w.Weekday).SetStartMinute(w.StartMinute).SetEndMinute(w.EndMinute)
	}
	if err := db.Availability.CreateBulk(creates...).Exec(ctx); err != nil {
		return nil, err
	}
	if slotMinutes != nil {
		if *slotMinutes < 5 || *slotMinutes > 480 {
			return nil, errcode.New(errcode.BadUserInput, "a slot lasts from 5 to 480 minutes")
		}
		if err := db.Member.UpdateOneID(practitionerID).SetSlotMinutes(*slotMinutes).Exec(ctx); err != nil {
			return nil, err
		}
	}
	return db.Member.Get(ctx, practitionerID)
}

func errSchedule() error {
	return errcode.New(errcode.Forbidden, "only the practitioner or the team's managers change a schedule")
}

// checkWindows refuses windows outside a day, backwards, or overlapping on
// the same weekday.
func checkWindows(windows []*model.AvailabilityWindowInput) error {
	sorted := append([]*model.AvailabilityWindowInput(nil), windows...)
	sort.Slice(sorted, func(i, j int) bool {
		if sorted[i].Weekday != sorted[j].Weekday {
			return sorted[i].Weekday < sorted[j].Weekday
		}
		return sorted[i].StartMinute < sorted[j].StartMinute
	})
	for i, w := range sorted {
		if w.Weekday < 0 || w.Weekday > 6 || w.StartMinute < 0 || w.EndMinute > 24*60 || w.StartMinute >= w.EndMinute {
			return errcode.New(errcode.BadUserInput, "a window is a weekday 0–6 (0 is Sunday) and minutes 0–1440 with start before end")
		}
		if i > 0 && sorted[i-1].Weekday == w.Weekday && sorted[i-1].EndMinute > w.StartMinute {
			return errcode.New(errcode.BadUserInput, "windows on the same weekday overlap")
		}
	}
	return nil
}

// addLeave records a leave period.
func (r *Resolver) addLeave(ctx context.Context, practitionerID pulid.ID, from, to time.Time, reason *string) (*ent.Leave, error) {
	v := viewer.FromContext(ctx)
	db := r.db(ctx)
	if !rule.CanManageSchedule(v, practitionerID) {
		return nil, errSchedule()
	}
	if !to.After(from) || to.Sub(from) > 366*24*time.Hour {
		return nil, errcode.New(errcode.BadUserInput, "leave must end after it starts and last at most a year")
	}
	why := strings.TrimSpace(deref(reason))
	if len(why) > 200 {
		return nil, errcode.New(errcode.BadUserInput, "the reason is too long")
	}
	return db.Leave.Create().SetMemberID(practitionerID).
		SetStartsAt(from.UTC()).SetEndsAt(to.UTC()).SetReason(why).Save(ctx)
}

// removeLeave deletes a leave period.
func (r *Resolver) removeLeave(ctx context.Context, id pulid.ID) (pulid.ID, error) {
	db := r.db(ctx)
	l, err := db.Leave.Query().Where(leave.IDEQ(id)).Only(ctx)
	if ent.IsNotFound(err) {
		return "", errcode.NotFoundError()
	}
	if err != nil {
		return "", err
	}
	if err := db.Leave.DeleteOne(l).Exec(ctx); err != nil {
		return "", err
	}
	return l.ID, nil
}
