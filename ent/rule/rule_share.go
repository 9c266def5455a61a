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
// clock, so a share stops granting at its expiry with no job. A member the
// viewer's statement found without an active share is reached by nobody here.

func shareReach(v *viewer.Viewer, min access.Level) reach {
	if !v.MayHold(viewer.ShareGrant) {
		return reach{}
	}
	return sharesWhere(v, min, func(t *sql.SelectTable) []*sql.Predicate {
		return []*sql.Predicate{viewer.ActiveShare(t, v.Now)}
	})
}

// shareMisses are the shares that no longer give access (policy §10): a
// revoked share is cut by REVOKED, whatever its expiry said; an unrevoked
// share past its expiry by EXPIRED.
var shareMisses = []nearMiss{
	{access.CutRevoked, func(v *viewer.Viewer, min access.Level) reach {
		return sharesWhere(v, min, func(t *sql.SelectTable) []*sql.Predicate {
			return []*sql.Predicate{viewer.RevokedShare(t)}
		})
	}},
	{access.CutExpired, func(v *viewer.Viewer, min access.Level) reach {
		return sharesWhere(v, min, func(t *sql.SelectTable) []*sql.Predicate {
			return []*sql.Predicate{viewer.ExpiredShare(t, v.Now)}
		})
	}},
}

// sharesWhere reaches the clients of the viewer's shares in the given state
// (conditions on the share row) that give at least min.
func sharesWhere(v *viewer.Viewer, min access.Level, state func(t *sql.SelectTable) []*sql.Predicate) reach {
	return clientsWhere(clientsAmongFew(share.Table, share.FieldClientID, func(t *sql.SelectTable) *sql.Predicate {
		p := sql.And(append([]*sql.Predicate{sql.EQ(t.C(share.FieldMemberID), v.MemberID)}, state(t)...)...)
		if min == access.Edit {
			p = sql.And(p, sql.EQ(t.C(share.FieldLevel), string(access.Edit)))
		}
		return p
	}))
}
