package policytest

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"caseload/ent"
	"caseload/ent/schema/access"
	"caseload/ent/schema/pulid"
	"caseload/graph/graphtest"
)

// Policy §10 on random practices: what explainAccess tells an admin about a
// member agrees with what the API then serves that member. sees is whether
// client(id) answers; level, rules, sections and the actions are the
// client's viewerAccess. A deactivated member, who is served nothing, is
// explained as seeing nothing.

const viewerAccessFragment = `fragment va on Client { id viewerAccess { level rules sections { section level }
	canEdit canAssign canShare canChangeResponsible } }`

type servedAccess struct {
	Level    access.Level
	Rules    []access.Rule
	Sections []struct {
		Section access.Section
		Level   access.Level
	}
	CanEdit, CanAssign, CanShare, CanChangeResponsible bool
}

func TestExplainAccess_AgreesWithWhatTheAPIServes(t *testing.T) {
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 10))
	for round := range 3 {
		e := graphtest.New(t)
		p, admin, members, clients := randomExplainPractice(e, rng)
		for _, m := range members {
			explains := explainAll(t, e, admin, m, clients)
			if !m.Active {
				for id, x := range explains {
					if x.Sees || x.Level != access.None || len(x.Rules) != 0 {
						t.Fatalf("seed %d round %d: deactivated %s explained as seeing %s: %+v", seed, round, m.Name, id, x)
					}
				}
				continue
			}
			served := serveAll(t, e, m, clients)
			var visible []*ent.ClientRecord
			for _, c := range clients {
				x, va := explains[c.ID], served[c.ID]
				if msg := disagreement(x, va); msg != "" {
					t.Fatalf("seed %d round %d (practice %s): %s on %s: %s\n explained %+v\n served    %+v",
						seed, round, p.ID, m.Name, c.Name, msg, x, va)
				}
				if va != nil {
					visible = append(visible, c)
				}
			}
			// Asking about themselves, a member is told what an admin is.
			for id, self := range explainAll(t, e, m, m, visible) {
				if fmt.Sprint(self) != fmt.Sprint(explains[id]) {
					t.Fatalf("seed %d round %d: %s about themselves: %+v\n an admin is told %+v", seed, round, m.Name, self, explains[id])
				}
			}
		}
	}
}

// disagreement says how an explanation disagrees with what was served, or "".
func disagreement(x explanation, va *servedAccess) string {
	if x.Sees != (va != nil) {
		return fmt.Sprintf("sees=%v but client(id) non-null=%v", x.Sees, va != nil)
	}
	if va == nil {
		if x.Level != access.None || len(x.Rules) != 0 || x.CanEdit || x.CanShare || x.CanAssign || x.CanChangeResponsible {
			return "a hidden client explained with access"
		}
		return ""
	}
	var rules []access.Rule
	for _, r := range x.Rules {
		rules = append(rules, r.Rule)
	}
	switch {
	case x.Level != va.Level:
		return "level"
	case !slices.Equal(rules, va.Rules):
		return "rules"
	case x.CanEdit != va.CanEdit || x.CanAssign != va.CanAssign || x.CanShare != va.CanShare || x.CanChangeResponsible != va.CanChangeResponsible:
		return "actions"
	case len(x.Sections) != len(va.Sections):
		return "sections"
	}
	for i, s := range x.Sections {
		if s.Section != va.Sections[i].Section || s.Level != va.Sections[i].Level || s.RelationshipLevel != x.Level ||
			s.Level != access.Min(s.RoleLevel, s.RelationshipLevel) {
			return "section " + string(s.Section)
		}
	}
	return ""
}

// explainAll asks, as asker, explainAccess about m and every client, ten
// aliases a request.
func explainAll(t *testing.T, e *graphtest.Env, asker, m *ent.Member, clients []*ent.ClientRecord) map[pulid.ID]explanation {
	t.Helper()
	out := map[pulid.ID]explanation{}
	for _, chunk := range slices.Collect(slices.Chunk(clients, 10)) {
		var q strings.Builder
		q.WriteString("{")
		for i, c := range chunk {
			fmt.Fprintf(&q, " e%d: explainAccess(memberId: %q, clientId: %q) { ...explained }", i, m.ID, c.ID)
		}
		q.WriteString(" }\n" + explainQuery[strings.Index(explainQuery, "fragment"):])
		r := e.As(asker, q.String(), nil)
		r.RequireNoErrors(t)
		var got map[string]explanation
		r.Decode(t, &got)
		for i, c := range chunk {
			out[c.ID] = got[fmt.Sprintf("e%d", i)]
		}
	}
	return out
}

