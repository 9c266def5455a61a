package rule

import (
	"caseload/ent/clientrecord"
	"caseload/ent/schema/access"
)

// Policy §3, restricted clients: a client flagged restricted is seen only
// through rules 1, 3, 4, and 7 where the practice allows it; broad grants (2,
// 5, 6) never reach it.

func restrictedFlagLimit() limit {
	return limit{by: access.CutRestrictedFlag, pass: clientrecord.RestrictedEQ(false)}
}
