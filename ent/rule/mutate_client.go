package rule

import (
	"context"

	"caseload/ent"
	"caseload/ent/clientrecord"
	"caseload/ent/privacy"
	"caseload/ent/schema/access"
	"caseload/ent/viewer"
)

// Policy §4 and §6: who may change a client.

// DecideClientCreate lets a member with CREATE_CLIENTS create clients
// (policy §6, new clients). Naming a responsible practitioner other than
// oneself needs ASSIGN_PRACTITIONERS: a creator who may not assign gets an
// error, never a silent substitution; a practitioner §6 itself routes the
// client to (WithRoutedResponsible) is not the creator's choice. Profile fields and tags need PROFILE
// EDIT in the creator's role (§4, §6 tags); a visibility other than the
// default needs the right to change visibility: MANAGE_CLIENT_ACCESS, or
// being the new client's responsible practitioner (§6). That a non-admin
// must be able to see the new client is RequireCreatorSeesNewClient's.
func DecideClientCreate() privacy.MutationRule {
	return privacy.ClientRecordMutationRuleFunc(func(ctx context.Context, m *ent.ClientRecordMutation) error {
		v := viewer.FromContext(ctx)
		if !m.Op().Is(ent.OpCreate) || v == nil || !v.Can(access.CreateClients) {
			return privacy.Skip
		}
		if responsible, ok := m.ResponsibleID(); ok && responsible != v.MemberID && !routedResponsible(ctx, responsible) && !v.Can(access.AssignPractitioners) {
			return deny("naming another practitioner as responsible needs ASSIGN_PRACTITIONERS; leave it out or name yourself")
		}
		touchesProfile := len(m.TagsIDs()) > 0
		for _, f := range access.ProfileColumns {
			touchesProfile = touchesProfile || changed(m, f)
		}
		if touchesProfile && !v.RoleLevel(access.Profile).AtLeast(access.Edit) {
			return &SectionDenied{Section: access.Profile}
		}
		if vis, ok := m.Visibility(); ok && vis != access.PracticeDefault {
			responsible, _ := m.ResponsibleID()
			if !v.Can(access.ManageClientAccess) && responsible != v.MemberID {
				return privacy.Denyf("setting a client's visibility is not permitted")
			}
		}
		return privacy.Allow
	})
}

// DecideClientEdit lets a member change a single client's always-visible
// fields with an EDIT relationship, and its profile with effective PROFILE
// EDIT (policy §4). Access fields (visibility, restricted, responsible
// practitioner) are left to their own rules.
func DecideClientEdit() privacy.MutationRule {
	return privacy.ClientRecordMutationRuleFunc(func(ctx context.Context, m *ent.ClientRecordMutation) error {
		if !m.Op().Is(ent.OpUpdateOne) {
			return privacy.Skip
		}
		for _, f := range []string{clientrecord.FieldVisibility, clientrecord.FieldRestricted, clientrecord.FieldResponsibleID} {
			if changed(m, f) {
				return privacy.Skip
			}
		}
		v := viewer.FromContext(ctx)
		id, ok := m.ID()
		if v == nil || !ok {
			return privacy.Skip
		}
		d, err := Decide(ctx, m.Client(), v, id)
		if err != nil {
			return err
		}
		if !d.Visible() {
			return ErrHidden
		}
		touchesProfile := len(m.TagsIDs()) > 0 || len(m.RemovedTagsIDs()) > 0 || m.TagsCleared()
		for _, f := range access.ProfileColumns {
			touchesProfile = touchesProfile || changed(m, f)
		}
		if touchesProfile && !SectionLevel(v, d, access.Profile).AtLeast(access.Edit) {
			return &SectionDenied{Section: access.Profile}
		}
		if !d.Level.AtLeast(access.Edit) {
			return privacy.Denyf("viewer may only view this client")
		}
		return privacy.Allow
	})
}

// changed reports whether the mutation sets or clears field f.
func changed(m ent.Mutation, f string) bool {
	if _, ok := m.Field(f); ok {
		return true
	}
	return m.FieldCleared(f)
}
