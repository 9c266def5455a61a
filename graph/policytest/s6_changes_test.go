package policytest

import (
	"testing"

	"caseload/ent"
	"caseload/ent/assignment"
	"caseload/ent/clientrecord"
	"caseload/ent/practice"
	"caseload/ent/schema/access"
	"caseload/graph/graphtest"
)

// Policy §6, "Changes that hide the client from their author": a permitted
// change commits even when its author no longer sees the client; the answer
// is the client as written, its sections FORBIDDEN, viewerAccess NONE.

const hiddenAnswer = `id name visibility restricted responsiblePractitioner { id } careTeam { id } phone viewerAccess { level canShare }`

type answeredClient struct {
	ID                      string
	Name                    string
	Visibility              string
	Restricted              bool
	ResponsiblePractitioner *struct{ ID string }
	CareTeam                []struct{ ID string }
	Phone                   *string
	ViewerAccess            struct {
		Level    string
		CanShare bool
	}
}

func TestHidingChange_SetVisibilityCommitsAndAnswersAsWritten(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice(func(c *ent.PracticeCreate) { c.SetClientVisibility(access.CareTeam) })
	owner, colleague := e.Member(p), e.Member(p)
	manager := e.Member(p, graphtest.WithRole(practitionerRole(e, p, access.Edit, []access.Capability{access.ManageClientAccess})))
	c := e.NewClient(p, graphtest.ResponsibleIs(owner), graphtest.Visibility(access.AllTeam))
	e.Assign(c, colleague)

	// Before: the manager sees the client through whole-team visibility
	// alone, and may share it.
	r := e.As(manager, `query($id: ID!) { client(id: $id) { viewerAccess { level rules canShare } } }`, map[string]any{"id": c.ID})
	r.RequireNoErrors(t)
	var before struct {
		Client struct {
			ViewerAccess struct {
				Level    string
				Rules    []string
				CanShare bool
			}
		}
	}
	r.Decode(t, &before)
	if !before.Client.ViewerAccess.CanShare || before.Client.ViewerAccess.Level != "EDIT" {
		t.Fatalf("fixture: the manager should see and manage the client, got %+v", before.Client.ViewerAccess)
	}

	r = e.As(manager, `mutation($id: ID!) { setClientVisibility(clientId: $id, visibility: CARE_TEAM) { `+hiddenAnswer+` } }`, map[string]any{"id": c.ID})
	requireForbiddenSection(t, r, "phone", access.Profile)
	var out struct{ SetClientVisibility answeredClient }
	r.Decode(t, &out)
	got := out.SetClientVisibility
	if got.ID != string(c.ID) || got.Name != c.Name || got.Visibility != "CARE_TEAM" || got.Phone != nil {
		t.Fatalf("answer: %+v", got)
	}
	if got.ResponsiblePractitioner == nil || got.ResponsiblePractitioner.ID != string(owner.ID) || len(got.CareTeam) != 1 || got.CareTeam[0].ID != string(colleague.ID) {
		t.Fatalf("the answer must carry the responsible practitioner and care team as written: %+v", got)
	}
	if got.ViewerAccess.Level != "NONE" || got.ViewerAccess.CanShare {
		t.Fatalf("viewerAccess after hiding: %+v", got.ViewerAccess)
	}
	stored := e.Client().ClientRecord.GetX(e.Ctx, c.ID)
	if stored.Visibility != access.CareTeam {
		t.Fatalf("the change did not commit: visibility %s", stored.Visibility)
	}
	// And now the client is hidden from the manager, as from a stranger.
	r = e.As(manager, `query($id: ID!) { client(id: $id) { id } }`, map[string]any{"id": c.ID})
	r.RequireNoErrors(t)
	if string(r.Data) != `{"client":null}` {
		t.Fatalf("the client must be hidden now, got %s", r.Data)
	}
}

