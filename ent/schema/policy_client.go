//go:build !bootstrap

package schema

import (
	"caseload/ent/privacy"
	"caseload/ent/rule"

	"entgo.io/ent"
)

// Policy of ClientRecord (policy §3, §4, §6): the database returns only the
// clients the viewer sees; changes follow the rules of §4 and §6.
func (ClientRecord) Policy() ent.Policy {
	return privacy.Policy{
		Query: privacy.QueryPolicy{
			rule.AllowIfAdmin(),
			rule.FilterVisibleClients(),
			privacy.AlwaysDenyRule(),
		},
		Mutation: privacy.MutationPolicy{
			rule.AllowIfAdmin(),
			rule.AllowClientCreate(),
			rule.AllowAccessFieldChange(),
			rule.AllowClientEdit(),
			privacy.AlwaysDenyRule(),
		},
	}
}

// Interceptors of ClientRecord: every loaded client is tracked so that field
// levels for a whole page are decided in one batch.
func (ClientRecord) Interceptors() []ent.Interceptor {
	return []ent.Interceptor{rule.TrackLoadedClients()}
}

// clientRowsPolicy is the policy of rows that are about access to a client
// (history, shares, emergency grants): readable with the client; written
// only by the hand-written mutations' rules.
func clientRowsPolicy(writes ...privacy.MutationRule) ent.Policy {
	mutation := append(privacy.MutationPolicy{rule.AllowIfAdmin()}, writes...)
	return privacy.Policy{
		Query: privacy.QueryPolicy{
			rule.AllowIfAdmin(),
			rule.FilterClientRows(),
			privacy.AlwaysAllowRule(),
		},
		Mutation: append(mutation, privacy.AlwaysDenyRule()),
	}
}

// Policy of Assignment: care-team changes follow policy §6; responsibility
// rows are history written with the client's own permitted change.
func (Assignment) Policy() ent.Policy { return clientRowsPolicy(rule.AllowCareTeamChange()) }

// Policy of Share: shares are managed per policy §6, sharing and visibility.
func (Share) Policy() ent.Policy { return clientRowsPolicy(rule.AllowShareManagement()) }

// Policy of EmergencyAccess.
func (EmergencyAccess) Policy() ent.Policy { return clientRowsPolicy() }

// Policy of ClientTag: join rows are read only for clients the viewer sees,
// and written only as part of a client write that the client's policy
// allowed (AddTagIDs); direct writes are refused.
func (ClientTag) Policy() ent.Policy {
	return privacy.Policy{
		Query: privacy.QueryPolicy{
			rule.DenyIfNoViewer(),
			rule.DenyIfInactive(),
			rule.AllowIfAdmin(),
			rule.FilterClientRows(),
			privacy.AlwaysAllowRule(),
		},
		Mutation: privacy.MutationPolicy{
			privacy.AlwaysDenyRule(),
		},
	}
}
