package rule_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"caseload/ent"
	"caseload/ent/rule"
	"caseload/ent/schema/access"
	"caseload/ent/viewer"
	"caseload/ent/viewer/viewertest"
	"caseload/graph/graphtest"
)

// sectionsOf renders a level per section, in the policy's order.
func sectionsOf(level func(access.Section) access.Level) string {
	parts := make([]string, len(access.Sections))
	for i, s := range access.Sections {
		parts[i] = fmt.Sprintf("%s:%s", s, level(s))
	}
	return strings.Join(parts, " ")
}

// levels spells an expected level per section; a section left out is NONE.
func levels(l access.SectionLevels) string { return sectionsOf(l.Of) }

// Policy §4: the effective level of M on section S of C is the lower of M's
// role level for S and M's relationship level on C. Every pair of levels,
// on a role that gives each section a different level.
func TestEffectiveSectionLevel_IsTheLowerOfRoleAndRelationship(t *testing.T) {
	role := access.SectionLevels{
		access.Profile:        access.Edit,
		access.Scheduling:     access.View,
		access.MedicalHistory: access.Edit,
		access.SessionNotes:   access.View,
		access.Forms:          access.None,
		// BILLING left out: NONE.
	}
	v := viewertest.New("PR", "ME", viewertest.WithSections(role))
	cases := []struct {
		relationship access.Level
		want         access.SectionLevels
	}{
		{access.None, access.SectionLevels{}},
		{access.View, access.SectionLevels{
			access.Profile: access.View, access.Scheduling: access.View, access.MedicalHistory: access.View, access.SessionNotes: access.View,
		}},
		{access.Edit, access.SectionLevels{
			access.Profile: access.Edit, access.Scheduling: access.View, access.MedicalHistory: access.Edit, access.SessionNotes: access.View,
		}},
	}
	for _, tc := range cases {
		t.Run("relationship "+string(tc.relationship), func(t *testing.T) {
			d := rule.Decision{Level: tc.relationship}
			got := sectionsOf(func(s access.Section) access.Level { return rule.SectionLevel(v, d, s) })
			if want := levels(tc.want); got != want {
				t.Errorf("SectionLevel:\n got  %s\n want %s", got, want)
			}
			for _, s := range access.Sections {
				if got, want := rule.MayRead(v, d, s), tc.want.Of(s).AtLeast(access.View); got != want {
					t.Errorf("MayRead %s = %v, want %v", s, got, want)
				}
			}
		})
	}
	// On the clients a viewer sees, reading a section needs the role's VIEW.
	for _, s := range access.Sections {
		if got, want := rule.MayReadOnVisibleClients(v, s), role.Of(s).AtLeast(access.View); got != want {
			t.Errorf("MayReadOnVisibleClients %s = %v, want %v", s, got, want)
		}
	}
}

// sectionCase is a row on a real relationship: the client and viewer are
// built, Decide decides, and the effective levels follow.
type sectionCase struct {
	name  string
	build func(f *fixture) (*ent.ClientRecord, *viewer.Viewer)
	facts string
	level access.Level // the relationship, checked first
	want  access.SectionLevels
}

func runSectionTable(t *testing.T, cases []sectionCase) {
	t.Helper()
	base := graphtest.New(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, base)
			c, v := tc.build(f)
			f.requireFacts(c.ID, v.Now, tc.facts)
			d := f.decide(t, v, c.ID)
			if d.Level != tc.level {
				t.Fatalf("the row is about a %s relationship, Decide gives %s", tc.level, show(d))
			}
			got := sectionsOf(func(s access.Section) access.Level { return rule.SectionLevel(v, d, s) })
			if want := levels(tc.want); got != want {
				t.Errorf("SectionLevel:\n got  %s\n want %s", got, want)
			}
		})
	}
}

