package differential

import (
	"fmt"
	"slices"
	"testing"

	"caseload/ent/schema/access"
	"caseload/graph/graphtest"
)

// maxShrinkRuns caps how many reduced scenarios the shrinker builds and
// queries while looking for the smallest one that still fails.
const maxShrinkRuns = 300

// removeMember drops member mi and every reference to it. It refuses (false)
// when mi writes a client's notes, which need a practitioner.
func (s *scenario) removeMember(mi int) bool {
	for _, c := range s.Clients {
		if c.Author == mi {
			return false
		}
	}
	re := func(i int) (int, bool) {
		switch {
		case i == mi:
			return 0, false
		case i > mi:
			return i - 1, true
		}
		return i, true
	}
	s.Members = slices.Delete(s.Members, mi, mi+1)
	for i := range s.Members {
		var gs []grantSpec
		for _, g := range s.Members[i].TeamAccess {
			if g.Target < 0 {
				gs = append(gs, g)
			} else if t, ok := re(g.Target); ok {
				g.Target = t
				gs = append(gs, g)
			}
		}
		s.Members[i].TeamAccess = gs
	}
	for i := range s.Clients {
		c := &s.Clients[i]
		if c.Responsible >= 0 {
			if r, ok := re(c.Responsible); ok {
				c.Responsible = r
			} else {
				c.Responsible = -1
			}
		}
		c.Author, _ = re(c.Author)
		var team []assignmentSpec
		for _, a := range c.CareTeam {
			if r, ok := re(a.Member); ok {
				a.Member = r
				team = append(team, a)
			}
		}
		c.CareTeam = team
		var shares []shareSpec
		for _, sh := range c.Shares {
			if r, ok := re(sh.Member); ok {
				sh.Member = r
				shares = append(shares, sh)
			}
		}
		c.Shares = shares
		var em []emergencySpec
		for _, e := range c.Emergency {
			if r, ok := re(e.Member); ok {
				e.Member = r
				em = append(em, e)
			}
		}
		c.Emergency = em
	}
	return true
}

// removeRole drops a role no member holds.
func (s *scenario) removeRole(ri int) bool {
	for _, m := range s.Members {
		if m.Role == ri {
			return false
		}
	}
	s.Roles = slices.Delete(s.Roles, ri, ri+1)
	for i := range s.Members {
		if s.Members[i].Role > ri {
			s.Members[i].Role--
		}
	}
	return true
}

// pruneSteps drops the steps and attempts that name a role, client, share
// or member the scenario no longer has (a share an earlier attempt creates
// counts as had).
func (s *scenario) pruneSteps() {
	made := map[string]bool{}
	for _, a := range s.Attempts {
		if a.Kind == mutShare {
			made[a.Client+"."+a.Label] = true
		}
	}
	s.Attempts = slices.DeleteFunc(s.Attempts, func(a attempt) bool {
		if s.memberIndex(a.Member) < 0 || (a.Client != foreignLabel && s.clientIndex(a.Client) < 0) {
			return true
		}
		if a.Target != "" && a.Target != foreignLabel && s.memberIndex(a.Target) < 0 {
			return true
		}
		if a.Kind == mutRevoke {
			ci, _ := s.share(a.Share)
			return ci < 0 && !made[a.Share]
		}
		return false
	})
	s.Steps = slices.DeleteFunc(s.Steps, func(st step) bool {
		switch st.Kind {
		case stepRole:
			return s.roleIndex(st.Role) < 0
		case stepUntag:
			return s.clientIndex(st.Client) < 0
		case stepRevoke:
			ci, _ := s.share(st.Share)
			return ci < 0
		case stepDeactivate:
			return s.memberIndex(st.Member) < 0
		}
		return false
	})
}

// candidate is one simplification of a scenario.
type candidate struct {
	name  string
	apply func(*scenario) bool // false: not applicable
}

