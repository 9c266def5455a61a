package rule_test

import (
	"testing"
	"time"

	"caseload/ent"
	"caseload/ent/rule"
	"caseload/ent/schema/access"
	"caseload/ent/viewer"
	"caseload/ent/viewer/viewertest"
	"caseload/graph/graphtest"
)

// actionsCase is one row of a table of policy §6: a client and a viewer, the
// relationship level Decide must give (checked first, so that a row about
// "EDIT on the client" is about EDIT), and the actions.
type actionsCase struct {
	name     string
	practice []func(*ent.PracticeCreate)
	build    func(f *fixture) (*ent.ClientRecord, *viewer.Viewer)
	facts    string
	level    access.Level
	want     rule.Actions
}

func runActionsTable(t *testing.T, cases []actionsCase) {
	t.Helper()
	base := graphtest.New(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, base, tc.practice...)
			c, v := tc.build(f)
			f.requireFacts(c.ID, v.Now, tc.facts)
			d := f.decide(t, v, c.ID)
			if d.Level != tc.level {
				t.Fatalf("the row is about a %s relationship, Decide gives %s", tc.level, show(d))
			}
			if got := rule.ClientActions(v, d); got != tc.want {
				t.Errorf("ClientActions:\n got  %+v\n want %+v", got, tc.want)
			}
		})
	}
}

var (
	everything = rule.Actions{Edit: true, Assign: true, Share: true, ChangeResponsible: true}
	editOnly   = rule.Actions{Edit: true}
)

// Policy §2 and §6: an admin may do everything with every client; a
// deactivated admin nothing.
func TestAdmin_MayDoEverythingWithAClient(t *testing.T) {
	runActionsTable(t, []actionsCase{
		{
			name: "a colleague's client in a CARE_TEAM practice",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				return f.client(graphtest.ResponsibleIs(f.other)), f.viewer(viewertest.Admin())
			},
			facts: "vis=PRACTICE_DEFAULT responsible=other",
			level: access.Edit,
			want:  everything,
		},
		{
			name: "restricted client, admin whose role grants no capability",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				return f.client(graphtest.Restricted()), f.viewer(viewertest.Admin(), viewertest.WithCapabilities())
			},
			facts: "vis=PRACTICE_DEFAULT restricted",
			level: access.Edit,
			want:  everything,
		},
		{
			name: "deactivated admin",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				return f.client(graphtest.ResponsibleIs(f.other)), f.viewer(viewertest.Admin(), viewertest.Inactive())
			},
			facts: "vis=PRACTICE_DEFAULT responsible=other",
			level: access.None,
		},
	})
}

// Policy §6: the responsible practitioner and the care team are changed by a
// member with ASSIGN_PRACTITIONERS and EDIT on the client; VIEW is not
// enough. In an ALL_TEAM practice nothing reserves the change of responsible.
func TestAssignPractitioners_NeedsEditOnTheClient(t *testing.T) {
	assigner := viewertest.WithCapabilities(access.AssignPractitioners)
	runActionsTable(t, []actionsCase{
		{
			name:     "EDIT share",
			practice: []func(*ent.PracticeCreate){allTeamPractice},
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				c := f.client(graphtest.ResponsibleIs(f.other), graphtest.Visibility(access.CareTeam))
				f.e.Share(c, f.me, access.Edit)
				return c, f.viewer(assigner)
			},
			facts: "vis=CARE_TEAM responsible=other share=me:EDIT",
			level: access.Edit,
			want:  rule.Actions{Edit: true, Assign: true, ChangeResponsible: true},
		},
		{
			name:     "EDIT through ACCESS_ALL_CLIENTS",
			practice: []func(*ent.PracticeCreate){allTeamPractice},
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				return f.client(graphtest.ResponsibleIs(f.other), graphtest.Visibility(access.CareTeam)),
					f.viewer(viewertest.WithCapabilities(access.AssignPractitioners, access.AccessAllClients))
			},
			facts: "vis=CARE_TEAM responsible=other",
			level: access.Edit,
			want:  rule.Actions{Edit: true, Assign: true, ChangeResponsible: true},
		},
		{
			name:     "VIEW share",
			practice: []func(*ent.PracticeCreate){allTeamPractice},
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				c := f.client(graphtest.ResponsibleIs(f.other), graphtest.Visibility(access.CareTeam))
				f.e.Share(c, f.me, access.View)
				return c, f.viewer(assigner)
			},
			facts: "vis=CARE_TEAM responsible=other share=me:VIEW",
			level: access.View,
			want:  rule.Actions{},
		},
		{
			name:     "VIEW through emergency access",
			practice: []func(*ent.PracticeCreate){allTeamPractice},
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				c := f.client(graphtest.ResponsibleIs(f.other), graphtest.Visibility(access.CareTeam))
				f.e.Emergency(c, f.me, f.in(time.Hour))
				return c, f.viewer(viewertest.WithCapabilities(access.AssignPractitioners, access.EmergencyAccess))
			},
			facts: "vis=CARE_TEAM responsible=other emergency=me",
			level: access.View,
			want:  rule.Actions{},
		},
		{
			name:     "EDIT share without the capability",
			practice: []func(*ent.PracticeCreate){allTeamPractice},
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				c := f.client(graphtest.ResponsibleIs(f.other), graphtest.Visibility(access.CareTeam))
				f.e.Share(c, f.me, access.Edit)
				return c, f.viewer()
			},
			facts: "vis=CARE_TEAM responsible=other share=me:EDIT",
			level: access.Edit,
			want:  editOnly,
		},
	})
}