// Policy §4 on real relationships: the built-in defaults and a role's levels,
// capped by what the rules of §3 give.
func TestEffectiveSectionLevel_FollowsTheRelationship(t *testing.T) {
	custom := viewertest.WithSections(access.SectionLevels{access.MedicalHistory: access.Edit, access.Billing: access.View})
	runSectionTable(t, []sectionCase{
		{
			name: "practitioner defaults, responsible",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				return f.client(graphtest.ResponsibleIs(f.me)), f.viewer()
			},
			facts: "vis=PRACTICE_DEFAULT responsible=me",
			level: access.Edit,
			want:  access.AllSections(access.Edit),
		},
		{
			name: "practitioner defaults, emergency access",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				c := f.client(graphtest.ResponsibleIs(f.other))
				f.e.Emergency(c, f.me, f.in(time.Hour))
				return c, f.viewer()
			},
			facts: "vis=PRACTICE_DEFAULT responsible=other emergency=me",
			level: access.View,
			want:  access.AllSections(access.View),
		},
		{
			name: "practitioner defaults, VIEW team member access",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				return f.client(graphtest.ResponsibleIs(f.other)), f.viewer(viewertest.WithTeamAccess(ptr(f.other.ID), access.View))
			},
			facts: "vis=PRACTICE_DEFAULT responsible=other",
			level: access.View,
			want:  access.AllSections(access.View),
		},
		{
			name: "administrative defaults, EDIT share",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				c := f.client(graphtest.ResponsibleIs(f.other))
				f.e.Share(c, f.me, access.Edit)
				return c, f.viewer(viewertest.Administrative())
			},
			facts: "vis=PRACTICE_DEFAULT responsible=other share=me:EDIT",
			level: access.Edit,
			want:  access.SectionLevels{access.Profile: access.View, access.Scheduling: access.View},
		},
		{
			name: "role with MEDICAL_HISTORY EDIT and BILLING VIEW, VIEW share",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				c := f.client(graphtest.ResponsibleIs(f.other))
				f.e.Share(c, f.me, access.View)
				return c, f.viewer(custom)
			},
			facts: "vis=PRACTICE_DEFAULT responsible=other share=me:VIEW",
			level: access.View,
			want:  access.SectionLevels{access.MedicalHistory: access.View, access.Billing: access.View},
		},
		{
			name: "role with MEDICAL_HISTORY EDIT and BILLING VIEW, ALL_TEAM client",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				return f.client(graphtest.Visibility(access.AllTeam)), f.viewer(custom)
			},
			facts: "vis=ALL_TEAM",
			level: access.Edit,
			want:  access.SectionLevels{access.MedicalHistory: access.Edit, access.Billing: access.View},
		},
		{
			name: "practitioner defaults, hidden client",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				return f.client(graphtest.ResponsibleIs(f.other)), f.viewer()
			},
			facts: "vis=PRACTICE_DEFAULT responsible=other",
			level: access.None,
			want:  access.SectionLevels{},
		},
	})
}

// Policy §4: an admin has EDIT on every section, whatever their role says; a
// deactivated admin has nothing.
func TestAdmin_EditsEverySection(t *testing.T) {
	runSectionTable(t, []sectionCase{
		{
			name: "role giving no section, restricted client",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				return f.client(graphtest.Restricted()), f.viewer(viewertest.Admin(), viewertest.WithSections(access.SectionLevels{}))
			},
			facts: "vis=PRACTICE_DEFAULT restricted",
			level: access.Edit,
			want:  access.AllSections(access.Edit),
		},
		{
			name: "administrative defaults",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				return f.client(graphtest.ResponsibleIs(f.other)), f.viewer(viewertest.Admin(), viewertest.Administrative())
			},
			facts: "vis=PRACTICE_DEFAULT responsible=other",
			level: access.Edit,
			want:  access.AllSections(access.Edit),
		},
		{
			name: "the same role, not an admin, on an ALL_TEAM client",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				return f.client(graphtest.Visibility(access.AllTeam)), f.viewer(viewertest.WithSections(access.SectionLevels{}))
			},
			facts: "vis=ALL_TEAM",
			level: access.Edit,
			want:  access.SectionLevels{},
		},
		{
			name: "deactivated admin",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				return f.client(graphtest.ResponsibleIs(f.other)), f.viewer(viewertest.Admin(), viewertest.Inactive())
			},
			facts: "vis=PRACTICE_DEFAULT responsible=other",
			level: access.None,
			want:  access.SectionLevels{},
		},
	})
}

