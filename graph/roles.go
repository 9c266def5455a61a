package graph

// Role definitions (policy §4, §6): a role's levels, capabilities and tag
// restriction as the API takes them.

import (
	"context"

	"caseload/ent"
	"caseload/ent/role"
	"caseload/ent/schema/access"
	"caseload/ent/schema/pulid"
	"caseload/ent/tag"
	"caseload/ent/viewer"
	"caseload/graph/errcode"
	"caseload/graph/model"
)

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

// roleFor loads a role of the viewer's practice for an account type; a role
// the viewer cannot see, or of another account type, is bad input.
func roleFor(ctx context.Context, db *ent.Client, id pulid.ID, t access.AccountType) (*ent.Role, error) {
	ro, err := db.Role.Query().Where(role.IDEQ(id)).Only(ctx)
	if ent.IsNotFound(err) {
		return nil, errcode.New(errcode.BadUserInput, "the role does not exist")
	}
	if err != nil {
		return nil, err
	}
	if ro.AccountType != t {
		return nil, errcode.New(errcode.BadUserInput, "the role is for "+string(ro.AccountType)+" members")
	}
	return ro, nil
}
