package policytest

import (
	"strings"
	"testing"
	"time"

	"caseload/ent"
	"caseload/ent/schema/access"
	"caseload/graph/graphtest"
)

// Policy §4: field level.

func addHistory(t *testing.T, e *graphtest.Env, c *ent.ClientRecord) {
	t.Helper()
	if err := e.Client().MedicalHistory.Create().SetPracticeID(c.PracticeID).SetClientID(c.ID).
		SetText("history").SetDiagnoses("F41.1").Exec(e.Ctx); err != nil {
		t.Fatal(err)
	}
}

func TestSectionNone_FieldIsNullWithForbidden_RestIsServed(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	role := profileOnlyRole(e, p)
	m := e.Member(p, graphtest.Administrative(), graphtest.WithRole(role))
	c := e.NewClient(p)
	addHistory(t, e, c)
	r := e.As(m, `query($id: ID!) { client(id: $id) { name email medicalHistory { text } } }`, map[string]any{"id": c.ID})
	if len(r.Errors) != 1 || r.Errors[0].Code() != "FORBIDDEN" || r.Errors[0].Extensions["section"] != "MEDICAL_HISTORY" {
		t.Fatalf("want one FORBIDDEN for MEDICAL_HISTORY, got %+v", r.Errors)
	}
	var out struct {
		Client struct {
			Name           string
			Email          *string
			MedicalHistory *struct{ Text string }
		}
	}
	r.Decode(t, &out)
	if out.Client.Name != c.Name || out.Client.Email == nil || out.Client.MedicalHistory != nil {
		t.Fatalf("got %+v", out.Client)
	}
}

func TestShareAtView_CapsRoleEditAtView(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	m := e.Member(p) // practitioner default: EDIT on every section
	c := e.NewClient(p)
	e.Share(c, m, access.View)
	r := e.As(m, `query($id: ID!) { client(id: $id) { viewerAccess { level canEdit sections { section level } rules } } }`, map[string]any{"id": c.ID})
	r.RequireNoErrors(t)
	var out struct {
		Client struct {
			ViewerAccess struct {
				Level    string
				CanEdit  bool
				Rules    []string
				Sections []struct{ Section, Level string }
			}
		}
	}
	r.Decode(t, &out)
	va := out.Client.ViewerAccess
	if va.Level != "VIEW" || va.CanEdit || len(va.Rules) != 1 || va.Rules[0] != "SHARE" {
		t.Fatalf("got %+v", va)
	}
	for _, s := range va.Sections {
		if s.Level != "VIEW" {
			t.Fatalf("section %s at %s, want VIEW", s.Section, s.Level)
		}
	}
}

func TestPrivateNote_ContentOnlyForItsAuthor_NotEvenAdmin(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	author, colleague := e.Member(p), e.Member(p)
	admin := e.Member(p, graphtest.Admin())
	c := e.NewClient(p, graphtest.ResponsibleIs(author))
	e.Assign(c, colleague)
	for _, private := range []bool{true, false} {
		if err := e.Client().SessionNote.Create().SetPracticeID(p.ID).SetClientID(c.ID).SetAuthorID(author.ID).
			SetDate(time.Now()).SetContent("note private=" + map[bool]string{true: "yes", false: "no"}[private]).
			SetPrivate(private).Exec(e.Ctx); err != nil {
			t.Fatal(err)
		}
	}
	q := `query($id: ID!) { client(id: $id) { sessionNotes(first: 10) { totalCount edges { node { private content author { id } } } } } }`
	for _, tc := range []struct {
		who         *ent.Member
		seesPrivate bool
	}{{author, true}, {colleague, false}, {admin, false}} {
		r := e.As(tc.who, q, map[string]any{"id": c.ID})
		body := string(r.Data)
		if !strings.Contains(body, `"totalCount":2`) || !strings.Contains(body, "private=no") {
			t.Fatalf("both notes must be listed and the ordinary one read: %s", body)
		}
		if got := strings.Contains(body, "private=yes"); got != tc.seesPrivate {
			t.Fatalf("private content visible=%v, want %v: %s", got, tc.seesPrivate, body)
		}
		if !tc.seesPrivate && (len(r.Errors) != 1 || r.Errors[0].Code() != "FORBIDDEN" || r.Errors[0].Extensions["section"] != "SESSION_NOTES") {
			t.Fatalf("want one FORBIDDEN for the private note's content, got %+v", r.Errors)
		}
	}
}

