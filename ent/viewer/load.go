package viewer

import (
	"context"
	"errors"
	"time"

	"caseload/ent"
	"caseload/ent/role"
	"caseload/ent/schema/access"
	"caseload/ent/schema/pulid"
	"caseload/ent/tag"
	"caseload/ent/teamaccess"
)

// ErrInactive is returned for a deactivated member: their sessions stop
// working at once (policy §2).
var ErrInactive = errors.New("this account is deactivated")

// Load builds the viewer for a member from the database, as it is now:
// role, tag restriction, team member access and practice settings. It runs
// once per request, so a changed role or a deactivation takes effect on the
// next request whatever token the member holds.
func Load(ctx context.Context, client *ent.Client, memberID pulid.ID, now time.Time) (*Viewer, error) {
	// Internal look-up: the viewer does not exist yet, so privacy cannot
	// decide; this reads only the member's own authorisation data.
	ctx = Bypass(ctx, "the viewer does not exist yet; this reads only their own authorisation")
	m, err := client.Member.Get(ctx, memberID)
	if err != nil {
		return nil, err
	}
	if !m.Active {
		return nil, ErrInactive
	}
	p, err := m.QueryPractice().Only(ctx)
	if err != nil {
		return nil, err
	}
	v := &Viewer{
		MemberID:     m.ID,
		PracticeID:   m.PracticeID,
		AccountType:  m.AccountType,
		Admin:        m.Admin,
		Active:       m.Active,
		Sections:     m.AccountType.DefaultSections(),
		Capabilities: m.AccountType.DefaultCapabilities(),
		Settings: Settings{
			ClientVisibility:              p.ClientVisibility,
			PractitionersManageOwnClients: p.PractitionersManageOwnClients,
			EmergencyReachesRestricted:    p.EmergencyReachesRestricted,
			EmergencyAccessMinutes:        p.EmergencyAccessMinutes,
		},
		Now: now.UTC(),
	}
	if m.RoleID != nil {
		r, err := client.Role.Query().
			Where(role.IDEQ(*m.RoleID), role.PracticeIDEQ(m.PracticeID)).
			WithRestrictToTags(func(q *ent.TagQuery) { q.Select(tag.FieldID) }).
			Only(ctx)
		if err != nil {
			return nil, err
		}
		v.Sections = RoleLevels(r)
		v.Capabilities = nil
		for _, c := range r.Capabilities {
			if c.Valid() {
				v.Capabilities = append(v.Capabilities, c)
			}
		}
		for _, t := range r.Edges.RestrictToTags {
			v.RestrictToTags = append(v.RestrictToTags, t.ID)
		}
	}
	grants, err := client.TeamAccess.Query().
		Where(teamaccess.MemberIDEQ(m.ID), teamaccess.PracticeIDEQ(m.PracticeID), teamaccess.RevokedAtIsNil()).
		All(ctx)
	if err != nil {
		return nil, err
	}
	for _, g := range grants {
		v.TeamAccess = append(v.TeamAccess, TeamGrant{Target: g.TargetMemberID, Level: g.Level})
	}
	return v, nil
}

// RoleLevels returns a role's level per section.
func RoleLevels(r *ent.Role) access.SectionLevels {
	return access.SectionLevels{
		access.Profile:        r.ProfileLevel,
		access.Scheduling:     r.SchedulingLevel,
		access.Billing:        r.BillingLevel,
		access.MedicalHistory: r.MedicalHistoryLevel,
		access.SessionNotes:   r.SessionNotesLevel,
		access.Forms:          r.FormsLevel,
	}
}
