package rule

import (
	"context"
	stdsql "database/sql"
	"errors"
	"strconv"
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

// When the list's page follows its count, the count is not a statement of
// its own: the page's statement carries it as one more column, an
// uncorrelated subquery that the database answers once (CarriedCount). A
// page with its count then costs what the page does, and the two read one
// snapshot.

// wholeListKey is the context key of a wholeList.
type wholeListKey struct{}

// wholeList marks a list of every client the viewer sees.
type wholeList struct {
	// ctx is the list's own context, without the count's query context,
	// for the statement that answers the count.
	ctx    context.Context
	client *ent.Client
	used   atomic.Bool
	// pageFollows says the list's page is read after its count, so the
	// page's statement may carry the count.
	pageFollows bool
	// carried is the count left to the page's statement, if it was; the
	// page's statement is the first to take it (taken).
	carried *carriedCount
	taken   atomic.Bool
}

// carriedCount is a count that the page's statement carries.
type carriedCount struct {
	plan   countPlan
	viewer *viewer.Viewer
	// total is the count the page's first row carried; answered is false
	// until a row did (the page was empty, or its statement failed).
	total    int
	answered bool
}

// WithWholeListCount marks ctx for a list of every client the viewer sees,
// with no filter and no search, read through client: the first count of
// clients run under the returned context (the connection's totalCount,
// which entgql counts before it loads the page) may be answered from the
// maintained counts. Later counts under it visit the clients as usual.
// pageFollows says the list's page is read after the count (its edges are
// selected and its size is not 0); the page's statement then carries the
// count, and the caller must call CarriedCount once the page is read.
func WithWholeListCount(ctx context.Context, client *ent.Client, pageFollows bool) context.Context {
	return context.WithValue(ctx, wholeListKey{}, &wholeList{ctx: ctx, client: client, pageFollows: pageFollows})
}

// CarriedCount sets conn's totalCount to the count its page's statement
// carried, when it carried one. A page without rows carries nothing, and
// the count is then a statement of its own.
func CarriedCount(ctx context.Context, conn *ent.ClientRecordConnection) error {
	wl, _ := ctx.Value(wholeListKey{}).(*wholeList)
	if wl == nil || wl.carried == nil || conn == nil {
		return nil
	}
	c := wl.carried
	if c.answered {
		conn.TotalCount = c.total
		return nil
	}
	n, err := c.plan.count(wl.ctx, wl.client, c.viewer)
	if err != nil {
		return err
	}
	conn.TotalCount = n
	return nil
}

// CountMaintained is the interceptor of client queries that answers a
// whole list's count from the maintained counts, for the viewers whose
// visible clients they count: by a statement of its own, or as a column
// of the page's statement when the page follows.
func CountMaintained() ent.Interceptor {
	return ent.InterceptFunc(func(next ent.Querier) ent.Querier {
		return ent.QuerierFunc(func(ctx context.Context, q ent.Query) (ent.Value, error) {
			wl, _ := ctx.Value(wholeListKey{}).(*wholeList)
			if wl == nil || wl.client == nil {
				return next.Query(ctx, q)
			}
			if !counting(ctx) {
				if cq, ok := q.(*ent.ClientRecordQuery); ok && wl.carried != nil && returnsRows(ctx) && wl.taken.CompareAndSwap(false, true) {
					return wl.carry(ctx, cq, next)
				}
				return next.Query(ctx, q)
			}
			if !wl.used.CompareAndSwap(false, true) {
				return next.Query(ctx, q)
			}
			v := viewer.FromContext(ctx)
			p, ok := planCount(v)
			if !ok {
				return next.Query(ctx, q)
			}
			if wl.pageFollows {
				// Paginate keeps 0 until its page is read; CarriedCount
				// sets the count.
				wl.carried = &carriedCount{plan: p, viewer: v}
				return 0, nil
			}
			return p.count(wl.ctx, wl.client, v)
		})
	})
}

// carriedColumn names the count a page's statement carries.
const carriedColumn = "caseload_total_count"

// carry runs the page's query q with the carried count as one more column
// and keeps the count its first row holds.
func (wl *wholeList) carry(ctx context.Context, q *ent.ClientRecordQuery, next ent.Querier) (ent.Value, error) {
	c := wl.carried
	expr, err := c.plan.expression(wl.ctx, wl.client, c.viewer)
	if err != nil {
		return nil, err
	}
	q.Modify(func(s *sql.Selector) { s.AppendSelectExprAs(expr, carriedColumn) })
	value, err := next.Query(ctx, q)
	if err != nil {
		return value, err
	}
	if clients, ok := value.([]*ent.ClientRecord); ok && len(clients) > 0 {
		if n, ok := carriedTotal(clients[0]); ok {
			c.total, c.answered = n, true
		}
	}
	return value, nil
}

// carriedTotal reads the count a client row carries.
func carriedTotal(c *ent.ClientRecord) (int, bool) {
	text, ok := addedColumn(c, carriedColumn)
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(text)
	return n, err == nil && n >= 0
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

// keptRow is the statement that reads the broad set's kept count. A tag's
// row is read only for a tag of v's practice (policy §1).
func (p countPlan) keptRow(dialect string, v *viewer.Viewer) *sql.Selector {
	cc := sql.Table(clientcount.Table)
	row := sql.Dialect(dialect).Select(cc.C(p.column)).From(cc).
		Where(sql.EQ(cc.C(clientcount.FieldID), p.counted))
	if p.byTag {
		t := sql.Table(tag.Table)
		row.Join(t).On(t.C(tag.FieldID), cc.C(clientcount.FieldID)).
			Where(sql.EQ(t.C(tag.FieldPracticeID), v.PracticeID))
	}
	return row
}

// count runs the plan as a statement of its own: the expression a page's
// statement would carry, selected alone.
func (p countPlan) count(ctx context.Context, client *ent.Client, v *viewer.Viewer) (int, error) {
	expr, err := p.expression(ctx, client, v)
	if err != nil {
		return 0, err
	}
	if p.keptRowOnly {
		// Only the kept row is read, by its key: whatever the practice, one
		// plan serves, so the statement is kept prepared (ent/prepared).
		ctx = prepared.Mark(ctx)
	}
	query, args := sql.Dialect(client.Dialect()).Select().AppendSelectExprAs(expr, "n").Query()
	var rows sql.Rows
	// The expression's clients were read through the client policy
	// (CountSelector); the kept row is read for v's practice only.
	if err := client.QueryDriver(ctx, query, args, &rows); err != nil {
		return 0, err
	}
	defer rows.Close()
	n, err := sql.ScanInt(rows)
	if errors.Is(err, stdsql.ErrNoRows) {
		return 0, errNoCount
	}
	return n, err
}

// expression is the plan as one SQL expression: the clients outside the
// broad set, counted through the client policy like any count, plus the
// broad set's kept row. A page's statement carries it, or count selects
// it alone. A count with no clients outside (an admin's) reads the kept
// row alone.
func (p countPlan) expression(ctx context.Context, client *ent.Client, v *viewer.Viewer) (sql.Querier, error) {
	row := p.keptRow(client.Dialect(), v)
	if p.outside == nil {
		return sql.ExprFunc(func(b *sql.Builder) {
			b.WriteString("COALESCE((").Join(row).WriteString("), 0)")
		}), nil
	}
	outside, err := client.ClientRecord.Query().Where(p.outside).CountSelector(ctx)
	if err != nil {
		return nil, err
	}
	return sql.ExprFunc(func(b *sql.Builder) {
		b.WriteString("(").Join(outside).WriteString(") + COALESCE((").Join(row).WriteString("), 0)")
	}), nil
}
