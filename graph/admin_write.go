package graph

import (
	"context"
	"strings"
	"time"

	"caseload/ent"
	"caseload/ent/member"
	"caseload/ent/schema/access"
	"caseload/ent/schema/pulid"
	"caseload/ent/tag"
	"caseload/ent/teamaccess"
	"caseload/ent/viewer"
	"caseload/graph/errcode"
	"caseload/graph/model"
)

// Practice administration (policy §6): Ent privacy admits admins and
// MANAGE_TEAM to these writes; the checks here are about input and about not
// granting more than one holds.

// updatePracticeSettings changes the practice's settings.
func (r *Resolver) updatePracticeSettings(ctx context.Context, in model.PracticeSettingsInput) (*ent.Practice, error) {
	v := viewer.FromContext(ctx)
	upd := r.db(ctx).Practice.UpdateOneID(v.PracticeID)
	if in.Name != nil {
		name, err := checkName("the practice name", *in.Name)
		if err != nil {
			return nil, err
		}
		upd.SetName(name)
	}
	if in.TimeZone != nil {
		if _, err := time.LoadLocation(*in.TimeZone); err != nil || *in.TimeZone == "" || *in.TimeZone == "Local" {
			return nil, errcode.New(errcode.BadUserInput, "the time zone must be an IANA zone such as Australia/Sydney")
		}
		upd.SetTimeZone(*in.TimeZone)
	}
	if in.ClientVisibility != nil {
		if *in.ClientVisibility == access.PracticeDefault {
			return nil, errcode.New(errcode.BadUserInput, "the practice's client visibility is ALL_TEAM or CARE_TEAM")
		}
		upd.SetClientVisibility(*in.ClientVisibility)
	}
	if in.EmergencyAccessMinutes != nil {
		if *in.EmergencyAccessMinutes < 1 || *in.EmergencyAccessMinutes > 24*60 {
			return nil, errcode.New(errcode.BadUserInput, "emergency access lasts from 1 to 1440 minutes")
		}
		upd.SetEmergencyAccessMinutes(*in.EmergencyAccessMinutes)
	}
	upd.SetNillableAssignNewClientsToCreator(in.AssignNewClientsToCreator).
		SetNillablePractitionersManageOwnClients(in.PractitionersManageOwnClients).
		SetNillableEmergencyReachesRestricted(in.EmergencyReachesRestricted)
	return upd.Save(ctx)
}

// roleDefinition checks a role input and returns its levels.
func roleDefinition(ctx context.Context, db *ent.Client, v *viewer.Viewer, in model.RoleInput) (string, access.SectionLevels, []access.Capability, []pulid.ID, error) {
	name, err := checkName("the role name", in.Name)
	if err != nil {
		return "", nil, nil, nil, err
	}
	sections := access.SectionLevels{}
	for _, s := range in.Sections {
		if _, dup := sections[s.Section]; dup {
			return "", nil, nil, nil, errcode.New(errcode.BadUserInput, "the section "+string(s.Section)+" is given twice")
		}
		sections[s.Section] = s.Level
	}
	caps := make([]access.Capability, 0, len(in.Capabilities))
	for _, c := range in.Capabilities {
		if !containsCap(caps, c) {
			caps = append(caps, c)
		}
	}
	tags := uniqueIDs(in.RestrictToTagIds)
	if len(tags) > 0 {
		n, err := db.Tag.Query().Where(tag.IDIn(tags...)).Count(ctx)
		if err != nil {
			return "", nil, nil, nil, err
		}
		if n != len(tags) {
			return "", nil, nil, nil, errcode.New(errcode.BadUserInput, "a tag does not exist")
		}
	}
	return name, sections, caps, tags, nil
}

func containsCap(caps []access.Capability, c access.Capability) bool {
	for _, x := range caps {
		if x == c {
			return true
		}
	}
	return false
}

// setSectionLevels sets a role's level on every section, NONE where left
// out, for create and update alike.
func setSectionLevels(m *ent.RoleMutation, sections access.SectionLevels) {
	m.SetProfileLevel(sections.Of(access.Profile))
	m.SetSchedulingLevel(sections.Of(access.Scheduling))
	m.SetBillingLevel(sections.Of(access.Billing))
	m.SetMedicalHistoryLevel(sections.Of(access.MedicalHistory))
	m.SetSessionNotesLevel(sections.Of(access.SessionNotes))
	m.SetFormsLevel(sections.Of(access.Forms))
}

func errRoleNameTaken() error {
	return errcode.New(errcode.Conflict, "a role with this name already exists")
}

// createRole creates a role.
func (r *Resolver) createRole(ctx context.Context, in model.RoleInput) (*ent.Role, error) {
	v := viewer.FromContext(ctx)
	db := r.db(ctx)
	name, sections, caps, tags, err := roleDefinition(ctx, db, v, in)
	if err != nil {
		return nil, err
	}
	create := db.Role.Create().SetName(name).SetAccountType(in.AccountType).
		SetCapabilities(caps).AddRestrictToTagIDs(tags...)
	setSectionLevels(create.Mutation(), sections)
	ro, err := create.Save(ctx)
	if ent.IsConstraintError(err) {
		return nil, errRoleNameTaken()
	}
	return ro, err
}

