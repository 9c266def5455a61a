package rule

import (
	"entgo.io/ent/dialect/sql"

	"caseload/ent/schema/access"
	"caseload/ent/share"
	"caseload/ent/viewer"
)

// Policy §3 rule 4: an active share to the member (not revoked, and no expiry
// or an expiry after now) gives the share's level. Explicit: tags and the
// restricted flag do not limit it. Expiry is judged against the request's
// clock, so a share stops granting at its expiry with no job.

func shareReach(v *viewer.Viewer, min access.Level) reach {
	return clientsWhere(clientsAmongFew(share.Table, share.FieldClientID, func(t *sql.SelectTable) *sql.Predicate {
		p := sql.And(
			sql.EQ(t.C(share.FieldMemberID), v.MemberID),
			sql.IsNull(t.C(share.FieldRevokedAt)),
			sql.Or(sql.IsNull(t.C(share.FieldExpiresAt)), sql.GT(t.C(share.FieldExpiresAt), v.Now)),
		)
		if min == access.Edit {
			p = sql.And(p, sql.EQ(t.C(share.FieldLevel), string(access.Edit)))
		}
		return p
	}))
}
