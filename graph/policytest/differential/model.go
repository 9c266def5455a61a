// Package differential is a differential test of access policy §3 (row
// level), §4 (field level) and §6 (who may change a client): random
// practices are built as fixtures, every active member reads the clients
// through the GraphQL API in randomly drawn request shapes, members try
// changes of §6 on random clients (sharing, visibility, the responsible
// practitioner, the care team, tags, the profile, the medical history), an
// admin changes the practice through the API between rounds, and each
// answer, and what the database holds after each attempt, is compared with a
// reference model written here, plainly, from the text of the access policy
// (docs/access-policy.md).
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
	// assign (§6, mayAssign), never who sees what (§3, §4); flipping it is
	// checked to change nothing in what members see.
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
	// Attempts are the changes members of the scenario try through the API
	// (policy §6), each in its round; an allowed one is mirrored here by
	// applyAttempt.
	Attempts []attempt
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

// ---------------------------------------------------------------------------
// Policy §6: members change clients through the API. An attempt is data, like
// a step, so that a scenario with its attempts replays and shrinks; whether it
// is allowed is decided below from the policy text, and an allowed attempt is
// mirrored in the model by applyAttempt.

// The kinds of attempt; updateClient is two kinds, because the policy guards
// a client's name and its phone differently (§4).
const (
	mutShare       = "shareClient"
	mutRevoke      = "revokeShare"
	mutVisibility  = "setClientVisibility"
	mutRestricted  = "setClientRestricted"
	mutResponsible = "setResponsiblePractitioner"
	mutAssign      = "assignPractitioner"
	mutUnassign    = "unassignPractitioner"
	mutAddTags     = "addClientTags"
	mutRemoveTags  = "removeClientTags"
	mutPhone       = "updateClient(phone)"
	mutName        = "updateClient(name)"
	mutHistory     = "updateMedicalHistory"
)

// mutKinds lists every kind of attempt the generator draws.
var mutKinds = []string{mutShare, mutRevoke, mutVisibility, mutRestricted, mutResponsible, mutAssign, mutUnassign,
	mutAddTags, mutRemoveTags, mutPhone, mutName, mutHistory}

// foreignLabel names, as a client or as a member, the other practice's.
const foreignLabel = "foreign"

// attempt is one change a member of the scenario tries through the API.
type attempt struct {
	Label string // a0, a1, ...: names the attempt, its new share, its new values
	// Round is when it is made: 0 in the initial round, k in the round
	// after step k, before that round's requests.
	Round  int
	Kind   string
	Member string // who tries
	Client string // on which client: a label or "foreign"
	// Target is the member named: the share's recipient, the practitioner
	// made responsible, assigned or unassigned ("foreign": the other
	// practice's member).
	Target     string
	Level      access.Level            // shareClient
	Share      string                  // revokeShare: the share's label
	Visibility access.ClientVisibility // setClientVisibility
	Restricted bool                    // setClientRestricted
	Tags       []int                   // addClientTags, removeClientTags
}

func (a attempt) String() string {
	var what string
	switch a.Kind {
	case mutShare:
		what = fmt.Sprintf("shareClient(%s, member %s, %s)", a.Client, a.Target, a.Level)
	case mutRevoke:
		what = fmt.Sprintf("revokeShare(%s) of client %s", a.Share, a.Client)
	case mutVisibility:
		what = fmt.Sprintf("setClientVisibility(%s, %s)", a.Client, a.Visibility)
	case mutRestricted:
		what = fmt.Sprintf("setClientRestricted(%s, %v)", a.Client, a.Restricted)
	case mutResponsible, mutAssign, mutUnassign:
		what = fmt.Sprintf("%s(%s, practitioner %s)", a.Kind, a.Client, a.Target)
	case mutAddTags, mutRemoveTags:
		what = fmt.Sprintf("%s(%s, %s)", a.Kind, a.Client, tagList(a.Tags))
	case mutPhone:
		what = fmt.Sprintf("updateClient(%s, {phone})", a.Client)
	case mutName:
		what = fmt.Sprintf("updateClient(%s, {name})", a.Client)
	case mutHistory:
		what = fmt.Sprintf("updateMedicalHistory(%s)", a.Client)
	default:
		what = a.Kind
	}
	return fmt.Sprintf("%s by %s: %s", a.Label, a.Member, what)
}

