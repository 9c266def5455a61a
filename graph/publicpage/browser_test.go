package publicpage_test

import (
	"bytes"
	"context"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// chromiumPath is Debian's chromium. The browser tests drive it, never a
// browser downloaded at run time.
const chromiumPath = "/usr/bin/chromium"

// browser starts headless chromium for the test, with a profile of its
// own. A missing chromium fails the test: the suite must not pass without
// the browser scenarios.
func browser(t *testing.T) context.Context {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Fatalf("%s is missing (%v): install Debian's chromium (apt-get install -y --no-install-recommends chromium); "+
			"the browser tests of the public pages never skip", chromiumPath, err)
	}
	var out syncBuffer
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("no-default-browser-check", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1024, 900),
		chromedp.CombinedOutput(&out),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelBrowser := chromedp.NewContext(actx)
	t.Cleanup(func() {
		cancelBrowser()
		cancelAlloc()
	})
	started := make(chan error, 1)
	go func() { started <- chromedp.Do(ctx) }()
	select {
	case err := <-started:
		if err != nil {
			t.Fatalf("starting %s: %v\n%s", chromiumPath, err, out.String())
		}
	case <-time.After(60 * time.Second):
		t.Fatalf("%s did not start within a minute:\n%s", chromiumPath, out.String())
	}
	return ctx
}

// syncBuffer is the browser's output, written while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// tab opens a tab with 90 seconds for its scenario. The console errors,
// uncaught exceptions and CSP violations it reports fail the test at its
// end.
func tab(t *testing.T, browserCtx context.Context) context.Context {
	t.Helper()
	tabCtx, cancelTab := chromedp.NewContext(browserCtx)
	if err := chromedp.Do(tabCtx); err != nil {
		cancelTab()
		t.Fatalf("opening a tab: %v", err)
	}
	ctx, cancelTime := context.WithTimeout(tabCtx, 90*time.Second)
	messages := chromedp.Console(tabCtx)
	var problems []string
	done := make(chan struct{})
	go func() {
		defer close(done)
		for m, err := range messages {
			if err != nil {
				return
			}
			// A page answered with 404, 409 or 422 logs its load as a
			// failed resource; anything else at error level is the
			// page's own fault (a CSP violation, a script error).
			if m.IsException() || m.Type == chromedp.ConsoleError && !strings.Contains(m.Text, "the server responded with a status of") {
				problems = append(problems, m.String())
			}
		}
	}()
	t.Cleanup(func() {
		cancelTime()
		cancelTab()
		<-done
		for _, p := range problems {
			t.Errorf("the browser reported %s", p)
		}
	})
	return ctx
}

// do runs steps in the tab, failing the test on an error.
func do(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// read runs one action in the tab and returns its value.
func read[T any](t *testing.T, ctx context.Context, what string, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return v
}

// TestBrowser drives Debian's chromium through the public pages on a real
// listener: what a person without an account does (policy §11), checked
// through the API as the practitioner the client went to (§6).
func TestBrowser(t *testing.T) {
	bctx := browser(t)
	t.Run("intake form", func(t *testing.T) { browserIntake(t, bctx) })
	t.Run("booking", func(t *testing.T) { browserBooking(t, bctx) })
	t.Run("intake error beside the question", func(t *testing.T) { browserIntakeError(t, bctx) })
}

func browserIntake(t *testing.T, bctx context.Context) {
	f := newFixture(t)
	srv := httptest.NewServer(f.e.Handler)
	defer srv.Close()
	ctx := tab(t, bctx)
	id := func(s string) chromedp.ID { return chromedp.ID(s) }

	do(t, ctx, "open the form", chromedp.Navigate(srv.URL+"/intake/"+f.token), chromedp.WaitVisible(id("q-name")))
	if right := read(t, ctx, "the honeypot's place", chromedp.Evaluate[float64](`document.getElementById('website').getBoundingClientRect().right`)); right >= 0 {
		t.Errorf("the honeypot is on screen (its right edge at %v)", right)
	}
	do(t, ctx, "fill in every field and send",
		chromedp.SendKeys(id("q-name"), "Robin Hart"),
		chromedp.SendKeys(id("q-email"), "robin.hart@example.com"),
		chromedp.SendKeys(id("q-phone"), "+61 2 9000 1234"),
		chromedp.SetValue(id("q-date_of_birth"), "1985-07-14"),
		chromedp.SendKeys(id("q-occupation"), "Nurse"),
		chromedp.SendKeys(id("q-reason"), "Shift work and sleep."),
		chromedp.Click(id("q-contact-1")),
		chromedp.Click(id("q-topics-0")),
		chromedp.Click(id("q-topics-2")),
		chromedp.Click(id("q-consent")),
		chromedp.Click(chromedp.CSS(`form[data-once] button[type="submit"]`)),
		chromedp.WaitVisible(id("received")),
	)
	received := read(t, ctx, "the confirmation", chromedp.Text(id("received")))
	if !strings.HasPrefix(received, "Thank you, your answers were received at ") {
		t.Fatalf("confirmation %q", received)
	}

	cs := f.clientsAs(f.alice)
	if len(cs) != 1 || cs[0].Name != "Robin Hart" || cs[0].Source != "INTAKE_FORM" || len(cs[0].FormResponses) != 1 {
		t.Fatalf("Alice sees %+v", cs)
	}
	got := map[string]string{}
	for _, d := range cs[0].FormResponses[0].Data {
		if len(d.Values) > 0 {
			got[d.QuestionKey] = strings.Join(d.Values, ",")
		} else if d.Value != nil {
			got[d.QuestionKey] = *d.Value
		}
	}
	want := map[string]string{
		"name": "Robin Hart", "email": "robin.hart@example.com", "phone": "+61 2 9000 1234",
		"date_of_birth": "1985-07-14", "occupation": "Nurse", "reason": "Shift work and sleep.",
		"contact": "Phone", "topics": "Anxiety,Work stress", "consent": "true",
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("answer %s = %q, want %q", k, got[k], v)
		}
	}
}

