package rule

import (
	"context"

	"caseload/ent"
	"caseload/ent/member"
	"caseload/ent/privacy"
	"caseload/ent/role"
	"caseload/ent/schema/access"
	"caseload/ent/schema/pulid"
	"caseload/ent/viewer"
)

// Policy §6: "only an admin can make or unmake admins", and "no one can grant
// a level or capability they do not hold themselves". These rules run on every
// write of members, invitations, roles and team access, whatever the resolver.

// DenyAdminChangeUnlessAdmin refuses to a non-admin making a member or an
// invitee an admin, removing the flag, or deactivating an admin.
func DenyAdminChangeUnlessAdmin() privacy.MutationRule {
	return privacy.MutationRuleFunc(func(ctx context.Context, m ent.Mutation) error {
		v := viewer.FromContext(ctx)
		if v == nil || v.Admin {
			return privacy.Skip
		}
		if a, ok := m.Field("admin"); ok && (a == true || !m.Op().Is(ent.OpCreate)) {
			return deny("only an admin can make or unmake admins")
		}
		if active, ok := m.Field("active"); ok && active == false && m.Op().Is(ent.OpUpdateOne) {
			wasAdmin, err := m.OldField(viewer.Bypass(ctx, "the rule needs the member's admin flag"), "admin")
			if err != nil {
				return err
			}
			if wasAdmin == true {
				return deny("only an admin can deactivate an admin")
			}
		}
		return privacy.Skip
	})
}

// DenyRoleGrantBeyondHeld refuses to give a member or an invitee a role, or
// the built-in defaults, carrying more than the viewer holds.
func DenyRoleGrantBeyondHeld() privacy.MutationRule {
	return privacy.MutationRuleFunc(func(ctx context.Context, m ent.Mutation) error {
		v := viewer.FromContext(ctx)
		if v == nil || v.Admin {
			return privacy.Skip
		}
		if id, ok := m.Field("role_id"); ok {
			roleID, _ := id.(pulid.ID)
			ok, err := canGrantRoleID(ctx, m, v, roleID)
			if err != nil || ok {
				return orSkip(err)
			}
			return deny("you cannot give a role with levels, capabilities or reach you do not hold")
		}
		clearsRole := m.FieldCleared("role_id")
		if m.Op().Is(ent.OpCreate) || clearsRole {
			t, err := accountTypeOf(ctx, m)
			if err != nil {
				return err
			}
			if !CanGrant(v, t.DefaultSections(), t.DefaultCapabilities(), nil) {
				return deny("the built-in defaults of this account type carry levels or reach you do not hold; give a role instead")
			}
		}
		return privacy.Skip
	})
}

// DenyRoleBeyondHeld refuses to define, change or delete a role carrying more
// than the viewer holds: its levels, capabilities and tag restriction, before
// and after the change.
func DenyRoleBeyondHeld() privacy.MutationRule {
	return privacy.RoleMutationRuleFunc(func(ctx context.Context, m *ent.RoleMutation) error {
		v := viewer.FromContext(ctx)
		if v == nil || v.Admin {
			return privacy.Skip
		}
		if id, ok := m.ID(); ok && !m.Op().Is(ent.OpCreate) {
			ok, err := canGrantRoleID(ctx, m, v, id)
			if err != nil {
				return err
			}
			if !ok {
				return deny("you cannot change a role with levels, capabilities or reach you do not hold")
			}
		}
		if m.Op().Is(ent.OpDeleteOne) || m.Op().Is(ent.OpDelete) {
			return privacy.Skip
		}
		sections := access.SectionLevels{}
		for s, f := range map[access.Section]func() (access.Level, bool){
			access.Profile: m.ProfileLevel, access.Scheduling: m.SchedulingLevel, access.Billing: m.BillingLevel,
			access.MedicalHistory: m.MedicalHistoryLevel, access.SessionNotes: m.SessionNotesLevel, access.Forms: m.FormsLevel,
		} {
			if l, ok := f(); ok {
				sections[s] = l
			}
		}
		caps, _ := m.Capabilities()
		if !CanGrant(v, sections, caps, m.RestrictToTagsIDs()) {
			return deny("you cannot define a role with levels, capabilities or reach you do not hold")
		}
		return privacy.Skip
	})
}

// DenyTeamAccessBeyondHeld refuses to grant team member access beyond the
// viewer's own reach (see CanGrantTeamAccess), weighing the recipient's tag
// restriction.
func DenyTeamAccessBeyondHeld() privacy.MutationRule {
	return privacy.TeamAccessMutationRuleFunc(func(ctx context.Context, m *ent.TeamAccessMutation) error {
		v := viewer.FromContext(ctx)
		if v == nil || v.Admin || !m.Op().Is(ent.OpCreate) {
			return privacy.Skip
		}
		level, _ := m.Level()
		var target *pulid.ID
		if t, ok := m.TargetMemberID(); ok {
			target = &t
		}
		recipient, _ := m.MemberID()
		tags, err := roleTagsOf(ctx, m.Client(), v, recipient)
		if err != nil {
			return err
		}
		if !CanGrantTeamAccess(v, tags, target, level) {
			return deny("you cannot grant access you do not hold")
		}
		return privacy.Skip
	})
}

// roleTagsOf returns the tag restriction of a member's role in the viewer's
// practice: nil for no role, a role without one, or an unknown member (the
// write then fails on its own).
func roleTagsOf(ctx context.Context, client *ent.Client, v *viewer.Viewer, memberID pulid.ID) ([]pulid.ID, error) {
	ro, err := client.Role.Query().
		Where(role.HasMembersWith(member.IDEQ(memberID)), role.PracticeIDEQ(v.PracticeID)).
		WithRestrictToTags().
		Only(viewer.Bypass(ctx, "the grant limit weighs the recipient's tag restriction"))
	if ent.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return tagIDs(ro), nil
}

// tagIDs lists the ids of a role's loaded tag restriction.
func tagIDs(ro *ent.Role) []pulid.ID {
	tags := make([]pulid.ID, len(ro.Edges.RestrictToTags))
	for i, t := range ro.Edges.RestrictToTags {
		tags[i] = t.ID
	}
	return tags
}

// canGrantRoleID loads a role of the viewer's practice, with its tags, and
// decides whether the viewer may hand it out.
func canGrantRoleID(ctx context.Context, m ent.Mutation, v *viewer.Viewer, id pulid.ID) (bool, error) {
	c, ok := m.(interface{ Client() *ent.Client })
	if !ok {
		return false, errNoClient
	}
	ro, err := c.Client().Role.Query().
		Where(role.IDEQ(id), role.PracticeIDEQ(v.PracticeID)).
		WithRestrictToTags().
		Only(viewer.Bypass(ctx, "the grant limit weighs the role's levels and tags"))
	if ent.IsNotFound(err) {
		return true, nil // no such role: the write fails on its own
	}
	if err != nil {
		return false, err
	}
	return CanGrant(v, viewer.RoleLevels(ro), ro.Capabilities, tagIDs(ro)), nil
}

// accountTypeOf is the account type a member or invitation mutation is about.
func accountTypeOf(ctx context.Context, m ent.Mutation) (access.AccountType, error) {
	if t, ok := m.Field("account_type"); ok {
		at, _ := t.(access.AccountType)
		return at, nil
	}
	t, err := m.OldField(viewer.Bypass(ctx, "the rule needs the account type's defaults"), "account_type")
	if err != nil {
		return "", err
	}
	at, _ := t.(access.AccountType)
	return at, nil
}

func orSkip(err error) error {
	if err != nil {
		return err
	}
	return privacy.Skip
}