// outcome is what the policy expects of an attempt: Code "" is success.
type outcome struct {
	Code    string
	Section access.Section // FORBIDDEN for a section's field names it
	Why     string
}

func (o outcome) allowed() bool { return o.Code == "" }

func (o outcome) String() string {
	switch {
	case o.Code == "":
		return "allowed (" + o.Why + ")"
	case o.Section != "":
		return fmt.Sprintf("%s naming %s (%s)", o.Code, o.Section, o.Why)
	}
	return fmt.Sprintf("%s (%s)", o.Code, o.Why)
}

// hasCapability is §4: the role's capabilities, or the built-in default's
// (a PRACTITIONER without a role has CREATE_CLIENTS and EMERGENCY_ACCESS,
// an ADMINISTRATIVE member none). Admins are decided before it is asked.
func (s *scenario) hasCapability(mi int, c access.Capability) bool {
	if r := s.roleOf(mi); r != nil {
		return slices.Contains(r.Caps, c)
	}
	if s.Members[mi].Type == access.Practitioner {
		return c == access.CreateClients || c == access.EmergencyAccess
	}
	return false
}

// memberOf resolves a target label: its index, -1 for the other practice's
// member, or ok false for a label the scenario no longer has.
func (s *scenario) memberOf(label string) (int, bool) {
	if label == foreignLabel {
		return -1, true
	}
	mi := s.memberIndex(label)
	return mi, mi >= 0
}

// mayReceiveShare: §6 "Only active members of the same practice can receive
// a share."
func (s *scenario) mayReceiveShare(ti int) bool { return ti >= 0 && s.Members[ti].Active }

// mayBePractitioner: §2 "Only active PRACTITIONERs can be made a client's
// responsible practitioner, be assigned to a client".
func (s *scenario) mayBePractitioner(ti int) bool {
	return ti >= 0 && s.Members[ti].Active && s.Members[ti].Type == access.Practitioner
}

// mayShare is §6 "Sharing and visibility": sharing, revoking a share, and
// changing visibility or the restricted flag: an admin, the responsible
// practitioner, or a member with MANAGE_CLIENT_ACCESS and EDIT on the client.
func (s *scenario) mayShare(mi, ci int, v verdict) (bool, string) {
	m, c := s.Members[mi], s.Clients[ci]
	switch {
	case m.Admin:
		return true, "an admin"
	case c.Responsible == mi:
		return true, "the responsible practitioner"
	case s.hasCapability(mi, access.ManageClientAccess) && v.Level == access.Edit:
		return true, "MANAGE_CLIENT_ACCESS with EDIT on the client"
	case s.hasCapability(mi, access.ManageClientAccess):
		return false, "MANAGE_CLIENT_ACCESS but only " + string(v.Level) + " on the client, not an admin, not the responsible practitioner"
	}
	return false, "not an admin, not the responsible practitioner, no MANAGE_CLIENT_ACCESS"
}

// mayAssign is §6 "Care team" (and the base of "Responsible practitioner"):
// an admin, a member with ASSIGN_PRACTITIONERS and EDIT on the client, or,
// with the practice setting practitionersManageOwnClients on, the client's
// current responsible practitioner.
func (s *scenario) mayAssign(mi, ci int, v verdict) (bool, string) {
	m, c := s.Members[mi], s.Clients[ci]
	switch {
	case m.Admin:
		return true, "an admin"
	case s.hasCapability(mi, access.AssignPractitioners) && v.Level == access.Edit:
		return true, "ASSIGN_PRACTITIONERS with EDIT on the client"
	case c.Responsible == mi && s.Practice.ManageOwnClients:
		return true, "the responsible practitioner, practitionersManageOwnClients on"
	}
	why := "not an admin"
	if s.hasCapability(mi, access.AssignPractitioners) {
		why += ", ASSIGN_PRACTITIONERS but only " + string(v.Level) + " on the client"
	} else {
		why += ", no ASSIGN_PRACTITIONERS"
	}
	if c.Responsible == mi {
		why += ", the responsible practitioner but practitionersManageOwnClients off"
	}
	return false, why
}

