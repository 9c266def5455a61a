package rule_test

import (
	"context"
	"errors"
	"slices"
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

// person names a client and sets their date of birth.
func person(name string, born time.Time) graphtest.ClientOpt {
	return func(c *ent.ClientRecordCreate) { c.SetName(name).SetDateOfBirth(born) }
}

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

// as is a request context of v, with a decision cache.
func (f *fixture) as(v *viewer.Viewer) context.Context {
	return rule.WithDecisions(viewertest.Context(context.Background(), v), f.e.Client())
}

func (f *fixture) search(t *testing.T, v *viewer.Viewer, name, born string) ([]pulid.ID, error) {
	t.Helper()
	found, err := rule.EmergencyCandidates(f.as(v), f.e.Client(), name, day(born))
	var ids []pulid.ID
	for _, c := range found {
		ids = append(ids, c.ID)
	}
	slices.Sort(ids)
	return ids, err
}

// Policy §8, identification: full name without regard to case or spaces,
// date of birth as a calendar date; only clients the member cannot see and
// rule 7 could reach, of their own practice; only with EMERGENCY_ACCESS.
func TestEmergencyCandidates_ExactIdentification(t *testing.T) {
	base := graphtest.New(t)
	f := newFixture(t, base)
	born := day("1984-03-01")
	ann := f.client(person("Ann  Marie Lee", born), graphtest.Visibility(access.CareTeam))
	late := f.client(person("ann marie lee", born.Add(23*time.Hour+59*time.Minute)), graphtest.Visibility(access.CareTeam))
	f.client(person("Ann Marie Lee", born.Add(-time.Minute)), graphtest.Visibility(access.CareTeam))
	f.client(person("Ann Marie Leeds", born), graphtest.Visibility(access.CareTeam))
	f.client(person("Ann Marie Lee", born), graphtest.ResponsibleIs(f.me))
	restricted := f.client(person("Ann Marie Lee", born), graphtest.Restricted())
	f.foreignClient(person("Ann Marie Lee", born), graphtest.Visibility(access.CareTeam))
	reaches := f.viewer(viewertest.WithSettings(viewer.Settings{EmergencyReachesRestricted: true}))
	want := func(cs ...*ent.ClientRecord) []pulid.ID {
		ids := graphtest.IDs(cs...)
		slices.Sort(ids)
		return ids
	}
	cases := []struct {
		name      string
		v         *viewer.Viewer
		who, born string
		want      []pulid.ID
		forbidden bool
	}{
		{"case and spaces do not matter", f.viewer(), "ANN MARIE   LEE", "1984-03-01", want(ann, late), false},
		{"nor spaces between words", f.viewer(), "annmarielee", "1984-03-01", want(ann, late), false},
		{"another date finds no one", f.viewer(), "Ann Marie Lee", "1984-03-02", nil, false},
		{"part of a name finds no one", f.viewer(), "Ann Marie", "1984-03-01", nil, false},
		{"restricted clients when the practice allows it", reaches, "Ann Marie Lee", "1984-03-01", want(ann, late, restricted), false},
		{"an admin sees everyone already", f.viewer(viewertest.Admin()), "Ann Marie Lee", "1984-03-01", nil, false},
		{"without EMERGENCY_ACCESS", f.viewer(viewertest.WithCapabilities(access.CreateClients)), "Ann Marie Lee", "1984-03-01", nil, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := f.search(t, tc.v, tc.who, tc.born)
			var denial *rule.Denial
			if tc.forbidden != errors.As(err, &denial) || (err != nil && !tc.forbidden) {
				t.Fatalf("EmergencyCandidates: %v", err)
			}
			if !slices.Equal(got, tc.want) {
				t.Fatalf("found %v, want %v", got, tc.want)
			}
		})
	}
}

// Policy §8: candidates are only clients the member cannot see. A viewer
// whose statement found no personal grant, searching after a share was
// made to them, does not offer the shared client: the search decides with
// every rule (viewer.Viewer.ForWrites).
func TestEmergencyCandidates_ShareMadeAfterTheViewerLoaded_IsNoCandidate(t *testing.T) {
	base := graphtest.New(t)
	f := newFixture(t, base)
	ann := f.client(person("Ann Lee", day("1984-03-01")), graphtest.Visibility(access.CareTeam))
	loaded := f.viewer()
	loaded.Without = viewer.CareTeamGrant | viewer.ShareGrant | viewer.EmergencyGrant
	if got, err := f.search(t, loaded, "Ann Lee", "1984-03-01"); err != nil || !slices.Equal(got, []pulid.ID{ann.ID}) {
		t.Fatalf("before the share: found %v (%v), want Ann", got, err)
	}
	f.e.Share(ann, f.me, access.View)
	if got, err := f.search(t, loaded, "Ann Lee", "1984-03-01"); err != nil || len(got) != 0 {
		t.Fatalf("after the share: found %v (%v), want no one", got, err)
	}
}

// breakGlass creates v's grant on c through the privacy policy, until the
// practice's emergencyAccessMinutes.
func (f *fixture) breakGlass(v *viewer.Viewer, c pulid.ID, holder pulid.ID, minutes int) error {
	return f.e.Client().EmergencyAccess.Create().SetClientID(c).SetMemberID(holder).SetReason("crisis call").
		SetExpiresAt(v.Now.Add(time.Duration(minutes) * time.Minute)).Exec(f.as(v))
}

