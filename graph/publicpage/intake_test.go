package publicpage_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ulule/limiter/v3"

	"caseload/graph/auth"
	"caseload/graph/server"
)

// wantCSP is the CSP of a page of the fixture practice.
const wantCSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
	"form-action 'self'; base-uri 'none'; frame-ancestors " + frameOrigin

// noFrameCSP is the CSP of a page whose practice is unknown.
const noFrameCSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
	"form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

var (
	controlPattern = regexp.MustCompile(`<(input|select|textarea)\b[^>]*>`)
	idPattern      = regexp.MustCompile(`\bid="([^"]+)"`)
	typePattern    = regexp.MustCompile(`\btype="([^"]+)"`)
)

// checkLabels fails unless every visible control of the page has a
// <label for> naming its id.
func checkLabels(t *testing.T, body string) {
	t.Helper()
	n := 0
	for _, c := range controlPattern.FindAllString(body, -1) {
		if m := typePattern.FindStringSubmatch(c); m != nil && m[1] == "hidden" {
			continue
		}
		id := idPattern.FindStringSubmatch(c)
		if id == nil {
			t.Errorf("a control has no id: %s", c)
			continue
		}
		if !strings.Contains(body, `<label for="`+id[1]+`">`) {
			t.Errorf("the control %s has no <label for>", id[1])
		}
		n++
	}
	if n == 0 {
		t.Fatal("the page has no controls")
	}
}

// esc is text as html/template writes it.
func esc(s string) string { return strings.ReplaceAll(html.EscapeString(s), "+", "&#43;") }

func TestIntakeFormShowsEveryKind(t *testing.T) {
	f := newFixture(t)
	r := f.get("/intake/" + f.token)
	r.expect(t, http.StatusOK,
		`<html lang="en">`,
		`<meta name="viewport" content="width=device-width, initial-scale=1">`,
		"Harbourside Psychology", "<h1>New client questionnaire</h1>",
		`<form method="post" action="/intake/`+f.token+`"`,
		// TEXT, required, in the attribute and in the text
		`<label for="q-name">Your full name <span class="req">(required)</span></label>`,
		`<input type="text" id="q-name" name="a.name" value="" autocomplete="name" required>`,
		`<input type="email" id="q-email" name="a.email" value="" autocomplete="email" required>`,
		`<input type="tel" id="q-phone" name="a.phone" value="" autocomplete="tel">`,
		`<input type="date" id="q-date_of_birth" name="a.date_of_birth" value="" autocomplete="bday">`,
		`<input type="text" id="q-occupation" name="a.occupation" value="">`,
		// LONG_TEXT with its help, described by it
		`<p class="hint" id="q-reason-help">A few sentences are enough.</p>`,
		`<textarea id="q-reason" name="a.reason" rows="6" aria-describedby="q-reason-help"></textarea>`,
		// choices in fieldsets with legends
		`<legend>How should we contact you? <span class="req">(required)</span></legend>`,
		`<input type="radio" id="q-contact-0" name="a.contact" value="Email" required>`,
		`<label for="q-contact-2">Text message</label>`,
		`<legend>Which topics apply?</legend>`,
		`<input type="checkbox" id="q-topics-1" name="a.topics" value="Sleep">`,
		// CONSENT
		`<input type="checkbox" id="q-consent" name="a.consent" value="true" required>`,
		`<label for="q-consent">I agree that the practice keeps these answers in my record. <span class="req">(required)</span></label>`,
		// the honeypot: hidden from people, out of the tab order
		`<div class="hp" aria-hidden="true">`,
		`<input type="text" id="website" name="website" value="" tabindex="-1" autocomplete="off">`,
		// the embedded assets, no third party
		`<link rel="stylesheet" href="/book/_assets/page.css?v=`,
		`<script src="/book/_assets/page.js?v=`,
	)
	checkLabels(t, r.body)
	k := key(t, r.body)
	if k2 := key(t, f.get("/intake/"+f.token).body); k2 == k {
		t.Fatal("two page loads got the same idempotency key")
	}
	if strings.Contains(r.body, "http://") || strings.Contains(r.body, "https://") {
		t.Fatal("the page links another origin")
	}
}

