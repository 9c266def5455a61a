package policytest

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"caseload/ent"
	"caseload/ent/assignment"
	"caseload/ent/privacy"
	"caseload/ent/schema/access"
	"caseload/graph/graphtest"
)

// Policy §6: responsibility, care team and history, tags on a client, and
// role changes. Sharing and visibility are in s6_sharing_test.go.

const setResponsible = `mutation($c: ID!, $p: ID, $r: String) { setResponsiblePractitioner(clientId: $c, practitionerId: $p, reason: $r) {
  responsiblePractitioner { id } assignmentHistory { kind reason endedAt member { id } assignedBy { id } endedBy { id } } } }`

func allTeamPractice(e *graphtest.Env, manageOwn bool) *ent.Practice {
	return e.Practice(func(c *ent.PracticeCreate) {
		c.SetClientVisibility(access.AllTeam).SetPractitionersManageOwnClients(manageOwn)
	})
}

func TestSetResponsible_AdminChanges_HistoryTellsWhoWhomWhy(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	admin := e.Member(p, graphtest.Admin())
	a, b := e.Member(p), e.Member(p)
	c := e.NewClient(p)
	e.As(admin, setResponsible, map[string]any{"c": c.ID, "p": a.ID, "r": "intake"}).RequireNoErrors(t)
	r := e.As(admin, setResponsible, map[string]any{"c": c.ID, "p": b.ID, "r": "leave"})
	r.RequireNoErrors(t)
	var out struct {
		SetResponsiblePractitioner struct {
			ResponsiblePractitioner struct{ ID string }
			AssignmentHistory       []struct {
				Kind, Reason string
				EndedAt      *time.Time
				Member       struct{ ID string }
				AssignedBy   *struct{ ID string }
				EndedBy      *struct{ ID string }
			}
		}
	}
	r.Decode(t, &out)
	got := out.SetResponsiblePractitioner
	if got.ResponsiblePractitioner.ID != string(b.ID) || len(got.AssignmentHistory) != 2 {
		t.Fatalf("got %+v", got)
	}
	newest, oldest := got.AssignmentHistory[0], got.AssignmentHistory[1]
	if newest.Member.ID != string(b.ID) || newest.EndedAt != nil || newest.Reason != "leave" || newest.AssignedBy.ID != string(admin.ID) {
		t.Fatalf("newest history row: %+v", newest)
	}
	if oldest.Member.ID != string(a.ID) || oldest.EndedAt == nil || oldest.EndedBy == nil || oldest.EndedBy.ID != string(admin.ID) {
		t.Fatalf("the previous responsibility must be ended, by whom: %+v", oldest)
	}
}

func TestSetResponsible_AssignPractitionersWithEdit_AllowedUnlessCareTeamSetting(t *testing.T) {
	e := graphtest.New(t)
	for _, tc := range []struct {
		visibility access.ClientVisibility
		allowed    bool
	}{{access.AllTeam, true}, {access.CareTeam, false}} {
		p := e.Practice(func(c *ent.PracticeCreate) { c.SetClientVisibility(tc.visibility) })
		role := e.Role(p, access.Administrative, access.SectionLevels{access.Profile: access.View},
			[]access.Capability{access.AccessAllClients, access.AssignPractitioners})
		coordinator := e.Member(p, graphtest.Administrative(), graphtest.WithRole(role))
		target := e.Member(p)
		c := e.NewClient(p)
		r := e.As(coordinator, setResponsible, map[string]any{"c": c.ID, "p": target.ID})
		if tc.allowed {
			r.RequireNoErrors(t)
		} else {
			requireCode(t, r, "FORBIDDEN")
			if reload(t, e, c).ResponsibleID != nil {
				t.Fatal("a refused change was kept")
			}
		}
	}
}

func TestSetResponsible_WithoutAssignPractitioners_Forbidden(t *testing.T) {
	e := graphtest.New(t)
	p := allTeamPractice(e, false)
	m := e.Member(p) // sees the client through whole-team visibility, with EDIT
	c := e.NewClient(p)
	requireCode(t, e.As(m, setResponsible, map[string]any{"c": c.ID, "p": m.ID}), "FORBIDDEN")
}

func TestSetResponsible_OwnClientHandOver_FollowsSetting(t *testing.T) {
	e := graphtest.New(t)
	for _, manageOwn := range []bool{true, false} {
		p := allTeamPractice(e, manageOwn)
		owner, colleague := e.Member(p), e.Member(p)
		c := e.NewClient(p, graphtest.ResponsibleIs(owner))
		r := e.As(owner, setResponsible, map[string]any{"c": c.ID, "p": colleague.ID})
		if manageOwn {
			r.RequireNoErrors(t)
		} else {
			requireCode(t, r, "FORBIDDEN")
		}
	}
}