// Policy §8, breaking the glass: only on a client the member identified
// within the window and rule 7 still reaches, for themselves, for at most
// the practice's minutes; a client they see is a conflict.
func TestDecideEmergencyAccessWrite_BreakGlass(t *testing.T) {
	base := graphtest.New(t)
	cases := []struct {
		name    string
		prepare func(f *fixture, c *ent.ClientRecord) (*viewer.Viewer, pulid.ID, int)
		want    string
	}{
		{"identified", func(f *fixture, c *ent.ClientRecord) (*viewer.Viewer, pulid.ID, int) {
			return f.viewer(), f.me.ID, 60
		}, "allowed"},
		{"not identified", func(f *fixture, c *ent.ClientRecord) (*viewer.Viewer, pulid.ID, int) {
			return f.viewer(), f.me.ID, 60
		}, "hidden"},
		{"identification expired", func(f *fixture, c *ent.ClientRecord) (*viewer.Viewer, pulid.ID, int) {
			return f.viewer(viewertest.At(f.in(rule.IdentificationWindow))), f.me.ID, 60
		}, "hidden"},
		{"for someone else", func(f *fixture, c *ent.ClientRecord) (*viewer.Viewer, pulid.ID, int) {
			return f.viewer(), f.other.ID, 60
		}, "forbidden"},
		{"longer than the practice allows", func(f *fixture, c *ent.ClientRecord) (*viewer.Viewer, pulid.ID, int) {
			return f.viewer(), f.me.ID, 61
		}, "forbidden"},
		{"without EMERGENCY_ACCESS", func(f *fixture, c *ent.ClientRecord) (*viewer.Viewer, pulid.ID, int) {
			return f.viewer(viewertest.WithCapabilities()), f.me.ID, 60
		}, "forbidden"},
		{"a client they see", func(f *fixture, c *ent.ClientRecord) (*viewer.Viewer, pulid.ID, int) {
			f.e.Share(c, f.me, access.View)
			return f.viewer(), f.me.ID, 60
		}, "conflict"},
		{"restricted since the search", func(f *fixture, c *ent.ClientRecord) (*viewer.Viewer, pulid.ID, int) {
			f.e.Client().ClientRecord.UpdateOne(c).SetRestricted(true).ExecX(f.e.Ctx)
			return f.viewer(), f.me.ID, 60
		}, "hidden"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, base)
			c := f.client(person("Rua Kere", day("1990-07-14")), graphtest.Visibility(access.CareTeam))
			if tc.name != "not identified" {
				if got, err := f.search(t, f.viewer(), "Rua Kere", "1990-07-14"); err != nil || len(got) != 1 {
					t.Fatalf("search: %v %v", got, err)
				}
			}
			v, holder, minutes := tc.prepare(f, c)
			err := f.breakGlass(v, c.ID, holder, minutes)
			if got := outcome(err); got != tc.want {
				t.Fatalf("breaking the glass: %s (%v), want %s", got, err, tc.want)
			}
			if tc.want == "allowed" && !f.decide(t, f.viewer(), c.ID).Has(access.RuleEmergency) {
				t.Fatalf("the grant gives no access: %s", show(f.decide(t, f.viewer(), c.ID)))
			}
		})
	}
}

// outcome names what a write's privacy decided.
func outcome(err error) string {
	var denial *rule.Denial
	var conflict *rule.Conflict
	switch {
	case err == nil:
		return "allowed"
	case errors.Is(err, rule.ErrHidden):
		return "hidden"
	case errors.As(err, &conflict):
		return "conflict"
	case errors.As(err, &denial):
		return "forbidden"
	}
	return err.Error()
}

// Policy §8: admins review an emergency access, as themselves; no one else
// changes it, and no one deletes it.
func TestDecideEmergencyAccessWrite_Review(t *testing.T) {
	base := graphtest.New(t)
	f := newFixture(t, base)
	c := f.client(graphtest.Visibility(access.CareTeam))
	f.e.Emergency(c, f.me, f.in(time.Hour))
	ea := f.e.Client().EmergencyAccess.Query().OnlyX(f.e.Ctx)
	admin := f.member("admin", graphtest.Admin())
	asAdmin := viewertest.New(f.p.ID, admin.ID, viewertest.Admin(), viewertest.At(f.now))
	audit := f.viewer(viewertest.WithCapabilities(access.ViewAuditLog))
	review := func(v *viewer.Viewer, by pulid.ID) error {
		return f.e.Client().EmergencyAccess.UpdateOne(ea).SetReviewedAt(f.now).SetReviewedByID(by).Exec(f.as(v))
	}
	for _, tc := range []struct {
		name string
		err  error
		want string
	}{
		{"the holder", review(f.viewer(), f.me.ID), "forbidden"},
		{"VIEW_AUDIT_LOG", review(audit, f.me.ID), "forbidden"},
		{"an admin in another's name", review(asAdmin, f.me.ID), "forbidden"},
		{"an admin deleting", f.e.Client().EmergencyAccess.DeleteOne(ea).Exec(f.as(asAdmin)), "forbidden"},
		{"an admin", review(asAdmin, admin.ID), "allowed"},
	} {
		if got := outcome(tc.err); got != tc.want {
			t.Errorf("%s: %s (%v), want %s", tc.name, got, tc.err, tc.want)
		}
	}
}