func browserBooking(t *testing.T, bctx context.Context) {
	f := newFixture(t)
	srv := httptest.NewServer(f.e.Handler)
	defer srv.Close()
	ctx := tab(t, bctx)
	id := func(s string) chromedp.ID { return chromedp.ID(s) }
	bob := string(f.bob.ID)
	change := func(sel string) chromedp.Action[chromedp.Void] {
		return chromedp.Evaluate[chromedp.Void](`document.getElementById(` + jsString(sel) + `).dispatchEvent(new Event('change', {bubbles: true}))`)
	}

	do(t, ctx, "choose Bob and Review; the script loads their slots",
		chromedp.Navigate(srv.URL+"/book/"+slug),
		chromedp.WaitVisible(id("practitioner")),
		chromedp.SetValue(id("practitioner"), bob),
		change("practitioner"),
	)
	read(t, ctx, "the script takes Bob", chromedp.Poll[bool](
		`document.querySelector('#book input[name="practitioner"]').value === `+jsString(bob),
		chromedp.WithPollingTimeout(20*time.Second)))
	do(t, ctx, "choose Review", chromedp.SetValue(id("type"), "Review"), change("type"))
	read(t, ctx, "the script loads Review slots", chromedp.Poll[bool](
		`document.querySelector('#book input[name="type"]').value === 'Review' && / available, /.test(document.getElementById('slots-status').textContent)`,
		chromedp.WithPollingTimeout(20*time.Second)))
	slotAttr := read(t, ctx, "the first slot", chromedp.AttributeValue(id("slot-0"), "value"))
	slot := slotAttr.Value
	slotLabel := read(t, ctx, "the first slot's label", chromedp.Text(chromedp.CSS(`label[for="slot-0"]`)))
	// The slots the script shows are Bob's Review slots, as the page
	// without the script shows them.
	noJS := slots(f.get("/book/" + slug + "?practitioner=" + bob + "&type=Review").body)
	if slot == "" || len(noJS) == 0 || noJS[0] != slot {
		t.Fatalf("the script's first slot %q differs from the page's %v", slot, noJS[:min(len(noJS), 1)])
	}
	at, _ := time.Parse(time.RFC3339, slot)
	if want := at.In(sydney).Format("15:04 MST"); slotLabel != want {
		t.Fatalf("the first slot is labelled %q, want %q (Sydney time)", slotLabel, want)
	}

	do(t, ctx, "pick the first slot, enter name and email, book",
		chromedp.Click(id("slot-0")),
		chromedp.SendKeys(id("name"), "Casey Morgan"),
		chromedp.SendKeys(id("email"), "casey.morgan@example.com"),
		chromedp.Click(id("book-button")),
		chromedp.WaitVisible(id("manage-link")),
	)
	practitioner := read(t, ctx, "practitioner", chromedp.Text(id("booked-practitioner")))
	typ := read(t, ctx, "type", chromedp.Text(id("booked-type")))
	when := read(t, ctx, "when", chromedp.Text(id("booked-when")))
	link := read(t, ctx, "manage link", chromedp.AttributeValue(id("manage-link"), "href")).Value
	if practitioner != "Dr Bob Stone" || typ != "Review" || !strings.Contains(when, at.In(sydney).Format("15:04")) ||
		!strings.Contains(when, "Australia/Sydney") || !strings.HasPrefix(link, "/book/manage/") {
		t.Fatalf("confirmation: %q %q %q %q", practitioner, typ, when, link)
	}

	cs := f.clientsAs(f.bob)
	if len(cs) != 1 || cs[0].Name != "Casey Morgan" || cs[0].Source != "ONLINE_BOOKING" ||
		len(cs[0].Appointments) != 1 || cs[0].Appointments[0].Status != "BOOKED" {
		t.Fatalf("Bob sees %+v", cs)
	}
	if st, _ := time.Parse(time.RFC3339, cs[0].Appointments[0].StartsAt); !st.Equal(at) {
		t.Fatalf("the appointment starts at %s, want %s", cs[0].Appointments[0].StartsAt, slot)
	}
	if n := len(f.clientsAs(f.alice)); n != 0 {
		t.Fatalf("Alice sees %d clients", n)
	}

	do(t, ctx, "open the manage link and cancel",
		chromedp.Click(id("manage-link")),
		chromedp.WaitVisible(id("cancel-button")),
		chromedp.Click(id("cancel-button")),
		chromedp.WaitVisible(id("notice")),
	)
	notice := read(t, ctx, "notice", chromedp.Text(id("notice")))
	state := read(t, ctx, "status", chromedp.Text(id("status")))
	if notice != "Your appointment has been cancelled." || state != "Cancelled" {
		t.Fatalf("after cancelling: %q, %q", notice, state)
	}
	cs = f.clientsAs(f.bob)
	if len(cs) != 1 || len(cs[0].Appointments) != 1 || cs[0].Appointments[0].Status != "CANCELLED" {
		t.Fatalf("after cancelling Bob sees %+v", cs)
	}
	if !slices.Contains(slots(f.get("/book/"+slug+"?practitioner="+bob+"&type=Review").body), slot) {
		t.Fatal("the cancelled slot is not offered again")
	}
}