func TestIntakeHeaders(t *testing.T) {
	f := newFixture(t)
	check := func(name string, r response, csp string) {
		t.Helper()
		h := r.header
		for k, want := range map[string]string{
			"Content-Security-Policy": csp,
			"X-Content-Type-Options":  "nosniff",
			"Referrer-Policy":         "no-referrer",
			"Cache-Control":           "no-store",
		} {
			if got := h.Get(k); got != want {
				t.Errorf("%s: %s = %q, want %q", name, k, got, want)
			}
		}
		if h.Get("X-Frame-Options") != "" {
			t.Errorf("%s: X-Frame-Options %q would override frame-ancestors", name, h.Get("X-Frame-Options"))
		}
		if !strings.HasPrefix(h.Get("Content-Type"), "text/html; charset=utf-8") {
			t.Errorf("%s: Content-Type %q", name, h.Get("Content-Type"))
		}
	}
	check("form", f.get("/intake/"+f.token), wantCSP)
	check("confirmation", f.post("/intake/"+f.token, validAnswers(key(t, f.get("/intake/"+f.token).body))), wantCSP)
	check("invalid", f.post("/intake/"+f.token, url.Values{"idempotency_key": {"0123456789abcdef"}}), wantCSP)
	check("unknown", f.get("/intake/unknown-token-0123456789"), noFrameCSP)
	check("booking page", f.get("/book/"+slug), wantCSP)
	check("unknown booking page", f.get("/book/no-such-practice"), noFrameCSP)
}

func TestIntakeSubmitCreatesOneRoutedClient(t *testing.T) {
	f := newFixture(t)
	k := key(t, f.get("/intake/"+f.token).body)
	before := time.Now().UTC().Add(-time.Minute)
	r := f.post("/intake/"+f.token, validAnswers(k))
	r.expect(t, http.StatusOK, "Thank you, your answers were received at ", `<time datetime="`)
	// The confirmation says nothing about the client (policy §11).
	for _, leak := range []string{"Jordan", "jordan.lee", "Alice", "Bob"} {
		if strings.Contains(r.body, leak) {
			t.Fatalf("the confirmation mentions %q:\n%s", leak, r.body)
		}
	}
	at := regexp.MustCompile(`<time datetime="([^"]+)">`).FindStringSubmatch(r.body)
	if received, err := time.Parse(time.RFC3339, at[1]); err != nil || received.Before(before) {
		t.Fatalf("received at %q (%v)", at[1], err)
	}

	cs := f.clientsAs(f.alice)
	if len(cs) != 1 {
		t.Fatalf("Alice sees %d clients, want the one submitted: %+v", len(cs), cs)
	}
	c := cs[0]
	if c.Name != "Jordan Lee" || c.Source != "INTAKE_FORM" || c.Email == nil || *c.Email != "jordan.lee@example.com" {
		t.Fatalf("client %+v", c)
	}
	if c.Responsible == nil || c.Responsible.ID != string(f.alice.ID) {
		t.Fatalf("the client went to %+v, want Alice, whose link it was", c.Responsible)
	}
	if len(c.FormResponses) != 1 || c.FormResponses[0].FormName != "New client questionnaire" {
		t.Fatalf("form responses %+v", c.FormResponses)
	}
	answers := map[string]string{}
	for _, d := range c.FormResponses[0].Data {
		if len(d.Values) > 0 {
			answers[d.QuestionKey] = strings.Join(d.Values, ",")
		} else if d.Value != nil {
			answers[d.QuestionKey] = *d.Value
		}
	}
	for k, want := range map[string]string{
		"name": "Jordan Lee", "contact": "Email", "topics": "Anxiety,Sleep", "consent": "true",
		"reason": "Trouble sleeping.\nWork is stressful.", "date_of_birth": "1990-04-01",
	} {
		if answers[k] != want {
			t.Errorf("answer %s = %q, want %q", k, answers[k], want)
		}
	}
	if n := len(f.clientsAs(f.bob)); n != 0 {
		t.Fatalf("Bob sees %d clients", n)
	}

	// The same key again (a double click, a reload): the same answer,
	// nothing more.
	f.post("/intake/"+f.token, validAnswers(k)).expect(t, http.StatusOK, "Thank you, your answers were received at ")
	if n := len(f.clientsAs(f.admin)); n != 1 {
		t.Fatalf("after a repeated submission the practice has %d clients, want 1", n)
	}
	// A new page load is a new submission.
	f.post("/intake/"+f.token, validAnswers(key(t, f.get("/intake/"+f.token).body))).expect(t, http.StatusOK)
	if n := len(f.clientsAs(f.admin)); n != 2 {
		t.Fatalf("after a second form the practice has %d clients, want 2", n)
	}
}

