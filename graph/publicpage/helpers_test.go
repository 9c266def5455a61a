package publicpage_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	"caseload/ent"
	"caseload/graph/graphtest"
	"caseload/graph/server"
)

// frameOrigin is the practice's own site, allowed to embed its pages.
const frameOrigin = "https://www.harbourside.example"

// slug is the fixture practice's booking address.
const slug = "harbourside"

// fixture is a practice that publishes an intake form (every question
// kind, through Alice's own link) and a booking page (Alice and Bob, all
// day every day, in Sydney time), set up through the API as its admin.
type fixture struct {
	t        testing.TB
	e        *graphtest.Env
	practice *ent.Practice
	admin    *ent.Member
	alice    *ent.Member
	bob      *ent.Member
	formID   string
	linkID   string
	// token is Alice's link's: a submission through it goes to Alice
	// (policy §6, new clients).
	token string
}

func named(name string) graphtest.MemberOpt {
	return func(c *ent.MemberCreate) { c.SetName(name) }
}

// questions are the fixture form's: one of every kind.
var questions = []map[string]any{
	{"key": "name", "label": "Your full name", "kind": "TEXT", "required": true},
	{"key": "email", "label": "Email address", "kind": "EMAIL", "required": true},
	{"key": "phone", "label": "Phone number", "kind": "PHONE"},
	{"key": "date_of_birth", "label": "Date of birth", "kind": "DATE"},
	{"key": "occupation", "label": "Occupation", "kind": "TEXT"},
	{"key": "reason", "label": "What brings you to us?", "kind": "LONG_TEXT", "help": "A few sentences are enough."},
	{"key": "contact", "label": "How should we contact you?", "kind": "SINGLE_CHOICE", "required": true, "options": []string{"Email", "Phone", "Text message"}},
	{"key": "topics", "label": "Which topics apply?", "kind": "MULTIPLE_CHOICE", "options": []string{"Anxiety", "Sleep", "Work stress"}},
	{"key": "consent", "label": "I agree that the practice keeps these answers in my record.", "kind": "CONSENT", "required": true},
}

func newFixture(t testing.TB, opts ...func(*server.Options)) *fixture {
	t.Helper()
	e := graphtest.New(t, opts...)
	p := e.Practice(func(c *ent.PracticeCreate) {
		c.SetName("Harbourside Psychology").SetTimeZone("Australia/Sydney")
	})
	f := &fixture{
		t:        t,
		e:        e,
		practice: p,
		admin:    e.Member(p, graphtest.Admin(), named("Ada Admin")),
		alice:    e.Member(p, named("Dr Alice Ng")),
		bob:      e.Member(p, named("Dr Bob Stone")),
	}
	var created struct {
		CreateIntakeForm struct{ ID string } `json:"createIntakeForm"`
	}
	f.admin_(`mutation($in: IntakeFormInput!) { createIntakeForm(input: $in) { id } }`,
		map[string]any{"in": map[string]any{"name": "New client questionnaire", "questions": questions}}).Decode(t, &created)
	f.formID = created.CreateIntakeForm.ID
	var link struct {
		IntakeLink struct{ ID, Token string } `json:"intakeLink"`
	}
	f.admin_(`mutation($f: ID!, $p: ID) { intakeLink(formId: $f, practitionerId: $p) { id token } }`,
		map[string]any{"f": f.formID, "p": f.alice.ID}).Decode(t, &link)
	f.linkID, f.token = link.IntakeLink.ID, link.IntakeLink.Token
	f.admin_(`mutation($in: BookingSettingsInput!) { updateBookingSettings(input: $in) { id } }`, map[string]any{"in": map[string]any{
		"enabled":              true,
		"slug":                 slug,
		"practitionerIds":      []string{string(f.alice.ID), string(f.bob.ID)},
		"appointmentTypes":     []map[string]any{{"name": "Initial consultation", "minutes": 50}, {"name": "Review", "minutes": 30}},
		"minimumNoticeMinutes": 60,
		"horizonDays":          21,
		"frameAncestors":       []string{frameOrigin},
	}})
	windows := []map[string]any{}
	for d := 0; d < 7; d++ {
		windows = append(windows, map[string]any{"weekday": d, "startMinute": 0, "endMinute": 1440})
	}
	for _, m := range []*ent.Member{f.alice, f.bob} {
		f.admin_(`mutation($p: ID!, $w: [AvailabilityWindowInput!]!) { setAvailability(practitionerId: $p, windows: $w) { id } }`,
			map[string]any{"p": m.ID, "w": windows})
	}
	return f
}

