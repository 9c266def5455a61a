package graph_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"caseload/ent/privacy"
	"caseload/ent/schema/access"
	"caseload/graph/graphtest"

	"caseload/ent"
)

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

func TestSetClientVisibility_ResponsibleOpensToTeam_OthersForbidden(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice() // CARE_TEAM by default
	owner, colleague := e.Member(p), e.Member(p)
	c := e.NewClient(p, graphtest.ResponsibleIs(owner))
	e.Share(c, colleague, access.Edit)
	q := `mutation($c: ID!, $v: ClientVisibility!) { setClientVisibility(clientId: $c, visibility: $v) { visibility } }`
	requireCode(t, e.As(colleague, q, map[string]any{"c": c.ID, "v": "ALL_TEAM"}), "FORBIDDEN")
	bystander := e.Member(p)
	requireSees(t, e, bystander, []*ent.ClientRecord{c})
	e.As(owner, q, map[string]any{"c": c.ID, "v": "ALL_TEAM"}).RequireNoErrors(t)
	requireSees(t, e, bystander, []*ent.ClientRecord{c}, c)
}

func TestUpdateRole_GrantLimitsAndTagRestrictionApplyNextRequest(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	admin := e.Member(p, graphtest.Admin())
	manager := teamManager(e, p, access.SectionLevels{access.Profile: access.View})
	north := e.Tag(p, "North")
	role := e.Role(p, access.Administrative, access.SectionLevels{access.Profile: access.View}, []access.Capability{access.AccessAllClients})
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
	requireForbiddenSection(t, e.As(viewOnly, q, map[string]any{"c": c.ID, "t": []any{tag.ID}}), "PROFILE")
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