func TestSearchByEmail_NeedsProfile(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	noProfile := e.Role(p, access.Administrative, access.SectionLevels{access.Scheduling: access.View}, []access.Capability{access.AccessAllClients})
	blind := e.Member(p, graphtest.Administrative(), graphtest.WithRole(noProfile))
	reader := e.Member(p, graphtest.Admin())
	c := e.NewClient(p)
	q := `query($s: String) { clients(search: $s) { totalCount } }`
	for _, tc := range []struct {
		who  *ent.Member
		term string
		want string
	}{
		{blind, c.Email, `"totalCount":0`},
		{blind, c.Name, `"totalCount":1`},
		{reader, c.Email, `"totalCount":1`},
	} {
		r := e.As(tc.who, q, map[string]any{"s": tc.term})
		r.RequireNoErrors(t)
		if !strings.Contains(string(r.Data), tc.want) {
			t.Fatalf("search %q: %s, want %s", tc.term, r.Data, tc.want)
		}
	}
}

func TestTagClientsEdge_HidesClientsTheViewerCannotSee(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	m := e.Member(p)
	tag := e.Tag(p, "North")
	mine := e.NewClient(p, graphtest.ResponsibleIs(m), graphtest.Tagged(tag))
	e.NewClient(p, graphtest.Tagged(tag))
	r := e.As(m, `query($id: ID!) { node(id: $id) { ... on Tag { clients(first: 10) { totalCount edges { node { id } } } } } }`, map[string]any{"id": tag.ID})
	r.RequireNoErrors(t)
	body := string(r.Data)
	if !strings.Contains(body, `"totalCount":1`) || !strings.Contains(body, string(mine.ID)) {
		t.Fatalf("the tag edge must show only the visible client: %s", body)
	}
}

func TestSectionRows_HiddenClientsNotesUnreachableByNode(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	m, other := e.Member(p), e.Member(p)
	c := e.NewClient(p, graphtest.ResponsibleIs(other))
	n, err := e.Client().SessionNote.Create().SetPracticeID(p.ID).SetClientID(c.ID).SetAuthorID(other.ID).
		SetDate(time.Now()).SetContent("secret").Save(e.Ctx)
	if err != nil {
		t.Fatal(err)
	}
	r := e.As(m, `query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": n.ID})
	r.RequireNoErrors(t)
	if !strings.Contains(string(r.Data), `"node":null`) {
		t.Fatalf("a hidden client's note is reachable by node: %s", r.Data)
	}
}

// Policy §4: which clients carry a tag is PROFILE data.
// Regression: a security review found this defect; checked on both sides.
func TestTagClients_AreProfileData(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	noProfile := e.Role(p, access.Administrative, access.SectionLevels{access.Scheduling: access.View}, []access.Capability{access.AccessAllClients})
	blind := e.Member(p, graphtest.Administrative(), graphtest.WithRole(noProfile))
	reader := e.Member(p, graphtest.Admin())
	tag := e.Tag(p, "Eating disorder programme")
	c := e.NewClient(p, graphtest.Tagged(tag))
	q := `{ tags { name clients(first: 10) { totalCount edges { node { name } } } } }`
	denied := e.As(blind, q, nil)
	requireForbiddenSection(t, denied, "clients", access.Profile)
	if strings.Contains(string(denied.Data), c.Name) {
		t.Fatalf("the tag revealed its client: %s", denied.Data)
	}
	if r := e.As(reader, q, nil); !strings.Contains(string(r.Data), c.Name) {
		t.Fatalf("a PROFILE reader sees the tag's clients: %s %+v", r.Data, r.Errors)
	}
}