func TestHidingChange_SetRestrictedCommits(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	owner := e.Member(p)
	manager := e.Member(p, graphtest.WithRole(practitionerRole(e, p, access.Edit, []access.Capability{access.ManageClientAccess, access.AccessAllClients})))
	c := e.NewClient(p, graphtest.ResponsibleIs(owner))
	r := e.As(manager, `mutation($id: ID!) { setClientRestricted(clientId: $id, restricted: true) { id restricted viewerAccess { level } } }`, map[string]any{"id": c.ID})
	r.RequireNoErrors(t)
	var out struct {
		SetClientRestricted struct {
			Restricted   bool
			ViewerAccess struct{ Level string }
		}
	}
	r.Decode(t, &out)
	if !out.SetClientRestricted.Restricted || out.SetClientRestricted.ViewerAccess.Level != "NONE" {
		t.Fatalf("answer: %+v", out)
	}
	if !e.Client().ClientRecord.GetX(e.Ctx, c.ID).Restricted {
		t.Fatal("the restricted flag did not commit")
	}
}

func TestHidingChange_UnassigningOneselfCommits(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice(func(c *ent.PracticeCreate) {
		c.SetClientVisibility(access.CareTeam).SetPractitionersManageOwnClients(true)
	})
	owner := e.Member(p)
	assigner := e.Member(p, graphtest.WithRole(practitionerRole(e, p, access.Edit, []access.Capability{access.AssignPractitioners})))
	c := e.NewClient(p, graphtest.ResponsibleIs(owner))
	e.Assign(c, assigner)
	r := e.As(assigner, `mutation($c: ID!, $m: ID!) { unassignPractitioner(clientId: $c, practitionerId: $m) { id careTeam { id } viewerAccess { level } } }`,
		map[string]any{"c": c.ID, "m": assigner.ID})
	r.RequireNoErrors(t)
	n := e.Client().Assignment.Query().Where(assignment.ClientIDEQ(c.ID), assignment.MemberIDEQ(assigner.ID), assignment.EndedAtIsNil()).CountX(e.Ctx)
	if n != 0 {
		t.Fatalf("the assignment is still active (%d rows)", n)
	}
	if !contains(string(r.Data), `"level":"NONE"`) {
		t.Fatalf("answer: %s", r.Data)
	}
}

func contains(s, sub string) bool { return len(s) >= len(sub) && (s == sub || indexOf(s, sub) >= 0) }

func indexOf(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}

// Policy §6, new clients: an explicit choice by a creator who may assign
// wins over assignNewClientsToCreator; one who may not gets an error.

func TestCreateClient_ExplicitResponsibleWinsOverAssignToCreator(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice(func(c *ent.PracticeCreate) { c.SetAssignNewClientsToCreator(true) })
	admin, other := e.Member(p, graphtest.Admin()), e.Member(p)
	r := e.As(admin, `mutation($p: ID!) { createClient(input: { name: "Ada", responsiblePractitionerId: $p }) { responsiblePractitioner { id } } }`, map[string]any{"p": other.ID})
	r.RequireNoErrors(t)
	if !contains(string(r.Data), string(other.ID)) {
		t.Fatalf("the named practitioner must be responsible: %s", r.Data)
	}
}

func TestCreateClient_PractitionerWithoutAssignCannotNameAnother(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice(func(c *ent.PracticeCreate) { c.SetAssignNewClientsToCreator(true) })
	creator, other := e.Member(p), e.Member(p)
	before := e.Client().ClientRecord.Query().CountX(e.Ctx)
	r := e.As(creator, `mutation($p: ID!) { createClient(input: { name: "Ada", responsiblePractitionerId: $p }) { id } }`, map[string]any{"p": other.ID})
	requireCode(t, r, "FORBIDDEN")
	if after := e.Client().ClientRecord.Query().CountX(e.Ctx); after != before {
		t.Fatalf("a refused create wrote a client (%d -> %d)", before, after)
	}
	// Naming oneself, or nobody, works; nobody means the creator here.
	for _, input := range []string{`{ name: "Bea", responsiblePractitionerId: "` + string(creator.ID) + `" }`, `{ name: "Cy" }`} {
		r = e.As(creator, `mutation { createClient(input: `+input+`) { responsiblePractitioner { id } } }`, nil)
		r.RequireNoErrors(t)
		if !contains(string(r.Data), string(creator.ID)) {
			t.Fatalf("%s: the creator must be responsible: %s", input, r.Data)
		}
	}
}

