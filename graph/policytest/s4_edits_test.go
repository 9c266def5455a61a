package policytest

import (
	"strings"
	"testing"

	"caseload/ent/clientrecord"
	"caseload/ent/schema/access"
	"caseload/ent/schema/pulid"
	"caseload/graph/graphtest"
)

// Policy §3, §4 and §6: who may change a client and its sections, and what a
// refusal looks like. Writing session notes (§5) is in s5_notes_test.go.

const updateClientMutation = `mutation($id: ID!, $in: UpdateClientInput!) { updateClient(id: $id, input: $in) { id name email } }`

func TestUpdateClient_HiddenClientAndUnknownID_AnswerAlike(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	m := e.Member(p)
	hidden := e.NewClient(p, graphtest.ResponsibleIs(e.Member(p)))
	foreign := e.NewClient(e.Practice())
	var answers []string
	for _, id := range []pulid.ID{hidden.ID, foreign.ID, pulid.MustNew("CL")} {
		r := e.As(m, updateClientMutation, map[string]any{"id": id, "in": map[string]any{"name": "Renamed"}})
		requireCode(t, r, "NOT_FOUND")
		answers = append(answers, r.Errors[0].Message)
	}
	if answers[0] != answers[1] || answers[1] != answers[2] {
		t.Fatalf("hidden, foreign and unknown clients must be indistinguishable: %q", answers)
	}
	if reload(t, e, hidden).Name == "Renamed" || reload(t, e, foreign).Name == "Renamed" {
		t.Fatal("a hidden client was changed")
	}
}

func TestUpdateClient_CareTeamEditsNameAndProfile(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	m := e.Member(p)
	c := e.NewClient(p, graphtest.ResponsibleIs(m))
	r := e.As(m, updateClientMutation, map[string]any{"id": c.ID, "in": map[string]any{"name": "New Name", "email": "new@mail.example"}})
	r.RequireNoErrors(t)
	if got := reload(t, e, c); got.Name != "New Name" || got.Email != "new@mail.example" {
		t.Fatalf("not saved: %+v", got)
	}
}

func TestUpdateClient_ShareAtView_Forbidden(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	m := e.Member(p)
	c := e.NewClient(p)
	e.Share(c, m, access.View)
	requireCode(t, e.As(m, updateClientMutation, map[string]any{"id": c.ID, "in": map[string]any{"name": "X"}}), "FORBIDDEN")
	if reload(t, e, c).Name == "X" {
		t.Fatal("a VIEW share changed the client")
	}
}

func TestUpdateClient_ProfileWithoutProfileEdit_ForbiddenWithSection(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	role := e.Role(p, access.Administrative, access.SectionLevels{access.Profile: access.View, access.Scheduling: access.Edit}, []access.Capability{access.AccessAllClients})
	m := e.Member(p, graphtest.Administrative(), graphtest.WithRole(role))
	c := e.NewClient(p)
	requireForbiddenSection(t, e.As(m, updateClientMutation, map[string]any{"id": c.ID, "in": map[string]any{"email": "x@mail.example"}}), "updateClient", access.Profile)
	if reload(t, e, c).Email == "x@mail.example" {
		t.Fatal("the profile was changed without PROFILE EDIT")
	}
	// The name is not a section field: EDIT on the client suffices.
	e.As(m, updateClientMutation, map[string]any{"id": c.ID, "in": map[string]any{"name": "Renamed"}}).RequireNoErrors(t)
}

const historyMutation = `mutation($id: ID!, $t: String!) { updateMedicalHistory(clientId: $id, text: $t) { id } }`

func TestUpdateMedicalHistory_NeedsMedicalHistoryEdit(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	role := e.Role(p, access.Administrative, access.SectionLevels{access.Profile: access.Edit, access.MedicalHistory: access.View}, []access.Capability{access.AccessAllClients})
	viewer := e.Member(p, graphtest.Administrative(), graphtest.WithRole(role))
	owner := e.Member(p)
	c := e.NewClient(p, graphtest.ResponsibleIs(owner))
	requireForbiddenSection(t, e.As(viewer, historyMutation, map[string]any{"id": c.ID, "t": "x"}), "updateMedicalHistory", access.MedicalHistory)
	if n, _ := e.Client().MedicalHistory.Query().Count(e.Ctx); n != 0 {
		t.Fatal("a refused write left a medical history behind")
	}
	e.As(owner, historyMutation, map[string]any{"id": c.ID, "t": "first"}).RequireNoErrors(t)
	e.As(owner, historyMutation, map[string]any{"id": c.ID, "t": "second"}).RequireNoErrors(t)
	h, err := e.Client().MedicalHistory.Query().Only(e.Ctx)
	if err != nil || h.Text != "second" {
		t.Fatalf("want one history reading second, got %v %v", h, err)
	}
}

const createClientMutation = `mutation($in: CreateClientInput!) { createClient(input: $in) { id name responsiblePractitioner { id } assignmentHistory { kind member { id } } } }`

func TestCreateClient_AssignsCreatorWhenPracticeSaysSo(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice() // assignNewClientsToCreator defaults to true
	m := e.Member(p)
	r := e.As(m, createClientMutation, map[string]any{"in": map[string]any{"name": "Walk-in", "email": "walk@mail.example"}})
	r.RequireNoErrors(t)
	if !strings.Contains(string(r.Data), `"responsiblePractitioner":{"id":"`+string(m.ID)+`"}`) ||
		!strings.Contains(string(r.Data), `"kind":"RESPONSIBLE"`) {
		t.Fatalf("the creator must be responsible, with a history row: %s", r.Data)
	}
}

func TestCreateClient_WithoutCreateClients_Forbidden(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	m := e.Member(p, graphtest.Administrative()) // the ADMINISTRATIVE default has no CREATE_CLIENTS
	requireCode(t, e.As(m, createClientMutation, map[string]any{"in": map[string]any{"name": "X"}}), "FORBIDDEN")
}

func TestCreateClient_ThatCreatorCouldNotSee_ForbiddenAndRolledBack(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	role := e.Role(p, access.Administrative, access.SectionLevels{access.Profile: access.Edit}, []access.Capability{access.CreateClients})
	intake := e.Member(p, graphtest.Administrative(), graphtest.WithRole(role))
	practitioner := e.Member(p)
	r := e.As(intake, createClientMutation, map[string]any{"in": map[string]any{"name": "Unseen", "responsiblePractitionerId": practitioner.ID}})
	requireCode(t, r, "FORBIDDEN")
	if n, _ := e.Client().ClientRecord.Query().Where(clientrecord.NameEQ("Unseen")).Count(e.Ctx); n != 0 {
		t.Fatal("the refused client was kept")
	}
}
