package rule_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"testing"
	"time"

	"caseload/ent"
	"caseload/ent/rule"
	"caseload/ent/schema/access"
	"caseload/ent/schema/pulid"
	"caseload/ent/viewer"
	"caseload/ent/viewer/viewertest"
	"caseload/graph/graphtest"
)

// On a random practice, for viewers of every kind, the explanation of each
// client has exactly Decide's level and rules and keeps all its cuts: the
// near misses add cuts and change nothing else. Some explanation must cut
// by every cause, so that the comparison covers each near miss.
func TestExplainClient_AgreesWithDecideOnRandomPractice(t *testing.T) {
	base := graphtest.New(t)
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	f := newFixture(t, base)
	clients := f.randomClients(rand.New(rand.NewPCG(seed, 10)), 100)
	viewers := []*viewer.Viewer{
		f.viewer(),
		f.viewer(viewertest.Admin()),
		f.viewer(viewertest.Inactive()),
		f.viewer(viewertest.WithCapabilities(access.AccessAllClients), viewertest.RestrictedToTags(f.red.ID)),
		f.viewer(viewertest.WithTeamAccess(ptr(f.other.ID), access.Edit), viewertest.WithTeamAccess(nil, access.View)),
		f.viewer(viewertest.At(f.in(2 * time.Hour))),
		f.viewer(viewertest.WithSettings(viewer.Settings{ClientVisibility: access.AllTeam, EmergencyReachesRestricted: true})),
	}
	causes := map[access.Cut]bool{}
	for _, v := range viewers {
		for _, c := range clients {
			ex, err := rule.ExplainClient(t.Context(), f.e.Client(), v, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			requireExplainsDecision(t, f.decide(t, v, c.ID), ex)
			for _, cut := range ex.Cuts {
				causes[cut.By] = true
			}
		}
	}
	for _, by := range access.Cuts {
		if !causes[by] {
			t.Errorf("no explanation on the random practice (seed %d) was cut by %s", seed, by)
		}
	}
}

// Policy §10, who may ask: admins about anyone, a member about themselves;
// the client must be one the asker sees. Everything else is ErrHidden, which
// the API answers exactly as an unknown ID.
func TestExplain_WhoMayAsk(t *testing.T) {
	base := graphtest.New(t)
	f := newFixture(t, base)
	mine := f.client(graphtest.ResponsibleIs(f.me))
	theirs := f.client(graphtest.ResponsibleIs(f.other), graphtest.Visibility(access.CareTeam))
	foreign := f.foreignClient(graphtest.ResponsibleIs(f.me))
	admin := f.member("admin", graphtest.Admin())
	stranger := f.e.Member(f.e.Practice())
	asAdmin := viewertest.New(f.p.ID, admin.ID, viewertest.Admin(), viewertest.WithSettings(f.settings), viewertest.At(f.now))
	asMe := f.viewer()
	cases := []struct {
		name     string
		asker    *viewer.Viewer
		member   pulid.ID
		client   *ent.ClientRecord
		hidden   bool
		sees     bool
		inactive bool
	}{
		{"admin about a member", asAdmin, f.me.ID, mine, false, true, false},
		{"admin about a member and a client they do not see", asAdmin, f.me.ID, theirs, false, false, false},
		{"admin about a deactivated member", asAdmin, f.gone.ID, mine, false, false, true},
		{"admin about a member of another practice", asAdmin, stranger.ID, mine, true, false, false},
		{"admin about an ID never issued", asAdmin, pulid.MustNew("ME"), mine, true, false, false},
		{"admin about a client of another practice", asAdmin, f.me.ID, foreign, true, false, false},
		{"member about themselves", asMe, f.me.ID, mine, false, true, false},
		{"member about themselves and a client they do not see", asMe, f.me.ID, theirs, true, false, false},
		{"member about a colleague", asMe, f.other.ID, mine, true, false, false},
		{"member about a client of another practice", asMe, f.me.ID, foreign, true, false, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx := rule.WithDecisions(viewertest.Context(context.Background(), tc.asker), f.e.Client())
			ex, err := rule.Explain(ctx, f.e.Client(), tc.member, tc.client.ID)
			if tc.hidden {
				if !errors.Is(err, rule.ErrHidden) {
					t.Fatalf("Explain: got %v, %v; want ErrHidden", ex, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if ex.Member.MemberID != tc.member || ex.Decision.Visible() != tc.sees || ex.Member.Active == tc.inactive {
				t.Fatalf("Explain: member %s active=%v, %s", ex.Member.MemberID, ex.Member.Active, show(ex.Decision))
			}
		})
	}
}