func TestSetResponsible_BadTargets_BadUserInputAndNothingChanges(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	admin := e.Member(p, graphtest.Admin())
	c := e.NewClient(p)
	for name, target := range map[string]*ent.Member{
		"administrative": e.Member(p, graphtest.Administrative()),
		"inactive":       e.Member(p, graphtest.Inactive()),
		"other practice": e.Member(e.Practice()),
	} {
		t.Run(name, func(t *testing.T) {
			requireCode(t, e.As(admin, setResponsible, map[string]any{"c": c.ID, "p": target.ID}), "BAD_USER_INPUT")
		})
	}
	if n, _ := e.Client().Assignment.Query().Count(e.Ctx); n != 0 || reload(t, e, c).ResponsibleID != nil {
		t.Fatal("a refused change left something behind")
	}
}

const assign = `mutation($c: ID!, $p: ID!) { assignPractitioner(clientId: $c, practitionerId: $p) { careTeam { id } } }`
const unassign = `mutation($c: ID!, $p: ID!, $r: String) { unassignPractitioner(clientId: $c, practitionerId: $p, reason: $r) { careTeam { id } assignmentHistory { endedAt endReason } } }`

func TestCareTeam_AssignThenUnassign_KeepsHistory(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	admin := e.Member(p, graphtest.Admin())
	m := e.Member(p)
	c := e.NewClient(p)
	e.As(admin, assign, map[string]any{"c": c.ID, "p": m.ID}).RequireNoErrors(t)
	requireSees(t, e, m, []*ent.ClientRecord{c}, c)
	requireCode(t, e.As(admin, assign, map[string]any{"c": c.ID, "p": m.ID}), "CONFLICT")
	r := e.As(admin, unassign, map[string]any{"c": c.ID, "p": m.ID, "r": "discharged from group"})
	r.RequireNoErrors(t)
	if !strings.Contains(string(r.Data), `"careTeam":[]`) || !strings.Contains(string(r.Data), "discharged from group") {
		t.Fatalf("unassigned but history kept: %s", r.Data)
	}
	requireSees(t, e, m, []*ent.ClientRecord{c})
	requireCode(t, e.As(admin, unassign, map[string]any{"c": c.ID, "p": m.ID}), "BAD_USER_INPUT")
}

func TestCareTeam_ByMemberWithoutAssignRights_Forbidden(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	owner, other := e.Member(p), e.Member(p)
	c := e.NewClient(p, graphtest.ResponsibleIs(owner)) // practitionersManageOwnClients is off
	requireCode(t, e.As(owner, assign, map[string]any{"c": c.ID, "p": other.ID}), "FORBIDDEN")
	if n, _ := e.Client().Assignment.Query().Count(e.Ctx); n != 0 {
		t.Fatal("a refused assignment was kept")
	}
}

func TestClientTags_NeedProfileEditAndOwnPracticeTags(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	owner := e.Member(p)
	role := profileOnlyRole(e, p)
	viewerOnly := e.Member(p, graphtest.Administrative(), graphtest.WithRole(role))
	c := e.NewClient(p, graphtest.ResponsibleIs(owner))
	north, foreign := e.Tag(p, "North"), e.Tag(e.Practice(), "Elsewhere")
	add := `mutation($c: ID!, $t: [ID!]!) { addClientTags(clientId: $c, tagIds: $t) { tags { name } } }`
	requireForbiddenSection(t, e.As(viewerOnly, add, map[string]any{"c": c.ID, "t": []any{north.ID}}), "addClientTags", access.Profile)
	requireCode(t, e.As(owner, add, map[string]any{"c": c.ID, "t": []any{foreign.ID}}), "BAD_USER_INPUT")
	r := e.As(owner, add, map[string]any{"c": c.ID, "t": []any{north.ID}})
	r.RequireNoErrors(t)
	if !strings.Contains(string(r.Data), "North") {
		t.Fatalf("tag not added: %s", r.Data)
	}
}