// mayChangeResponsible is §6 "Responsible practitioner": as the care team,
// but under the practice setting clientVisibility CARE_TEAM only admins,
// "practitionersManageOwnClients notwithstanding" (the client's own
// visibility does not matter).
func (s *scenario) mayChangeResponsible(mi, ci int, v verdict) (bool, string) {
	if s.Practice.Visibility == access.CareTeam && !s.Members[mi].Admin {
		return false, "practice setting clientVisibility CARE_TEAM reserves it to admins"
	}
	return s.mayAssign(mi, ci, v)
}

// decide is what the policy says of an attempt in the current state.
func (s *scenario) decide(a attempt) outcome {
	mi := s.memberIndex(a.Member)
	ci := s.clientIndex(a.Client)
	if a.Client == foreignLabel || ci < 0 {
		return outcome{Code: "NOT_FOUND", Why: "§1: another practice's client does not exist for M"}
	}
	v := s.expect(mi, ci)
	if !v.visible() {
		return outcome{Code: "NOT_FOUND", Why: "§3: a client M cannot see does not exist for M"}
	}
	section := func(sec access.Section) outcome {
		if l := v.Sections[sec]; l != access.Edit {
			return outcome{Code: "FORBIDDEN", Section: sec, Why: fmt.Sprintf("§4: effective %s level %s, changing needs EDIT", sec, l)}
		}
		return outcome{Why: fmt.Sprintf("§4: effective %s level EDIT", sec)}
	}
	judge := func(ok bool, why string) outcome {
		if !ok {
			return outcome{Code: "FORBIDDEN", Why: "§6: " + why}
		}
		return outcome{Why: "§6: " + why}
	}
	ti, _ := s.memberOf(a.Target)
	switch a.Kind {
	case mutShare:
		o := judge(s.mayShare(mi, ci, v))
		if o.allowed() && !s.mayReceiveShare(ti) {
			return outcome{Code: "BAD_USER_INPUT", Why: "§6: only active members of the same practice can receive a share; " + o.Why}
		}
		return o
	case mutRevoke:
		// docs/access-policy.md, decisions where the text is silent: a
		// share is a record of who has access, seen only by those who may
		// manage access to its client and by its recipient; for anyone
		// else it does not exist.
		ok, why := s.mayShare(mi, ci, v)
		if _, k := s.share(a.Share); !ok && s.Clients[ci].Shares[k].Member != mi {
			return outcome{Code: "NOT_FOUND", Why: "share records are seen only by access managers and the recipient; " + why}
		}
		return judge(ok, why)
	case mutVisibility, mutRestricted:
		return judge(s.mayShare(mi, ci, v))
	case mutResponsible, mutAssign:
		var o outcome
		if a.Kind == mutResponsible {
			o = judge(s.mayChangeResponsible(mi, ci, v))
		} else {
			o = judge(s.mayAssign(mi, ci, v))
		}
		if o.allowed() && !s.mayBePractitioner(ti) {
			return outcome{Code: "BAD_USER_INPUT", Why: "§2: only active PRACTITIONERs of the practice can be responsible or assigned; " + o.Why}
		}
		return o
	case mutUnassign:
		return judge(s.mayAssign(mi, ci, v))
	case mutAddTags, mutRemoveTags, mutPhone:
		// §6 "Tags on a client need EDIT on PROFILE"; the phone is PROFILE (§4).
		return section(access.Profile)
	case mutHistory:
		return section(access.MedicalHistory)
	case mutName:
		// §4: the name is no section's; changing the client needs EDIT on it.
		if v.Level != access.Edit {
			return outcome{Code: "FORBIDDEN", Why: "§3/§4: relationship level " + string(v.Level) + ", changing the client needs EDIT"}
		}
		return outcome{Why: "relationship level EDIT"}
	}
	panic("unknown attempt kind " + a.Kind)
}

// activeAssignment is the index of mi's active care-team assignment on c, or -1.
func (c *clientSpec) activeAssignment(mi int) int {
	return slices.IndexFunc(c.CareTeam, func(as assignmentSpec) bool { return as.Member == mi && !as.Ended })
}

