package server_test

import (
	"bytes"
	"context"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	entsql "entgo.io/ent/dialect/sql"
	"github.com/ulule/limiter/v3"

	"caseload/ent/audit"
	"caseload/ent/schema/access"
	"caseload/graph/auth"
	"caseload/graph/graphtest"
	"caseload/graph/server"
)

// errorsDocPath documents every kind of error a client can meet.
const errorsDocPath = "../../docs/errors.md"

// Media types a GraphQL client may accept: the status of a request error
// depends on which (http_conformance.go).
const (
	acceptJSON     = "application/json"
	acceptResponse = "application/graphql-response+json"
)

// documentedError is one row of the table in docs/errors.md.
type documentedError struct {
	kind string
	// status is the HTTP status with Accept: application/json, and
	// responseStatus with application/graphql-response+json.
	status, responseStatus int
	code                   string
}

// Every kind of error docs/errors.md lists is what the real handler
// answers: each row's request, sent with either media type, gets the
// row's HTTP status and extensions.code; and every kind of error this
// test can produce has a row.
func TestErrorsDocument_EveryKindAnswersAsDocumented(t *testing.T) {
	rows := readErrorsDocument(t)
	kinds := errorKinds(t)
	for _, row := range rows {
		produce, ok := kinds[row.kind]
		if !ok {
			t.Errorf("docs/errors.md: no request produces %q", row.kind)
			continue
		}
		delete(kinds, row.kind)
		for _, accept := range []string{acceptJSON, acceptResponse} {
			want := row.status
			if accept == acceptResponse {
				want = row.responseStatus
			}
			got := produce(t, accept)
			if got.status != want || got.code() != row.code {
				t.Errorf("%s (Accept: %s): HTTP %d %s, documented HTTP %d %s; errors %+v",
					row.kind, accept, got.status, got.code(), want, row.code, got.Errors)
				continue
			}
			if problem := missingExtras(got); problem != "" {
				t.Errorf("%s (Accept: %s): %s; errors %+v", row.kind, accept, problem, got.Errors)
			}
		}
	}
	for kind := range kinds {
		t.Errorf("docs/errors.md lacks a row for %q", kind)
	}
}

// missingExtras says what an answer lacks of what docs/errors.md promises
// beside the code: when to retry, and what was refused.
func missingExtras(a answered) string {
	ext := a.Errors[0].Extensions
	retryAfter, _ := ext["retryAfter"].(float64)
	switch {
	case a.status == http.StatusServiceUnavailable && a.header.Get("Retry-After") == "":
		return "503 without Retry-After"
	case a.code() == "RATE_LIMITED" && retryAfter < 1:
		return "RATE_LIMITED without extensions.retryAfter"
	case a.code() == "QUERY_TOO_COMPLEX" && (ext["limit"] == nil || ext["value"] == nil || ext["max"] == nil):
		return "QUERY_TOO_COMPLEX without extensions.limit, value and max"
	case a.code() == "FORBIDDEN" && strings.Contains(a.Errors[0].Message, "section") && ext["section"] == nil:
		return "a field's FORBIDDEN without extensions.section"
	}
	return ""
}

// readErrorsDocument parses the table of docs/errors.md whose header is
// | kind | HTTP status | extensions.code | … |.
func readErrorsDocument(t *testing.T) []documentedError {
	t.Helper()
	b, err := os.ReadFile(errorsDocPath)
	if err != nil {
		t.Fatal(err)
	}
	status := regexp.MustCompile(`^(\d{3})(?: \((\d{3}) with ` + "`" + `application/graphql-response\+json` + "`" + `\))?$`)
	code := regexp.MustCompile("^`([A-Z_]+)`$")
	var rows []documentedError
	in := false
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "| kind | HTTP status | `extensions.code` |") {
			in = true
			continue
		}
		if !in || strings.HasPrefix(line, "|---") {
			continue
		}
		if !strings.HasPrefix(line, "|") {
			break
		}
		cells := strings.Split(strings.Trim(line, "|"), "|")
		if len(cells) < 4 {
			t.Fatalf("docs/errors.md: a row without four cells: %s", line)
		}
		for i := range cells {
			cells[i] = strings.TrimSpace(cells[i])
		}
		s, c := status.FindStringSubmatch(cells[1]), code.FindStringSubmatch(cells[2])
		if s == nil || c == nil {
			t.Fatalf("docs/errors.md: %q: the status must read 200 or 200 (400 with `application/graphql-response+json`), the code `CODE`", cells[0])
		}
		row := documentedError{kind: cells[0], code: c[1]}
		row.status, _ = strconv.Atoi(s[1])
		row.responseStatus = row.status
		if s[2] != "" {
			row.responseStatus, _ = strconv.Atoi(s[2])
		}
		rows = append(rows, row)
	}
	if len(rows) == 0 {
		t.Fatal("docs/errors.md has no table of errors")
	}
	return rows
}

