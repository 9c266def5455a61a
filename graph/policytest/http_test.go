package policytest

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"caseload/graph/graphtest"
)

func TestHealthAndReadiness_Answer(t *testing.T) {
	e := graphtest.New(t)
	for _, path := range []string{"/healthz", "/readyz"} {
		if r := e.Raw(http.MethodGet, path, "", "", nil); r.Status != http.StatusOK {
			t.Fatalf("%s: status %d", path, r.Status)
		}
	}
}

func TestPlayground_ServedAtRootWithoutCDN(t *testing.T) {
	e := graphtest.New(t)
	r := e.Raw(http.MethodGet, "/", "", "", nil)
	if r.Status != http.StatusOK || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("status %d, type %q", r.Status, r.Header.Get("Content-Type"))
	}
	if csp := r.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
		t.Fatalf("CSP %q", csp)
	}
}

func TestGET_AnswersQueriesAndRefusesMutations(t *testing.T) {
	e := graphtest.New(t)
	m := e.Member(e.Practice())
	q := "/graphql?query=" + url.QueryEscape(`{ viewer { id } }`)
	e.Raw(http.MethodGet, q, e.Token(m), "", nil).RequireNoErrors(t)
	mut := "/graphql?query=" + url.QueryEscape(`mutation { login(email: "a@b.example", password: "x") { token } }`)
	r := e.Raw(http.MethodGet, mut, "", "", nil)
	if r.Status < 400 || r.Status >= 500 {
		t.Fatalf("a mutation over GET: status %d", r.Status)
	}
	requireCode(t, r, "BAD_USER_INPUT")
}

func TestBadRequests_GetTypedErrors(t *testing.T) {
	e := graphtest.New(t)
	m := e.Member(e.Practice())
	token := e.Token(m)
	for name, c := range map[string]struct {
		contentType string
		body        string
		status      int
	}{
		"malformed JSON":      {"application/json", `{"query":`, http.StatusBadRequest},
		"variables not a map": {"application/json", `{"query":"{ viewer { id } }","variables":"x"}`, http.StatusBadRequest},
		"no query":            {"application/json", `{"variables":{}}`, http.StatusBadRequest},
		"not JSON at all":     {"text/plain", `{ viewer { id } }`, http.StatusUnsupportedMediaType},
		"oversized body":      {"application/json", `{"query":"{ viewer { id } }","x":"` + strings.Repeat("a", 2<<20) + `"}`, http.StatusRequestEntityTooLarge},
	} {
		t.Run(name, func(t *testing.T) {
			r := e.Raw(http.MethodPost, "/graphql", token, c.contentType, []byte(c.body))
			if r.Status != c.status {
				t.Fatalf("status %d, want %d", r.Status, c.status)
			}
			requireCode(t, r, "BAD_USER_INPUT")
		})
	}
}

func TestBadGraphQL_GetsBadUserInput(t *testing.T) {
	e := graphtest.New(t)
	m := e.Member(e.Practice())
	for name, c := range map[string]struct {
		query string
		vars  map[string]any
	}{
		"unknown field":       {`{ viewer { id shoeSize } }`, nil},
		"syntax error":        {`{ viewer { id `, nil},
		"wrong variable type": {`query($n: Int) { clients(first: $n) { totalCount } }`, map[string]any{"n": "ten"}},
		"malformed ID":        {`{ client(id: "not-an-id") { id } }`, nil},
		"page too large":      {`{ clients(first: 1000) { totalCount } }`, nil},
		"bad cursor":          {`{ clients(after: "zzz") { totalCount } }`, nil},
		"unknown enum":        {`query($l: AccessLevel!) { __typename } `, map[string]any{"l": "OWNER"}},
		"filter on email":     {`{ clients(where: { email: "a@b.c" }) { totalCount } }`, nil},
	} {
		t.Run(name, func(t *testing.T) {
			requireCode(t, e.As(m, c.query, c.vars), "BAD_USER_INPUT")
		})
	}
}

func TestIDOfAnotherType_ResolvesToNothing(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	m := e.Member(p, graphtest.Admin())
	r := e.As(m, `query($id: ID!) { client(id: $id) { id } }`, map[string]any{"id": m.ID})
	r.RequireNoErrors(t)
	if !strings.Contains(string(r.Data), `"client":null`) {
		t.Fatalf("a member ID found a client: %s", r.Data)
	}
}

func TestResponses_AreNotCachedAndCarryRequestID(t *testing.T) {
	e := graphtest.New(t)
	m := e.Member(e.Practice())
	r := e.As(m, `{ viewer { id } }`, nil)
	if r.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("Cache-Control %q", r.Header.Get("Cache-Control"))
	}
	if r.Header.Get("X-Request-Id") == "" {
		t.Fatal("no X-Request-Id")
	}
}
