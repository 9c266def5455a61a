package policytest

import (
	"testing"
	"time"

	"caseload/ent"
	"caseload/ent/schema/access"
	"caseload/graph/graphtest"
)

// Policy §5: an author edits a note until it is signed; after that only an
// addendum can be added, read as its note is.

func writeNote(t *testing.T, e *graphtest.Env, author *ent.Member, c *ent.ClientRecord, private bool) string {
	t.Helper()
	r := e.As(author, `mutation($c: ID!, $p: Boolean) { createSessionNote(clientId: $c, content: "first draft", private: $p) { id } }`, map[string]any{"c": c.ID, "p": private})
	r.RequireNoErrors(t)
	var out struct{ CreateSessionNote struct{ ID string } }
	r.Decode(t, &out)
	return out.CreateSessionNote.ID
}

func TestSessionNote_AuthorEditsUntilSigned(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	author, colleague := e.Member(p), e.Member(p)
	c := e.NewClient(p, graphtest.ResponsibleIs(author))
	e.Assign(c, colleague)
	id := writeNote(t, e, author, c, false)

	edit := `mutation($id: ID!) { updateSessionNote(id: $id, content: "revised") { content } }`
	requireCode(t, e.As(colleague, edit, map[string]any{"id": id}), "FORBIDDEN")
	r := e.As(author, edit, map[string]any{"id": id})
	r.RequireNoErrors(t)
	if !contains(string(r.Data), "revised") {
		t.Fatalf("answer: %s", r.Data)
	}
	e.As(author, `mutation($id: ID!) { signSessionNote(id: $id) { signedAt } }`, map[string]any{"id": id}).RequireNoErrors(t)
	requireCode(t, e.As(author, edit, map[string]any{"id": id}), "CONFLICT")
}

func TestNoteAddendum_OnlyAuthorOnlySignedReadLikeItsNote(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	author, colleague := e.Member(p), e.Member(p)
	admin := e.Member(p, graphtest.Admin())
	c := e.NewClient(p, graphtest.ResponsibleIs(author))
	e.Assign(c, colleague)
	open := writeNote(t, e, author, c, false)
	private := writeNote(t, e, author, c, true)

	add := `mutation($id: ID!) { addNoteAddendum(noteId: $id, content: "addendum") { id content } }`
	requireCode(t, e.As(author, add, map[string]any{"id": open}), "FORBIDDEN") // not signed yet
	for _, id := range []string{open, private} {
		e.As(author, `mutation($id: ID!) { signSessionNote(id: $id) { id } }`, map[string]any{"id": id}).RequireNoErrors(t)
		e.As(author, add, map[string]any{"id": id}).RequireNoErrors(t)
	}
	requireCode(t, e.As(colleague, add, map[string]any{"id": open}), "FORBIDDEN")

	read := `query($id: ID!) { node(id: $id) { ... on SessionNote { addenda { content author { id } } } } }`
	// The open note's addendum reads like the note: the care team reads it.
	r := e.As(colleague, read, map[string]any{"id": open})
	r.RequireNoErrors(t)
	if !contains(string(r.Data), `"content":"addendum"`) {
		t.Fatalf("colleague, open note: %s", r.Data)
	}
	// A private note's addendum: its author only, not even an admin.
	for _, m := range []*ent.Member{colleague, admin} {
		r = e.As(m, read, map[string]any{"id": private})
		requireForbiddenSection(t, r, "content", access.SessionNotes)
	}
	r = e.As(author, read, map[string]any{"id": private})
	r.RequireNoErrors(t)
	if !contains(string(r.Data), `"content":"addendum"`) {
		t.Fatalf("author, private note: %s", r.Data)
	}
	// A stranger finds neither the note nor its addenda.
	stranger := e.Member(p)
	r = e.As(stranger, read, map[string]any{"id": open})
	r.RequireNoErrors(t)
	if string(r.Data) != `{"node":null}` {
		t.Fatalf("stranger: %s", r.Data)
	}
}

const noteMutation = `mutation($id: ID!, $c: String!, $p: Boolean) { createSessionNote(clientId: $id, content: $c, private: $p) { id private } }`
const signMutation = `mutation($id: ID!) { signSessionNote(id: $id) { id signedAt } }`

func TestCreateSessionNote_NeedsPractitionerWithSessionNotesEdit(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	owner, viewOnly := e.Member(p), e.Member(p)
	admin := e.Member(p, graphtest.Admin(), graphtest.Administrative())
	c := e.NewClient(p, graphtest.ResponsibleIs(owner))
	e.Share(c, viewOnly, access.View)
	requireForbiddenSection(t, e.As(viewOnly, noteMutation, map[string]any{"id": c.ID, "c": "x"}), "createSessionNote", access.SessionNotes)
	requireCode(t, e.As(admin, noteMutation, map[string]any{"id": c.ID, "c": "x"}), "FORBIDDEN")
	e.As(owner, noteMutation, map[string]any{"id": c.ID, "c": "seen today", "p": true}).RequireNoErrors(t)
	requireCode(t, e.As(owner, noteMutation, map[string]any{"id": c.ID, "c": "   "}), "BAD_USER_INPUT")
	if n, _ := e.Client().SessionNote.Query().Count(e.Ctx); n != 1 {
		t.Fatalf("want exactly the one permitted note, got %d", n)
	}
}

func TestSignSessionNote_OnlyTheAuthor_Once(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	author, colleague := e.Member(p), e.Member(p)
	admin := e.Member(p, graphtest.Admin())
	c := e.NewClient(p, graphtest.ResponsibleIs(author))
	e.Assign(c, colleague)
	n, err := e.Client().SessionNote.Create().SetPracticeID(p.ID).SetClientID(c.ID).SetAuthorID(author.ID).
		SetDate(time.Now()).SetContent("draft").Save(e.Ctx)
	if err != nil {
		t.Fatal(err)
	}
	requireCode(t, e.As(colleague, signMutation, map[string]any{"id": n.ID}), "FORBIDDEN")
	requireCode(t, e.As(admin, signMutation, map[string]any{"id": n.ID}), "FORBIDDEN")
	e.As(author, signMutation, map[string]any{"id": n.ID}).RequireNoErrors(t)
	requireCode(t, e.As(author, signMutation, map[string]any{"id": n.ID}), "CONFLICT")
}
