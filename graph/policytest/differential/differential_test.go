package differential

import (
	"flag"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"caseload/graph/graphtest"
)

// The flags are package-level because the testing package parses flags
// before any test runs. CI keeps the defaults, so that every run checks the
// same scenarios; a developer widens the search with
// `go test ./graph/policytest/differential -diff.seeds=200 -diff.seed=1000`
// or replays one failure with `-diff.seed=N -diff.seeds=1`.
var (
	diffSeeds = flag.Int("diff.seeds", 100, "number of random scenarios TestPolicyDifferential_MatchesReferenceModel runs")
	diffSeed  = flag.Uint64("diff.seed", 1, "first seed of TestPolicyDifferential_MatchesReferenceModel")
)

// maxReported caps the mismatches printed for one scenario: the first few
// (and the shrunk one) say everything, hundreds would bury them.
const maxReported = 8

func TestMain(m *testing.M) { graphtest.Main(m) }

// pairFirst orders mismatches about a member and a client of the scenario
// before member-wide ones, and those of members before the rest.
func pairFirst(m mismatch) int {
	switch {
	case m.Member == "":
		return 2
	case m.Client == "":
		return 1
	}
	return 0
}

// TestPolicyDifferential_MatchesReferenceModel checks policy §3 and §4 on
// random practices: for every active member, the client list and its
// totalCount, ordering, search, client(id:), node(id:) and nodes(ids:) on
// visible, hidden and foreign clients, the clients of each tag, the
// relationship level, the rules that apply, the effective level per section,
// and which section fields are served or refused, in randomly drawn request
// shapes; then again after each change an admin makes through the API (a
// role edited, a practice setting flipped, a tag removed, a share revoked, a
// member deactivated), against the reference model of model.go. In every
// round members also try the changes of §6 on random clients: each answer
// (success, NOT_FOUND, FORBIDDEN naming a section or not, BAD_USER_INPUT)
// is the model's, a refused change leaves the client's rows as they were,
// and an allowed one is written and followed by the model.
func TestPolicyDifferential_MatchesReferenceModel(t *testing.T) {
	start := time.Now()
	// One database serves every scenario, each in practices of its own:
	// a database per scenario would triple the time on PostgreSQL, and the
	// neighbours put tenancy (policy §1) under test as well. A failing seed
	// replayed alone runs on a fresh database.
	shared := graphtest.New(t, harnessLimits)
	total := newCounts()
	for k := range *diffSeeds {
		seed := *diffSeed + uint64(k)
		ok := t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			s := genScenario(seed)
			e := *shared
			e.T = t // failures inside the subtest must stop the subtest
			b := build(t, &e, s)
			mismatches, n := b.run(runOpts{})
			n.Scenarios = 1
			total.add(n)
			if len(mismatches) == 0 {
				return
			}
			replay := fmt.Sprintf("CASELOAD_TEST_DB=%s go test ./graph/policytest/differential -run 'TestPolicyDifferential_MatchesReferenceModel' -diff.seed=%d -diff.seeds=1 -v",
				graphtest.Dialect(), seed)
			t.Errorf("seed %d: %d mismatches between the API and the policy model; replay with:\n  %s\nscenario:\n%s", seed, len(mismatches), replay, s.describe())
			// Report first the mismatches about one member and one client:
			// they say the most and shrink to the smallest scenario.
			slices.SortStableFunc(mismatches, func(a, b mismatch) int { return pairFirst(a) - pairFirst(b) })
			for i, mm := range mismatches {
				if i == maxReported {
					t.Errorf("... and %d more", len(mismatches)-i)
					break
				}
				t.Errorf("mismatch %d:\n%s", i+1, describeMismatch(mm))
			}
			first := mismatches[0]
			if first.Member != "" {
				small, fails := shrink(t, s, first)
				if len(fails) > 0 {
					// Confirm on a fresh database, away from the shrinker's tries.
					confirmed := failsFor(t, graphtest.New(t, harnessLimits), small, first.Member, first.Client, first.extra())
					var msg strings.Builder
					for _, mm := range confirmed[:min(3, len(confirmed))] {
						msg.WriteString(describeMismatch(mm))
					}
					t.Errorf("smallest scenario found for member %s and client %s (seed %d), confirmed on a fresh database=%v:\n%s\n%s",
						first.Member, orDash(first.Client), seed, len(confirmed) > 0, small.describe(), msg.String())
				}
			}
			t.FailNow()
		})
		if !ok {
			break
		}
	}
	t.Logf("differential (%s): %d scenarios, %d rounds, %d changes through the API %v, %d requests, %d inactive members refused, %d (member, client) pairs, %d client objects, %d (member, client, section) checks, %d field checks (%d of them FORBIDDEN), %d viewerAccess.rules checks, %d list checks, %d null checks of hidden and foreign clients, in %s",
		graphtest.Dialect(), total.Scenarios, total.Rounds, total.Steps, total.StepKinds, total.Requests, total.Inactive, total.Pairs, total.Visible,
		total.SectionChecks, total.FieldChecks, total.Forbidden, total.RuleChecks, total.ListChecks, total.NodeChecks, time.Since(start).Round(time.Millisecond))
	t.Logf("attempts by members (policy §6): %d mutation checks, %d allowed (%d of them answered a client the change hid from its author), refused by code %v, in %s; by kind (allowed/made): %s",
		total.Mutations, total.MutAllowed, total.MutHidden, total.MutRefused, total.MutTime.Round(time.Millisecond), kindTally(total))
	t.Logf("requests by path %v", total.Paths)
	t.Logf("requests by shape %v", total.Shapes)
	t.Logf("requests by arrangement %v", total.Arrangements)
	if t.Failed() || *diffSeeds < 10 {
		return
	}
	// A generator that stopped producing something would pass silently.
	if total.SectionChecks < 500*total.Scenarios {
		t.Errorf("only %d section checks in %d scenarios: the generator no longer produces enough visible clients", total.SectionChecks, total.Scenarios)
	}
	if total.Forbidden < total.FieldChecks/10 || total.Forbidden > total.FieldChecks*9/10 {
		t.Errorf("%d of %d field checks expect FORBIDDEN: the generator no longer balances readable and denied fields", total.Forbidden, total.FieldChecks)
	}
	for _, p := range paths {
		if total.Paths[p] == 0 {
			t.Errorf("no request took the path %s", p)
		}
	}
	for _, k := range mutKinds {
		switch made, allowed := total.MutKinds[k], total.MutKindsAllowed[k]; {
		case made == 0:
			t.Errorf("no member attempted %s", k)
		case total.Mutations >= 1000 && (allowed == 0 || allowed == made):
			// Over a run the size of the default one, each kind is seen
			// both allowed and refused.
			t.Errorf("%s was attempted %d times and allowed %d times: the generator no longer exercises both answers", k, made, allowed)
		}
	}
	if total.MutAllowed*10 < total.Mutations*3 || total.MutAllowed*10 > total.Mutations*9 {
		t.Errorf("%d of %d attempts were expected allowed: the generator no longer balances allowed and refused changes (30%%-90%%)", total.MutAllowed, total.Mutations)
	}
	for _, k := range stepKinds {
		if total.StepKinds[k] == 0 {
			t.Errorf("no change %s was made (changes made: %v)", k, slices.Sorted(maps.Keys(total.StepKinds)))
		}
	}
}

// kindTally writes the attempts by kind as allowed/made, in mutKinds order.
func kindTally(n counts) string {
	var parts []string
	for _, k := range mutKinds {
		parts = append(parts, fmt.Sprintf("%s %d/%d", k, n.MutKindsAllowed[k], n.MutKinds[k]))
	}
	return strings.Join(parts, ", ")
}
