package policytest

import (
	"testing"

	"caseload/graph/graphtest"
)

// A logged-in member (of another practice, or a non-admin of the same one)
// using the public intake mutation.
func TestZZReviewLoggedInSubmit(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	a := e.Member(p)
	f := newIntakeForm(t, e, p, a)
	tok := f.link(t, nil)

	// anonymous: fine
	submit(e, tok, answers("Anon Person", nil), newKey()).RequireNoErrors(t)

	other := e.Practice()
	stranger := e.Member(other)
	r := e.As(stranger, submitMutation, map[string]any{"token": tok, "answers": answers("Logged Stranger", nil), "key": newKey()})
	t.Logf("member of another practice submits: status %d data %s errors %+v", r.Status, r.Data, r.Errors)

	clerk := e.Member(p, graphtest.Administrative())
	r = e.As(clerk, submitMutation, map[string]any{"token": tok, "answers": answers("Logged Clerk", nil), "key": newKey()})
	t.Logf("administrative member of the same practice submits: status %d data %s errors %+v", r.Status, r.Data, r.Errors)
}

func TestZZReviewLoggedInBook(t *testing.T) {
	e := graphtest.New(t)
	f := newBookingPage(t, e)
	sl := f.slots(t)
	t.Logf("slots %v", sl[:4])
	other := e.Practice()
	stranger := e.Member(other)
	r := e.Do(e.Token(stranger), bookMutation, map[string]any{"slug": f.slug, "p": f.a.ID, "type": "Initial consultation", "at": sl[0],
		"client": map[string]any{"name": "Logged Stranger", "email": "ls@mail.example"}, "key": newKey()})
	t.Logf("member of another practice books: status %d data %s errors %+v", r.Status, r.Data, r.Errors)

	clerk := e.Member(f.p, graphtest.Administrative())
	r = e.Do(e.Token(clerk), bookMutation, map[string]any{"slug": f.slug, "p": f.a.ID, "type": "Initial consultation", "at": sl[1],
		"client": map[string]any{"name": "Logged Clerk", "email": "lc@mail.example"}, "key": newKey()})
	t.Logf("administrative member of the same practice books: status %d data %s errors %+v", r.Status, r.Data, r.Errors)

	r = f.book(sl[2], "Anon Booker", newKey())
	t.Logf("anonymous books: status %d errors %+v", r.Status, r.Errors)
}