// answered is an answer to a request, whatever its media type.
type answered struct {
	status int
	header http.Header
	Errors []graphtest.Error `json:"errors"`
}

// code is the first error's extensions.code.
func (a answered) code() string {
	if len(a.Errors) == 0 {
		return ""
	}
	return a.Errors[0].Code()
}

// request is one HTTP request to the handler.
type request struct {
	method, path, contentType, token, remoteAddr string
	body                                         []byte
}

// send sends r to h with the Accept header and reads the answer.
func send(t *testing.T, h http.Handler, accept string, r request) answered {
	t.Helper()
	if r.method == "" {
		r.method = http.MethodPost
	}
	if r.path == "" {
		r.path = "/graphql"
	}
	if r.contentType == "" && r.method == http.MethodPost {
		r.contentType = "application/json"
	}
	req := httptest.NewRequest(r.method, r.path, bytes.NewReader(r.body))
	req.Header.Set("Accept", accept)
	if r.contentType != "" {
		req.Header.Set("Content-Type", r.contentType)
	}
	if r.token != "" {
		req.Header.Set("Authorization", "Bearer "+r.token)
	}
	if r.remoteAddr != "" {
		req.RemoteAddr = r.remoteAddr
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	a := answered{status: rec.Code, header: rec.Header()}
	if err := json.Unmarshal(rec.Body.Bytes(), &a); err != nil {
		t.Fatalf("%s %s: the answer is not JSON (HTTP %d): %s", r.method, r.path, rec.Code, rec.Body.String())
	}
	return a
}

// gql is a GraphQL request's JSON body.
func gql(t *testing.T, query string, vars map[string]any) []byte {
	t.Helper()
	b, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// errorKinds are the requests that produce each kind of error, by the
// kind's name in docs/errors.md.
func errorKinds(t *testing.T) map[string]func(t *testing.T, accept string) answered {
	e := graphtest.New(t, func(o *server.Options) {
		// One login per account and address before the limit.
		o.SignInLimits = auth.NewMemoryLimits(auth.Rates{LoginAttemptsPerPair: limiter.Rate{Period: time.Hour, Limit: 1}})
	})
	p := e.Practice()
	const password = "correct horse battery"
	hash, err := auth.NewFastHasher().Hash(password)
	if err != nil {
		t.Fatal(err)
	}
	admin := e.Member(p, graphtest.Admin(), graphtest.WithPassword(hash))
	limitedMember := e.Member(p, graphtest.WithPassword(hash))
	role := e.Role(p, access.Administrative, access.SectionLevels{access.Profile: access.View},
		[]access.Capability{access.AccessAllClients})
	clerk := e.Member(p, graphtest.Administrative(), graphtest.WithRole(role))
	c := e.NewClient(p)
	adminToken, clerkToken := e.Token(admin), e.Token(clerk)
	e.As(admin, `mutation { createTag(name: "North") { id } }`, nil).RequireNoErrors(t)

	on := func(h http.Handler, r request) func(*testing.T, string) answered {
		return func(t *testing.T, accept string) answered { return send(t, h, accept, r) }
	}
	member := func(query string, vars map[string]any) request {
		return request{token: adminToken, body: gql(t, query, vars)}
	}
	// Servers whose database misbehaves for every statement, or for
	// reads of the clients table.
	failing := func(l server.Limits, hook func(ctx context.Context, q string) error) http.Handler {
		return limited(e, l, hooked(e, hook))
	}
	clientsRead := func(err func(ctx context.Context) error) func(context.Context, string) error {
		return func(ctx context.Context, q string) error {
			if readsClients(q) {
				return err(ctx)
			}
			return nil
		}
	}
	slowHasher := auth.NewFastHasher().WithQueue(1, time.Millisecond)
	busy := graphtest.NewOn(t, e.DB, func(o *server.Options) { o.Hasher = slowHasher })

	return map[string]func(*testing.T, string) answered{
		"Body that is not JSON":                   on(e.Handler, request{body: []byte(`{"query": `)}),
		"Body over the size limit":                on(e.Handler, request{body: gql(t, "{ __typename }"+strings.Repeat(" ", 1<<20), nil)}),
		"Body that is not `application/json`":     on(e.Handler, request{contentType: "text/plain", body: []byte(`{ __typename }`)}),
		"Mutation sent by GET":                    on(e.Handler, request{method: http.MethodGet, path: "/graphql?query=" + url.QueryEscape(`mutation { logout }`), token: adminToken}),
		"Other HTTP method":                       on(e.Handler, request{method: http.MethodPut, body: gql(t, "{ __typename }", nil)}),
		"No query":                                on(e.Handler, request{body: []byte(`{"variables": {}}`)}),
		"Document that does not parse":            on(e.Handler, member(`{ clients( }`, nil)),
		"Document that does not validate":         on(e.Handler, member(`{ noSuchField }`, nil)),
		"Variables that do not match their types": on(e.Handler, member(`query($n: Int!) { clients(first: $n) { totalCount } }`, map[string]any{"n": "ten"})),
		"Value refused":                           on(e.Handler, member(`mutation { createClient(input: { name: "Ada", email: "not an email" }) { id } }`, nil)),
		"Over a query limit":                      on(e.Handler, member(`{ clients { edges { node { team { members { team { members { team { members { id } } } } } } } } } }`, nil)),
		"No token where one is needed":            on(e.Handler, request{body: gql(t, `{ clients(first: 1) { totalCount } }`, nil)}),
		"Token not valid":                         on(e.Handler, request{token: "not-a-token", body: gql(t, `{ viewer { id } }`, nil)}),
		"Wrong email or password": func(t *testing.T, accept string) answered {
			// From an address of its own per media type: a second try
			// would be past the limit.
			return send(t, e.Handler, accept, request{body: gql(t, loginOperation, map[string]any{"email": admin.Email, "password": "wrong password"}), remoteAddr: addressFor(accept, 1)})
		},
		"Field the viewer may not read":  on(e.Handler, request{token: clerkToken, body: gql(t, `{ clients(first: 1) { edges { node { medicalHistory { id } } } } }`, nil)}),
		"Change the viewer may not make": on(e.Handler, request{token: clerkToken, body: gql(t, `mutation($id: ID!) { updateMedicalHistory(clientId: $id, text: "x") { id } }`, map[string]any{"id": c.ID})}),
		"Record the viewer cannot see":   on(e.Handler, member(`mutation { updateClient(id: "CL00000000000000000000000000", input: { name: "x" }) { id } }`, nil)),
		"Conflict":                       on(e.Handler, member(`mutation { createTag(name: "North") { id } }`, nil)),
		"Too many attempts": func(t *testing.T, accept string) answered {
			r := request{body: gql(t, loginOperation, map[string]any{"email": limitedMember.Email, "password": "wrong password"}), remoteAddr: "198.51.100.2:1000"}
			send(t, e.Handler, accept, r)
			return send(t, e.Handler, accept, r)
		},
		"Password checks busy": func(t *testing.T, accept string) answered {
			release := holdHashSlot(t, slowHasher)
			defer release()
			a := send(t, busy.Handler, accept, request{body: gql(t, loginOperation, map[string]any{"email": admin.Email, "password": password}), remoteAddr: addressFor(accept, 3)})
			if len(a.Errors) > 0 && !strings.Contains(a.Errors[0].Message, "busy") {
				t.Errorf("refused by another limit than the hashing queue: %+v", a.Errors)
			}
			return a
		},
		"Database unavailable":      on(failing(server.Limits{}, func(context.Context, string) error { return driver.ErrBadConn }), member(`{ viewer { id } }`, nil)),
		"Request over its deadline": on(failing(server.Limits{Timeout: 100 * time.Millisecond}, clientsRead(func(ctx context.Context) error { <-ctx.Done(); return ctx.Err() })), member(`{ clients(first: 5) { edges { node { name } } } }`, nil)),
		"Internal error":            on(failing(server.Limits{}, clientsRead(func(context.Context) error { return errors.New("a bug") })), member(`{ clients(first: 5) { edges { node { name } } } }`, nil)),
		"Persisted query not known": on(e.Handler, request{token: adminToken, body: apqRequest(t, "", sha(`{ viewer { name } }`))}),
		"Operation not registered":  on(trustedEnv(t).Handler, request{body: gql(t, `{ __typename }`, nil)}),
		"Sign-up switched off": on(graphtest.NewOn(t, e.DB, func(o *server.Options) { o.SignUpOff = true }).Handler,
			request{body: gql(t, `mutation { signUp(practiceName: "P", name: "N", email: "n@example.org", password: "long enough password") { token } }`, nil)}),
		"Audit log cannot be written": on(graphtest.NewOn(t, e.DB, func(o *server.Options) {
			o.Audit = &audit.Writer{Key: graphtest.AuditKey, Driver: brokenDriver{entsql.OpenDB(e.DB.Dialect, e.DB.SQL)}}
		}).Handler, member(`{ clients(first: 1) { edges { node { medicalHistory { id } } } } }`, nil)),
		"Audit export without a token":    on(e.Handler, request{method: http.MethodGet, path: "/audit/clients/" + string(c.ID) + "/access.csv"}),
		"Audit export refused":            on(e.Handler, request{method: http.MethodGet, path: "/audit/clients/" + string(c.ID) + "/access.csv", token: clerkToken}),
		"Audit export of an unknown kind": on(e.Handler, request{method: http.MethodGet, path: "/audit/clients/" + string(c.ID) + "/access.xml", token: adminToken}),
	}
}

// addressFor is a client address of its own for each media type and n.
func addressFor(accept string, n int) string {
	if accept == acceptResponse {
		n += 100
	}
	return "198.51.100." + strconv.Itoa(n) + ":1000"
}
