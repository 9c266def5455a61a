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
	MemberID     pulid.ID
	PracticeID   pulid.ID
	AccountType  string
	Admin        bool
	Active       bool
	RoleID       sql.NullString
	RoleFound    sql.NullString
	Profile      sql.NullString
	Scheduling   sql.NullString
	Billing      sql.NullString
	History      sql.NullString
	Notes        sql.NullString
	Forms        sql.NullString
	Capabilities sql.NullString
	// RoleTags and Grants are lists joined by commas; IDs and levels
	// contain none.
	RoleTags sql.NullString
	Grants   sql.NullString

	ClientVisibility              string
	PractitionersManageOwnClients bool
	EmergencyReachesRestricted    bool
	EmergencyAccessMinutes        int

	SessionEnded sql.NullTime
	SessionSeen  sql.NullTime

	// Whether the member holds each kind of personal grant (Viewer.Without).
	HoldsCareTeam  bool
	HoldsShare     bool
	HoldsEmergency bool
}

// authorisationColumns says, per column of the viewer's statement, where in
// an authorisation its value is scanned to.
var authorisationColumns = map[string]func(a *authorisation) any{
	"member_id":                    func(a *authorisation) any { return &a.MemberID },
	"practice_id":                  func(a *authorisation) any { return &a.PracticeID },
	member.FieldAccountType:        func(a *authorisation) any { return &a.AccountType },
	member.FieldAdmin:              func(a *authorisation) any { return &a.Admin },
	member.FieldActive:             func(a *authorisation) any { return &a.Active },
	member.FieldRoleID:             func(a *authorisation) any { return &a.RoleID },
	"role_found":                   func(a *authorisation) any { return &a.RoleFound },
	role.FieldProfileLevel:         func(a *authorisation) any { return &a.Profile },
	role.FieldSchedulingLevel:      func(a *authorisation) any { return &a.Scheduling },
	role.FieldBillingLevel:         func(a *authorisation) any { return &a.Billing },
	role.FieldMedicalHistoryLevel:  func(a *authorisation) any { return &a.History },
	role.FieldSessionNotesLevel:    func(a *authorisation) any { return &a.Notes },
	role.FieldFormsLevel:           func(a *authorisation) any { return &a.Forms },
	role.FieldCapabilities:         func(a *authorisation) any { return &a.Capabilities },
	"role_tags":                    func(a *authorisation) any { return &a.RoleTags },
	"grants":                       func(a *authorisation) any { return &a.Grants },
	practice.FieldClientVisibility: func(a *authorisation) any { return &a.ClientVisibility },
	practice.FieldPractitionersManageOwnClients: func(a *authorisation) any {
		return &a.PractitionersManageOwnClients
	},
	practice.FieldEmergencyReachesRestricted: func(a *authorisation) any { return &a.EmergencyReachesRestricted },
	practice.FieldEmergencyAccessMinutes:     func(a *authorisation) any { return &a.EmergencyAccessMinutes },
	sessionColumns[0]:                        func(a *authorisation) any { return &a.SessionEnded },
	sessionColumns[1]:                        func(a *authorisation) any { return &a.SessionSeen },
	"holds_care_team":                        func(a *authorisation) any { return &a.HoldsCareTeam },
	"holds_share":                            func(a *authorisation) any { return &a.HoldsShare },
	"holds_emergency":                        func(a *authorisation) any { return &a.HoldsEmergency },
}

// sessionColumns are the columns only a statement with a session selects.
var sessionColumns = []string{"session_ended_at", "session_last_seen_at"}

// errNoBypass is readAuthorisation's answer to a caller that gave no reason
// to read past privacy.
var errNoBypass = errors.New("the viewer's statement reads past privacy: its caller must say why (viewer.Bypass)")