func TestIntakeHoneypot(t *testing.T) {
	f := newFixture(t)
	form := validAnswers(key(t, f.get("/intake/"+f.token).body))
	form.Set("website", "https://spam.example")
	f.post("/intake/"+f.token, form).expect(t, http.StatusOK, "Thank you, your answers were received at ")
	if n := len(f.clientsAs(f.admin)); n != 0 {
		t.Fatalf("a robot's submission created %d clients", n)
	}
}

func TestIntakeInvalidAnswers(t *testing.T) {
	f := newFixture(t)
	cases := []struct {
		name   string
		change func(url.Values)
		field  string
		msg    string
	}{
		{"missing required", func(v url.Values) { v.Set("a.name", "  ") }, "q-name", "Please answer this question."},
		{"missing consent", func(v url.Values) { v.Del("a.consent") }, "q-consent", "Please agree to continue."},
		{"bad email", func(v url.Values) { v.Set("a.email", "jordan at example") }, "q-email", "Enter an email address such as name@example.com."},
		{"choice not offered", func(v url.Values) { v.Set("a.contact", "Carrier pigeon") }, "q-contact", "Choose one of the options."},
		{"multiple choice not offered", func(v url.Values) { v.Add("a.topics", "Other") }, "q-topics", "Choose among the options."},
		{"two answers to one question", func(v url.Values) { v.Add("a.contact", "Phone") }, "q-contact", "This question takes one answer."},
		{"oversized answer", func(v url.Values) { v.Set("a.occupation", strings.Repeat("x", 1001)) }, "q-occupation", "The answer is too long: at most 1000 characters."},
		{"bad date", func(v url.Values) { v.Set("a.date_of_birth", "01/04/1990") }, "q-date_of_birth", "Enter a date as YYYY-MM-DD."},
		{"NUL byte", func(v url.Values) { v.Set("a.name", "Jordan\x00Lee") }, "q-name", "Text must not contain the control character U+0000."},
		{"invalid UTF-8", func(v url.Values) { v.Set("a.reason", "caf\xe9") }, "q-reason", "Text must be valid UTF-8."},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			k := key(t, f.get("/intake/"+f.token).body)
			form := validAnswers(k)
			c.change(form)
			r := f.post("/intake/"+f.token, form)
			errID := c.field + "-error"
			r.expect(t, http.StatusUnprocessableEntity,
				`<div class="error-summary" id="error-summary" role="alert"`,
				`<p class="error" id="`+errID+`"><span class="visually-hidden">Error:</span> `+esc(c.msg)+`</p>`,
				// the summary links to the field
				`<a href="#`+c.field,
				// the other answers are kept
				`value="0412 345 678"`,
				// the same key, so that the corrected form creates one client
				`name="idempotency_key" value="`+k+`"`,
			)
			if !regexp.MustCompile(`aria-describedby="[^"]*\b` + regexp.QuoteMeta(errID) + `\b`).MatchString(r.body) {
				t.Fatalf("nothing is described by %s:\n%s", errID, r.body)
			}
			if strings.Contains(r.body, "\x00") || !strings.Contains(r.body, "<title>Error: ") {
				t.Fatalf("page:\n%s", r.body)
			}
			checkLabels(t, r.body)
		})
	}
	if n := len(f.clientsAs(f.admin)); n != 0 {
		t.Fatalf("refused submissions created %d clients", n)
	}
	// The long text and the choices come back as given.
	form := validAnswers(key(t, f.get("/intake/"+f.token).body))
	form.Del("a.name")
	f.post("/intake/"+f.token, form).expect(t, http.StatusUnprocessableEntity,
		"Trouble sleeping.\nWork is stressful.</textarea>",
		`id="q-contact-0" name="a.contact" value="Email" checked`,
		`id="q-topics-0" name="a.topics" value="Anxiety" checked`,
		`id="q-topics-1" name="a.topics" value="Sleep" checked`,
		`id="q-consent" name="a.consent" value="true" checked`,
	)
}

