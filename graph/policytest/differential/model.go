// Package differential is a differential test of access policy §3 (row
// level) and §4 (field level): random practices are built as fixtures, every
// active member reads the clients through the GraphQL API in randomly drawn
// request shapes, an admin changes the practice through the API between
// rounds, and each answer is compared with a reference model written here,
// plainly, from the text of the access policy (docs/access-policy.md).
//
// The model (this file) deliberately shares no code with caseload/ent/rule: a
// test that called the production rules would only prove that they agree with
// themselves. It uses the access package for its enum values only, and has
// its own level arithmetic, rule order and built-in defaults.
//
// The files split by concern: model.go (the scenario and what the policy
// expects of it), scenario.go (the random generator, the fixture builder and
// the changes made through the API), check.go (querying the API and
// comparing), shrink.go (reducing a failing scenario) and differential_test.go
// (the test and its flags).
package differential

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"caseload/ent/schema/access"
)

// ---------------------------------------------------------------------------
// The scenario: plain Go data, recorded before any fixture exists, so that the
// model reads exactly what was asked for and not what the database returned.
// Members, roles, clients and shares carry stable labels (m3, r1, c7, c7.s0)
// so that a failure can be described, and followed through shrinking, by name.

// shareState is how a share stands at the time of the requests.
type shareState int

const (
	shareOpen    shareState = iota // no expiry, not revoked
	shareFuture                    // expires in an hour
	shareExpired                   // expired a minute ago
	shareRevoked                   // revoked, no expiry
)

func (s shareState) String() string {
	return [...]string{"no expiry", "expires in 1h", "expired", "revoked"}[s]
}

// active: not revoked, and no expiry or an expiry in the future (rule 4).
func (s shareState) active() bool { return s == shareOpen || s == shareFuture }

type practiceSpec struct {
	Visibility                 access.ClientVisibility
	EmergencyReachesRestricted bool
	// ManageOwnClients is practitionersManageOwnClients: it changes who may
	// assign (§6), never who sees what (§3, §4); the model carries it so that
	// flipping it is checked to change nothing here.
	ManageOwnClients bool
}

type roleSpec struct {
	Label       string
	AccountType access.AccountType
	Sections    access.SectionLevels
	Caps        []access.Capability
	RestrictTo  []int // tag indexes; empty means no tag restriction
}

// grantSpec is a team member access grant; Target -1 means ALL members.
type grantSpec struct {
	Target int
	Level  access.Level
}

type memberSpec struct {
	Label      string
	Admin      bool
	Type       access.AccountType
	Role       int // index into Roles, -1 for the built-in default
	Active     bool
	TeamAccess []grantSpec
}

type assignmentSpec struct {
	Member int
	Ended  bool
}

type shareSpec struct {
	Label  string
	Member int
	Level  access.Level
	State  shareState
}

type emergencySpec struct {
	Member  int
	Expired bool
}

type clientSpec struct {
	Label       string
	Visibility  access.ClientVisibility
	Restricted  bool
	Tags        []int
	Responsible int // member index, -1 for none
	CareTeam    []assignmentSpec
	Shares      []shareSpec
	Emergency   []emergencySpec
	// Author writes the client's session note and holds its appointment.
	// Neither gives access under the policy; the rows exist so that every
	// section field has something to return.
	Author int
}

type scenario struct {
	Seed     uint64
	Practice practiceSpec
	Tags     int
	Roles    []roleSpec
	Members  []memberSpec
	Clients  []clientSpec
	// Foreign is how many whole-team clients a second practice holds; no
	// member of the first practice may ever see them (policy §1).
	Foreign int
	// Steps are the changes an admin makes through the API between rounds
	// of requests, in order; each is mirrored here by apply.
	Steps []step
}

func (s *scenario) memberIndex(label string) int {
	return slices.IndexFunc(s.Members, func(m memberSpec) bool { return m.Label == label })
}

func (s *scenario) clientIndex(label string) int {
	return slices.IndexFunc(s.Clients, func(c clientSpec) bool { return c.Label == label })
}

func (s *scenario) roleIndex(label string) int {
	return slices.IndexFunc(s.Roles, func(r roleSpec) bool { return r.Label == label })
}

// share finds a share by label: its client and index, or -1.
func (s *scenario) share(label string) (int, int) {
	for ci, c := range s.Clients {
		if k := slices.IndexFunc(c.Shares, func(sh shareSpec) bool { return sh.Label == label }); k >= 0 {
			return ci, k
		}
	}
	return -1, -1
}

