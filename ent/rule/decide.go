package rule

import (
	"context"
	"fmt"
	"strings"

	"entgo.io/ent/dialect/sql"

	"caseload/ent"
	"caseload/ent/clientrecord"
	"caseload/ent/predicate"
	"caseload/ent/schema/access"
	"caseload/ent/schema/pulid"
	"caseload/ent/viewer"
)

// DecideClients decides the viewer's relationship to each of the given
// clients (policy §3) in one SQL statement: for every rule of policyRules it
// evaluates the rule's own predicate, at VIEW and at EDIT, and every limit,
// against each client row. The decision reads nothing but client ids, so it
// never depends on which columns a GraphQL selection loaded. A client of
// another practice, or none at all, is absent from the result: it does not
// exist for the viewer.
func DecideClients(ctx context.Context, client *ent.Client, v *viewer.Viewer, ids []pulid.ID) (map[pulid.ID]Decision, error) {
	if v == nil {
		return map[pulid.ID]Decision{}, nil
	}
	return runPlan(ctx, client, v, ids, planFor(v, false))
}

// ExplainClient is Decide with the near misses (policy §10): the same
// statement, with the same rules and limits, also evaluates each rule's
// near misses (expired and revoked shares and grants, rules a practice
// setting turns off) and reports them as cuts. For a deactivated member it
// decides as if they were active and cuts every rule that would apply by
// INACTIVE: they see nothing. Its Level and Rules are always Decide's.
func ExplainClient(ctx context.Context, client *ent.Client, v *viewer.Viewer, id pulid.ID) (Decision, error) {
	ds, err := runPlan(ctx, client, v, []pulid.ID{id}, planFor(v, true))
	if err != nil {
		return Decision{}, err
	}
	if d, ok := ds[id]; ok {
		return d, nil
	}
	return Hidden, nil
}

// runPlan runs plan p's decision statement for the given clients.
func runPlan(ctx context.Context, client *ent.Client, v *viewer.Viewer, ids []pulid.ID, p *plan) (map[pulid.ID]Decision, error) {
	out := make(map[pulid.ID]Decision, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var rows []struct {
		ID     pulid.ID `sql:"id"`
		Checks string   `sql:"checks"`
	}
	// Past privacy: these columns are the decision itself, not data the
	// viewer reads; tenancy is applied explicitly. The request's cache is
	// hidden, since DecisionOn calls this holding its lock.
	err := client.ClientRecord.Query().
		Where(clientrecord.IDIn(ids...), clientrecord.PracticeIDEQ(v.PracticeID)).
		Modify(func(s *sql.Selector) {
			s.Select(s.C(clientrecord.FieldID))
			s.AppendSelectExprAs(p.checks(s), "checks")
		}).
		Scan(withoutDecisions(viewer.Bypass(ctx, "these columns are the decision, not data shown")), &rows)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		d, err := p.decide(v, r.Checks)
		if err != nil {
			return nil, err
		}
		out[r.ID] = d
	}
	return out, nil
}

// Decide decides the viewer's relationship to one client; Hidden when the
// client does not exist for the viewer.
func Decide(ctx context.Context, client *ent.Client, v *viewer.Viewer, id pulid.ID) (Decision, error) {
	ds, err := DecideClients(ctx, client, v, []pulid.ID{id})
	if err != nil {
		return Decision{}, err
	}
	if d, ok := ds[id]; ok {
		return d, nil
	}
	return Hidden, nil
}

// plan is what the decision statement evaluates for one viewer: per rule
// that can reach anyone, its reach at VIEW and at EDIT, its near misses when
// explaining, and the limits that may cut it; and the distinct limits.
type plan struct {
	rules  []plannedRule
	limits []limit
}

type plannedRule struct {
	rule       access.Rule
	view, edit reach
	misses     []plannedMiss
	limits     []int // indexes into plan.limits
}

type plannedMiss struct {
	by         access.Cut
	view, edit reach
}

// planFor plans the decision statement for v; explain adds the near misses
// and plans a deactivated member's rules as if they were active.
func planFor(v *viewer.Viewer, explain bool) *plan {
	p := &plan{}
	if !v.Active && !explain {
		return p
	}
	index := map[access.Cut]int{}
	for _, r := range policyRules {
		if v.Admin && r.rule != access.RuleAdmin {
			// Rule 1 decides alone: an admin holds every capability, but
			// nothing else applies to, or restricts, an admin (§2).
			continue
		}
		pr := plannedRule{rule: r.rule, view: r.reach(v, access.View), edit: r.reach(v, access.Edit)}
		if explain {
			for _, m := range r.misses {
				pm := plannedMiss{by: m.by, view: m.reach(v, access.View), edit: m.reach(v, access.Edit)}
				if !pm.view.none() {
					pr.misses = append(pr.misses, pm)
				}
			}
		}
		if pr.view.none() && len(pr.misses) == 0 {
			continue
		}
		if r.limits != nil {
			for _, l := range r.limits(v) {
				i, ok := index[l.by]
				if !ok {
					i = len(p.limits)
					index[l.by] = i
					p.limits = append(p.limits, l)
				}
				pr.limits = append(pr.limits, i)
			}
		}
		p.rules = append(p.rules, pr)
	}
	return p
}

