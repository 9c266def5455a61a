//go:build !bootstrap

package schema

import (
	"caseload/ent/audit"
	"caseload/ent/privacy"
	"caseload/ent/rule"
	"caseload/ent/schema/access"

	"entgo.io/ent"
)

// Policy of Practice (policy §1, §6): a member sees only their own practice;
// admins and MANAGE_TEAM change its settings, but only admins whether
// break-glass access reaches restricted clients (§3). Practices are created only by
// sign-up, which bypasses privacy explicitly.
func (Practice) Policy() ent.Policy {
	return privacy.Policy{
		Query: privacy.QueryPolicy{
			rule.DenyIfNoViewer(),
			rule.DenyIfInactive(),
			rule.FilterOwnPractice(),
			privacy.AlwaysAllowRule(),
		},
		Mutation: privacy.MutationPolicy{
			rule.DenyIfNoViewer(),
			rule.DenyIfInactive(),
			privacy.OnMutationOperation(rule.FilterOwnPractice(), ent.OpUpdate|ent.OpUpdateOne),
			rule.DenyEmergencyReachUnlessAdmin(),
			privacy.OnMutationOperation(rule.AllowIfAdmin(), ent.OpUpdate|ent.OpUpdateOne),
			privacy.OnMutationOperation(rule.AllowIfCapable(access.ManageTeam), ent.OpUpdate|ent.OpUpdateOne),
			privacy.AlwaysDenyRule(),
		},
	}
}

// Hooks of Practice: a change of the practice's settings is recorded in its
// audit log (policy §9).
func (Practice) Hooks() []ent.Hook {
	return []ent.Hook{audit.RecordChanges()}
}