// Two members changing the same client's responsible practitioner at once
// leave exactly one responsible practitioner and a history that tells the
// truth: one active row, matching the client, and every other row ended.
func TestSetResponsible_Concurrent_OneResponsibleAndTruthfulHistory(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	admins := []*ent.Member{e.Member(p, graphtest.Admin()), e.Member(p, graphtest.Admin())}
	c := e.NewClient(p)
	targets := make([]*ent.Member, 8)
	for i := range targets {
		targets[i] = e.Member(p)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	won := 0
	for i, target := range targets {
		wg.Add(1)
		go func(i int, target *ent.Member) {
			defer wg.Done()
			r := e.As(admins[i%2], setResponsible, map[string]any{"c": c.ID, "p": target.ID})
			if len(r.Errors) == 0 {
				mu.Lock()
				won++
				mu.Unlock()
			} else if r.Errors[0].Code() != "CONFLICT" {
				t.Errorf("a concurrent change failed with %+v", r.Errors)
			}
		}(i, target)
	}
	wg.Wait()
	rows, err := e.Client().Assignment.Query().Where(assignment.ClientIDEQ(c.ID), assignment.KindEQ(assignment.KindRESPONSIBLE)).All(e.Ctx)
	if err != nil {
		t.Fatal(err)
	}
	active := 0
	for _, a := range rows {
		if a.EndedAt == nil {
			active++
			if got := reload(t, e, c).ResponsibleID; got == nil || *got != a.MemberID {
				t.Fatalf("the active history row (%s) disagrees with the client (%v)", a.MemberID, got)
			}
		}
	}
	if won == 0 || active != 1 || len(rows) != won {
		t.Fatalf("%d changes succeeded, %d history rows, %d active: want one row per success and one active", won, len(rows), active)
	}
}

// A query with no viewer in its context is denied by the privacy rules
// themselves, whatever path reaches Ent (policy §1, §3).
func TestNoViewer_EntQueriesAreDenied(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	e.NewClient(p)
	for name, run := range map[string]func(context.Context) error{
		"clients": func(ctx context.Context) error { _, err := e.Client().ClientRecord.Query().All(ctx); return err },
		"count":   func(ctx context.Context) error { _, err := e.Client().ClientRecord.Query().Count(ctx); return err },
		"members": func(ctx context.Context) error { _, err := e.Client().Member.Query().All(ctx); return err },
		"notes":   func(ctx context.Context) error { _, err := e.Client().SessionNote.Query().All(ctx); return err },
	} {
		t.Run(name, func(t *testing.T) {
			if err := run(context.Background()); !errors.Is(err, privacy.Deny) {
				t.Fatalf("want a privacy denial, got %v", err)
			}
		})
	}
}

func TestUpdateRole_GrantLimitsAndTagRestrictionApplyNextRequest(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	admin := e.Member(p, graphtest.Admin())
	manager := teamManager(e, p, access.SectionLevels{access.Profile: access.View})
	north := e.Tag(p, "North")
	role := profileOnlyRole(e, p)
	clerk := e.Member(p, graphtest.Administrative(), graphtest.WithRole(role))
	northern, other := e.NewClient(p, graphtest.Tagged(north)), e.NewClient(p)
	requireSees(t, e, clerk, []*ent.ClientRecord{northern, other}, northern, other)
	q := `mutation($id: ID!, $in: RoleInput!) { updateRole(id: $id, input: $in) { id restrictToTags { name } } }`
	in := map[string]any{"name": "Clerk", "accountType": "ADMINISTRATIVE", "capabilities": []any{"ACCESS_ALL_CLIENTS"},
		"sections": []any{map[string]any{"section": "PROFILE", "level": "VIEW"}}, "restrictToTagIds": []any{north.ID}}
	requireCode(t, e.As(manager, q, map[string]any{"id": role.ID, "in": in}), "FORBIDDEN")
	e.As(admin, q, map[string]any{"id": role.ID, "in": in}).RequireNoErrors(t)
	requireSees(t, e, clerk, []*ent.ClientRecord{northern, other}, northern)
}

func TestRemoveClientTags_NeedsProfileEdit(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	owner := e.Member(p)
	tag := e.Tag(p, "North")
	c := e.NewClient(p, graphtest.ResponsibleIs(owner), graphtest.Tagged(tag))
	viewOnly := e.Member(p)
	e.Share(c, viewOnly, access.View)
	q := `mutation($c: ID!, $t: [ID!]!) { removeClientTags(clientId: $c, tagIds: $t) { tags { name } } }`
	requireForbiddenSection(t, e.As(viewOnly, q, map[string]any{"c": c.ID, "t": []any{tag.ID}}), "removeClientTags", access.Profile)
	r := e.As(owner, q, map[string]any{"c": c.ID, "t": []any{tag.ID}})
	r.RequireNoErrors(t)
	if !strings.Contains(string(r.Data), `"tags":[]`) {
		t.Fatalf("tag not removed: %s", r.Data)
	}
}

func TestLeave_OwnerAddsAndRemoves_OthersCannotSeeOrRemove(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	m, other := e.Member(p), e.Member(p)
	now := time.Now()
	r := e.As(m, leaveMutation, map[string]any{"id": m.ID, "f": now, "t": now.Add(48 * time.Hour)})
	r.RequireNoErrors(t)
	var out struct{ AddLeave struct{ ID string } }
	r.Decode(t, &out)
	requireCode(t, e.As(other, leaveMutation, map[string]any{"id": m.ID, "f": now, "t": now.Add(time.Hour)}), "FORBIDDEN")
	remove := `mutation($id: ID!) { removeLeave(id: $id) }`
	requireCode(t, e.As(other, remove, map[string]any{"id": out.AddLeave.ID}), "NOT_FOUND")
	e.As(m, remove, map[string]any{"id": out.AddLeave.ID}).RequireNoErrors(t)
	if n, _ := e.Client().Leave.Query().Count(e.Ctx); n != 0 {
		t.Fatal("leave not removed")
	}
}