// applicable reports whether the attempt can be made in this state: what it
// names still exists, the actor is active, and its input is one that no
// input-level refusal (CONFLICT, or BAD_USER_INPUT for a request that
// describes a state the client is not in) answers. An input the policy
// itself refuses (a share's recipient or a practitioner who does not
// qualify) is kept only where the policy decides the answer alone: for a
// client the member cannot see (NOT_FOUND) or may change (BAD_USER_INPUT);
// which of FORBIDDEN and BAD_USER_INPUT answers a member who may not change
// the client and names someone who does not qualify, the text leaves open.
func (s *scenario) applicable(a attempt) bool {
	mi := s.memberIndex(a.Member)
	if mi < 0 || !s.Members[mi].Active || !slices.Contains(mutKinds, a.Kind) {
		return false
	}
	ti, targetOK := s.memberOf(a.Target)
	if a.Client == foreignLabel {
		if s.Foreign == 0 || a.Kind == mutRevoke {
			return false
		}
		switch a.Kind {
		case mutShare, mutResponsible, mutAssign, mutUnassign:
			return targetOK
		}
		return true
	}
	ci := s.clientIndex(a.Client)
	if ci < 0 {
		return false
	}
	c := &s.Clients[ci]
	for _, t := range a.Tags {
		if t < 0 || t >= s.Tags {
			return false
		}
	}
	qualifies := true
	switch a.Kind {
	case mutShare:
		if !targetOK || ti == mi || (a.Level != access.View && a.Level != access.Edit) {
			return false
		}
		qualifies = s.mayReceiveShare(ti)
	case mutRevoke:
		ci2, k := s.share(a.Share)
		return ci2 == ci && c.Shares[k].State.active()
	case mutVisibility:
		return a.Visibility != c.Visibility
	case mutRestricted:
		return a.Restricted != c.Restricted
	case mutResponsible, mutAssign:
		if !targetOK || (ti >= 0 && (c.Responsible == ti || c.activeAssignment(ti) >= 0)) {
			return false
		}
		qualifies = s.mayBePractitioner(ti)
	case mutUnassign:
		return targetOK && ti >= 0 && c.activeAssignment(ti) >= 0
	case mutAddTags:
		return len(a.Tags) > 0 && !slices.ContainsFunc(a.Tags, func(t int) bool { return slices.Contains(c.Tags, t) })
	case mutRemoveTags:
		return len(a.Tags) > 0 && !slices.ContainsFunc(a.Tags, func(t int) bool { return !slices.Contains(c.Tags, t) })
	}
	if !qualifies {
		o := s.decide(a)
		return o.Code == "NOT_FOUND" || o.Code == "BAD_USER_INPUT"
	}
	return true
}

// applyAttempt mirrors an allowed attempt in the model.
func (s *scenario) applyAttempt(a attempt) {
	ci := s.clientIndex(a.Client)
	if ci < 0 {
		return
	}
	c := &s.Clients[ci]
	ti, _ := s.memberOf(a.Target)
	switch a.Kind {
	case mutShare:
		c.Shares = append(c.Shares, shareSpec{Label: c.Label + "." + a.Label, Member: ti, Level: a.Level, State: shareOpen})
	case mutRevoke:
		_, k := s.share(a.Share)
		c.Shares[k].State = shareRevoked
	case mutVisibility:
		c.Visibility = a.Visibility
	case mutRestricted:
		c.Restricted = a.Restricted
	case mutResponsible:
		c.Responsible = ti
	case mutAssign:
		c.CareTeam = append(c.CareTeam, assignmentSpec{Member: ti})
	case mutUnassign:
		c.CareTeam[c.activeAssignment(ti)].Ended = true
	case mutAddTags:
		c.Tags = append(c.Tags, a.Tags...)
		slices.Sort(c.Tags)
	case mutRemoveTags:
		c.Tags = slices.DeleteFunc(c.Tags, func(t int) bool { return slices.Contains(a.Tags, t) })
	}
	// The name, the phone and the medical history change no decision of
	// the model; the fixture's record of them follows (built.committed).
}
