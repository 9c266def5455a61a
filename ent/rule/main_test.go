package rule_test

// The tests of package rule read like the access policy
// (/work/shared/access-policy.md): each table is one statement of it, each
// row one case, built with the fixtures of graph/graphtest and a viewer of
// viewertest. Before a row asserts anything it checks that its fixtures say
// what the row's facts say, so that a row cannot pass by testing a client
// other than the one it describes.

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"caseload/ent"
	"caseload/ent/assignment"
	"caseload/ent/clientrecord"
	"caseload/ent/rule"
	"caseload/ent/schema/access"
	"caseload/ent/schema/pulid"
	"caseload/ent/viewer"
	"caseload/ent/viewer/viewertest"
	"caseload/graph/graphtest"
)

func TestMain(m *testing.M) { graphtest.Main(m) }

// Practice settings, for fixture practices.
var (
	allTeamPractice            = func(c *ent.PracticeCreate) { c.SetClientVisibility(access.AllTeam) }
	emergencyReachesRestricted = func(c *ent.PracticeCreate) { c.SetEmergencyReachesRestricted(true) }
	ownClientsPractice         = func(c *ent.PracticeCreate) { c.SetPractitionersManageOwnClients(true) }
)

// fixture is one practice of a test row: the viewer's own member (me), two
// practitioner colleagues (other, third), a deactivated practitioner (gone),
// three tags, and the practice's settings as viewer.Load would read them.
type fixture struct {
	t        testing.TB
	e        *graphtest.Env
	p        *ent.Practice
	settings viewer.Settings
	// now is the request clock of every viewer the fixture builds (unless a
	// row moves it with viewertest.At) and the instant expiries are set from.
	now                    time.Time
	me, other, third, gone *ent.Member
	red, blue, green       *ent.Tag
	names                  map[pulid.ID]string
	foreign                *ent.Practice
}

// newFixture makes a practice with the given settings in the database of
// base, for test t.
func newFixture(t testing.TB, base *graphtest.Env, practice ...func(*ent.PracticeCreate)) *fixture {
	t.Helper()
	e := *base
	e.T = t
	p := e.Practice(practice...)
	f := &fixture{
		t: t, e: &e, p: p,
		settings: viewer.Settings{
			ClientVisibility:              p.ClientVisibility,
			PractitionersManageOwnClients: p.PractitionersManageOwnClients,
			EmergencyReachesRestricted:    p.EmergencyReachesRestricted,
			EmergencyAccessMinutes:        p.EmergencyAccessMinutes,
		},
		// Microseconds: PostgreSQL keeps no more, and a row may store an
		// expiry equal to the clock.
		now:   time.Now().UTC().Truncate(time.Microsecond),
		names: map[pulid.ID]string{},
	}
	f.me = f.member("me")
	f.other = f.member("other")
	f.third = f.member("third")
	f.gone = f.member("gone", graphtest.Inactive())
	f.red, f.blue, f.green = f.tag("red"), f.tag("blue"), f.tag("green")
	return f
}

func (f *fixture) member(name string, opts ...graphtest.MemberOpt) *ent.Member {
	f.t.Helper()
	m := f.e.Member(f.p, opts...)
	f.names[m.ID] = name
	return m
}

func (f *fixture) tag(name string) *ent.Tag {
	f.t.Helper()
	tg := f.e.Tag(f.p, name)
	f.names[tg.ID] = name
	return tg
}

// viewer is me as a viewer: the practice's settings, the fixture's clock,
// then the row's options.
func (f *fixture) viewer(opts ...viewertest.Option) *viewer.Viewer {
	return viewertest.New(f.p.ID, f.me.ID, append([]viewertest.Option{viewertest.WithSettings(f.settings), viewertest.At(f.now)}, opts...)...)
}

// client creates a client of the fixture's practice.
func (f *fixture) client(opts ...graphtest.ClientOpt) *ent.ClientRecord {
	f.t.Helper()
	return f.e.NewClient(f.p, opts...)
}

// foreignClient creates a client of another practice.
func (f *fixture) foreignClient(opts ...graphtest.ClientOpt) *ent.ClientRecord {
	f.t.Helper()
	if f.foreign == nil {
		f.foreign = f.e.Practice(allTeamPractice)
	}
	return f.e.NewClient(f.foreign, opts...)
}

func (f *fixture) in(d time.Duration) time.Time { return f.now.Add(d) }

// facts describes a client as the database holds it, judged at the clock
// now: "vis=ALL_TEAM restricted tags=red responsible=other team=me
// ended=third share=me:VIEW:expired emergency=me". Rows state the facts they
// mean to build, and the runner compares.
func (f *fixture) facts(id pulid.ID, now time.Time) string {
	f.t.Helper()
	c, err := f.e.Client().ClientRecord.Query().Where(clientrecord.IDEQ(id)).
		WithTags().WithAssignments().WithShares().WithEmergencyAccesses().
		Only(f.e.Ctx)
	if ent.IsNotFound(err) {
		return "no such client"
	}
	if err != nil {
		return fmt.Sprintf("unknown: %v", err)
	}
	var parts []string
	if c.PracticeID != f.p.ID {
		parts = append(parts, "foreign")
	}
	parts = append(parts, "vis="+string(c.Visibility))
	if c.Restricted {
		parts = append(parts, "restricted")
	}
	list := func(key string, items []string) {
		if len(items) > 0 {
			slices.Sort(items)
			parts = append(parts, key+"="+strings.Join(items, ","))
		}
	}
	var tags []string
	for _, tg := range c.Edges.Tags {
		tags = append(tags, f.name(tg.ID))
	}
	list("tags", tags)
	if c.ResponsibleID != nil {
		parts = append(parts, "responsible="+f.name(*c.ResponsibleID))
	}
	var team, ended []string
	for _, a := range c.Edges.Assignments {
		if a.Kind != assignment.KindCARE_TEAM {
			continue
		}
		if a.EndedAt == nil {
			team = append(team, f.name(a.MemberID))
		} else {
			ended = append(ended, f.name(a.MemberID))
		}
	}
	list("team", team)
	list("ended", ended)
	var shares []string
	for _, s := range c.Edges.Shares {
		d := f.name(s.MemberID) + ":" + string(s.Level)
		if s.ExpiresAt != nil {
			if s.ExpiresAt.After(now) {
				d += ":until-later"
			} else {
				d += ":expired"
			}
		}
		if s.RevokedAt != nil {
			d += ":revoked"
		}
		shares = append(shares, d)
	}
	list("share", shares)
	var emergency []string
	for _, g := range c.Edges.EmergencyAccesses {
		d := f.name(g.MemberID)
		if !g.ExpiresAt.After(now) {
			d += ":expired"
		}
		emergency = append(emergency, d)
	}
	list("emergency", emergency)
	return strings.Join(parts, " ")
}