// Policy §6: when the practice setting clientVisibility is CARE_TEAM, only
// admins change the responsible practitioner, practitionersManageOwnClients
// notwithstanding; the care team is not reserved; a client's own CARE_TEAM
// visibility in an ALL_TEAM practice reserves nothing.
func TestCareTeamPractice_ReservesChangeOfResponsibleToAdmins(t *testing.T) {
	runActionsTable(t, []actionsCase{
		{
			name: "ASSIGN_PRACTITIONERS with EDIT",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				c := f.client(graphtest.ResponsibleIs(f.other))
				f.e.Share(c, f.me, access.Edit)
				return c, f.viewer(viewertest.WithCapabilities(access.AssignPractitioners))
			},
			facts: "vis=PRACTICE_DEFAULT responsible=other share=me:EDIT",
			level: access.Edit,
			want:  rule.Actions{Edit: true, Assign: true},
		},
		{
			name:     "responsible practitioner with practitionersManageOwnClients",
			practice: []func(*ent.PracticeCreate){ownClientsPractice},
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				return f.client(graphtest.ResponsibleIs(f.me)), f.viewer()
			},
			facts: "vis=PRACTICE_DEFAULT responsible=me",
			level: access.Edit,
			want:  rule.Actions{Edit: true, Assign: true, Share: true},
		},
		{
			name:     "responsible practitioner with ASSIGN_PRACTITIONERS and practitionersManageOwnClients",
			practice: []func(*ent.PracticeCreate){ownClientsPractice},
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				return f.client(graphtest.ResponsibleIs(f.me)), f.viewer(viewertest.WithCapabilities(access.AssignPractitioners))
			},
			facts: "vis=PRACTICE_DEFAULT responsible=me",
			level: access.Edit,
			want:  rule.Actions{Edit: true, Assign: true, Share: true},
		},
		{
			name: "admin",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				return f.client(graphtest.ResponsibleIs(f.other)), f.viewer(viewertest.Admin())
			},
			facts: "vis=PRACTICE_DEFAULT responsible=other",
			level: access.Edit,
			want:  everything,
		},
		{
			name:     "CARE_TEAM client in an ALL_TEAM practice, ASSIGN_PRACTITIONERS with EDIT",
			practice: []func(*ent.PracticeCreate){allTeamPractice},
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				c := f.client(graphtest.ResponsibleIs(f.other), graphtest.Visibility(access.CareTeam))
				f.e.Share(c, f.me, access.Edit)
				return c, f.viewer(viewertest.WithCapabilities(access.AssignPractitioners))
			},
			facts: "vis=CARE_TEAM responsible=other share=me:EDIT",
			level: access.Edit,
			want:  rule.Actions{Edit: true, Assign: true, ChangeResponsible: true},
		},
	})
}

// Policy §6: with practitionersManageOwnClients the current responsible
// practitioner may hand their own client over and staff its care team;
// without it they may not. Either way they may share it (sharing and
// visibility).
func TestResponsiblePractitioner_ManagesOwnClientOnlyWhenPracticeAllows(t *testing.T) {
	runActionsTable(t, []actionsCase{
		{
			name:     "setting off",
			practice: []func(*ent.PracticeCreate){allTeamPractice},
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				return f.client(graphtest.ResponsibleIs(f.me), graphtest.Visibility(access.CareTeam)), f.viewer()
			},
			facts: "vis=CARE_TEAM responsible=me",
			level: access.Edit,
			want:  rule.Actions{Edit: true, Share: true},
		},
		{
			name:     "setting on",
			practice: []func(*ent.PracticeCreate){allTeamPractice, ownClientsPractice},
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				return f.client(graphtest.ResponsibleIs(f.me), graphtest.Visibility(access.CareTeam)), f.viewer()
			},
			facts: "vis=CARE_TEAM responsible=me",
			level: access.Edit,
			want:  everything,
		},
		{
			name:     "setting on, role without any capability",
			practice: []func(*ent.PracticeCreate){allTeamPractice, ownClientsPractice},
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				return f.client(graphtest.ResponsibleIs(f.me), graphtest.Visibility(access.CareTeam)), f.viewer(viewertest.WithCapabilities())
			},
			facts: "vis=CARE_TEAM responsible=me",
			level: access.Edit,
			want:  everything,
		},
		{
			name:     "setting on, a member of the care team who is not responsible",
			practice: []func(*ent.PracticeCreate){allTeamPractice, ownClientsPractice},
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				c := f.client(graphtest.ResponsibleIs(f.other), graphtest.Visibility(access.CareTeam))
				f.e.Assign(c, f.me)
				return c, f.viewer()
			},
			facts: "vis=CARE_TEAM responsible=other team=me",
			level: access.Edit,
			want:  editOnly,
		},
	})
}

