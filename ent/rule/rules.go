package rule

// Rule numbers the visibility rules of policy §3.
type Rule int

// The visibility rules of policy §3, numbered as there.
const (
	RuleAdmin            Rule = 1
	RuleAccessAllClients Rule = 2
	RuleCareTeam         Rule = 3
	RuleShare            Rule = 4
	RuleWholeTeam        Rule = 5
	RuleTeamAccess       Rule = 6
	RuleEmergency        Rule = 7
)

// broad reports whether r is a broad grant, which the tag restriction and the
// restricted flag limit (policy §3).
func (r Rule) broad() bool {
	return r == RuleAccessAllClients || r == RuleWholeTeam || r == RuleTeamAccess
}

// String names the rule as the API's explanation does.
func (r Rule) String() string {
	switch r {
	case RuleAdmin:
		return "ADMIN"
	case RuleAccessAllClients:
		return "ACCESS_ALL_CLIENTS"
	case RuleCareTeam:
		return "CARE_TEAM"
	case RuleShare:
		return "SHARE"
	case RuleWholeTeam:
		return "WHOLE_TEAM_VISIBILITY"
	case RuleTeamAccess:
		return "TEAM_MEMBER_ACCESS"
	case RuleEmergency:
		return "EMERGENCY_ACCESS"
	default:
		return "UNKNOWN"
	}
}