func browserIntakeError(t *testing.T, bctx context.Context) {
	f := newFixture(t)
	srv := httptest.NewServer(f.e.Handler)
	defer srv.Close()
	ctx := tab(t, bctx)
	id := func(s string) chromedp.ID { return chromedp.ID(s) }
	keySel := chromedp.CSS(`input[name="idempotency_key"]`)

	do(t, ctx, "open the form", chromedp.Navigate(srv.URL+"/intake/"+f.token), chromedp.WaitVisible(id("q-email")))
	key1 := read(t, ctx, "the key", chromedp.AttributeValue(keySel, "value")).Value
	do(t, ctx, "send the form without the required name",
		chromedp.SendKeys(id("q-email"), "sky@example.com"),
		chromedp.Click(id("q-contact-0")),
		chromedp.Click(id("q-consent")),
		// The browser's own check would stop the form; the server's is
		// what this tests.
		chromedp.Evaluate[chromedp.Void](`document.querySelectorAll('[required]').forEach(function (e) { e.removeAttribute('required'); })`),
		chromedp.Click(chromedp.CSS(`form[data-once] button[type="submit"]`)),
		chromedp.WaitVisible(id("q-name-error")),
	)
	errText := read(t, ctx, "the error", chromedp.Text(id("q-name-error")))
	describedBy := read(t, ctx, "aria-describedby", chromedp.AttributeValue(id("q-name"), "aria-describedby")).Value
	invalid := read(t, ctx, "aria-invalid", chromedp.AttributeValue(id("q-name"), "aria-invalid")).Value
	focused := read(t, ctx, "focus", chromedp.Evaluate[string](`document.activeElement ? document.activeElement.id : ''`))
	email := read(t, ctx, "email", chromedp.Value(id("q-email")))
	key2 := read(t, ctx, "the key", chromedp.AttributeValue(keySel, "value")).Value
	if !strings.Contains(errText, "Please answer this question.") || describedBy != "q-name-error" || invalid != "true" {
		t.Fatalf("the error beside the name: %q, aria-describedby %q, aria-invalid %q", errText, describedBy, invalid)
	}
	if focused != "error-summary" {
		t.Fatalf("focus is on %q, want the error summary", focused)
	}
	if email != "sky@example.com" || key2 != key1 {
		t.Fatalf("the form came back with email %q and key %q (was %q)", email, key2, key1)
	}
	if n := len(f.clientsAs(f.admin)); n != 0 {
		t.Fatalf("a refused form created %d clients", n)
	}

	// The summary links to the field, the focus is visible, and the
	// answer then goes through, once.
	do(t, ctx, "follow the summary's link",
		chromedp.Click(chromedp.CSS(`#error-summary a[href="#q-name"]`)),
		chromedp.Focus(id("q-name")),
	)
	outline := read(t, ctx, "the focus style", chromedp.Evaluate[string](`getComputedStyle(document.getElementById('q-name')).outlineStyle`))
	if outline != "solid" {
		t.Errorf("a focused input's outline is %q, want a visible one", outline)
	}
	do(t, ctx, "answer and send again",
		chromedp.SendKeys(id("q-name"), "Sky Rivera"),
		chromedp.Click(chromedp.CSS(`form[data-once] button[type="submit"]`)),
		chromedp.WaitVisible(id("received")),
	)
	if received := read(t, ctx, "the confirmation", chromedp.Text(id("received"))); !strings.HasPrefix(received, "Thank you") {
		t.Fatalf("confirmation %q", received)
	}
	cs := f.clientsAs(f.alice)
	if len(cs) != 1 || cs[0].Name != "Sky Rivera" {
		t.Fatalf("Alice sees %+v", cs)
	}
}

// jsString quotes s for a script.
func jsString(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}