// updateRole replaces a role's definition; its members are affected on their
// next request.
func (r *Resolver) updateRole(ctx context.Context, id pulid.ID, in model.RoleInput) (*ent.Role, error) {
	v := viewer.FromContext(ctx)
	db := r.db(ctx)
	ro, err := db.Role.Get(ctx, id)
	if ent.IsNotFound(err) {
		return nil, errcode.NotFoundError()
	}
	if err != nil {
		return nil, err
	}
	if in.AccountType != ro.AccountType {
		if held, err := db.Member.Query().Where(member.RoleIDEQ(id)).Exist(ctx); err != nil {
			return nil, err
		} else if held {
			return nil, errcode.New(errcode.Conflict, "members hold this role; its account type cannot change")
		}
	}
	name, sections, caps, tags, err := roleDefinition(ctx, db, v, in)
	if err != nil {
		return nil, err
	}
	update := db.Role.UpdateOne(ro).SetName(name).SetAccountType(in.AccountType).
		SetCapabilities(caps).ClearRestrictToTags().AddRestrictToTagIDs(tags...)
	setSectionLevels(update.Mutation(), sections)
	ro, err = update.Save(ctx)
	if ent.IsConstraintError(err) {
		return nil, errRoleNameTaken()
	}
	return ro, err
}

// deleteRole deletes a role, moving its members to another if asked.
func (r *Resolver) deleteRole(ctx context.Context, id pulid.ID, reassignTo *pulid.ID) (pulid.ID, error) {
	db := r.db(ctx)
	ro, err := db.Role.Get(ctx, id)
	if ent.IsNotFound(err) {
		return "", errcode.NotFoundError()
	}
	if err != nil {
		return "", err
	}
	held, err := db.Member.Query().Where(member.RoleIDEQ(id)).Count(ctx)
	if err != nil {
		return "", err
	}
	if held > 0 {
		if reassignTo == nil {
			return "", errcode.New(errcode.Conflict, "members hold this role; pass reassignToRoleId to move them first")
		}
		if *reassignTo == id {
			return "", errcode.New(errcode.BadUserInput, "a role cannot be reassigned to itself")
		}
		if _, err := roleFor(ctx, db, *reassignTo, ro.AccountType); err != nil {
			return "", err
		}
		if err := db.Member.Update().Where(member.RoleIDEQ(id)).SetRoleID(*reassignTo).Exec(ctx); err != nil {
			return "", err
		}
	}
	if err := db.Role.DeleteOne(ro).Exec(ctx); err != nil {
		return "", err
	}
	return id, nil
}

// createTag creates a tag of the practice.
func (r *Resolver) createTag(ctx context.Context, name string) (*ent.Tag, error) {
	name = strings.TrimSpace(name)
	if name == "" || len(name) > 100 {
		return nil, errcode.New(errcode.BadUserInput, "a tag name has 1 to 100 characters")
	}
	t, err := r.db(ctx).Tag.Create().SetName(name).Save(ctx)
	if ent.IsConstraintError(err) {
		return nil, errcode.New(errcode.Conflict, "a tag with this name already exists")
	}
	return t, err
}

// grantTeamAccess grants a member access to care teams.
func (r *Resolver) grantTeamAccess(ctx context.Context, memberID pulid.ID, target *pulid.ID, level access.Level) (*ent.TeamAccess, error) {
	v := viewer.FromContext(ctx)
	db := r.db(ctx)
	if !level.GrantLevel() {
		return nil, errcode.New(errcode.BadUserInput, "team member access gives VIEW or EDIT")
	}
	if target != nil && *target == memberID {
		return nil, errcode.New(errcode.BadUserInput, "a member cannot be granted access to their own care teams")
	}
	return db.TeamAccess.Create().SetMemberID(memberID).SetNillableTargetMemberID(target).
		SetLevel(level).SetGrantedByID(v.MemberID).Save(ctx)
}

// revokeTeamAccess revokes a grant; the row stays for the record.
func (r *Resolver) revokeTeamAccess(ctx context.Context, id pulid.ID) (pulid.ID, error) {
	db := r.db(ctx)
	g, err := db.TeamAccess.Query().Where(teamaccess.IDEQ(id), teamaccess.RevokedAtIsNil()).Only(ctx)
	if ent.IsNotFound(err) {
		return "", errcode.NotFoundError()
	}
	if err != nil {
		return "", err
	}
	if err := db.TeamAccess.UpdateOne(g).SetRevokedAt(time.Now()).Exec(ctx); err != nil {
		return "", err
	}
	return g.ID, nil
}
