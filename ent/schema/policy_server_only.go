//go:build !bootstrap

package schema

import (
	"caseload/ent/privacy"

	"entgo.io/ent"
)

// serverOnly is the policy of a table only the server's own code reaches,
// past privacy (viewer.Bypass), or only the database's triggers keep: no
// viewer reads or writes a row of it.
func serverOnly() ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{privacy.AlwaysDenyRule()},
		Mutation: privacy.MutationPolicy{privacy.AlwaysDenyRule()},
	}
}
