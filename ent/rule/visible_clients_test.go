package rule_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"caseload/ent"
	"caseload/ent/clientrecord"
	"caseload/ent/privacy"
	"caseload/ent/schema/access"
	"caseload/ent/schema/pulid"
	"caseload/ent/viewer"
	"caseload/ent/viewer/viewertest"
	"caseload/graph/graphtest"
)

// Policy §3: the row filter of lists, counts and look-ups (clientsReaching,
// through the ClientRecord privacy policy) and the decision on given clients
// (Decide) are two evaluations of the same rules, grouped differently. On
// every client of small random practices, for viewers of every kind, the
// clients a query returns are exactly those Decide calls visible.
func TestVisibleClients_AgreeWithDecide(t *testing.T) {
	base := graphtest.New(t)
	var visible, hidden int
	cuts := map[access.Cut]int{}
	for seed := uint64(1); seed <= 3; seed++ {
		rng := rand.New(rand.NewPCG(seed, 7))
		var practice []func(*ent.PracticeCreate)
		if rng.IntN(2) == 0 {
			practice = append(practice, allTeamPractice)
		}
		if rng.IntN(2) == 0 {
			practice = append(practice, emergencyReachesRestricted)
		}
		f := newFixture(t, base, practice...)
		clients := f.randomClients(rng, 30)
		// Another practice's clients name the viewer everywhere; none may
		// come back.
		for range 3 {
			c := f.foreignClient(graphtest.ResponsibleIs(f.me), graphtest.Visibility(access.AllTeam))
			f.e.Share(c, f.me, access.Edit)
		}

		type namedViewer struct {
			name string
			v    *viewer.Viewer
		}
		var viewers []namedViewer
		for _, m := range []*ent.Member{f.me, f.other, f.third} {
			as := func(opts ...viewertest.Option) *viewer.Viewer {
				return viewertest.New(f.p.ID, m.ID, append([]viewertest.Option{viewertest.WithSettings(f.settings), viewertest.At(f.now)}, opts...)...)
			}
			name := f.name(m.ID)
			viewers = append(viewers,
				namedViewer{name + " with the built-in defaults", as()},
				namedViewer{name + " as admin", as(viewertest.Admin())},
				namedViewer{name + " with ACCESS_ALL_CLIENTS within red", as(viewertest.WithCapabilities(access.AccessAllClients), viewertest.RestrictedToTags(f.red.ID))},
				namedViewer{name + " administrative with ACCESS_ALL_CLIENTS", as(viewertest.Administrative(), viewertest.WithCapabilities(access.AccessAllClients))},
				namedViewer{name + " with VIEW access to ALL within blue or green", as(viewertest.WithTeamAccess(nil, access.View), viewertest.RestrictedToTags(f.blue.ID, f.green.ID))},
				namedViewer{name + " with EDIT access to other and gone", as(viewertest.WithTeamAccess(ptr(f.other.ID), access.Edit), viewertest.WithTeamAccess(ptr(f.gone.ID), access.View))},
				namedViewer{name + " two hours later", as(viewertest.At(f.in(2 * time.Hour)))},
				namedViewer{name + " deactivated", as(viewertest.Inactive())},
			)
		}

		for _, nv := range viewers {
			t.Run(fmt.Sprintf("seed %d/%s", seed, nv.name), func(t *testing.T) {
				v := nv.v
				ctx := viewertest.Context(t.Context(), v)
				got, err := f.e.Client().ClientRecord.Query().IDs(ctx)
				if !v.Active {
					// A deactivated member's query is refused outright
					// (policy §2), and Decide agrees that nothing is
					// visible.
					if !errors.Is(err, privacy.Deny) {
						t.Errorf("query by a deactivated member: got %v, %v; want a privacy denial", got, err)
					}
					got = nil
				} else if err != nil {
					t.Fatal(err)
				}
				var want []pulid.ID
				for _, c := range append(clients, f.foreignClientsFor(t)...) {
					d := f.decide(t, v, c.ID)
					if d.Visible() {
						want = append(want, c.ID)
						visible++
					} else {
						hidden++
					}
					for _, c := range d.Cuts {
						cuts[c.By]++
					}
				}
				slices.Sort(got)
				slices.Sort(want)
				if !slices.Equal(got, want) {
					for _, c := range clients {
						in, exp := slices.Contains(got, c.ID), slices.Contains(want, c.ID)
						if in != exp {
							t.Errorf("client %s (%s): listed %v, Decide %s", c.ID, f.facts(c.ID, v.Now), in, show(f.decide(t, v, c.ID)))
						}
					}
					t.Fatalf("the query returned %d clients, Decide calls %d visible", len(got), len(want))
				}
				if v.Active {
					n, err := f.e.Client().ClientRecord.Query().Count(ctx)
					if err != nil {
						t.Fatal(err)
					}
					if n != len(want) {
						t.Errorf("count: %d, want %d", n, len(want))
					}
				}
			})
		}
	}
	// The agreement means something only if the practices mixed visible
	// and hidden clients, and both limits cut some rule.
	if visible == 0 || hidden == 0 || cuts[access.CutTagRestriction] == 0 || cuts[access.CutRestrictedFlag] == 0 {
		t.Errorf("the random practices gave %d visible, %d hidden decisions and cuts %v: every kind is needed", visible, hidden, cuts)
	}
}

// foreignClientsFor lists the clients of the fixture's other practice, so
// that Decide is asked about them too.
func (f *fixture) foreignClientsFor(t testing.TB) []*ent.ClientRecord {
	t.Helper()
	if f.foreign == nil {
		return nil
	}
	cs, err := f.e.Client().ClientRecord.Query().Where(clientrecord.PracticeIDEQ(f.foreign.ID)).All(f.e.Ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) == 0 {
		t.Fatal("the other practice has no clients")
	}
	return cs
}