// admin_ runs a GraphQL operation as the admin, failing on errors.
func (f *fixture) admin_(query string, vars map[string]any) *graphtest.Response {
	f.t.Helper()
	r := f.e.As(f.admin, query, vars)
	r.RequireNoErrors(f.t)
	return r
}

// apiClient is a client as the API shows it to a member.
type apiClient struct {
	ID            string
	Name          string
	Email         *string
	Source        string
	Responsible   *struct{ ID string } `json:"responsiblePractitioner"`
	FormResponses []struct {
		FormName string
		Answers  string
		Data     []struct {
			QuestionKey string
			Value       *string
			Values      []string
		}
	}
	Appointments []struct {
		Status   string
		StartsAt string
	}
}

// clientsAs lists the clients m sees through the API.
func (f *fixture) clientsAs(m *ent.Member) []apiClient {
	f.t.Helper()
	r := f.e.As(m, `{ clients(first: 10) { edges { node {
		id name email source responsiblePractitioner { id }
		formResponses(first: 3) { formName answers data { questionKey value values } }
		appointments(first: 3) { status startsAt }
	} } } }`, nil)
	r.RequireNoErrors(f.t)
	var out struct {
		Clients struct{ Edges []struct{ Node apiClient } }
	}
	r.Decode(f.t, &out)
	var cs []apiClient
	for _, e := range out.Clients.Edges {
		cs = append(cs, e.Node)
	}
	return cs
}

// response is a page as the browser would get it.
type response struct {
	status int
	header http.Header
	body   string
}

var addr atomic.Int64

// nextAddress is a client address of its own, so that tests other than
// the rate limit's do not share a count.
func nextAddress() string {
	n := addr.Add(1)
	return fmt.Sprintf("198.51.%d.%d:4321", n/250%250, n%250+1)
}

// do sends a request to the full server from the client address remote.
func (f *fixture) do(method, path, contentType string, body io.Reader, remote string) response {
	f.t.Helper()
	req := httptest.NewRequest(method, path, body)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	req.RemoteAddr = remote
	rec := httptest.NewRecorder()
	f.e.Handler.ServeHTTP(rec, req)
	return response{status: rec.Code, header: rec.Header(), body: rec.Body.String()}
}

func (f *fixture) get(path string) response {
	f.t.Helper()
	return f.do(http.MethodGet, path, "", nil, nextAddress())
}

// post sends a form from an address of its own.
func (f *fixture) post(path string, form url.Values) response {
	f.t.Helper()
	return f.postFrom(path, form, nextAddress())
}

func (f *fixture) postFrom(path string, form url.Values, remote string) response {
	f.t.Helper()
	return f.do(http.MethodPost, path, "application/x-www-form-urlencoded", strings.NewReader(form.Encode()), remote)
}

var keyPattern = regexp.MustCompile(`name="idempotency_key" value="([0-9a-f]{32})"`)

// key is the idempotency key a page carries.
func key(t testing.TB, body string) string {
	t.Helper()
	m := keyPattern.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no idempotency key in the page:\n%s", body)
	}
	return m[1]
}

var slotPattern = regexp.MustCompile(`name="slot" value="([^"]+)"`)

// slots are the slot values a page offers, in order.
func slots(body string) []string {
	var out []string
	for _, m := range slotPattern.FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	return out
}

var managePattern = regexp.MustCompile(`href="(/book/manage/[^"]+)"`)

// manageLink is the manage link of a booking confirmation.
func manageLink(t testing.TB, body string) string {
	t.Helper()
	m := managePattern.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no manage link in the page:\n%s", body)
	}
	return m[1]
}

// validAnswers answers every question of the fixture form.
func validAnswers(k string) url.Values {
	return url.Values{
		"a.name":          {"Jordan Lee"},
		"a.email":         {"jordan.lee@example.com"},
		"a.phone":         {"0412 345 678"},
		"a.date_of_birth": {"1990-04-01"},
		"a.occupation":    {"Teacher"},
		"a.reason":        {"Trouble sleeping.\nWork is stressful."},
		"a.contact":       {"Email"},
		"a.topics":        {"Anxiety", "Sleep"},
		"a.consent":       {"true"},
		"idempotency_key": {k},
		"website":         {""},
	}
}

func (r response) expect(t testing.TB, status int, contains ...string) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d; body:\n%s", r.status, status, r.body)
	}
	for _, s := range contains {
		if !strings.Contains(r.body, s) {
			t.Fatalf("the page (status %d) does not contain %q:\n%s", r.status, s, r.body)
		}
	}
}