func TestIntakeBadRequests(t *testing.T) {
	f := newFixture(t)
	path := "/intake/" + f.token
	k := key(t, f.get(path).body)

	huge := validAnswers(k)
	huge.Set("a.reason", strings.Repeat("y", 300<<10))
	f.post(path, huge).expect(t, http.StatusRequestEntityTooLarge, "What you sent is too large")

	for _, ct := range []string{"application/json", "multipart/form-data; boundary=x", "text/plain", ""} {
		r := f.do(http.MethodPost, path, ct, strings.NewReader(validAnswers(k).Encode()), nextAddress())
		r.expect(t, http.StatusUnsupportedMediaType, "This form could not be read")
	}
	f.do(http.MethodPost, path, "application/x-www-form-urlencoded", strings.NewReader("a.name=%zz&a.email"), nextAddress()).
		expect(t, http.StatusBadRequest, "could not be read as a form")
	f.do(http.MethodPut, path, "application/x-www-form-urlencoded", nil, nextAddress()).expect(t, http.StatusMethodNotAllowed)

	// A key that is no key: the form again, with a fresh key.
	bad := validAnswers("short\x00")
	r := f.post(path, bad)
	r.expect(t, http.StatusUnprocessableEntity, "This form could not be sent as it was.")
	key(t, r.body)
	if n := len(f.clientsAs(f.admin)); n != 0 {
		t.Fatalf("bad requests created %d clients", n)
	}
}

func TestNotFoundPagesAreIdentical(t *testing.T) {
	f := newFixture(t)
	// A second link of the same form, to disable; Alice's to rotate.
	var general struct {
		IntakeLink struct{ ID, Token string } `json:"intakeLink"`
	}
	f.admin_(`mutation($f: ID!) { intakeLink(formId: $f) { id token } }`, map[string]any{"f": f.formID}).Decode(t, &general)
	f.get("/intake/"+general.IntakeLink.Token).expect(t, http.StatusOK)
	f.admin_(`mutation($id: ID!) { disableIntakeLink(id: $id) { id } }`, map[string]any{"id": general.IntakeLink.ID})
	old := f.token
	f.admin_(`mutation($id: ID!) { rotateIntakeLink(id: $id) { id } }`, map[string]any{"id": f.linkID})

	paths := map[string]string{
		"unknown token":        "/intake/" + strings.Repeat("A", 32),
		"short token":          "/intake/x",
		"disabled link":        "/intake/" + general.IntakeLink.Token,
		"rotated link":         "/intake/" + old,
		"unknown booking page": "/book/no-such-practice",
		"invalid slug":         "/book/_nope",
		"bad manage token":     "/book/manage/AP01HZZZZZZZZZZZZZZZZZZZZZ.c2lnbmF0dXJl",
		"other path":           "/intake/a/b",
	}
	var first string
	for name, p := range paths {
		for _, method := range []string{http.MethodGet, http.MethodPost} {
			var r response
			if method == http.MethodGet {
				r = f.get(p)
			} else {
				r = f.post(p, validAnswers("0123456789abcdef0123456789abcdef"))
			}
			if r.status != http.StatusNotFound {
				t.Fatalf("%s %s (%s): status %d\n%s", method, p, name, r.status, r.body)
			}
			if r.header.Get("Content-Security-Policy") != noFrameCSP {
				t.Fatalf("%s: CSP %q", name, r.header.Get("Content-Security-Policy"))
			}
			if first == "" {
				first = r.body
			}
			if r.body != first {
				t.Fatalf("%s %s (%s) differs from another not-found page:\n%s\n---\n%s", method, p, name, r.body, first)
			}
		}
	}
	if n := len(f.clientsAs(f.admin)); n != 0 {
		t.Fatalf("posts to dead links created %d clients", n)
	}
}

