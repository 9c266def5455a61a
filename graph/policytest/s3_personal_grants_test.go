package policytest

import (
	"strings"
	"testing"
	"time"

	"caseload/ent"
	"caseload/ent/schema/access"
	"caseload/graph/graphtest"
)

// Policy §3 rules 3, 4 and 7 reach clients through grants made to the member
// personally: care-team assignments, shares, break-glass grants. The
// viewer's statement reads which kinds the member holds (viewer.Without),
// and a query's SQL leaves out the rules of the kinds held none of. These
// tests hold that this changes no answer: a grant counts from the next
// request, and one that no longer gives access (ended, revoked, expired) is
// left out exactly as its rule leaves it out.

// personalGrant is one kind of personal grant: how to give it, live or
// lapsed, and the table its rule's SQL reads.
type personalGrant struct {
	name, table string
	give        func(e *graphtest.Env, c *ent.ClientRecord, m *ent.Member)
	lapsed      func(e *graphtest.Env, c *ent.ClientRecord, m *ent.Member)
}

var personalGrants = []personalGrant{
	{"care team", "assignments",
		func(e *graphtest.Env, c *ent.ClientRecord, m *ent.Member) { e.Assign(c, m) },
		func(e *graphtest.Env, c *ent.ClientRecord, m *ent.Member) { e.EndAssignment(e.Assign(c, m)) }},
	{"share", "shares",
		func(e *graphtest.Env, c *ent.ClientRecord, m *ent.Member) { e.Share(c, m, access.View) },
		func(e *graphtest.Env, c *ent.ClientRecord, m *ent.Member) {
			e.Share(c, m, access.View, graphtest.Revoked())
			e.Share(c, m, access.Edit, graphtest.Expires(time.Now().Add(-time.Minute)))
		}},
	{"break-glass grant", "emergency_accesses",
		func(e *graphtest.Env, c *ent.ClientRecord, m *ent.Member) {
			e.Emergency(c, m, time.Now().Add(time.Hour))
		},
		func(e *graphtest.Env, c *ent.ClientRecord, m *ent.Member) {
			e.Emergency(c, m, time.Now().Add(-time.Minute))
		}},
}

// personalGrantsPractice is a care-team practice where m, a practitioner,
// is responsible for no client: only a personal grant shows m one.
func personalGrantsPractice(e *graphtest.Env) (owner, m *ent.Member, c *ent.ClientRecord) {
	p := e.Practice(func(c *ent.PracticeCreate) { c.SetClientVisibility(access.CareTeam) })
	owner, m = e.Member(p), e.Member(p)
	return owner, m, e.NewClient(p, graphtest.ResponsibleIs(owner))
}

// names reports whether stmt names table, quoted as PostgreSQL or SQLite
// quotes it.
func names(stmt, table string) bool {
	return strings.Contains(stmt, `"`+table+`"`) || strings.Contains(stmt, "`"+table+"`")
}

func TestPersonalGrant_CountsFromTheNextRequest(t *testing.T) {
	for _, g := range personalGrants {
		t.Run(g.name, func(t *testing.T) {
			e := graphtest.New(t)
			_, m, c := personalGrantsPractice(e)
			requireSees(t, e, m, []*ent.ClientRecord{c})
			g.give(e, c, m)
			requireSees(t, e, m, []*ent.ClientRecord{c}, c)
		})
	}
}

func TestPersonalGrant_Lapsed_HidesClient(t *testing.T) {
	for _, g := range personalGrants {
		t.Run(g.name, func(t *testing.T) {
			e := graphtest.New(t)
			_, m, c := personalGrantsPractice(e)
			g.lapsed(e, c, m)
			requireSees(t, e, m, []*ent.ClientRecord{c})
		})
	}
}

// A rule is left out of a query's SQL when, and only when, the member holds
// no grant of its kind that gives access now: lapsed grants leave it out
// too, and a live one keeps it, with the client seen.
func TestPersonalGrant_RuleLeftOutOfTheSQL_OnlyWhenTheMemberHoldsNone(t *testing.T) {
	for _, g := range personalGrants {
		t.Run(g.name, func(t *testing.T) {
			e := graphtest.New(t)
			_, m, c := personalGrantsPractice(e)
			counter := e.CountStatements(t)
			counter.Record()
			reads := func() bool {
				t.Helper()
				counter.Reset()
				visibleClients(t, e, m)
				seesByID(t, e, m, c)
				found := false
				for _, stmt := range counter.Statements() {
					if names(stmt, "clients") && names(stmt, g.table) {
						found = true
					}
				}
				return found
			}
			if reads() {
				t.Errorf("a member without a %s: the clients' SQL still reads %s", g.name, g.table)
			}
			g.lapsed(e, c, m)
			if reads() {
				t.Errorf("a member whose %s has lapsed: the clients' SQL still reads %s", g.name, g.table)
			}
			requireSees(t, e, m, []*ent.ClientRecord{c})
			g.give(e, c, m)
			if !reads() {
				t.Errorf("a member with a %s: the clients' SQL does not read %s", g.name, g.table)
			}
			requireSees(t, e, m, []*ent.ClientRecord{c}, c)
		})
	}
}
