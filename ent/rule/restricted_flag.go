package rule

import (
	"caseload/ent/clientrecord"
	"caseload/ent/predicate"
)

// Policy §3, restricted clients: a client flagged restricted is seen only
// through rules 1, 3, 4 and 7; broad grants (2, 5, 6) never reach it.

// unrestricted is the SQL side.
func unrestricted() predicate.ClientRecord { return clientrecord.RestrictedEQ(false) }

// reachableByBroadRules is the level side.
func reachableByBroadRules(f *ClientFacts) bool { return !f.Restricted }
