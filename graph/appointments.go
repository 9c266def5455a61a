package graph

// Staff appointments (policy §6, "Intake, booking and appointments"):
// loading what the mutations act on, the early answers that keep a member
// without SCHEDULING EDIT from learning a practitioner's schedule, and the
// new client an appointment may bring. The booking itself is
// graph/scheduling's, shared with online booking.

import (
	"context"
	"time"

	"caseload/ent"
	"caseload/ent/assignment"
	"caseload/ent/rule"
	"caseload/ent/schema/access"
	"caseload/ent/schema/pulid"
	"caseload/ent/viewer"
	"caseload/graph/errcode"
	"caseload/graph/model"
	"caseload/graph/scheduling"
)

// visibleAppointment loads an appointment the viewer reads (SCHEDULING VIEW
// on a client they see), or NOT_FOUND exactly as for an ID never issued
// (policy §3, §4).
func (r *Resolver) visibleAppointment(ctx context.Context, id pulid.ID) (*ent.Appointment, error) {
	a, err := r.db(ctx).Appointment.Get(ctx, id)
	if ent.IsNotFound(err) {
		return nil, errcode.NotFoundError()
	}
	return a, err
}

// requireSchedulingEdit answers FORBIDDEN, naming SCHEDULING, unless the
// viewer's effective SCHEDULING level on the client is EDIT (policy §4, §6).
// The write's privacy (rule.DecideSectionEdit) decides in the end, from the
// same decision; asking first only orders the answers, so that a member who
// may not change the client's appointments is refused before any check
// that would tell them whether the practitioner is free or working then.
func requireSchedulingEdit(ctx context.Context, clientID pulid.ID) error {
	v := viewer.FromContext(ctx)
	d, err := rule.DecisionOn(ctx, clientID)
	if err != nil {
		return err
	}
	if !rule.SectionLevel(v, d, access.Scheduling).AtLeast(access.Edit) {
		return errcode.ForbiddenSection(access.Scheduling)
	}
	return nil
}

// appointmentPractitioner checks that id names an active practitioner of the
// practice (policy §2: only they receive bookings), with the answer the
// appointment's write would give, and returns their slot length: the
// default length of an appointment.
func (r *Resolver) appointmentPractitioner(ctx context.Context, id pulid.ID) (int, error) {
	db := r.db(ctx)
	if err := rule.CheckNamedMember(ctx, db, viewer.FromContext(ctx), rule.ActivePractitioner, id, scheduling.NotPractitionerMessage); err != nil {
		return 0, err
	}
	m, err := db.Member.Get(ctx, id)
	if ent.IsNotFound(err) {
		return 0, errcode.New(errcode.BadUserInput, scheduling.NotPractitionerMessage)
	}
	if err != nil {
		return 0, err
	}
	return m.SlotMinutes, nil
}

// appointmentClient is the new client of createAppointment (policy §6, new
// clients): it needs CREATE_CLIENTS, and a role with SCHEDULING EDIT, which
// createAppointment has asked already and the appointment's write decides. Its
// responsible practitioner is the one named, which the client rule refuses
// to a creator who may not assign practitioners unless it is themself or
// the appointment's practitioner (an error, never a substitution), and
// otherwise the appointment's practitioner, §6's routing, which needs no
// ASSIGN_PRACTITIONERS (rule.WithRoutedResponsible). It reports whether the
// responsible practitioner was routed. The email and phone are PROFILE
// fields: the client rule requires PROFILE EDIT for them. A non-admin must
// see the client they create (rule.RequireCreatorSeesNewClient).
func (r *Resolver) appointmentClient(ctx context.Context, in *model.NewAppointmentClientInput, practitionerID pulid.ID) (*ent.ClientRecord, bool, error) {
	v := viewer.FromContext(ctx)
	if !v.Can(access.CreateClients) {
		return nil, false, errcode.New(errcode.Forbidden, "creating a client needs CREATE_CLIENTS")
	}
	name, err := checkName("the name", in.Name)
	if err != nil {
		return nil, false, err
	}
	responsible, routed := practitionerID, true
	if in.ResponsiblePractitionerID != nil {
		responsible, routed = *in.ResponsiblePractitionerID, false
	}
	create := r.db(ctx).ClientRecord.Create().SetName(name).SetResponsibleID(responsible)
	if err := setProfile(create.Mutation(), in.Email, in.Phone, nil, nil, nil); err != nil {
		return nil, false, err
	}
	c, err := create.Save(rule.WithRoutedResponsible(ctx, practitionerID))
	if err != nil {
		return nil, false, err
	}
	return c, routed, nil
}

// recordNewClientResponsible writes the history of a new client's
// responsible practitioner (policy §6, history: who, to whom, by whom, when,
// why), as recordHandOver does for createClient; a new client has no earlier
// rows to end. A responsible practitioner routed from the appointment
// (policy §6: "the appointment's practitioner becomes responsible") is
// recorded with the source APPOINTMENT and the appointment; one the creator
// named, with the source STAFF.
func recordNewClientResponsible(ctx context.Context, db *ent.Client, c *ent.ClientRecord, a *ent.Appointment, routed bool, by pulid.ID) error {
	if c.ResponsibleID == nil {
		return nil
	}
	create := db.Assignment.Create().SetClientID(c.ID).SetMemberID(*c.ResponsibleID).
		SetKind(assignment.KindRESPONSIBLE).SetAssignedByID(by).SetReason("new client")
	if routed {
		create.SetSource(assignment.SourceAPPOINTMENT).SetAppointmentID(a.ID)
	}
	return create.Exec(viewer.Bypass(ctx, "history of a new client's responsible practitioner, which the client rule has allowed"))
}

// appointmentMinutes is an appointment's length in whole minutes.
func appointmentMinutes(a *ent.Appointment) int {
	return int(a.EndsAt.Sub(a.StartsAt) / time.Minute)
}
