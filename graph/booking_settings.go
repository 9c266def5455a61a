package graph

// Online booking as a practice publishes it (policy §6, booking; §11).

import (
	"context"
	"fmt"

	"caseload/ent"
	"caseload/ent/member"
	"caseload/ent/practice"
	"caseload/ent/rule"
	"caseload/ent/schema/access"
	"caseload/ent/schema/forms"
	"caseload/ent/viewer"
	"caseload/graph/booking"
	"caseload/graph/errcode"
	"caseload/graph/model"
)

// updateBookingSettings checks and writes the settings; a field left out
// keeps its value. Turning booking on needs an address, an appointment type
// and a bookable practitioner, so that a published page always books.
func (r *Resolver) updateBookingSettings(ctx context.Context, input model.BookingSettingsInput) (*ent.Practice, error) {
	v := viewer.FromContext(ctx)
	db := r.db(ctx)
	p, err := db.Practice.Query().Where(practice.IDEQ(v.PracticeID)).Modify(rule.LockRowsNoKey).Only(ctx)
	if err != nil {
		return nil, err
	}
	upd := db.Practice.UpdateOne(p).SetBookingEnabled(input.Enabled)
	slug := p.BookingSlug
	if input.Slug != nil {
		if err := booking.CheckSlug(*input.Slug); err != nil {
			return nil, err
		}
		taken, err := db.Practice.Query().Where(practice.BookingSlugEQ(*input.Slug), practice.IDNEQ(p.ID)).
			Exist(viewer.Bypass(ctx, "a booking address is unique across practices, and public"))
		if err != nil {
			return nil, err
		}
		if taken {
			return nil, errcode.New(errcode.Conflict, "this booking address is already in use; choose another")
		}
		slug = input.Slug
		upd.SetBookingSlug(*input.Slug)
	}
	types := p.BookingAppointmentTypes
	if input.AppointmentTypes != nil {
		in := make([]forms.AppointmentType, len(input.AppointmentTypes))
		for i, t := range input.AppointmentTypes {
			in[i] = forms.AppointmentType{Name: t.Name, Minutes: t.Minutes}
		}
		if types, err = booking.CheckAppointmentTypes(in); err != nil {
			return nil, err
		}
		upd.SetBookingAppointmentTypes(types)
	}
	if err := booking.CheckPeriods(input.MinimumNoticeMinutes, input.HorizonDays, input.BufferMinutes); err != nil {
		return nil, err
	}
	if input.MinimumNoticeMinutes != nil {
		upd.SetBookingMinNoticeMinutes(*input.MinimumNoticeMinutes)
	}
	if input.HorizonDays != nil {
		upd.SetBookingHorizonDays(*input.HorizonDays)
	}
	if input.BufferMinutes != nil {
		upd.SetBookingBufferMinutes(*input.BufferMinutes)
	}
	if input.FrameAncestors != nil {
		origins, err := booking.CheckFrameAncestors(input.FrameAncestors)
		if err != nil {
			return nil, err
		}
		upd.SetPublicFrameAncestors(origins)
	}
	if input.PractitionerIds != nil {
		ids := uniqueIDs(input.PractitionerIds)
		if len(ids) > booking.MaxPractitioners {
			return nil, errcode.New(errcode.BadUserInput, fmt.Sprintf("a booking page lists at most %d practitioners", booking.MaxPractitioners))
		}
		for _, id := range ids {
			if err := rule.CheckNamedMember(ctx, db, v, rule.ActivePractitioner, id, "only active practitioners of the practice take bookings"); err != nil {
				return nil, err
			}
		}
		off := db.Member.Update().Where(member.BookableOnlineEQ(true))
		if len(ids) > 0 {
			off.Where(member.IDNotIn(ids...))
		}
		if err := off.SetBookableOnline(false).Exec(ctx); err != nil {
			return nil, err
		}
		if len(ids) > 0 {
			if err := db.Member.Update().Where(member.IDIn(ids...)).SetBookableOnline(true).Exec(ctx); err != nil {
				return nil, err
			}
		}
	}
	if input.Enabled {
		n, err := db.Member.Query().Where(member.BookableOnlineEQ(true), member.ActiveEQ(true), member.AccountTypeEQ(access.Practitioner)).Count(ctx)
		if err != nil {
			return nil, err
		}
		if slug == nil || len(types) == 0 || n == 0 {
			return nil, errcode.New(errcode.BadUserInput, "online booking needs an address (slug), an appointment type and a bookable practitioner")
		}
	}
	return upd.Save(ctx)
}

// bookingReceipt is the API's receipt.
func (r *Resolver) bookingReceipt(b *booking.Receipt) *model.BookingReceipt {
	status := model.BookingStatusBooked
	if b.Cancelled {
		status = model.BookingStatusCancelled
	}
	return &model.BookingReceipt{
		PracticeName:     b.PracticeName,
		PractitionerName: b.PractitionerName,
		AppointmentType:  b.AppointmentType,
		StartsAt:         b.StartsAt,
		EndsAt:           b.EndsAt,
		Status:           status,
		ManageToken:      b.ManageToken,
		ManageURL:        r.publicURL + "/book/manage/" + b.ManageToken,
	}
}
