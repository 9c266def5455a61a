package viewer

import (
	"time"

	"entgo.io/ent/dialect/sql"

	"caseload/ent/assignment"
	"caseload/ent/emergencyaccess"
	"caseload/ent/share"
)

// Grants is a set of kinds of grant made to the member personally.
type Grants uint8

// The kinds of personal grant, each the subject of one rule of policy §3.
const (
	// CareTeamGrant is an active care-team assignment (rule 3).
	CareTeamGrant Grants = 1 << iota
	// ShareGrant is an unrevoked, unexpired share (rule 4).
	ShareGrant
	// EmergencyGrant is an unexpired break-glass grant (rule 7).
	EmergencyGrant
)

// The conditions under which a row of each kind gives its member access
// now, or no longer does, written once for the rules that reach clients
// through it (ent/rule/rule_care_team.go, rule_share.go, rule_emergency.go)
// and for the viewer's statement, which says whether the member holds any
// (Viewer.Without): the two cannot disagree.

// ActiveCareTeam is when an assignment (t) puts its member on the client's
// care team: a care-team assignment that has not ended (policy §3 rule 3).
func ActiveCareTeam(t *sql.SelectTable) *sql.Predicate {
	return sql.And(
		sql.EQ(t.C(assignment.FieldKind), assignment.KindCARE_TEAM.String()),
		sql.IsNull(t.C(assignment.FieldEndedAt)),
	)
}

// ActiveShare is when a share (t) gives access at now: not revoked, and no
// expiry or one after now (policy §3 rule 4).
func ActiveShare(t *sql.SelectTable, now time.Time) *sql.Predicate {
	return sql.And(
		sql.IsNull(t.C(share.FieldRevokedAt)),
		sql.Or(sql.IsNull(t.C(share.FieldExpiresAt)), sql.GT(t.C(share.FieldExpiresAt), now)),
	)
}

// RevokedShare is a share (t) that a revocation ended, whatever its expiry
// said: policy §10 explains it as cut by REVOKED.
func RevokedShare(t *sql.SelectTable) *sql.Predicate {
	return sql.NotNull(t.C(share.FieldRevokedAt))
}

// ExpiredShare is a share (t) not revoked but past its expiry at now, the
// other side of ActiveShare's expiry: cut by EXPIRED (policy §10).
func ExpiredShare(t *sql.SelectTable, now time.Time) *sql.Predicate {
	return sql.And(sql.IsNull(t.C(share.FieldRevokedAt)), sql.LTE(t.C(share.FieldExpiresAt), now))
}

// UnexpiredEmergency is when a break-glass grant (t) gives access at now:
// its expiry is after now (policy §3 rule 7).
func UnexpiredEmergency(t *sql.SelectTable, now time.Time) *sql.Predicate {
	return sql.GT(t.C(emergencyaccess.FieldExpiresAt), now)
}

// ExpiredEmergency is a break-glass grant (t) past its expiry at now, the
// other side of UnexpiredEmergency: cut by EXPIRED (policy §10).
func ExpiredEmergency(t *sql.SelectTable, now time.Time) *sql.Predicate {
	return sql.LTE(t.C(emergencyaccess.FieldExpiresAt), now)
}