func (f *fixture) name(id pulid.ID) string {
	if n, ok := f.names[id]; ok {
		return n
	}
	return "stranger"
}

// requireFacts stops the row when its fixtures are not what it says.
func (f *fixture) requireFacts(id pulid.ID, now time.Time, want string) {
	f.t.Helper()
	if got := f.facts(id, now); got != want {
		f.t.Fatalf("the fixture is not the case the row describes:\n got facts  %q\n want facts %q", got, want)
	}
}

// applied and cutBy spell the parts of a rule.Decision in a table.
func applied(r access.Rule, l access.Level) rule.Applied { return rule.Applied{Rule: r, Level: l} }

func cutBy(r access.Rule, l access.Level, by access.Cut) rule.Cut {
	return rule.Cut{Rule: r, Level: l, By: by}
}

// show renders a decision for comparison and failure messages. Rules keep
// their order (the API lists them in the policy's order); cuts are sorted,
// since no order of theirs is promised.
func show(d rule.Decision) string {
	var rules, cuts []string
	for _, a := range d.Rules {
		rules = append(rules, fmt.Sprintf("%s:%s", a.Rule, a.Level))
	}
	for _, c := range d.Cuts {
		cuts = append(cuts, fmt.Sprintf("%s:%s by %s", c.Rule, c.Level, c.By))
	}
	slices.Sort(cuts)
	return fmt.Sprintf("level %s, rules [%s], cuts [%s]", d.Level, strings.Join(rules, " "), strings.Join(cuts, "; "))
}

// decide is rule.Decide, failing test t on error.
func (f *fixture) decide(t testing.TB, v *viewer.Viewer, id pulid.ID) rule.Decision {
	t.Helper()
	d, err := rule.Decide(t.Context(), f.e.Client(), v, id)
	if err != nil {
		t.Fatalf("Decide: %v", err)
	}
	return d
}

func ptr(id pulid.ID) *pulid.ID { return &id }

// randomClients fills the fixture's practice with n clients of every shape
// the rules of §3 look at: responsible practitioner (active or not) or none,
// care team (some assignments ended), visibility, restricted flag, tags,
// shares (open, until later, expired, revoked) and emergency grants (current
// or expired), for me and for colleagues.
func (f *fixture) randomClients(rng *rand.Rand, n int) []*ent.ClientRecord {
	f.t.Helper()
	practitioners := []*ent.Member{f.me, f.other, f.third, f.gone}
	tags := []*ent.Tag{f.red, f.blue, f.green}
	pick := func() *ent.Member { return practitioners[rng.IntN(len(practitioners))] }
	out := make([]*ent.ClientRecord, 0, n)
	for range n {
		var opts []graphtest.ClientOpt
		if rng.IntN(4) > 0 {
			opts = append(opts, graphtest.ResponsibleIs(pick()))
		}
		opts = append(opts, graphtest.Visibility(access.ClientVisibilities[rng.IntN(len(access.ClientVisibilities))]))
		if rng.IntN(5) == 0 {
			opts = append(opts, graphtest.Restricted())
		}
		var carried []*ent.Tag
		for _, tg := range tags {
			if rng.IntN(3) == 0 {
				carried = append(carried, tg)
			}
		}
		if len(carried) > 0 {
			opts = append(opts, graphtest.Tagged(carried...))
		}
		c := f.client(opts...)
		for _, m := range practitioners {
			if rng.IntN(4) == 0 {
				a := f.e.Assign(c, m)
				if rng.IntN(3) == 0 {
					f.e.EndAssignment(a)
				}
			}
		}
		for _, m := range []*ent.Member{f.me, f.other} {
			if rng.IntN(3) != 0 {
				continue
			}
			level := []access.Level{access.View, access.Edit}[rng.IntN(2)]
			var sopts []graphtest.ShareOpt
			switch rng.IntN(4) {
			case 1:
				sopts = append(sopts, graphtest.Expires(f.in(time.Hour)))
			case 2:
				sopts = append(sopts, graphtest.Expires(f.in(-time.Minute)))
			case 3:
				sopts = append(sopts, graphtest.Revoked())
			}
			f.e.Share(c, m, level, sopts...)
		}
		if rng.IntN(5) == 0 {
			expires := f.in(time.Hour)
			if rng.IntN(3) == 0 {
				expires = f.in(-time.Minute)
			}
			f.e.Emergency(c, f.me, expires)
		}
		out = append(out, c)
	}
	return out
}
