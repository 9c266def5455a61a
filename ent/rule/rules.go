package rule

import (
	"caseload/ent/predicate"
	"caseload/ent/schema/access"
	"caseload/ent/viewer"
)

// policyRule is one rule of policy §3 in the only form the code knows it: the
// SQL set of clients it reaches for a viewer at a level, and the limits that
// cut it. Lists and counts filter with it (visible_clients.go); decisions on
// given clients evaluate the very same predicates in one statement
// (decide.go). No rule is written a second time in Go.
type policyRule struct {
	rule access.Rule
	// reach is the set of clients on which the rule gives the viewer at
	// least min, before limits.
	reach func(v *viewer.Viewer, min access.Level) reach
	// limits are what may cut the rule for this viewer (tag restriction,
	// restricted flag); nil for rules nothing limits.
	limits func(v *viewer.Viewer) []limit
	// misses are the ways the rule would reach a client but for one thing
	// that is not a limit (an expiry, a revocation, a practice setting).
	// Only an explanation (policy §10) evaluates them; no filter does.
	misses []nearMiss
}

// nearMiss is a way a rule comes close to a client: reach is the SQL set of
// clients the rule would reach at min but for by, written beside the rule's
// own reach in its file. The rule's limits apply to it as to the rule.
type nearMiss struct {
	by    access.Cut
	reach func(v *viewer.Viewer, min access.Level) reach
}

// policyRules are the rules of policy §3 in the policy's order. Rules 1, 3, 4
// are explicit decisions about this person and this client: nothing limits
// them. Rules 2, 5, 6 are broad: the tag restriction and the restricted flag
// limit them. Rule 7 reaches a restricted client only when the practice
// allows it.
var policyRules = []policyRule{
	{access.RuleAdmin, adminReach, nil, nil},
	{access.RuleAccessAllClients, accessAllClientsReach, broadLimits, nil},
	{access.RuleResponsible, responsibleReach, nil, nil},
	{access.RuleCareTeam, careTeamReach, nil, nil},
	{access.RuleShare, shareReach, nil, shareMisses},
	{access.RuleWholeTeam, wholeTeamReach, broadLimits, wholeTeamMisses},
	{access.RuleTeamAccess, teamAccessReach, broadLimits, nil},
	{access.RuleEmergency, emergencyReach, emergencyLimits, emergencyMisses},
}

// limit is a condition a client must meet for a limited rule to reach it.
type limit struct {
	by access.Cut
	// pass is the limit as a test of each client, for queries that stop
	// after a page or look at given clients: a row's test is an index
	// probe, so a page costs the same in a practice of any size.
	pass predicate.ClientRecord
	// passAll, when set, is the same limit as a set computed once, for
	// queries that visit every client of the practice (counts), where a
	// probe per client costs more than building the set.
	passAll predicate.ClientRecord
}

// predicate is the limit in the shape the query needs.
func (l limit) predicate(counting bool) predicate.ClientRecord {
	if counting && l.passAll != nil {
		return l.passAll
	}
	return l.pass
}

// broadLimits are the limits of the broad rules 2, 5 and 6 (policy §3).
func broadLimits(v *viewer.Viewer) []limit {
	ls := []limit{restrictedFlagLimit()}
	if t, ok := tagLimit(v); ok {
		ls = append(ls, t)
	}
	return ls
}

// Applied is a rule that gives the viewer a level on a client.
type Applied struct {
	Rule  access.Rule
	Level access.Level
}

// Cut is a rule that would give the viewer a level on a client but for a
// limit.
type Cut struct {
	Rule  access.Rule
	Level access.Level
	By    access.Cut
}

// Decision is the relationship of a viewer to a client (policy §3): the rules
// that apply with their levels, the rules cut by a limit, and the highest
// level that applies. An explanation (ExplainClient, policy §10) also cuts
// the near misses: expired and revoked shares and grants, rules a practice
// setting turns off, and for a deactivated member every rule that would
// apply.
type Decision struct {
	Level access.Level
	Rules []Applied
	Cuts  []Cut
}

// Hidden is the decision on a client that does not exist for the viewer.
var Hidden = Decision{Level: access.None}

// Visible reports whether the client exists for the viewer.
func (d Decision) Visible() bool { return d.Level.AtLeast(access.View) }

// Has reports whether rule r applies.
func (d Decision) Has(r access.Rule) bool {
	for _, a := range d.Rules {
		if a.Rule == r {
			return true
		}
	}
	return false
}