func TestIntakeRateLimited(t *testing.T) {
	rates := auth.DefaultRates
	rates.PublicSubmissionsPerAddress = limiter.Rate{Period: time.Hour, Limit: 2}
	f := newFixture(t, func(o *server.Options) { o.SignInLimits = auth.NewMemoryLimits(rates) })
	path := "/intake/" + f.token
	const from = "203.0.113.9:5555"
	for i := 0; i < 2; i++ {
		f.postFrom(path, validAnswers(key(t, f.get(path).body)), from).expect(t, http.StatusOK)
	}
	form := validAnswers(key(t, f.get(path).body))
	form.Set("a.name", "Flood Third")
	r := f.postFrom(path, form, from)
	r.expect(t, http.StatusTooManyRequests, "Too many forms have been sent from your network", `value="Flood Third"`)
	if ra := r.header.Get("Retry-After"); ra == "" || ra == "0" {
		t.Fatalf("Retry-After %q", ra)
	}
	// Another address is not held back.
	f.post(path, form).expect(t, http.StatusOK)
	if n := len(f.clientsAs(f.admin)); n != 3 {
		t.Fatalf("%d clients, want 3", n)
	}
}

func TestAssets(t *testing.T) {
	f := newFixture(t)
	body := f.get("/intake/" + f.token).body
	for _, m := range regexp.MustCompile(`(?:href|src)="(/book/_assets/[^"]+)"`).FindAllStringSubmatch(body, -1) {
		r := f.get(html.UnescapeString(m[1]))
		if r.status != http.StatusOK || r.header.Get("X-Content-Type-Options") != "nosniff" || len(r.body) < 100 {
			t.Fatalf("%s: %d %v", m[1], r.status, r.header)
		}
		if !strings.Contains(r.header.Get("Cache-Control"), "immutable") {
			t.Fatalf("%s: Cache-Control %q", m[1], r.header.Get("Cache-Control"))
		}
	}
	f.get("/book/_assets/nothing.js").expect(t, http.StatusNotFound)
}

func TestIntakeDoubleSubmitAtOnce(t *testing.T) {
	f := newFixture(t)
	form := validAnswers(key(t, f.get("/intake/"+f.token).body))
	statuses := make([]int, 4)
	var wg sync.WaitGroup
	for i := range statuses {
		wg.Go(func() { statuses[i] = f.post("/intake/"+f.token, form).status })
	}
	wg.Wait()
	for _, s := range statuses {
		if s != http.StatusOK {
			t.Fatalf("statuses %v", statuses)
		}
	}
	if n := len(f.clientsAs(f.admin)); n != 1 {
		t.Fatalf("four sends of one form at once created %d clients, want 1", n)
	}
}

// TestIntakeSaysNothingAboutExistingClients: the same person sending the
// form again gets the same page as a stranger (policy §11); staff decide
// whether it is a duplicate.
func TestIntakeSaysNothingAboutExistingClients(t *testing.T) {
	f := newFixture(t)
	times := regexp.MustCompile(`<time datetime="[^"]+">[^<]+</time>`)
	page := func(form url.Values) string {
		r := f.post("/intake/"+f.token, form)
		r.expect(t, http.StatusOK)
		return times.ReplaceAllString(r.body, "<time>")
	}
	first := page(validAnswers(key(t, f.get("/intake/"+f.token).body)))
	again := page(validAnswers(key(t, f.get("/intake/"+f.token).body)))
	stranger := validAnswers(key(t, f.get("/intake/"+f.token).body))
	stranger.Set("a.name", "Someone Else")
	stranger.Set("a.email", "someone.else@example.com")
	if other := page(stranger); first != again || again != other {
		t.Fatalf("the confirmations differ:\n%s\n---\n%s\n---\n%s", first, again, other)
	}
	if n := len(f.clientsAs(f.admin)); n != 3 {
		t.Fatalf("%d clients, want 3: staff, not the page, decide on duplicates", n)
	}
}