// Policy §5: a note's content needs the effective SESSION_NOTES level, and a
// private (psychotherapy) note's content is read by its author alone: not
// even an admin reads it.
func TestSessionNoteContent_PrivateOnlyForItsAuthor(t *testing.T) {
	base := graphtest.New(t)
	type noteOf struct {
		author  func(f *fixture) *ent.Member
		private bool
	}
	mine := func(f *fixture) *ent.Member { return f.me }
	theirs := func(f *fixture) *ent.Member { return f.other }
	cases := []struct {
		name  string
		note  noteOf
		build func(f *fixture) (*ent.ClientRecord, *viewer.Viewer)
		facts string
		level access.Level // the relationship, checked first
		want  access.Level
	}{
		{
			name: "author of a private note, responsible",
			note: noteOf{mine, true},
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				return f.client(graphtest.ResponsibleIs(f.me)), f.viewer()
			},
			facts: "vis=PRACTICE_DEFAULT responsible=me",
			level: access.Edit,
			want:  access.Edit,
		},
		{
			name: "author of a private note, VIEW share after handing over",
			note: noteOf{mine, true},
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				c := f.client(graphtest.ResponsibleIs(f.other))
				f.e.Share(c, f.me, access.View)
				return c, f.viewer()
			},
			facts: "vis=PRACTICE_DEFAULT responsible=other share=me:VIEW",
			level: access.View,
			want:  access.View,
		},
		{
			name: "author of a private note, role without SESSION_NOTES",
			note: noteOf{mine, true},
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				return f.client(graphtest.ResponsibleIs(f.me)), f.viewer(viewertest.WithSections(access.SectionLevels{access.Profile: access.Edit}))
			},
			facts: "vis=PRACTICE_DEFAULT responsible=me",
			level: access.Edit,
			want:  access.None,
		},
		{
			name: "author of a private note on a client they no longer see",
			note: noteOf{mine, true},
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				return f.client(graphtest.ResponsibleIs(f.other)), f.viewer()
			},
			facts: "vis=PRACTICE_DEFAULT responsible=other",
			level: access.None,
			want:  access.None,
		},
		{
			name: "admin, a colleague's private note",
			note: noteOf{theirs, true},
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				return f.client(graphtest.ResponsibleIs(f.other)), f.viewer(viewertest.Admin())
			},
			facts: "vis=PRACTICE_DEFAULT responsible=other",
			level: access.Edit,
			want:  access.None,
		},
		{
			name: "admin, a colleague's ordinary note",
			note: noteOf{theirs, false},
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				return f.client(graphtest.ResponsibleIs(f.other)), f.viewer(viewertest.Admin())
			},
			facts: "vis=PRACTICE_DEFAULT responsible=other",
			level: access.Edit,
			want:  access.Edit,
		},
		{
			name: "responsible practitioner, a care-team colleague's private note",
			note: noteOf{theirs, true},
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				c := f.client(graphtest.ResponsibleIs(f.me))
				f.e.Assign(c, f.other)
				return c, f.viewer()
			},
			facts: "vis=PRACTICE_DEFAULT responsible=me team=other",
			level: access.Edit,
			want:  access.None,
		},
		{
			name: "responsible practitioner, a care-team colleague's ordinary note",
			note: noteOf{theirs, false},
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				c := f.client(graphtest.ResponsibleIs(f.me))
				f.e.Assign(c, f.other)
				return c, f.viewer()
			},
			facts: "vis=PRACTICE_DEFAULT responsible=me team=other",
			level: access.Edit,
			want:  access.Edit,
		},
		{
			name: "VIEW share, a colleague's ordinary note",
			note: noteOf{theirs, false},
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				c := f.client(graphtest.ResponsibleIs(f.other))
				f.e.Share(c, f.me, access.View)
				return c, f.viewer()
			},
			facts: "vis=PRACTICE_DEFAULT responsible=other share=me:VIEW",
			level: access.View,
			want:  access.View,
		},
		{
			name: "administrative staff with ACCESS_ALL_CLIENTS, an ordinary note",
			note: noteOf{theirs, false},
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				return f.client(graphtest.ResponsibleIs(f.other)),
					f.viewer(viewertest.Administrative(), viewertest.WithCapabilities(access.AccessAllClients))
			},
			facts: "vis=PRACTICE_DEFAULT responsible=other",
			level: access.Edit,
			want:  access.None,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, base)
			c, v := tc.build(f)
			f.requireFacts(c.ID, v.Now, tc.facts)
			author := tc.note.author(f)
			note, err := f.e.Client().SessionNote.Create().SetPracticeID(f.p.ID).SetClientID(c.ID).SetAuthorID(author.ID).
				SetDate(f.now).SetContent("content").SetPrivate(tc.note.private).Save(f.e.Ctx)
			if err != nil {
				t.Fatal(err)
			}
			if note.Private != tc.note.private || note.AuthorID != author.ID {
				t.Fatalf("the note is private=%v by %s, the row wants private=%v by %s",
					note.Private, f.name(note.AuthorID), tc.note.private, f.name(author.ID))
			}
			d := f.decide(t, v, c.ID)
			if d.Level != tc.level {
				t.Fatalf("the row is about a %s relationship, Decide gives %s", tc.level, show(d))
			}
			if got := rule.NoteContentLevel(v, d, note.AuthorID, note.Private); got != tc.want {
				t.Errorf("NoteContentLevel = %s, want %s", got, tc.want)
			}
		})
	}
}
