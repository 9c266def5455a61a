package policytest

import (
	"strings"
	"sync"
	"testing"

	"caseload/ent"
	"caseload/ent/assignment"
	"caseload/ent/clientrecord"
	"caseload/ent/schema/access"
	"caseload/graph/graphtest"
)

const reassignMutation = `mutation($f: ID!, $t: ID!, $r: String!, $tags: [ID!]) {
  reassignCaseload(fromPractitionerId: $f, toPractitionerId: $t, reason: $r, tagIds: $tags) { count responsibleCount careTeamCount clients { id } } }`

func TestReassignCaseload_MovesADeactivatedPractitionersActiveClientsWithHistory(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	admin := e.Member(p, graphtest.Admin())
	leaving, receiving, other := e.Member(p), e.Member(p), e.Member(p)
	owned := []*ent.ClientRecord{e.NewClient(p, graphtest.ResponsibleIs(leaving)), e.NewClient(p, graphtest.ResponsibleIs(leaving))}
	inactive := e.NewClient(p, graphtest.ResponsibleIs(leaving))
	if err := e.Client().ClientRecord.UpdateOne(inactive).SetStatus(clientrecord.StatusINACTIVE).Exec(e.Ctx); err != nil {
		t.Fatal(err)
	}
	teamed := e.NewClient(p, graphtest.ResponsibleIs(other))
	e.Assign(teamed, leaving)

	// Policy §2: deactivation is never refused because of what the member
	// holds; their clients stay assigned until handed over.
	e.As(admin, updateMemberMutation, map[string]any{"id": leaving.ID, "in": map[string]any{"active": false}}).RequireNoErrors(t)
	if got := reload(t, e, owned[0]).ResponsibleID; got == nil || *got != leaving.ID {
		t.Fatal("deactivation must leave the clients assigned")
	}

	r := e.As(admin, reassignMutation, map[string]any{"f": leaving.ID, "t": receiving.ID, "r": "parental leave"})
	r.RequireNoErrors(t)
	if !strings.Contains(string(r.Data), `"count":3,"responsibleCount":2,"careTeamCount":1`) {
		t.Fatalf("want 2 responsibilities and 1 care-team place moved: %s", r.Data)
	}
	for _, c := range owned {
		if got := reload(t, e, c).ResponsibleID; got == nil || *got != receiving.ID {
			t.Fatalf("client %s not handed over", c.Name)
		}
		recorded, err := e.Client().Assignment.Query().Where(assignment.ClientIDEQ(c.ID), assignment.MemberIDEQ(receiving.ID),
			assignment.KindEQ(assignment.KindRESPONSIBLE), assignment.ReasonEQ("parental leave"), assignment.EndedAtIsNil()).Count(e.Ctx)
		if err != nil || recorded != 1 {
			t.Fatalf("no history for %s: %v", c.Name, err)
		}
	}
	if got := reload(t, e, inactive).ResponsibleID; got == nil || *got != leaving.ID {
		t.Fatal("an inactive client was moved")
	}
	requireSees(t, e, receiving, []*ent.ClientRecord{owned[0], owned[1], teamed, inactive}, owned[0], owned[1], teamed)
}

func TestReassignCaseload_OnlyTaggedClients(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	admin := e.Member(p, graphtest.Admin())
	from, to := e.Member(p), e.Member(p)
	north := e.Tag(p, "North")
	tagged := e.NewClient(p, graphtest.ResponsibleIs(from), graphtest.Tagged(north))
	untagged := e.NewClient(p, graphtest.ResponsibleIs(from))
	e.As(admin, reassignMutation, map[string]any{"f": from.ID, "t": to.ID, "r": "north clinic", "tags": []any{north.ID}}).RequireNoErrors(t)
	if *reload(t, e, tagged).ResponsibleID != to.ID || *reload(t, e, untagged).ResponsibleID != from.ID {
		t.Fatal("only the tagged client should move")
	}
}

func TestReassignCaseload_WithoutRights_ForbiddenAndNothingMoves(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	from, to := e.Member(p), e.Member(p)
	c := e.NewClient(p, graphtest.ResponsibleIs(from))
	requireCode(t, e.As(from, reassignMutation, map[string]any{"f": from.ID, "t": to.ID, "r": "leaving"}), "FORBIDDEN")
	if *reload(t, e, c).ResponsibleID != from.ID {
		t.Fatal("a refused hand-over moved a client")
	}
	admin := e.Member(p, graphtest.Admin())
	requireCode(t, e.As(admin, reassignMutation, map[string]any{"f": from.ID, "t": e.Member(p, graphtest.Administrative()).ID, "r": "x"}), "BAD_USER_INPUT")
	requireCode(t, e.As(admin, reassignMutation, map[string]any{"f": from.ID, "t": to.ID, "r": " "}), "BAD_USER_INPUT")
}