func (s *scenario) activeMembers() []int {
	var out []int
	for i, m := range s.Members {
		if m.Active {
			out = append(out, i)
		}
	}
	return out
}

// activePractitioners are the members that may be responsible for, assigned
// to, or write the notes of a client (policy §2).
func (s *scenario) activePractitioners() []int {
	var out []int
	for i, m := range s.Members {
		if m.Active && m.Type == access.Practitioner {
			out = append(out, i)
		}
	}
	return out
}

// clone deep-copies the scenario.
func (s *scenario) clone() *scenario {
	b, err := json.Marshal(s)
	if err != nil {
		panic(err)
	}
	out := new(scenario)
	if err := json.Unmarshal(b, out); err != nil {
		panic(err)
	}
	return out
}

// ---------------------------------------------------------------------------
// Changes between rounds: what an admin does through the API, as data, so
// that a scenario with its steps replays and shrinks.

const (
	stepRole       = "updateRole"
	stepSetting    = "updatePracticeSettings"
	stepUntag      = "removeClientTags"
	stepRevoke     = "revokeShare"
	stepDeactivate = "deactivate"
)

// stepKinds lists every kind of change the generator draws.
var stepKinds = []string{stepRole, stepSetting, stepUntag, stepRevoke, stepDeactivate}

const (
	settingVisibility       = "clientVisibility"
	settingManageOwn        = "practitionersManageOwnClients"
	settingEmergencyReaches = "emergencyReachesRestricted"
)

type step struct {
	Kind string
	// updateRole: the role's new definition (its account type stays).
	Role       string
	Sections   access.SectionLevels
	Caps       []access.Capability
	RestrictTo []int
	// updatePracticeSettings: one setting and its new value.
	Setting    string
	Visibility access.ClientVisibility
	On         bool
	// removeClientTags: the client and the tags taken off it.
	Client string
	Tags   []int
	// revokeShare: the share's label.
	Share string
	// deactivate: updateMember(active: false).
	Member string
}

func (st step) String() string {
	switch st.Kind {
	case stepRole:
		var secs []string
		for _, sec := range access.Sections {
			secs = append(secs, fmt.Sprintf("%s=%s", sec, st.Sections.Of(sec)))
		}
		restrict := "none"
		if len(st.RestrictTo) > 0 {
			restrict = tagList(st.RestrictTo)
		}
		return fmt.Sprintf("updateRole %s: %s; capabilities %v; restrictToTags %s", st.Role, strings.Join(secs, " "), st.Caps, restrict)
	case stepSetting:
		if st.Setting == settingVisibility {
			return fmt.Sprintf("updatePracticeSettings clientVisibility=%s", st.Visibility)
		}
		return fmt.Sprintf("updatePracticeSettings %s=%v", st.Setting, st.On)
	case stepUntag:
		return fmt.Sprintf("removeClientTags %s %s", st.Client, tagList(st.Tags))
	case stepRevoke:
		return "revokeShare " + st.Share
	case stepDeactivate:
		return fmt.Sprintf("updateMember %s active=false", st.Member)
	}
	return st.Kind
}

