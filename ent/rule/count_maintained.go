package rule

import (
	"context"
	"sync/atomic"

	"entgo.io/ent/dialect/sql"

	"caseload/ent"
	"caseload/ent/clientcount"
	"caseload/ent/clientrecord"
	"caseload/ent/predicate"
	"caseload/ent/prepared"
	"caseload/ent/schema/access"
	"caseload/ent/schema/pulid"
	"caseload/ent/tag"
	"caseload/ent/viewer"
)

// Policy §3, counts: "lists and counts leave it out". A list's totalCount is
// the number of clients the viewer sees, and a count that visits every client
// of the practice grows with it. For a viewer whose rules reach every client
// of the practice within no more than the restricted flag and one tag (an
// admin; a role with ACCESS_ALL_CLIENTS, restricted to no tag or one), that
// broad set is counted by the database as clients, their flag and their tags
// change (client_counts, kept by triggers). Such a viewer's count is the
// broad set's kept size plus the clients the viewer's other rules (3, 4, 7)
// reach outside it, which those rules' own predicates find by index: one
// statement whose cost does not grow with the practice. Any other viewer's
// count, and any count of a filtered or searched list, visits the clients.

// wholeListKey is the context key of a wholeList.
type wholeListKey struct{}

// wholeList marks a list of every client the viewer sees.
type wholeList struct {
	// ctx is the list's own context, without the count's query context,
	// for the statement that answers the count.
	ctx    context.Context
	client *ent.Client
	used   atomic.Bool
}

// WithWholeListCount marks ctx for a list of every client the viewer sees,
// with no filter and no search, read through client: the first count of
// clients run under the returned context (the connection's totalCount,
// which entgql counts before it loads the page) may be answered from the
// maintained counts. Later counts under it visit the clients as usual.
func WithWholeListCount(ctx context.Context, client *ent.Client) context.Context {
	return context.WithValue(ctx, wholeListKey{}, &wholeList{ctx: ctx, client: client})
}

// CountMaintained is the interceptor of client queries that answers a
// whole list's count from the maintained counts, for the viewers whose
// visible clients they count.
func CountMaintained() ent.Interceptor {
	return ent.InterceptFunc(func(next ent.Querier) ent.Querier {
		return ent.QuerierFunc(func(ctx context.Context, q ent.Query) (ent.Value, error) {
			if !counting(ctx) {
				return next.Query(ctx, q)
			}
			wl, _ := ctx.Value(wholeListKey{}).(*wholeList)
			if wl == nil || wl.client == nil || !wl.used.CompareAndSwap(false, true) {
				return next.Query(ctx, q)
			}
			v := viewer.FromContext(ctx)
			p, ok := planCount(v)
			if !ok {
				return next.Query(ctx, q)
			}
			return p.count(wl.ctx, wl.client, v)
		})
	})
}

// countPlan is a count as a kept row and the clients seen outside it.
type countPlan struct {
	// counted is the client_counts row of the broad set: the practice's,
	// or the one tag's.
	counted pulid.ID
	byTag   bool
	// column is the row's column that counts the broad set: every client,
	// or the unrestricted ones.
	column string
	// outside is the viewer's clients that the broad set leaves out; nil
	// when there are none.
	outside predicate.ClientRecord
	// keptRowOnly is an admin's count: the practice's kept row and no
	// client visited, a statement whose text and plan are the same for
	// every admin of every practice.
	keptRowOnly bool
}

// planCount is v's count as a kept row plus the clients outside it, when
// v's visible clients allow it.
func planCount(v *viewer.Viewer) (countPlan, bool) {
	if v == nil || !v.Active {
		return countPlan{}, false
	}
	var broad *reachGroup
	var others []predicate.ClientRecord
	for _, g := range reachGroups(v, access.View) {
		if g.all && len(g.limits) == 0 {
			// Every client of the practice (an admin), whatever else.
			return countPlan{counted: v.PracticeID, column: clientcount.FieldClients, keptRowOnly: true}, true
		}
		if !g.all {
			others = append(others, g.predicate(false))
			continue
		}
		if broad != nil {
			return countPlan{}, false
		}
		broad = g
	}
	if broad == nil {
		return countPlan{}, false
	}
	p := countPlan{counted: v.PracticeID, column: clientcount.FieldClients}
	for _, l := range broad.limits {
		switch {
		case l.by == access.CutRestrictedFlag:
			p.column = clientcount.FieldUnrestricted
		case l.by == access.CutTagRestriction && len(v.RestrictToTags) == 1:
			p.counted, p.byTag = v.RestrictToTags[0], true
		default:
			return countPlan{}, false
		}
	}
	if len(others) > 0 && len(broad.limits) > 0 {
		p.outside = clientrecord.And(clientrecord.Or(others...), clientrecord.Not(broad.predicate(false)))
	}
	return p, true
}

// count runs the plan as one statement: the clients outside the broad set,
// through the client policy like any query, plus the broad set's kept row.
// A tag's row is read only for a tag of v's practice (policy §1).
func (p countPlan) count(ctx context.Context, client *ent.Client, v *viewer.Viewer) (int, error) {
	q := client.ClientRecord.Query()
	if p.outside != nil {
		q.Where(p.outside)
	} else {
		q.Where(noClient())
	}
	if p.keptRowOnly {
		// Only the kept row is read, by its key: whatever the practice, one
		// plan serves, so the statement is kept prepared (ent/prepared).
		ctx = prepared.Mark(ctx)
	}
	var rows []struct {
		N int `sql:"n"`
	}
	err := q.Modify(func(s *sql.Selector) {
		cc := sql.Table(clientcount.Table)
		row := sql.Dialect(s.Dialect()).Select(cc.C(p.column)).From(cc).
			Where(sql.EQ(cc.C(clientcount.FieldID), p.counted))
		if p.byTag {
			t := sql.Table(tag.Table)
			row.Join(t).On(t.C(tag.FieldID), cc.C(clientcount.FieldID)).
				Where(sql.EQ(t.C(tag.FieldPracticeID), v.PracticeID))
		}
		s.Select().AppendSelectExprAs(sql.ExprFunc(func(b *sql.Builder) {
			b.WriteString("COUNT(*) + COALESCE((").Join(row).WriteString("), 0)")
		}), "n")
	}).Scan(ctx, &rows)
	if err != nil {
		return 0, err
	}
	if len(rows) != 1 {
		return 0, errNoCount
	}
	return rows[0].N, nil
}
