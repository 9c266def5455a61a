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
	out := make(map[pulid.ID]Decision, len(ids))
	if v == nil || len(ids) == 0 {
		return out, nil
	}
	p := planFor(v)
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
// that can reach anyone, its reach at VIEW and at EDIT and the limits that
// may cut it; and the distinct limits.
type plan struct {
	rules  []plannedRule
	limits []limit
}

type plannedRule struct {
	rule       access.Rule
	view, edit reach
	limits     []int // indexes into plan.limits
}

func planFor(v *viewer.Viewer) *plan {
	p := &plan{}
	if !v.Active {
		return p
	}
	index := map[access.Cut]int{}
	for _, r := range policyRules {
		if v.Admin && r.rule != access.RuleAdmin {
			// Rule 1 decides alone: an admin holds every capability, but
			// nothing else applies to, or restricts, an admin (§2).
			continue
		}
		view := r.reach(v, access.View)
		if view.none() {
			continue
		}
		pr := plannedRule{rule: r.rule, view: view, edit: r.reach(v, access.Edit)}
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

// checks is the SQL expression of one string per client: a character per
// planned rule ('2' EDIT, '1' VIEW, '0' none), then one per limit ('1' the
// client passes it, '0' it does not).
func (p *plan) checks(s *sql.Selector) sql.Querier {
	return sql.ExprFunc(func(b *sql.Builder) {
		if len(p.rules) == 0 {
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
			part(func() {
				switch {
				case r.edit.all:
					b.WriteString("'2'")
				case r.view.all:
					b.WriteString("(CASE WHEN ").Join(where(s, r.edit.pred)).WriteString(" THEN '2' ELSE '1' END)")
				case r.edit.none():
					b.WriteString("(CASE WHEN ").Join(where(s, r.view.pred)).WriteString(" THEN '1' ELSE '0' END)")
				default:
					b.WriteString("(CASE WHEN ").Join(where(s, r.edit.pred)).
						WriteString(" THEN '2' WHEN ").Join(where(s, r.view.pred)).WriteString(" THEN '1' ELSE '0' END)")
				}
			})
		}
		for _, l := range p.limits {
			part(func() {
				b.WriteString("(CASE WHEN ").Join(where(s, l.pass)).WriteString(" THEN '1' ELSE '0' END)")
			})
		}
	})
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

// decide turns one client's checks into its decision.
func (p *plan) decide(v *viewer.Viewer, checks string) (Decision, error) {
	d := Decision{Level: access.None}
	if len(checks) != len(p.rules)+len(p.limits) {
		return Decision{}, fmt.Errorf("rule: decision statement returned %q for %d rules and %d limits", checks, len(p.rules), len(p.limits))
	}
	for i, r := range p.rules {
		rank := strings.IndexByte("012", checks[i])
		if rank < 0 {
			return Decision{}, fmt.Errorf("rule: decision statement returned %q", checks)
		}
		level := [...]access.Level{access.None, access.View, access.Edit}[rank]
		if level == access.None {
			continue
		}
		cut := false
		for _, li := range r.limits {
			if checks[len(p.rules)+li] == '0' {
				cut = true
				d.Cuts = append(d.Cuts, Cut{Rule: r.rule, Level: level, By: p.limits[li].by})
			}
		}
		if !cut {
			d.Rules = append(d.Rules, Applied{Rule: r.rule, Level: level})
			d.Level = access.Max(d.Level, level)
		}
	}
	return d, nil
}
