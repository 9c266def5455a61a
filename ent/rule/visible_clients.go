package rule

import (
	"caseload/ent/clientrecord"
	"caseload/ent/predicate"
	"caseload/ent/schema/access"
	"caseload/ent/viewer"
)

// Policy §3: M sees C when M is active and any rule applies. This file joins
// the rules; each rule lives in its own file.

// explicitRules are decisions about this person and this client: the tag
// restriction and the restricted flag never limit them.
var explicitRules = []struct {
	rule  Rule
	reach func(*viewer.Viewer, access.Level) reach
	level func(*viewer.Viewer, *ClientFacts) access.Level
}{
	{RuleCareTeam, careTeamReach, careTeamLevel},
	{RuleShare, shareReach, shareLevel},
	{RuleEmergency, emergencyReach, emergencyLevel},
}

// broadRules are limited by the tag restriction and the restricted flag.
var broadRules = []struct {
	rule  Rule
	reach func(*viewer.Viewer, access.Level) reach
	level func(*viewer.Viewer, *ClientFacts) access.Level
}{
	{RuleAccessAllClients, accessAllClientsReach, accessAllClientsLevel},
	{RuleWholeTeam, wholeTeamReach, wholeTeamLevel},
	{RuleTeamAccess, teamAccessReach, teamAccessLevel},
}

// visibleClients is the SQL predicate of the clients v sees within its
// practice; nil means every client (an admin). Tenancy is filtered apart.
func visibleClients(v *viewer.Viewer) predicate.ClientRecord {
	return clientsReaching(v, access.View)
}

// editableClients is the SQL predicate of the clients on which v's
// relationship level is EDIT; nil means every client (an admin).
func editableClients(v *viewer.Viewer) predicate.ClientRecord {
	return clientsReaching(v, access.Edit)
}

// clientsReaching is the SQL predicate of the clients on which the rules give
// v at least level min.
func clientsReaching(v *viewer.Viewer, min access.Level) predicate.ClientRecord {
	if v.Admin {
		return nil
	}
	var any []predicate.ClientRecord
	for _, r := range explicitRules {
		if rc := r.reach(v, min); !rc.none() {
			any = append(any, rc.pred)
		}
	}
	var broad []predicate.ClientRecord
	broadAll := false
	for _, r := range broadRules {
		rc := r.reach(v, min)
		broadAll = broadAll || rc.all
		if rc.pred != nil {
			broad = append(broad, rc.pred)
		}
	}
	if broadAll || len(broad) > 0 {
		gate := []predicate.ClientRecord{unrestricted()}
		if ts := tagScope(v); ts != nil {
			gate = append(gate, ts)
		}
		if !broadAll {
			gate = append(gate, clientrecord.Or(broad...))
		}
		any = append(any, clientrecord.And(gate...))
	}
	return clientrecord.Or(any...)
}

// Cut says that a broad rule would have applied but for a limit.
type Cut struct {
	Rule Rule
	// By is TAG_RESTRICTION or RESTRICTED_FLAG.
	By string
}

// Decision is the relationship of a viewer to a client (policy §3): the rules
// that apply, the rules cut by a limit, and the highest level they give.
type Decision struct {
	Level access.Level
	Rules []Rule
	Cuts  []Cut
}

// Visible reports whether the client exists for the viewer.
func (d Decision) Visible() bool { return d.Level.AtLeast(access.View) }

// Evaluate decides the viewer's relationship to a client from its facts. It
// must agree with visibleClients row for row; the differential test holds
// both to the policy.
func Evaluate(v *viewer.Viewer, f *ClientFacts) Decision {
	var d Decision
	if v == nil || !v.Active || f.PracticeID != v.PracticeID {
		d.Level = access.None
		return d
	}
	if l := adminLevel(v); l != access.None {
		d.Level = l
		d.Rules = append(d.Rules, RuleAdmin)
		return d
	}
	d.Level = access.None
	for _, r := range explicitRules {
		if l := r.level(v, f); l != access.None {
			d.Level = access.Max(d.Level, l)
			d.Rules = append(d.Rules, r.rule)
		}
	}
	for _, r := range broadRules {
		l := r.level(v, f)
		switch {
		case l == access.None:
		case !reachableByBroadRules(f):
			d.Cuts = append(d.Cuts, Cut{Rule: r.rule, By: "RESTRICTED_FLAG"})
		case !withinTagScope(v, f):
			d.Cuts = append(d.Cuts, Cut{Rule: r.rule, By: "TAG_RESTRICTION"})
		default:
			d.Level = access.Max(d.Level, l)
			d.Rules = append(d.Rules, r.rule)
		}
	}
	return d
}

// EffectiveLevel is the viewer's level on section s of a client: the lower of
// the role level and the relationship level (policy §4). Admins have EDIT.
func EffectiveLevel(v *viewer.Viewer, d Decision, s access.Section) access.Level {
	return access.Min(v.RoleLevel(s), d.Level)
}
