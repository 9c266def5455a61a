package rule

import (
	"strings"

	"caseload/ent/clientrecord"
	"caseload/ent/predicate"
	"caseload/ent/schema/access"
	"caseload/ent/viewer"
)

// Policy §3: M sees C when M is active and any rule applies. This file joins
// the rules of policyRules into the SQL filter of lists, counts, node look-ups
// and edges; decide.go evaluates the same rules for given clients.

// visibleClients is the SQL predicate of the clients v sees within its
// practice; nil means every client (an admin). Tenancy is filtered apart.
func visibleClients(v *viewer.Viewer) predicate.ClientRecord {
	return clientsReaching(v, access.View, false)
}

// countedClients is visibleClients in the shape of a query that visits
// every client of the practice, a count: the same rules and limits, each
// limit's set computed once rather than tested client by client.
func countedClients(v *viewer.Viewer) predicate.ClientRecord {
	return clientsReaching(v, access.View, true)
}

// editableClients is the SQL predicate of the clients on which v's
// relationship level is EDIT; nil means every client (an admin).
func editableClients(v *viewer.Viewer) predicate.ClientRecord {
	return clientsReaching(v, access.Edit, false)
}

// clientsReaching is the SQL predicate of the clients on which some rule,
// within its limits, gives v at least level min; nil means every client.
// counting picks the limits' shape for a query over every client.
func clientsReaching(v *viewer.Viewer, min access.Level, counting bool) predicate.ClientRecord {
	if !v.Active {
		return noClient()
	}
	var any []predicate.ClientRecord
	for _, g := range reachGroups(v, min) {
		if g.all && len(g.limits) == 0 {
			return nil // every client of the practice
		}
		any = append(any, g.predicate(counting))
	}
	if len(any) == 0 {
		return noClient()
	}
	return clientrecord.Or(any...)
}

// reachGroup is the rules that reach v's clients under the same limits:
// every client within them (all), or those any of reach matches.
type reachGroup struct {
	limits []limit
	all    bool
	reach  []predicate.ClientRecord
}

// reachGroups are the rules applying to an active v at level min, grouped
// by their limits in the policy's order, so that the tag restriction's
// subquery is written once for all broad rules.
func reachGroups(v *viewer.Viewer, min access.Level) []*reachGroup {
	var groups []*reachGroup
	byKey := map[string]*reachGroup{}
	for _, r := range policyRules {
		rc := r.reach(v, min)
		if rc.none() {
			continue
		}
		var ls []limit
		if r.limits != nil {
			ls = r.limits(v)
		}
		key := limitsKey(ls)
		g, ok := byKey[key]
		if !ok {
			g = &reachGroup{limits: ls}
			byKey[key] = g
			groups = append(groups, g)
		}
		g.all = g.all || rc.all
		if rc.pred != nil {
			g.reach = append(g.reach, rc.pred)
		}
	}
	return groups
}

// predicate is the group as SQL: its limits, and unless it reaches every
// client, any of its rules.
func (g *reachGroup) predicate(counting bool) predicate.ClientRecord {
	var conj []predicate.ClientRecord
	for _, l := range g.limits {
		conj = append(conj, l.predicate(counting))
	}
	if !g.all {
		conj = append(conj, clientrecord.Or(g.reach...))
	}
	return clientrecord.And(conj...)
}

// limitsKey names a set of limits, so that rules under the same limits share
// one SQL group.
func limitsKey(ls []limit) string {
	names := make([]string, len(ls))
	for i, l := range ls {
		names[i] = string(l.by)
	}
	return strings.Join(names, "+")
}
