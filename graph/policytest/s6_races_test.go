package policytest

import (
	"fmt"
	"sync"
	"testing"

	"caseload/ent"
	"caseload/ent/assignment"
	"caseload/graph/graphtest"
)

// Policy §6 under concurrency, on PostgreSQL where transactions really run
// at once (SQLite serialises every writer): changes of responsibility and
// care team lock the client first, and a transaction that loses a race
// (deadlock, serialization failure) runs again; a change that still cannot
// apply is CONFLICT, never INTERNAL. After any race the client has one
// responsible practitioner matching its one active responsibility row, and no
// practitioner is both responsible and on the care team.

const (
	raceSetResponsible = `mutation($c: ID!, $p: ID) { setResponsiblePractitioner(clientId: $c, practitionerId: $p) { id } }`
	raceAssign         = `mutation($c: ID!, $p: ID!) { assignPractitioner(clientId: $c, practitionerId: $p) { id } }`
	raceUnassign       = `mutation($c: ID!, $p: ID!) { unassignPractitioner(clientId: $c, practitionerId: $p) { id } }`
	raceReassign       = `mutation($f: ID!, $t: ID!) { reassignCaseload(fromPractitionerId: $f, toPractitionerId: $t, reason: "leave") { count } }`
)

// raceRun sends the requests at once and fails on any answer but success or
// the codes allowed.
func raceRun(t *testing.T, e *graphtest.Env, allowed map[string]bool, reqs ...func() *graphtest.Response) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make(chan string, len(reqs))
	for _, req := range reqs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := req()
			for _, er := range r.Errors {
				if !allowed[er.Code()] {
					errs <- fmt.Sprintf("%s: %s", er.Code(), er.Message)
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for msg := range errs {
		t.Errorf("a racing change answered %s", msg)
	}
}

// requireConsistentCareTeam checks the invariants of §6 on a client.
func requireConsistentCareTeam(t *testing.T, e *graphtest.Env, c *ent.ClientRecord) {
	t.Helper()
	c = reload(t, e, c)
	rows, err := e.Client().Assignment.Query().Where(assignment.ClientIDEQ(c.ID), assignment.EndedAtIsNil()).All(e.Ctx)
	if err != nil {
		t.Fatal(err)
	}
	var responsible []*ent.Assignment
	team := map[string]bool{}
	for _, a := range rows {
		if a.Kind == assignment.KindRESPONSIBLE {
			responsible = append(responsible, a)
		} else {
			team[string(a.MemberID)] = true
		}
	}
	switch {
	case c.ResponsibleID == nil && len(responsible) != 0,
		c.ResponsibleID != nil && (len(responsible) != 1 || responsible[0].MemberID != *c.ResponsibleID):
		t.Fatalf("client %s: responsible %v, active responsibility rows %d", c.Name, c.ResponsibleID, len(responsible))
	case c.ResponsibleID != nil && team[string(*c.ResponsibleID)]:
		t.Fatalf("client %s: %s is both responsible and on the care team", c.Name, *c.ResponsibleID)
	}
}

func TestRace_SetResponsibleAgainstAssigningTheSamePractitioner(t *testing.T) {
	e := graphtest.NewOn(t, graphtest.OpenPostgres(t))
	p := e.Practice()
	admin := e.Member(p, graphtest.Admin())
	owner := e.Member(p)
	for trial := range 20 {
		c := e.NewClient(p, graphtest.ResponsibleIs(owner))
		e.Client().Assignment.Create().SetPracticeID(p.ID).SetClientID(c.ID).SetMemberID(owner.ID).
			SetKind(assignment.KindRESPONSIBLE).ExecX(e.Ctx)
		target := e.Member(p)
		vars := map[string]any{"c": c.ID, "p": target.ID}
		raceRun(t, e, map[string]bool{"CONFLICT": true},
			func() *graphtest.Response { return e.As(admin, raceSetResponsible, vars) },
			func() *graphtest.Response { return e.As(admin, raceAssign, vars) },
		)
		requireConsistentCareTeam(t, e, c)
		if t.Failed() {
			t.Fatalf("trial %d", trial)
		}
	}
}

func TestRace_HandOverAgainstSingleChanges(t *testing.T) {
	e := graphtest.NewOn(t, graphtest.OpenPostgres(t))
	p := e.Practice()
	admin := e.Member(p, graphtest.Admin())
	for trial := range 20 {
		from, to, other := e.Member(p), e.Member(p), e.Member(p)
		var clients []*ent.ClientRecord
		for range 4 {
			c := e.NewClient(p, graphtest.ResponsibleIs(from))
			e.Client().Assignment.Create().SetPracticeID(p.ID).SetClientID(c.ID).SetMemberID(from.ID).
				SetKind(assignment.KindRESPONSIBLE).ExecX(e.Ctx)
			clients = append(clients, c)
			teamed := e.NewClient(p, graphtest.ResponsibleIs(other))
			e.Client().Assignment.Create().SetPracticeID(p.ID).SetClientID(teamed.ID).SetMemberID(other.ID).
				SetKind(assignment.KindRESPONSIBLE).ExecX(e.Ctx)
			e.Assign(teamed, from)
			clients = append(clients, teamed)
		}
		reqs := []func() *graphtest.Response{
			func() *graphtest.Response { return e.As(admin, raceReassign, map[string]any{"f": from.ID, "t": to.ID}) },
		}
		for i, c := range clients {
			vars := map[string]any{"c": c.ID, "p": to.ID}
			switch i % 3 {
			case 0:
				reqs = append(reqs, func() *graphtest.Response { return e.As(admin, raceSetResponsible, vars) })
			case 1:
				reqs = append(reqs, func() *graphtest.Response { return e.As(admin, raceAssign, vars) })
			default:
				reqs = append(reqs, func() *graphtest.Response {
					return e.As(admin, raceUnassign, map[string]any{"c": c.ID, "p": from.ID})
				})
			}
		}
		// CONFLICT is an honest answer to a change overtaken by another;
		// BAD_USER_INPUT to unassigning someone a hand-over already moved.
		raceRun(t, e, map[string]bool{"CONFLICT": true, "BAD_USER_INPUT": true}, reqs...)
		for _, c := range clients {
			requireConsistentCareTeam(t, e, c)
		}
		if t.Failed() {
			t.Fatalf("trial %d", trial)
		}
	}
}