// candidates lists the simplifications to try, biggest first, keeping the
// member and client named in focus.
func (s *scenario) candidates(member, client, failing string) []candidate {
	var cs []candidate
	add := func(name string, f func(*scenario) bool) { cs = append(cs, candidate{name, f}) }
	// The members' attempts first (all at once, all but the failing one,
	// those neither by the member nor on the client, then one by one), then
	// the admin's changes: a failure that needs none of them, or that shows
	// on a practice built in its changed state, is simpler to read.
	if len(s.Attempts) > 0 {
		add("drop every attempt", func(x *scenario) bool { x.Attempts = nil; return true })
		if failing != "" && len(s.Attempts) > 1 {
			add("keep only attempt "+failing, func(x *scenario) bool {
				x.Attempts = slices.DeleteFunc(x.Attempts, func(a attempt) bool { return a.Label != failing })
				return len(x.Attempts) == 1
			})
		}
		add("drop the attempts of other members on other clients", func(x *scenario) bool {
			n := len(x.Attempts)
			x.Attempts = slices.DeleteFunc(x.Attempts, func(a attempt) bool { return a.Member != member && a.Client != client })
			return len(x.Attempts) < n
		})
	}
	for _, a := range s.Attempts {
		label := a.Label
		add("drop attempt "+label, func(x *scenario) bool {
			n := len(x.Attempts)
			x.Attempts = slices.DeleteFunc(x.Attempts, func(a attempt) bool { return a.Label == label })
			return len(x.Attempts) < n
		})
	}
	for k := range s.Steps {
		add(fmt.Sprintf("drop step %d", k+1), func(x *scenario) bool {
			x.Steps = slices.Delete(x.Steps, k, k+1)
			// The attempts of the round after it join the round before.
			for i := range x.Attempts {
				if x.Attempts[i].Round > k {
					x.Attempts[i].Round--
				}
			}
			return true
		})
	}
	if len(s.Steps) > 0 && !slices.ContainsFunc(s.Attempts, func(a attempt) bool { return a.Round == 0 }) {
		add("build the practice as step 1 leaves it", func(x *scenario) bool {
			x.apply(x.Steps[0])
			x.Steps = x.Steps[1:]
			for i := range x.Attempts {
				x.Attempts[i].Round--
			}
			return true
		})
	}
	if len(s.Clients) > 1 {
		add("keep only the failing client", func(x *scenario) bool {
			ci := x.clientIndex(client)
			if ci < 0 {
				x.Clients = x.Clients[:0]
				return true
			}
			x.Clients = []clientSpec{x.Clients[ci]}
			return true
		})
	}
	if s.Practice.Visibility != access.CareTeam {
		add("practice setting CARE_TEAM", func(x *scenario) bool { x.Practice.Visibility = access.CareTeam; return true })
	}
	if s.Practice.EmergencyReachesRestricted {
		add("emergency does not reach restricted", func(x *scenario) bool { x.Practice.EmergencyReachesRestricted = false; return true })
	}
	if s.Practice.ManageOwnClients {
		add("practitioners do not manage their own clients", func(x *scenario) bool { x.Practice.ManageOwnClients = false; return true })
	}
	if client != "foreign" && s.Foreign > 0 {
		add("no foreign clients", func(x *scenario) bool { x.Foreign = 0; return true })
	}
	for _, m := range s.Members {
		if m.Label == member {
			continue
		}
		label := m.Label
		add("remove member "+label, func(x *scenario) bool { return x.removeMember(x.memberIndex(label)) })
	}
	for _, r := range s.Roles {
		label := r.Label
		add("remove role "+label, func(x *scenario) bool { return x.removeRole(x.roleIndex(label)) })
	}
	for ci, c := range s.Clients {
		for k := range c.CareTeam {
			add(fmt.Sprintf("%s: drop assignment %d", c.Label, k), func(x *scenario) bool {
				x.Clients[ci].CareTeam = slices.Delete(x.Clients[ci].CareTeam, k, k+1)
				return true
			})
		}
		for k := range c.Shares {
			add(fmt.Sprintf("%s: drop share %d", c.Label, k), func(x *scenario) bool {
				x.Clients[ci].Shares = slices.Delete(x.Clients[ci].Shares, k, k+1)
				return true
			})
		}
		for k := range c.Emergency {
			add(fmt.Sprintf("%s: drop emergency grant %d", c.Label, k), func(x *scenario) bool {
				x.Clients[ci].Emergency = slices.Delete(x.Clients[ci].Emergency, k, k+1)
				return true
			})
		}
		for k := range c.Tags {
			add(fmt.Sprintf("%s: drop tag %d", c.Label, k), func(x *scenario) bool {
				x.Clients[ci].Tags = slices.Delete(x.Clients[ci].Tags, k, k+1)
				return true
			})
		}
		// Only to an earlier member, so that two authors are not swapped
		// back and forth until the budget of runs is spent.
		for _, pi := range s.activePractitioners() {
			if pi >= c.Author {
				continue
			}
			label := s.Members[pi].Label
			add(c.Label+": note and appointment by "+label, func(x *scenario) bool {
				x.Clients[ci].Author = x.memberIndex(label)
				return true
			})
		}
		if c.Responsible >= 0 {
			add(c.Label+": no responsible", func(x *scenario) bool { x.Clients[ci].Responsible = -1; return true })
		}
		if c.Restricted {
			add(c.Label+": not restricted", func(x *scenario) bool { x.Clients[ci].Restricted = false; return true })
		}
		if c.Visibility != access.CareTeam {
			add(c.Label+": visibility CARE_TEAM", func(x *scenario) bool { x.Clients[ci].Visibility = access.CareTeam; return true })
		}
	}
	for mi, m := range s.Members {
		for k := range m.TeamAccess {
			add(fmt.Sprintf("%s: drop team access %d", m.Label, k), func(x *scenario) bool {
				x.Members[mi].TeamAccess = slices.Delete(x.Members[mi].TeamAccess, k, k+1)
				return true
			})
		}
		if m.Role >= 0 {
			add(m.Label+": no role", func(x *scenario) bool { x.Members[mi].Role = -1; return true })
		}
		if m.Admin {
			add(m.Label+": not admin", func(x *scenario) bool { x.Members[mi].Admin = false; return true })
		}
	}
	for ri, r := range s.Roles {
		for k := range r.Caps {
			add(fmt.Sprintf("%s: drop capability %s", r.Label, r.Caps[k]), func(x *scenario) bool {
				x.Roles[ri].Caps = slices.Delete(x.Roles[ri].Caps, k, k+1)
				return true
			})
		}
		for k := range r.RestrictTo {
			add(fmt.Sprintf("%s: drop restrictToTags %d", r.Label, k), func(x *scenario) bool {
				x.Roles[ri].RestrictTo = slices.Delete(x.Roles[ri].RestrictTo, k, k+1)
				return true
			})
		}
	}
	return cs
}