// readAuthorisation reads member memberID's authorisation at now: within
// practice practiceID if given, and with session sessionID, which must be
// theirs, if given. nil means no such member (or session). The statement
// reads past privacy (it runs on the driver), so ctx must say why it may:
// Bypass stays the one way past privacy, each use with its reason.
func readAuthorisation(ctx context.Context, client *ent.Client, memberID, practiceID, sessionID pulid.ID, now time.Time) (*authorisation, error) {
	if BypassReason(ctx) == "" {
		return nil, errNoBypass
	}
	st, err := authorisationStatementFor(client.Dialect(), practiceID != "", sessionID != "")
	if err != nil {
		return nil, err
	}
	// The rules judge expiries against the viewer's Now, in UTC.
	args := st.args(parameters{member: memberID, practice: practiceID, session: sessionID, now: now.UTC()})
	var rows entsql.Rows
	// Every request sends this statement first, in one of a few shapes:
	// prepared, it costs one round trip and no planning (ent/prepared).
	if err := client.QueryDriver(prepared.Mark(ctx), st.text, args, &rows); err != nil {
		return nil, err
	}
	defer rows.Close()
	columns, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	var a authorisation
	targets := make([]any, len(columns))
	for i, c := range columns {
		target, ok := authorisationColumns[c]
		if !ok {
			return nil, fmt.Errorf("the viewer's statement selects %q, which nothing reads", c)
		}
		targets[i] = target(&a)
	}
	// Every column is read, and only the session's may be missing, when
	// there is no session: a column left out would leave its field at its
	// zero value (an ended session read as not ended).
	want := len(authorisationColumns)
	if sessionID == "" {
		want -= len(sessionColumns)
	}
	if len(columns) != want {
		return nil, fmt.Errorf("the viewer's statement selects %d columns, want %d", len(columns), want)
	}
	if !rows.Next() {
		return nil, rows.Err()
	}
	if err := rows.Scan(targets...); err != nil {
		return nil, err
	}
	return &a, rows.Close()
}

// buildAuthorisation builds the viewer's statement for dialect d with the
// arguments p. Only authorisationStatementFor calls it, with placeholders.
func buildAuthorisation(d string, p parameters) *entsql.Selector {
	m := entsql.Table(member.Table)
	s := entsql.Dialect(d).Select().From(m)
	pr := entsql.Table(practice.Table).As("p")
	r := entsql.Table(role.Table).As("r")
	s.Join(pr).On(s.C(member.FieldPracticeID), pr.C(practice.FieldID))
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
		pr.C(practice.FieldClientVisibility), pr.C(practice.FieldPractitionersManageOwnClients),
		pr.C(practice.FieldEmergencyReachesRestricted), pr.C(practice.FieldEmergencyAccessMinutes),
	)
	tags := entsql.Table(role.RestrictToTagsTable).As("rt")
	s.AppendSelectExprAs(entsql.Select(joined(d, tags.C(role.RestrictToTagsPrimaryKey[1]))).
		From(tags).Where(entsql.ColumnsEQ(tags.C(role.RestrictToTagsPrimaryKey[0]), r.C(role.FieldID))), "role_tags")
	g := entsql.Table(teamaccess.Table).As("g")
	// A grant over the whole team has no target: '' before the colon.
	grant := "coalesce(" + g.C(teamaccess.FieldTargetMemberID) + ", '') || ':' || " + g.C(teamaccess.FieldLevel)
	s.AppendSelectExprAs(entsql.Select(joined(d, grant)).From(g).Where(entsql.And(
		entsql.ColumnsEQ(g.C(teamaccess.FieldMemberID), s.C(member.FieldID)),
		entsql.ColumnsEQ(g.C(teamaccess.FieldPracticeID), s.C(member.FieldPracticeID)),
		entsql.IsNull(g.C(teamaccess.FieldRevokedAt)),
	)), "grants")
	holds(s, p.now)
	if p.session != "" {
		ss := entsql.Table(session.Table).As("s")
		s.Join(ss).OnP(entsql.And(
			entsql.ColumnsEQ(ss.C(session.FieldMemberID), s.C(member.FieldID)),
			entsql.EQ(ss.C(session.FieldID), p.session),
		))
		s.AppendSelectAs(ss.C(session.FieldEndedAt), sessionColumns[0])
		s.AppendSelectAs(ss.C(session.FieldLastSeenAt), sessionColumns[1])
	}
	preds := []*entsql.Predicate{entsql.EQ(s.C(member.FieldID), p.member)}
	if p.practice != "" {
		preds = append(preds, entsql.EQ(s.C(member.FieldPracticeID), p.practice))
	}
	return s.Where(entsql.And(preds...))
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