// serveAll reads client(id) { viewerAccess } as m for every client, ten
// aliases a request; a hidden client is nil.
func serveAll(t *testing.T, e *graphtest.Env, m *ent.Member, clients []*ent.ClientRecord) map[pulid.ID]*servedAccess {
	t.Helper()
	out := map[pulid.ID]*servedAccess{}
	for _, chunk := range slices.Collect(slices.Chunk(clients, 10)) {
		var q strings.Builder
		q.WriteString("{")
		for i, c := range chunk {
			fmt.Fprintf(&q, " c%d: client(id: %q) { ...va }", i, c.ID)
		}
		q.WriteString(" }\n" + viewerAccessFragment)
		r := e.As(m, q.String(), nil)
		r.RequireNoErrors(t)
		var got map[string]*struct{ ViewerAccess servedAccess }
		r.Decode(t, &got)
		for i, c := range chunk {
			if g := got[fmt.Sprintf("c%d", i)]; g != nil {
				out[c.ID] = &g.ViewerAccess
			}
		}
	}
	return out
}

// randomExplainPractice builds a practice with random settings, members of
// every kind (roles with random sections and capabilities, tag
// restrictions, team member access, a deactivated practitioner) and
// clients of every shape §3 looks at.
func randomExplainPractice(e *graphtest.Env, rng *rand.Rand) (*ent.Practice, *ent.Member, []*ent.Member, []*ent.ClientRecord) {
	p := e.Practice(func(c *ent.PracticeCreate) {
		c.SetClientVisibility([]access.ClientVisibility{access.AllTeam, access.CareTeam}[rng.IntN(2)]).
			SetEmergencyReachesRestricted(rng.IntN(2) == 0).SetPractitionersManageOwnClients(rng.IntN(2) == 0)
	})
	tags := []*ent.Tag{e.Tag(p, "north"), e.Tag(p, "south")}
	level := func() access.Level { return access.Levels[rng.IntN(3)] }
	randomRole := func(t access.AccountType) *ent.Role {
		sections := access.SectionLevels{}
		for _, s := range access.Sections {
			sections[s] = level()
		}
		var caps []access.Capability
		for _, c := range access.Capabilities {
			if rng.IntN(3) == 0 {
				caps = append(caps, c)
			}
		}
		var within []*ent.Tag
		if rng.IntN(2) == 0 {
			within = tags[:1]
		}
		return e.Role(p, t, sections, caps, within...)
	}
	admin := e.Member(p, graphtest.Admin())
	practitioners := []*ent.Member{e.Member(p), e.Member(p, graphtest.WithRole(randomRole(access.Practitioner))), e.Member(p, graphtest.Inactive())}
	supervisor := e.Member(p, graphtest.WithRole(randomRole(access.Practitioner)))
	e.TeamAccess(supervisor, practitioners[rng.IntN(3)], []access.Level{access.View, access.Edit}[rng.IntN(2)])
	if rng.IntN(2) == 0 {
		e.TeamAccess(supervisor, nil, access.View)
	}
	staff := []*ent.Member{e.Member(p, graphtest.Administrative()), e.Member(p, graphtest.Administrative(), graphtest.WithRole(randomRole(access.Administrative)))}
	members := append(append(append([]*ent.Member{}, practitioners...), supervisor), staff...)
	var clients []*ent.ClientRecord
	for range 20 {
		clients = append(clients, randomExplainClient(e, rng, p, practitioners, members, tags))
	}
	return p, admin, members, clients
}

// randomExplainClient is one client of p with a random shape.
func randomExplainClient(e *graphtest.Env, rng *rand.Rand, p *ent.Practice, practitioners, members []*ent.Member, tags []*ent.Tag) *ent.ClientRecord {
	opts := []graphtest.ClientOpt{graphtest.Visibility(access.ClientVisibilities[rng.IntN(len(access.ClientVisibilities))])}
	if rng.IntN(4) > 0 {
		opts = append(opts, graphtest.ResponsibleIs(practitioners[rng.IntN(len(practitioners))]))
	}
	if rng.IntN(4) == 0 {
		opts = append(opts, graphtest.Restricted())
	}
	if rng.IntN(2) == 0 {
		opts = append(opts, graphtest.Tagged(tags[rng.IntN(len(tags))]))
	}
	c := e.NewClient(p, opts...)
	for _, m := range practitioners {
		if rng.IntN(5) == 0 {
			e.Assign(c, m)
		}
	}
	for _, m := range members {
		if rng.IntN(6) > 0 {
			continue
		}
		var sopts []graphtest.ShareOpt
		switch rng.IntN(3) {
		case 1:
			sopts = append(sopts, graphtest.Expires(time.Now().Add(-time.Minute)))
		case 2:
			sopts = append(sopts, graphtest.Revoked())
		}
		e.Share(c, m, []access.Level{access.View, access.Edit}[rng.IntN(2)], sopts...)
	}
	if rng.IntN(5) == 0 {
		e.Emergency(c, members[rng.IntN(len(members))], time.Now().Add(time.Duration(rng.IntN(3)-1)*time.Hour))
	}
	return c
}