// Policy §6, sharing and visibility: an admin, the responsible practitioner,
// or a member with MANAGE_CLIENT_ACCESS and EDIT on the client.
func TestManageClientAccess_SharesWithEditOnTheClient(t *testing.T) {
	manager := viewertest.WithCapabilities(access.ManageClientAccess)
	runActionsTable(t, []actionsCase{
		{
			name: "EDIT share",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				c := f.client(graphtest.ResponsibleIs(f.other))
				f.e.Share(c, f.me, access.Edit)
				return c, f.viewer(manager)
			},
			facts: "vis=PRACTICE_DEFAULT responsible=other share=me:EDIT",
			level: access.Edit,
			want:  rule.Actions{Edit: true, Share: true},
		},
		{
			name: "care team",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				c := f.client(graphtest.ResponsibleIs(f.other))
				f.e.Assign(c, f.me)
				return c, f.viewer(manager)
			},
			facts: "vis=PRACTICE_DEFAULT responsible=other team=me",
			level: access.Edit,
			want:  rule.Actions{Edit: true, Share: true},
		},
		{
			name: "ALL_TEAM client",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				return f.client(graphtest.ResponsibleIs(f.other), graphtest.Visibility(access.AllTeam)), f.viewer(manager)
			},
			facts: "vis=ALL_TEAM responsible=other",
			level: access.Edit,
			want:  rule.Actions{Edit: true, Share: true},
		},
		{
			name: "VIEW share",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				c := f.client(graphtest.ResponsibleIs(f.other))
				f.e.Share(c, f.me, access.View)
				return c, f.viewer(manager)
			},
			facts: "vis=PRACTICE_DEFAULT responsible=other share=me:VIEW",
			level: access.View,
			want:  rule.Actions{},
		},
		{
			name: "VIEW team member access",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				return f.client(graphtest.ResponsibleIs(f.other)), f.viewer(manager, viewertest.WithTeamAccess(ptr(f.other.ID), access.View))
			},
			facts: "vis=PRACTICE_DEFAULT responsible=other",
			level: access.View,
			want:  rule.Actions{},
		},
		{
			name: "care team without the capability",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				c := f.client(graphtest.ResponsibleIs(f.other))
				f.e.Assign(c, f.me)
				return c, f.viewer()
			},
			facts: "vis=PRACTICE_DEFAULT responsible=other team=me",
			level: access.Edit,
			want:  editOnly,
		},
		{
			name: "responsible practitioner without the capability",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				return f.client(graphtest.ResponsibleIs(f.me)), f.viewer()
			},
			facts: "vis=PRACTICE_DEFAULT responsible=me",
			level: access.Edit,
			want:  rule.Actions{Edit: true, Share: true},
		},
	})
}

// Policy §3: a client the viewer cannot see does not exist for them; no
// capability gives an action on it.
func TestHiddenClient_AllowsNothing(t *testing.T) {
	all := viewertest.WithCapabilities(access.Capabilities...)
	runActionsTable(t, []actionsCase{
		{
			name:     "unrelated client, every capability but ACCESS_ALL_CLIENTS",
			practice: []func(*ent.PracticeCreate){ownClientsPractice},
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				return f.client(graphtest.ResponsibleIs(f.other)), f.viewer(viewertest.WithCapabilities(
					access.CreateClients, access.AssignPractitioners, access.ManageClientAccess, access.ViewTeam,
					access.ManageTeam, access.ViewAuditLog, access.EmergencyAccess))
			},
			facts: "vis=PRACTICE_DEFAULT responsible=other",
			level: access.None,
		},
		{
			name: "restricted client, every capability",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				return f.client(graphtest.ResponsibleIs(f.other), graphtest.Restricted()), f.viewer(all)
			},
			facts: "vis=PRACTICE_DEFAULT restricted responsible=other",
			level: access.None,
		},
		{
			name: "client outside the role's tags, every capability",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				return f.client(graphtest.ResponsibleIs(f.other), graphtest.Tagged(f.green)), f.viewer(all, viewertest.RestrictedToTags(f.red.ID))
			},
			facts: "vis=PRACTICE_DEFAULT tags=green responsible=other",
			level: access.None,
		},
		{
			name: "expired EDIT share, ASSIGN_PRACTITIONERS and MANAGE_CLIENT_ACCESS",
			build: func(f *fixture) (*ent.ClientRecord, *viewer.Viewer) {
				c := f.client(graphtest.ResponsibleIs(f.other))
				f.e.Share(c, f.me, access.Edit, graphtest.Expires(f.in(-time.Minute)))
				return c, f.viewer(viewertest.WithCapabilities(access.AssignPractitioners, access.ManageClientAccess))
			},
			facts: "vis=PRACTICE_DEFAULT responsible=other share=me:EDIT:expired",
			level: access.None,
		},
	})
}
