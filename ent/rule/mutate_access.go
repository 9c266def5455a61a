package rule

import (
	"context"

	"caseload/ent"
	"caseload/ent/assignment"
	"caseload/ent/clientrecord"
	"caseload/ent/privacy"
	"caseload/ent/viewer"
)

// Policy §6: changing responsibility, the care team, sharing and visibility.
// Each rule decides with ClientActions, the same function viewerAccess
// reports with, so what the API offers and what it allows cannot drift.

// DecideAccessFieldChange decides a single client's update that changes its
// responsible practitioner, visibility or restricted flag, and nothing in a
// section: responsible practitioner per "Responsible practitioner";
// visibility and restricted per "Sharing and visibility".
func DecideAccessFieldChange() privacy.MutationRule {
	return privacy.ClientRecordMutationRuleFunc(func(ctx context.Context, m *ent.ClientRecordMutation) error {
		v := viewer.FromContext(ctx)
		id, ok := m.ID()
		if v == nil || !ok || !m.Op().Is(ent.OpUpdateOne) {
			return privacy.Skip
		}
		responsible := changed(m, clientrecord.FieldResponsibleID)
		accessFields := changed(m, clientrecord.FieldVisibility) || changed(m, clientrecord.FieldRestricted)
		if !responsible && !accessFields {
			return privacy.Skip
		}
		d, err := Decide(ctx, m.Client(), v, id)
		if err != nil {
			return err
		}
		acts := ClientActions(v, d)
		switch {
		case !d.Visible():
			return ErrHidden
		case responsible && !acts.ChangeResponsible:
			return privacy.Denyf("changing the responsible practitioner is not permitted")
		case accessFields && !acts.Share:
			return privacy.Denyf("changing who can see this client is not permitted")
		}
		for _, f := range m.Fields() {
			if f != clientrecord.FieldResponsibleID && f != clientrecord.FieldVisibility && f != clientrecord.FieldRestricted {
				return privacy.Skip // other fields: left to DecideClientEdit
			}
		}
		return privacy.Allow
	})
}

// DecideCareTeamChange decides adding a practitioner to a care team or ending
// their assignment: "Care team" follows the responsible-practitioner rule
// without the CARE_TEAM reservation.
func DecideCareTeamChange() privacy.MutationRule {
	return privacy.AssignmentMutationRuleFunc(func(ctx context.Context, m *ent.AssignmentMutation) error {
		v := viewer.FromContext(ctx)
		if v == nil {
			return privacy.Skip
		}
		kind, ok := m.Kind()
		if !ok && m.Op().Is(ent.OpUpdateOne) {
			old, err := m.OldKind(viewer.Bypass(ctx, "the rule needs the assignment's kind"))
			if err != nil {
				return err
			}
			kind = old
		}
		if kind != assignment.KindCARE_TEAM {
			return privacy.Skip
		}
		return decideRowOfClient(ctx, m, m.Client(), v, func(a Actions) bool { return a.Assign }, "changing the care team is not permitted")
	})
}

// DecideShareManagement decides creating and revoking shares: an admin, the
// responsible practitioner, or MANAGE_CLIENT_ACCESS with EDIT ("Sharing and
// visibility").
func DecideShareManagement() privacy.MutationRule {
	return privacy.ShareMutationRuleFunc(func(ctx context.Context, m *ent.ShareMutation) error {
		v := viewer.FromContext(ctx)
		if v == nil {
			return privacy.Skip
		}
		return decideRowOfClient(ctx, m, m.Client(), v, func(a Actions) bool { return a.Share }, "managing access to this client is not permitted")
	})
}

// decideRowOfClient decides a write to a row about one client (an
// assignment, a share) by what the viewer may do with that client: hidden
// is NOT_FOUND, visible but not permitted is a denial.
func decideRowOfClient(ctx context.Context, m ent.Mutation, client *ent.Client, v *viewer.Viewer, may func(Actions) bool, refusal string) error {
	clientID, err := mutatedClient(ctx, m)
	if err != nil || clientID == "" {
		return privacy.Skip
	}
	d, err := Decide(ctx, client, v, clientID)
	if err != nil {
		return err
	}
	if !d.Visible() {
		return ErrHidden
	}
	if !may(ClientActions(v, d)) {
		return privacy.Denyf("%s", refusal)
	}
	return privacy.Allow
}