// untagged is the part of an untag step that the client carries.
func (s *scenario) untagged(st step) []int {
	ci := s.clientIndex(st.Client)
	if ci < 0 {
		return nil
	}
	var out []int
	for _, t := range st.Tags {
		if slices.Contains(s.Clients[ci].Tags, t) && !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}

// apply makes the change in the model. It reports false, changing nothing,
// when the step no longer applies (a shrunk scenario dropped what it names,
// or it would change nothing): the API is then not asked either.
func (s *scenario) apply(st step) bool {
	switch st.Kind {
	case stepRole:
		ri := s.roleIndex(st.Role)
		if ri < 0 {
			return false
		}
		r := &s.Roles[ri]
		r.Sections = access.SectionLevels{}
		for _, sec := range access.Sections {
			r.Sections[sec] = st.Sections.Of(sec)
		}
		r.Caps = slices.Clone(st.Caps)
		r.RestrictTo = nil
		for _, t := range st.RestrictTo {
			if t < s.Tags {
				r.RestrictTo = append(r.RestrictTo, t)
			}
		}
		return true
	case stepSetting:
		switch st.Setting {
		case settingVisibility:
			s.Practice.Visibility = st.Visibility
		case settingManageOwn:
			s.Practice.ManageOwnClients = st.On
		case settingEmergencyReaches:
			s.Practice.EmergencyReachesRestricted = st.On
		default:
			return false
		}
		return true
	case stepUntag:
		gone := s.untagged(st)
		if len(gone) == 0 {
			return false
		}
		c := &s.Clients[s.clientIndex(st.Client)]
		c.Tags = slices.DeleteFunc(c.Tags, func(t int) bool { return slices.Contains(gone, t) })
		return true
	case stepRevoke:
		ci, k := s.share(st.Share)
		if ci < 0 || !s.Clients[ci].Shares[k].State.active() {
			return false
		}
		s.Clients[ci].Shares[k].State = shareRevoked
		return true
	case stepDeactivate:
		mi := s.memberIndex(st.Member)
		if mi < 0 || !s.Members[mi].Active {
			return false
		}
		s.Members[mi].Active = false
		return true
	}
	return false
}

// ---------------------------------------------------------------------------
// The reference model: policy §3 and §4, rule by rule.

func rank(l access.Level) int {
	switch l {
	case access.View:
		return 1
	case access.Edit:
		return 2
	}
	return 0
}

func maxLevel(a, b access.Level) access.Level {
	if rank(a) >= rank(b) {
		return a
	}
	return b
}

func minLevel(a, b access.Level) access.Level {
	if rank(a) <= rank(b) {
		return a
	}
	return b
}

// defaultSections is §4 "Built-in defaults for a member without a role",
// copied from the policy rather than taken from the access package.
func defaultSections(t access.AccountType) access.SectionLevels {
	out := access.SectionLevels{}
	for _, sec := range access.Sections {
		out[sec] = access.None
		if t == access.Practitioner {
			out[sec] = access.Edit
		}
	}
	if t == access.Administrative {
		out[access.Profile], out[access.Scheduling] = access.View, access.View
	}
	return out
}

// The AccessRule values, one per rule of §3 (rule 3 is two: the responsible
// practitioner and an active assignment), in the policy's order: the order
// viewerAccess.rules lists them in.
const (
	ruleAdmin       = "ADMIN"
	ruleAllClients  = "ACCESS_ALL_CLIENTS"
	ruleResponsible = "RESPONSIBLE"
	ruleCareTeam    = "CARE_TEAM"
	ruleShare       = "SHARE"
	ruleWholeTeam   = "WHOLE_TEAM_VISIBILITY"
	ruleTeamAccess  = "TEAM_MEMBER_ACCESS"
	ruleEmergency   = "EMERGENCY_ACCESS"
)

var policyRuleOrder = []string{ruleAdmin, ruleAllClients, ruleResponsible, ruleCareTeam, ruleShare, ruleWholeTeam, ruleTeamAccess, ruleEmergency}

// verdict is what the model expects member M to get on client C.
type verdict struct {
	Level    access.Level // relationship level; NONE means C does not exist for M
	Sections map[access.Section]access.Level
	Rules    []string // the AccessRule values that apply, in the policy's order, each once
	Applies  []string // the rules that give a level, explained
	Cut      []string // the rules that would apply but for a tag restriction or the restricted flag
}

func (v verdict) visible() bool { return v.Level != access.None }

// onCareTeam: the responsible practitioner or an active assignment (§3 rule 3).
func (c *clientSpec) onCareTeam(m int) bool {
	if c.Responsible == m {
		return true
	}
	for _, a := range c.CareTeam {
		if a.Member == m && !a.Ended {
			return true
		}
	}
	return false
}

func (c *clientSpec) hasCareTeam() bool {
	if c.Responsible >= 0 {
		return true
	}
	for _, a := range c.CareTeam {
		if !a.Ended {
			return true
		}
	}
	return false
}

// roleOf is the member's role, nil for the built-in default.
func (s *scenario) roleOf(mi int) *roleSpec {
	if m := s.Members[mi]; m.Role >= 0 {
		return &s.Roles[m.Role]
	}
	return nil
}

// roleLevel is the member's level on a section before any client is
// considered: the role's, or the built-in default's (§4).
func (s *scenario) roleLevel(mi int, sec access.Section) access.Level {
	if r := s.roleOf(mi); r != nil {
		return r.Sections.Of(sec)
	}
	return defaultSections(s.Members[mi].Type).Of(sec)
}

// expect evaluates the policy for member mi on client ci.
func (s *scenario) expect(mi, ci int) verdict {
	m, c := &s.Members[mi], &s.Clients[ci]
	v := verdict{Level: access.None}
	applied := map[string]bool{}
	give := func(r, why string, l access.Level) {
		v.Applies = append(v.Applies, fmt.Sprintf("%s (%s) => %s", r, why, l))
		v.Level = maxLevel(v.Level, l)
		applied[r] = true
	}
	role := s.roleOf(mi)
	// Rules 2, 5 and 6 are broad grants: the restricted flag blocks them, and
	// a role's restrictToTags limits them to clients with one of its tags.
	cutBy := ""
	if c.Restricted {
		cutBy = "restricted flag"
	} else if role != nil && len(role.RestrictTo) > 0 && !slices.ContainsFunc(role.RestrictTo, func(t int) bool { return slices.Contains(c.Tags, t) }) {
		cutBy = "tag restriction " + tagList(role.RestrictTo)
	}
	broad := func(r, why string, l access.Level) {
		if cutBy != "" {
			v.Cut = append(v.Cut, fmt.Sprintf("%s (%s) => %s, cut by %s", r, why, l, cutBy))
			return
		}
		give(r, why, l)
	}

	if m.Admin {
		// §2: an admin has full access, and nothing restricts an admin: not
		// roles, tags, client visibility nor restricted flags. Rule 1 then
		// decides alone: the other rules are about the roles, tags,
		// visibility and grants that do not concern an admin (whose
		// capabilities are every capability), so the API reports ADMIN
		// only. The policy text does not say "alone" in so many words: the
		// code settled it so (ent/rule/decide.go, issue I), and the model
		// follows that reading.
		give(ruleAdmin, "rule 1, which decides alone for an admin", access.Edit)
		v.Rules = []string{ruleAdmin}
		v.Sections = map[access.Section]access.Level{}
		for _, sec := range access.Sections {
			v.Sections[sec] = access.Edit
		}
		return v
	}
	if role != nil && slices.Contains(role.Caps, access.AccessAllClients) {
		broad(ruleAllClients, "rule 2, role "+role.Label, access.Edit)
	}
	if c.Responsible == mi {
		give(ruleResponsible, "rule 3, responsible practitioner", access.Edit)
	}
	for _, a := range c.CareTeam {
		if a.Member == mi && !a.Ended {
			give(ruleCareTeam, "rule 3, active assignment", access.Edit)
		}
	}
	for _, sh := range c.Shares {
		if sh.Member == mi && sh.State.active() {
			give(ruleShare, "rule 4, share "+sh.Label+" "+sh.State.String(), sh.Level)
		}
	}
	if c.Visibility == access.AllTeam {
		broad(ruleWholeTeam, "rule 5, visibility ALL_TEAM", access.Edit)
	} else if c.Visibility == access.PracticeDefault && s.Practice.Visibility == access.AllTeam {
		broad(ruleWholeTeam, "rule 5, PRACTICE_DEFAULT with practice setting ALL_TEAM", access.Edit)
	}
	for _, g := range m.TeamAccess {
		if g.Target < 0 && c.hasCareTeam() {
			broad(ruleTeamAccess, "rule 6, to ALL", g.Level)
		} else if g.Target >= 0 && c.onCareTeam(g.Target) {
			broad(ruleTeamAccess, "rule 6, to "+s.Members[g.Target].Label, g.Level)
		}
	}
	for _, em := range c.Emergency {
		if em.Member != mi || em.Expired {
			continue
		}
		if c.Restricted && !s.Practice.EmergencyReachesRestricted {
			v.Cut = append(v.Cut, "EMERGENCY_ACCESS (rule 7) => VIEW, cut by restricted flag (practice setting emergencyReachesRestricted off)")
			continue
		}
		give(ruleEmergency, "rule 7", access.View)
	}
	for _, r := range policyRuleOrder {
		if applied[r] {
			v.Rules = append(v.Rules, r)
		}
	}

	// §4: the lower of the role level (or built-in default) and the
	// relationship level (an admin, above, has EDIT everywhere).
	v.Sections = map[access.Section]access.Level{}
	for _, sec := range access.Sections {
		v.Sections[sec] = minLevel(s.roleLevel(mi, sec), v.Level)
	}
	return v
}

// tagClientsReadable is whether member mi may read Tag.clients, the clients
// carrying a tag. Listing them filters clients on a PROFILE value (their
// tags), which §4 allows only over clients where the effective PROFILE level
// is at least VIEW; every client M sees has a relationship level of at least
// VIEW, so that is M's role level (EDIT for an admin). Without it the field
// is a PROFILE field M may not read: null with a FORBIDDEN error.
func (s *scenario) tagClientsReadable(mi int) bool {
	return s.Members[mi].Admin || rank(s.roleLevel(mi, access.Profile)) >= rank(access.View)
}

// tagList names tag indexes.
func tagList(tags []int) string {
	var parts []string
	for _, t := range tags {
		parts = append(parts, fmt.Sprintf("t%d", t))
	}
	return "[" + strings.Join(parts, " ") + "]"
}
