//go:build !bootstrap

package schema

import (
	"caseload/ent/privacy"
	"caseload/ent/rule"
	"caseload/ent/schema/access"

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
			rule.DecideClientCreate(),
			rule.DecideAccessFieldChange(),
			rule.DecideClientEdit(),
			privacy.AlwaysDenyRule(),
		},
	}
}

// Interceptors of ClientRecord: every loaded client is tracked so that field
// levels for a whole page are decided in one batch, the responsible
// practitioner and tags are loaded by the clients' own statement, and a whole
// list's count is read from the maintained counts where they count it.
func (ClientRecord) Interceptors() []ent.Interceptor {
	return []ent.Interceptor{rule.TrackLoadedClients(), joinEdges(), rule.CountMaintained()}
}

// Hooks of ClientRecord: a non-admin's new client must be one they see.
func (ClientRecord) Hooks() []ent.Hook {
	return []ent.Hook{rule.RequireCreatorSeesNewClient()}
}

// clientRowsPolicy is the policy of rows that are about access to a client
// (history, shares, emergency grants): readable only with the client, then
// as reads narrows; written only by the hand-written mutations' rules.
func clientRowsPolicy(reads []privacy.QueryRule, writes ...privacy.MutationRule) ent.Policy {
	mutation := append(privacy.MutationPolicy{rule.AllowIfAdmin()}, writes...)
	return privacy.Policy{
		Query:    clientRowsQuery(reads),
		Mutation: append(mutation, privacy.AlwaysDenyRule()),
	}
}

// clientRowsQuery is the query policy of rows about access to a client:
// admins read them all, anyone else only with the client, then as reads
// narrows.
func clientRowsQuery(reads []privacy.QueryRule) privacy.QueryPolicy {
	query := append(privacy.QueryPolicy{rule.AllowIfAdmin(), rule.FilterClientRows()}, reads...)
	return append(query, privacy.AlwaysAllowRule())
}

// Policy of Assignment: history is readable by anyone who sees the client
// (policy §6); care-team changes follow §6; responsibility rows are history
// written with the client's own permitted change.
func (Assignment) Policy() ent.Policy { return clientRowsPolicy(nil, rule.DecideCareTeamChange()) }

// Policy of Share: read by those who manage access and by the recipient,
// managed per policy §6, sharing and visibility.
func (Share) Policy() ent.Policy {
	return clientRowsPolicy([]privacy.QueryRule{rule.FilterManagedShares()}, rule.DecideShareManagement())
}

// Policy of EmergencyAccess (policy §8): read by admins, VIEW_AUDIT_LOG and
// the holder, on the clients they see; written only by breaking the glass
// and by an admin's review, as ent/rule/break_glass.go decides: no rule
// allows anything before it, so that it decides for admins too.
func (EmergencyAccess) Policy() ent.Policy {
	return privacy.Policy{
		Query:    clientRowsQuery([]privacy.QueryRule{rule.AllowIfCapable(access.ViewAuditLog), rule.FilterOwnEmergencyAccess()}),
		Mutation: privacy.MutationPolicy{rule.DecideEmergencyAccessWrite(), privacy.AlwaysDenyRule()},
	}
}

// Policy of EmergencyLookup (policy §8): the rows are the server's own note
// of what an emergency search identified; ent/rule reads and writes them
// past privacy, and nothing else reaches them.
func (EmergencyLookup) Policy() ent.Policy { return serverOnly() }

// Policy of ClientCount: the database's triggers write it and ent/rule's
// count reads it in SQL; nothing reaches it through Ent.
func (ClientCount) Policy() ent.Policy { return serverOnly() }
