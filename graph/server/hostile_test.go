package server_test

import (
	"testing"
	"time"

	"caseload/graph/graphtest"
)

// Each hostile request of issue G is refused with a typed error before any
// resolver runs: the answer has no data, and the database sees no statement
// beyond those that load the viewer (none for an anonymous caller).
func TestHostileQueries_RefusedBeforeAnyResolverRuns(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	admin := e.Member(p, graphtest.Admin())
	e.NewClient(p, graphtest.ResponsibleIs(admin), graphtest.Tagged(e.Tag(p, "North")))
	token := e.Token(admin)
	statements := e.CountStatements(t)
	// The first request of a session does more (it marks the session used).
	post(t, e.Handler, token, `{ __typename }`, nil).requireOK(t)

	for _, h := range hostileQueries() {
		t.Run(h.name, func(t *testing.T) {
			tok := token
			if h.anonymous {
				tok = ""
			}
			// What authentication alone costs, just before.
			statements.Reset()
			post(t, e.Handler, tok, `{ __typename }`, nil).requireOK(t)
			baseline := statements.N()
			statements.Reset()
			start := time.Now()
			got := post(t, e.Handler, tok, h.query, nil)
			elapsed := time.Since(start)
			got.requireRefused(t, h.code, h.limit)
			if n := statements.N(); n != baseline {
				t.Errorf("%d statements ran; loading the viewer takes %d: a resolver ran", n, baseline)
			}
			if elapsed > 2*time.Second {
				t.Errorf("refusing took %s", elapsed)
			}
			if h.code == "QUERY_TOO_COMPLEX" {
				intExt(t, got.Errors[0], "value")
			}
		})
	}
}

// The statement counter would miss a resolver that reads nothing: a query
// that runs does get data and statements.
func TestHostileQueries_TheCounterSeesResolvers(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	token := e.Token(e.Member(p, graphtest.Admin()))
	statements := e.CountStatements(t)
	post(t, e.Handler, token, `{ __typename }`, nil).requireOK(t)
	statements.Reset()
	post(t, e.Handler, token, `{ __typename }`, nil).requireOK(t)
	loadViewer := statements.N()
	statements.Reset()
	post(t, e.Handler, token, `{ tags { id } }`, nil).requireOK(t)
	if statements.N() <= loadViewer {
		t.Fatalf("tags ran %d statements, loading the viewer %d", statements.N(), loadViewer)
	}
}
