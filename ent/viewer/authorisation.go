package viewer

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"

	"caseload/ent"
	"caseload/ent/assignment"
	"caseload/ent/emergencyaccess"
	"caseload/ent/member"
	"caseload/ent/practice"
	"caseload/ent/prepared"
	"caseload/ent/role"
	"caseload/ent/schema/access"
	"caseload/ent/schema/pulid"
	"caseload/ent/session"
	"caseload/ent/share"
	"caseload/ent/teamaccess"
)

// authorisation is everything a viewer is built from, read in one
// statement: the member, their practice's settings, their role with its
// tag restriction, their team member access and, for a request, their
// session. A request pays one round trip for it, however the member is
// set up.
type authorisation struct {
	MemberID     pulid.ID       `sql:"member_id"`
	PracticeID   pulid.ID       `sql:"practice_id"`
	AccountType  string         `sql:"account_type"`
	Admin        bool           `sql:"admin"`
	Active       bool           `sql:"active"`
	RoleID       sql.NullString `sql:"role_id"`
	RoleFound    sql.NullString `sql:"role_found"`
	Profile      sql.NullString `sql:"profile_level"`
	Scheduling   sql.NullString `sql:"scheduling_level"`
	Billing      sql.NullString `sql:"billing_level"`
	History      sql.NullString `sql:"medical_history_level"`
	Notes        sql.NullString `sql:"session_notes_level"`
	Forms        sql.NullString `sql:"forms_level"`
	Capabilities sql.NullString `sql:"capabilities"`
	// RoleTags and Grants are lists joined by commas; IDs and levels
	// contain none.
	RoleTags sql.NullString `sql:"role_tags"`
	Grants   sql.NullString `sql:"grants"`

	ClientVisibility              string `sql:"client_visibility"`
	PractitionersManageOwnClients bool   `sql:"practitioners_manage_own_clients"`
	EmergencyReachesRestricted    bool   `sql:"emergency_reaches_restricted"`
	EmergencyAccessMinutes        int    `sql:"emergency_access_minutes"`

	SessionEnded sql.NullTime `sql:"session_ended_at"`
	SessionSeen  sql.NullTime `sql:"session_last_seen_at"`

	// Whether the member holds each kind of personal grant (Viewer.Without).
	HoldsCareTeam  bool `sql:"holds_care_team"`
	HoldsShare     bool `sql:"holds_share"`
	HoldsEmergency bool `sql:"holds_emergency"`
}

// readAuthorisation reads member memberID's authorisation at now: within
// practice practiceID if given, and with session sessionID, which must be
// theirs, if given. nil means no such member (or session). ctx bypasses
// privacy.
func readAuthorisation(ctx context.Context, client *ent.Client, memberID, practiceID, sessionID pulid.ID, now time.Time) (*authorisation, error) {
	var rows []authorisation
	// Every request sends this statement first, in one of a few shapes:
	// prepared, it costs one round trip and no planning (ent/prepared).
	ctx = prepared.Mark(ctx)
	err := client.Member.Query().
		Where(member.IDEQ(memberID)).
		Modify(func(s *entsql.Selector) {
			p := entsql.Table(practice.Table).As("p")
			r := entsql.Table(role.Table).As("r")
			s.Join(p).On(s.C(member.FieldPracticeID), p.C(practice.FieldID))
			// The role counts only if it is the practice's own.
			s.LeftJoin(r).OnP(entsql.And(
				entsql.ColumnsEQ(r.C(role.FieldID), s.C(member.FieldRoleID)),
				entsql.ColumnsEQ(r.C(role.FieldPracticeID), s.C(member.FieldPracticeID)),
			))
			s.Select(
				entsql.As(s.C(member.FieldID), "member_id"), entsql.As(s.C(member.FieldPracticeID), "practice_id"),
				s.C(member.FieldAccountType), s.C(member.FieldAdmin), s.C(member.FieldActive), s.C(member.FieldRoleID),
				entsql.As(r.C(role.FieldID), "role_found"),
				r.C(role.FieldProfileLevel), r.C(role.FieldSchedulingLevel), r.C(role.FieldBillingLevel),
				r.C(role.FieldMedicalHistoryLevel), r.C(role.FieldSessionNotesLevel), r.C(role.FieldFormsLevel),
				r.C(role.FieldCapabilities),
				p.C(practice.FieldClientVisibility), p.C(practice.FieldPractitionersManageOwnClients),
				p.C(practice.FieldEmergencyReachesRestricted), p.C(practice.FieldEmergencyAccessMinutes),
			)
			tags := entsql.Table(role.RestrictToTagsTable).As("rt")
			s.AppendSelectExprAs(entsql.Select(joined(s.Dialect(), tags.C(role.RestrictToTagsPrimaryKey[1]))).
				From(tags).Where(entsql.ColumnsEQ(tags.C(role.RestrictToTagsPrimaryKey[0]), r.C(role.FieldID))), "role_tags")
			g := entsql.Table(teamaccess.Table).As("g")
			// A grant over the whole team has no target: '' before the colon.
			grant := "coalesce(" + g.C(teamaccess.FieldTargetMemberID) + ", '') || ':' || " + g.C(teamaccess.FieldLevel)
			s.AppendSelectExprAs(entsql.Select(joined(s.Dialect(), grant)).From(g).Where(entsql.And(
				entsql.ColumnsEQ(g.C(teamaccess.FieldMemberID), s.C(member.FieldID)),
				entsql.ColumnsEQ(g.C(teamaccess.FieldPracticeID), s.C(member.FieldPracticeID)),
				entsql.IsNull(g.C(teamaccess.FieldRevokedAt)),
			)), "grants")
			// The rules judge expiries against the viewer's Now, in UTC.
			holds(s, now.UTC())
			if practiceID != "" {
				s.Where(entsql.EQ(s.C(member.FieldPracticeID), practiceID))
			}
			if sessionID != "" {
				ss := entsql.Table(session.Table).As("s")
				s.Join(ss).OnP(entsql.And(
					entsql.ColumnsEQ(ss.C(session.FieldMemberID), s.C(member.FieldID)),
					entsql.EQ(ss.C(session.FieldID), sessionID),
				))
				s.AppendSelectAs(ss.C(session.FieldEndedAt), "session_ended_at")
				s.AppendSelectAs(ss.C(session.FieldLastSeenAt), "session_last_seen_at")
			}
		}).
		Scan(ctx, &rows)
	if err != nil || len(rows) == 0 {
		return nil, err
	}
	return &rows[0], nil
}

