package policytest

import (
	"strings"
	"testing"
	"time"

	"caseload/ent"
	"caseload/ent/schema/access"
	"caseload/graph/graphtest"
)

// Policy §6, sharing and visibility: sharing a client, revoking a share, and
// changing a client's visibility or restricted flag; who reads the shares.

const shareMutation = `mutation($c: ID!, $m: ID!, $l: AccessLevel!, $x: Time) { shareClient(clientId: $c, memberId: $m, level: $l, expiresAt: $x) { id level } }`

func TestShareClient_ResponsibleShares_RecipientSeesUntilRevoked(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	owner, colleague := e.Member(p), e.Member(p)
	c := e.NewClient(p, graphtest.ResponsibleIs(owner))
	r := e.As(owner, shareMutation, map[string]any{"c": c.ID, "m": colleague.ID, "l": "VIEW"})
	r.RequireNoErrors(t)
	var out struct{ ShareClient struct{ ID string } }
	r.Decode(t, &out)
	requireSees(t, e, colleague, []*ent.ClientRecord{c}, c)

	shares := `query($c: ID!) { client(id: $c) { shares { id member { id } } } }`
	if got := e.As(owner, shares, map[string]any{"c": c.ID}); !strings.Contains(string(got.Data), out.ShareClient.ID) {
		t.Fatalf("the responsible practitioner reads the shares: %s %+v", got.Data, got.Errors)
	}
	requireCode(t, e.As(colleague, shares, map[string]any{"c": c.ID}), "FORBIDDEN")
	requireCode(t, e.As(colleague, shareMutation, map[string]any{"c": c.ID, "m": owner.ID, "l": "EDIT"}), "FORBIDDEN")

	e.As(owner, `mutation($id: ID!) { revokeShare(id: $id) }`, map[string]any{"id": out.ShareClient.ID}).RequireNoErrors(t)
	requireSees(t, e, colleague, []*ent.ClientRecord{c})
}

func TestShareClient_BadInput(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	owner := e.Member(p)
	c := e.NewClient(p, graphtest.ResponsibleIs(owner))
	for name, vars := range map[string]map[string]any{
		"with oneself":       {"c": c.ID, "m": owner.ID, "l": "VIEW"},
		"expiry in the past": {"c": c.ID, "m": e.Member(p).ID, "l": "VIEW", "x": time.Now().Add(-time.Hour)},
		"level NONE":         {"c": c.ID, "m": e.Member(p).ID, "l": "NONE"},
		"inactive member":    {"c": c.ID, "m": e.Member(p, graphtest.Inactive()).ID, "l": "VIEW"},
		"other practice":     {"c": c.ID, "m": e.Member(e.Practice()).ID, "l": "VIEW"},
	} {
		t.Run(name, func(t *testing.T) {
			requireCode(t, e.As(owner, shareMutation, vars), "BAD_USER_INPUT")
		})
	}
	if n, _ := e.Client().Share.Query().Count(e.Ctx); n != 0 {
		t.Fatal("refused shares were kept")
	}
}

func TestSetClientRestricted_ResponsibleMay_BroadGrantsStopReaching(t *testing.T) {
	e := graphtest.New(t)
	p := allTeamPractice(e, false)
	owner, colleague := e.Member(p), e.Member(p)
	c := e.NewClient(p, graphtest.ResponsibleIs(owner))
	requireSees(t, e, colleague, []*ent.ClientRecord{c}, c)
	restrict := `mutation($c: ID!, $r: Boolean!) { setClientRestricted(clientId: $c, restricted: $r) { restricted } }`
	requireCode(t, e.As(colleague, restrict, map[string]any{"c": c.ID, "r": true}), "FORBIDDEN")
	e.As(owner, restrict, map[string]any{"c": c.ID, "r": true}).RequireNoErrors(t)
	requireSees(t, e, colleague, []*ent.ClientRecord{c})
	requireSees(t, e, owner, []*ent.ClientRecord{c}, c)
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

// Policy §6, sharing: share records are for those who manage access and the
// recipient, through node as through Client.shares.
// Regression: a security review found this defect; checked on both sides.
func TestShareRecord_ReadOnlyByAccessManagersAndItsRecipient_EvenByNode(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	owner, x, y := e.Member(p), e.Member(p), e.Member(p)
	c := e.NewClient(p, graphtest.ResponsibleIs(owner))
	e.Share(c, x, access.View)
	ys := e.Share(c, y, access.Edit)
	q := `query($id: ID!) { node(id: $id) { ... on Share { level member { id } } } }`
	if r := e.As(x, q, map[string]any{"id": ys.ID}); !strings.Contains(string(r.Data), `"node":null`) {
		t.Fatalf("another recipient read the share: %s", r.Data)
	}
	for _, m := range []*ent.Member{owner, y} {
		if r := e.As(m, q, map[string]any{"id": ys.ID}); !strings.Contains(string(r.Data), `"level":"EDIT"`) {
			t.Fatalf("the manager and the recipient read the share: %s %+v", r.Data, r.Errors)
		}
	}
}