// shrink looks for a smaller scenario on which the member and client of
// mismatch first still disagree with the model (any disagreement about
// that pair, in any round), asking the member in every round the full
// request and the very request that failed. Every try is built in its own
// practice of one shared database: practices cannot see each other, and a
// database per try would make shrinking on PostgreSQL slow. The result is
// confirmed on a fresh database by the caller.
func shrink(t *testing.T, s *scenario, first mismatch) (*scenario, []mismatch) {
	t.Helper()
	member, client, req := first.Member, first.Client, first.extra()
	failing := "" // the attempt the mismatch is about, if any
	if first.Att != nil {
		failing = first.Att.Label
	}
	e := graphtest.New(t, harnessLimits)
	fails := func(x *scenario) []mismatch {
		return failsFor(t, e, x, member, client, req)
	}
	best, bestFails := s, fails(s)
	if len(bestFails) == 0 {
		return s, nil // flaky or order-dependent: keep the original
	}
	// Passes over the candidates until one pass removes nothing. After a
	// success the list is made again from the smaller scenario and the pass
	// goes on from the same position, whose candidate is now the next one.
	runs := 1
	for progress := true; progress && runs < maxShrinkRuns; {
		progress = false
		for i := 0; runs < maxShrinkRuns; i++ {
			cs := best.candidates(member, client, failing)
			if i >= len(cs) {
				break
			}
			x := best.clone()
			if !cs[i].apply(x) {
				continue
			}
			x.pruneSteps()
			runs++
			if f := fails(x); len(f) > 0 {
				best, bestFails, progress = x, f, true
				i--
			}
		}
	}
	t.Logf("shrinking took %d runs", runs)
	return best, bestFails
}

// failsFor builds x on e and returns its mismatches about member and
// client (member-wide ones when client is "").
func failsFor(t *testing.T, e *graphtest.Env, x *scenario, member, client string, req *request) []mismatch {
	t.Helper()
	mi := x.memberIndex(member)
	if mi < 0 {
		return nil
	}
	b := build(t, e, x)
	got, _ := b.run(runOpts{focus: []int{mi}, extra: req})
	var out []mismatch
	for _, mm := range got {
		if mm.Member == member && mm.Client == client {
			out = append(out, mm)
		}
	}
	return out
}
