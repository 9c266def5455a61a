package access

import "io"

// Rule names a rule of policy §3 that gives a member a level on a client, as
// the API's AccessRule enum names it. Rule 3 of the policy is two rules here:
// the responsible practitioner and the care team, because §6 gives the
// responsible practitioner more than the care team.
type Rule string

// The rules of policy §3, in the policy's order.
const (
	RuleAdmin            Rule = "ADMIN"                 // rule 1
	RuleAccessAllClients Rule = "ACCESS_ALL_CLIENTS"    // rule 2
	RuleResponsible      Rule = "RESPONSIBLE"           // rule 3, the responsible practitioner
	RuleCareTeam         Rule = "CARE_TEAM"             // rule 3, an active assignment
	RuleShare            Rule = "SHARE"                 // rule 4
	RuleWholeTeam        Rule = "WHOLE_TEAM_VISIBILITY" // rule 5
	RuleTeamAccess       Rule = "TEAM_MEMBER_ACCESS"    // rule 6
	RuleEmergency        Rule = "EMERGENCY_ACCESS"      // rule 7
)

// Rules lists every rule in the policy's order.
var Rules = []Rule{RuleAdmin, RuleAccessAllClients, RuleResponsible, RuleCareTeam, RuleShare, RuleWholeTeam, RuleTeamAccess, RuleEmergency}

// MarshalGQL implements graphql.Marshaler.
func (r Rule) MarshalGQL(w io.Writer) { marshalEnum(w, r) }

// UnmarshalGQL implements graphql.Unmarshaler.
func (r *Rule) UnmarshalGQL(v any) (err error) {
	*r, err = unmarshalEnum(v, Rules, "AccessRule")
	return err
}

// Cut names what kept a rule of policy §3 from applying, as the API's
// AccessCut enum names it.
type Cut string

// The limits that cut a rule.
const (
	CutTagRestriction  Cut = "TAG_RESTRICTION"  // the member's role is restricted to tags the client lacks
	CutRestrictedFlag  Cut = "RESTRICTED_FLAG"  // the client is restricted: broad grants never reach it
	CutPracticeSetting Cut = "PRACTICE_SETTING" // a practice setting turns the rule off
	CutExpired         Cut = "EXPIRED"          // a share or grant has expired
	CutRevoked         Cut = "REVOKED"          // a share or grant was revoked
	CutInactive        Cut = "INACTIVE"         // the member is deactivated
)

// Cuts lists every cut.
var Cuts = []Cut{CutTagRestriction, CutRestrictedFlag, CutPracticeSetting, CutExpired, CutRevoked, CutInactive}

// MarshalGQL implements graphql.Marshaler.
func (c Cut) MarshalGQL(w io.Writer) { marshalEnum(w, c) }

// UnmarshalGQL implements graphql.Unmarshaler.
func (c *Cut) UnmarshalGQL(v any) (err error) {
	*c, err = unmarshalEnum(v, Cuts, "AccessCut")
	return err
}