// A hand-over racing with single reassignments loses no client and moves
// none twice: every client ends with exactly one active responsibility row,
// matching the client.
func TestReassignCaseload_RacingSingleReassignments_LosesNoneDuplicatesNone(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	admin := e.Member(p, graphtest.Admin())
	from, to, third := e.Member(p), e.Member(p), e.Member(p)
	var clients []*ent.ClientRecord
	for i := 0; i < 12; i++ {
		c := e.NewClient(p)
		e.As(admin, setResponsible, map[string]any{"c": c.ID, "p": from.ID}).RequireNoErrors(t)
		clients = append(clients, c)
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		if r := e.As(admin, reassignMutation, map[string]any{"f": from.ID, "t": to.ID, "r": "departure"}); len(r.Errors) > 0 {
			t.Errorf("hand-over failed: %+v", r.Errors)
		}
	}()
	for _, c := range clients[:6] {
		wg.Add(1)
		go func(c *ent.ClientRecord) {
			defer wg.Done()
			r := e.As(admin, setResponsible, map[string]any{"c": c.ID, "p": third.ID})
			if len(r.Errors) > 0 && r.Errors[0].Code() != "CONFLICT" {
				t.Errorf("single reassignment failed: %+v", r.Errors)
			}
		}(c)
	}
	wg.Wait()
	for _, c := range clients {
		got := reload(t, e, c).ResponsibleID
		if got == nil || *got == from.ID {
			t.Fatalf("client %s was lost or left behind: %v", c.Name, got)
		}
		rows, err := e.Client().Assignment.Query().
			Where(assignment.ClientIDEQ(c.ID), assignment.KindEQ(assignment.KindRESPONSIBLE), assignment.EndedAtIsNil()).All(e.Ctx)
		if err != nil || len(rows) != 1 || rows[0].MemberID != *got {
			t.Fatalf("client %s: want one active responsibility row for %s, got %d (%v)", c.Name, *got, len(rows), err)
		}
	}
}

// Policy §6, "Changes that hide the client from their author": a supervisor
// who sees a client only through team member access to the leaving
// practitioner, with ASSIGN_PRACTITIONERS and EDIT, may hand that
// practitioner's care-team place over; the hand-over takes effect although
// it ends the supervisor's own sight of the client, and answers the client
// as written.
func TestReassignCaseload_BySupervisorWhoLosesSightOfTheClient_TakesEffect(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice(func(c *ent.PracticeCreate) { c.SetClientVisibility(access.CareTeam) })
	owner, leaving, receiving := e.Member(p), e.Member(p), e.Member(p)
	supervisor := e.Member(p, graphtest.WithRole(practitionerRole(e, p, access.Edit, []access.Capability{access.AssignPractitioners})))
	e.TeamAccess(supervisor, leaving, access.Edit)
	c := e.NewClient(p, graphtest.ResponsibleIs(owner))
	e.Assign(c, leaving)
	r := e.As(supervisor, `mutation($f: ID!, $t: ID!) { reassignCaseload(fromPractitionerId: $f, toPractitionerId: $t, reason: "leave") {
	  careTeamCount clients { id name careTeam { id } viewerAccess { level } } } }`, map[string]any{"f": leaving.ID, "t": receiving.ID})
	r.RequireNoErrors(t)
	var out struct {
		ReassignCaseload struct {
			CareTeamCount int
			Clients       []struct {
				ID           string
				CareTeam     []struct{ ID string }
				ViewerAccess struct{ Level string }
			}
		}
	}
	r.Decode(t, &out)
	got := out.ReassignCaseload
	if got.CareTeamCount != 1 || len(got.Clients) != 1 || got.Clients[0].ID != string(c.ID) {
		t.Fatalf("answer: %+v", got)
	}
	if got.Clients[0].ViewerAccess.Level != "NONE" || len(got.Clients[0].CareTeam) != 1 || got.Clients[0].CareTeam[0].ID != string(receiving.ID) {
		t.Fatalf("the client as written: %+v", got.Clients[0])
	}
	active := e.Client().Assignment.Query().Where(assignment.ClientIDEQ(c.ID), assignment.KindEQ(assignment.KindCARE_TEAM), assignment.EndedAtIsNil()).AllX(e.Ctx)
	if len(active) != 1 || active[0].MemberID != receiving.ID {
		t.Fatalf("care team after the hand-over: %+v", active)
	}
}