func TestCreateClient_AdministrativeCannotBeResponsible(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	admin := e.Member(p, graphtest.Admin())
	clerk := e.Member(p, graphtest.Administrative())
	r := e.As(admin, `mutation($p: ID!) { createClient(input: { name: "Ada", responsiblePractitionerId: $p }) { id } }`, map[string]any{"p": clerk.ID})
	requireCode(t, r, "BAD_USER_INPUT")
	if n := e.Client().ClientRecord.Query().Where(clientrecord.NameEQ("Ada")).CountX(e.Ctx); n != 0 {
		t.Fatalf("a refused create wrote %d clients", n)
	}
}

// Policy §6: no one grants reach they do not hold; the tag restrictions of
// granter and recipient both count.

func TestGrantTeamAccess_TagRestrictedManagerCannotOpenUntaggedReach(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	north := e.Tag(p, "Northside")
	target := e.Member(p)
	manager := e.Member(p, graphtest.WithRole(practitionerRole(e, p, access.Edit, []access.Capability{access.ManageTeam}, north)))
	e.TeamAccess(manager, nil, access.Edit)
	unrestricted := e.Member(p)
	restrictedRecipient := e.Member(p, graphtest.WithRole(practitionerRole(e, p, access.Edit, nil, north)))

	grant := `mutation($m: ID!) { grantTeamAccess(memberId: $m, targetMemberId: null, level: EDIT) { id } }`
	requireCode(t, e.As(manager, grant, map[string]any{"m": unrestricted.ID}), "FORBIDDEN")
	e.As(manager, grant, map[string]any{"m": restrictedRecipient.ID}).RequireNoErrors(t)
	_ = target
}

// reassignCaseload by a non-admin with ASSIGN_PRACTITIONERS moves care-team
// places as the same moves one at a time would.
func TestReassignCaseload_AssignerMovesCareTeamPlaces(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	from, to, owner := e.Member(p), e.Member(p), e.Member(p)
	assigner := e.Member(p, graphtest.WithRole(practitionerRole(e, p, access.Edit, []access.Capability{access.AssignPractitioners, access.AccessAllClients})))
	c := e.NewClient(p, graphtest.ResponsibleIs(owner))
	e.Assign(c, from)
	r := e.As(assigner, `mutation($f: ID!, $t: ID!) { reassignCaseload(fromPractitionerId: $f, toPractitionerId: $t, reason: "leave") { careTeamCount count } }`,
		map[string]any{"f": from.ID, "t": to.ID})
	r.RequireNoErrors(t)
	if !contains(string(r.Data), `"careTeamCount":1`) {
		t.Fatalf("answer: %s", r.Data)
	}
	active := e.Client().Assignment.Query().Where(assignment.ClientIDEQ(c.ID), assignment.KindEQ(assignment.KindCARE_TEAM), assignment.EndedAtIsNil()).AllX(e.Ctx)
	if len(active) != 1 || active[0].MemberID != to.ID {
		t.Fatalf("care team after the hand-over: %+v", active)
	}
}

// A mutation's effect never depends on what its answer selects.
func TestMutationAnswer_ForbiddenFieldDoesNotUndoTheWrite(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	creator := e.Member(p, graphtest.WithRole(e.Role(p, access.Practitioner,
		access.SectionLevels{access.Profile: access.Edit}, []access.Capability{access.CreateClients})))
	r := e.As(creator, `mutation { createClient(input: { name: "Ada", responsiblePractitionerId: "`+string(creator.ID)+`" }) { id name medicalHistory { text } } }`, nil)
	requireForbiddenSection(t, r, "medicalHistory", access.MedicalHistory)
	if n := e.Client().ClientRecord.Query().Where(clientrecord.NameEQ("Ada")).CountX(e.Ctx); n != 1 {
		t.Fatalf("the client must be created whatever the answer selects; found %d", n)
	}
}

// Deactivating a practitioner who still holds clients keeps their clients'
// practice settings untouched (a guard against leaking settings changes).
var _ = practice.FieldName
