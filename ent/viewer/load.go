package viewer

import (
	"context"
	"errors"
	"time"

	"caseload/ent"
	"caseload/ent/member"
	"caseload/ent/role"
	"caseload/ent/schema/access"
	"caseload/ent/schema/pulid"
	"caseload/ent/session"
	"caseload/ent/tag"
	"caseload/ent/teamaccess"
)

// ErrInactive is returned for a deactivated member: their sessions stop
// working at once (policy §2).
var ErrInactive = errors.New("this account is deactivated")

// ErrSessionEnded is returned for a session that has ended (logout, password
// change, deactivation, endSessions) or that the member never had: the
// token is refused, whatever its expiry says (policy §2, sessions).
var ErrSessionEnded = errors.New("this session has ended")

// lastSeenEvery is how stale a session's last_seen_at may get before a
// request refreshes it: a request rarely writes.
const lastSeenEvery = 5 * time.Minute

// Load builds the viewer for a member's session from the database, as it is
// now: the session must be open, and the member active; then role, tag
// restriction, team member access and practice settings. It runs once per
// request, so an ended session, a changed role or a deactivation takes
// effect on the next request whatever token the member holds.
func Load(ctx context.Context, client *ent.Client, memberID, sessionID pulid.ID, now time.Time) (*Viewer, error) {
	// Internal look-up: the viewer does not exist yet, so privacy cannot
	// decide; this reads only the member's own session and authorisation.
	ctx = Bypass(ctx, "the viewer does not exist yet; this reads only their own session and authorisation")
	s, err := openSession(ctx, client, memberID, sessionID, now)
	if err != nil {
		return nil, err
	}
	v, err := build(ctx, client, s.Edges.Member, now)
	if err != nil {
		return nil, err
	}
	v.SessionID = s.ID
	return v, nil
}

// LoadMember builds the viewer a request of member memberID of practice
// practiceID would have at now, without a session and whether or not the
// member is active (a deactivated member's viewer has Active false), so
// that explaining their access (policy §10) decides with exactly what their
// own requests decide with. A member of another practice, or none, is
// ent's not-found error. The caller has decided that the asker may ask.
func LoadMember(ctx context.Context, client *ent.Client, memberID, practiceID pulid.ID, now time.Time) (*Viewer, error) {
	ctx = Bypass(ctx, "policy §10: explaining a member's access needs their authorisation as their requests load it")
	m, err := client.Member.Query().Where(member.IDEQ(memberID), member.PracticeIDEQ(practiceID)).Only(ctx)
	if err != nil {
		return nil, err
	}
	return build(ctx, client, m, now)
}

// build reads the member's role, tag restriction, team member access and
// practice settings into their viewer; ctx bypasses privacy.
func build(ctx context.Context, client *ent.Client, m *ent.Member, now time.Time) (*Viewer, error) {
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

// openSession returns the member's session with the member, if the session
// is open and the member active, and notes that it was seen.
func openSession(ctx context.Context, client *ent.Client, memberID, sessionID pulid.ID, now time.Time) (*ent.Session, error) {
	s, err := client.Session.Query().
		Where(session.IDEQ(sessionID), session.MemberIDEQ(memberID)).
		WithMember().
		Only(ctx)
	if ent.IsNotFound(err) {
		return nil, ErrSessionEnded
	}
	if err != nil {
		return nil, err
	}
	if !s.Edges.Member.Active {
		return nil, ErrInactive
	}
	if s.EndedAt != nil {
		return nil, ErrSessionEnded
	}
	if s.LastSeenAt == nil || now.Sub(*s.LastSeenAt) > lastSeenEvery {
		if err := client.Session.UpdateOne(s).SetLastSeenAt(now).Exec(ctx); err != nil {
			return nil, err
		}
	}
	return s, nil
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