// holds selects whether the member holds each kind of personal grant at
// now, as the rules judge them (grants.go): an index probe each, by member.
func holds(s *entsql.Selector, now time.Time) {
	exists := func(table, memberColumn string, active func(t *entsql.SelectTable) *entsql.Predicate, as string) {
		t := entsql.Table(table).As(as + "_t")
		s.AppendSelectExprAs(entsql.Exists(entsql.Select().AppendSelectExpr(entsql.Expr("1")).From(t).
			Where(entsql.And(entsql.ColumnsEQ(t.C(memberColumn), s.C(member.FieldID)), active(t))).Limit(1)), as)
	}
	exists(assignment.Table, assignment.FieldMemberID, ActiveCareTeam, "holds_care_team")
	exists(share.Table, share.FieldMemberID, func(t *entsql.SelectTable) *entsql.Predicate {
		return ActiveShare(t, now)
	}, "holds_share")
	exists(emergencyaccess.Table, emergencyaccess.FieldMemberID, func(t *entsql.SelectTable) *entsql.Predicate {
		return UnexpiredEmergency(t, now)
	}, "holds_emergency")
}

// joined aggregates column's values into one comma-separated text.
func joined(d, column string) string {
	if d == dialect.Postgres {
		return "string_agg(" + column + ", ',')"
	}
	return "group_concat(" + column + ", ',')"
}

// viewer builds the viewer the authorisation gives at now.
func (a *authorisation) viewer(now time.Time) (*Viewer, error) {
	t := access.AccountType(a.AccountType)
	v := &Viewer{
		MemberID:     a.MemberID,
		PracticeID:   a.PracticeID,
		AccountType:  t,
		Admin:        a.Admin,
		Active:       a.Active,
		Sections:     t.DefaultSections(),
		Capabilities: t.DefaultCapabilities(),
		Settings: Settings{
			ClientVisibility:              access.ClientVisibility(a.ClientVisibility),
			PractitionersManageOwnClients: a.PractitionersManageOwnClients,
			EmergencyReachesRestricted:    a.EmergencyReachesRestricted,
			EmergencyAccessMinutes:        a.EmergencyAccessMinutes,
		},
		Now: now.UTC(),
	}
	if !a.HoldsCareTeam {
		v.Without |= CareTeamGrant
	}
	if !a.HoldsShare {
		v.Without |= ShareGrant
	}
	if !a.HoldsEmergency {
		v.Without |= EmergencyGrant
	}
	if a.RoleID.Valid {
		if !a.RoleFound.Valid {
			return nil, fmt.Errorf("member %s: role %s is not one of the practice's", a.MemberID, a.RoleID.String)
		}
		v.Sections = RoleLevels(&ent.Role{
			ProfileLevel:        access.Level(a.Profile.String),
			SchedulingLevel:     access.Level(a.Scheduling.String),
			BillingLevel:        access.Level(a.Billing.String),
			MedicalHistoryLevel: access.Level(a.History.String),
			SessionNotesLevel:   access.Level(a.Notes.String),
			FormsLevel:          access.Level(a.Forms.String),
		})
		var caps []access.Capability
		if a.Capabilities.Valid && a.Capabilities.String != "" {
			if err := json.Unmarshal([]byte(a.Capabilities.String), &caps); err != nil {
				return nil, fmt.Errorf("role %s: capabilities: %w", a.RoleID.String, err)
			}
		}
		v.Capabilities = nil
		for _, c := range caps {
			if c.Valid() {
				v.Capabilities = append(v.Capabilities, c)
			}
		}
		for _, id := range list(a.RoleTags) {
			v.RestrictToTags = append(v.RestrictToTags, pulid.ID(id))
		}
	}
	for _, g := range list(a.Grants) {
		target, level, ok := strings.Cut(g, ":")
		if !ok {
			return nil, errors.New("a team member access grant could not be read")
		}
		grant := TeamGrant{Level: access.Level(level)}
		if target != "" {
			id := pulid.ID(target)
			grant.Target = &id
		}
		v.TeamAccess = append(v.TeamAccess, grant)
	}
	return v, nil
}

// list splits a comma-joined aggregate; NULL (no rows) is empty.
func list(s sql.NullString) []string {
	if !s.Valid || s.String == "" {
		return nil
	}
	return strings.Split(s.String, ",")
}