// width is the length of one client's checks.
func (p *plan) width() int {
	n := len(p.limits)
	for _, r := range p.rules {
		n += 1 + len(r.misses)
	}
	return n
}

// checks is the SQL expression of one string per client: per planned rule a
// character ('2' EDIT, '1' VIEW, '0' none) followed by one per near miss,
// then one per limit ('1' the client passes it, '0' it does not).
func (p *plan) checks(s *sql.Selector) sql.Querier {
	return sql.ExprFunc(func(b *sql.Builder) {
		if p.width() == 0 {
			b.WriteString("''")
			return
		}
		first := true
		part := func(f func()) {
			if !first {
				b.WriteString(" || ")
			}
			first = false
			f()
		}
		for _, r := range p.rules {
			part(func() { levelExpr(b, s, r.view, r.edit) })
			for _, m := range r.misses {
				part(func() { levelExpr(b, s, m.view, m.edit) })
			}
		}
		for _, l := range p.limits {
			part(func() {
				b.WriteString("(CASE WHEN ").Join(where(s, l.pass)).WriteString(" THEN '1' ELSE '0' END)")
			})
		}
	})
}

// levelExpr writes the level character of a reach at VIEW and at EDIT.
func levelExpr(b *sql.Builder, s *sql.Selector, view, edit reach) {
	switch {
	case view.none():
		b.WriteString("'0'")
	case edit.all:
		b.WriteString("'2'")
	case view.all:
		b.WriteString("(CASE WHEN ").Join(where(s, edit.pred)).WriteString(" THEN '2' ELSE '1' END)")
	case edit.none():
		b.WriteString("(CASE WHEN ").Join(where(s, view.pred)).WriteString(" THEN '1' ELSE '0' END)")
	default:
		b.WriteString("(CASE WHEN ").Join(where(s, edit.pred)).
			WriteString(" THEN '2' WHEN ").Join(where(s, view.pred)).WriteString(" THEN '1' ELSE '0' END)")
	}
}

// where renders a client predicate as a condition on the rows of s.
func where(s *sql.Selector, p predicate.ClientRecord) *sql.Predicate {
	tmp := sql.Dialect(s.Dialect()).Select().From(s.Table())
	p(tmp)
	if w := tmp.P(); w != nil {
		return w
	}
	return sql.ExprP("1 = 1")
}

// decide turns one client's checks into its decision: a rule applies at its
// level unless a limit cuts it; a near miss is a cut by its own cause and
// by any limit of its rule the client fails.
func (p *plan) decide(v *viewer.Viewer, checks string) (Decision, error) {
	if len(checks) != p.width() {
		return Decision{}, fmt.Errorf("rule: decision statement returned %q for a plan of width %d", checks, p.width())
	}
	passes := checks[len(checks)-len(p.limits):]
	d := Decision{Level: access.None}
	col := 0
	next := func() (access.Level, error) {
		rank := strings.IndexByte("012", checks[col])
		col++
		if rank < 0 {
			return "", fmt.Errorf("rule: decision statement returned %q", checks)
		}
		return [...]access.Level{access.None, access.View, access.Edit}[rank], nil
	}
	for _, r := range p.rules {
		level, err := next()
		if err != nil {
			return Decision{}, err
		}
		if level != access.None && !d.cutByLimits(r, level, passes, p.limits) {
			d.Rules = append(d.Rules, Applied{Rule: r.rule, Level: level})
			d.Level = access.Max(d.Level, level)
		}
		for _, m := range r.misses {
			level, err := next()
			if err != nil {
				return Decision{}, err
			}
			if level != access.None {
				d.addCut(Cut{Rule: r.rule, Level: level, By: m.by})
				d.cutByLimits(r, level, passes, p.limits)
			}
		}
	}
	if !v.Active {
		// Only an explanation plans a deactivated member's rules: each
		// would apply but for the deactivation (policy §2, §10).
		for _, a := range d.Rules {
			d.addCut(Cut{Rule: a.Rule, Level: a.Level, By: access.CutInactive})
		}
		d.Rules, d.Level = nil, access.None
	}
	return d, nil
}

// cutByLimits adds a cut for every limit of r the client fails ('0' in
// passes) and reports whether there was one.
func (d *Decision) cutByLimits(r plannedRule, level access.Level, passes string, limits []limit) bool {
	cut := false
	for _, li := range r.limits {
		if passes[li] == '0' {
			cut = true
			d.addCut(Cut{Rule: r.rule, Level: level, By: limits[li].by})
		}
	}
	return cut
}

// addCut records a cut once per rule and cause, at the highest level it
// would have given.
func (d *Decision) addCut(c Cut) {
	for i, o := range d.Cuts {
		if o.Rule == c.Rule && o.By == c.By {
			d.Cuts[i].Level = access.Max(o.Level, c.Level)
			return
		}
	}
	d.Cuts = append(d.Cuts, c)
}
