package publicpage_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"entgo.io/ent/dialect"
	"github.com/ulule/limiter/v3"

	"caseload/ent"
	"caseload/graph/auth"
	"caseload/graph/booking"
	"caseload/graph/publicpage"
	"caseload/graph/server"
)

// downStore is a limits store that cannot be reached, as Redis down.
type downStore struct{}

var errDown = errors.New("dial tcp 127.0.0.1:6379: connection refused")

func (downStore) Get(context.Context, string, limiter.Rate) (limiter.Context, error) {
	return limiter.Context{}, errDown
}
func (downStore) Peek(context.Context, string, limiter.Rate) (limiter.Context, error) {
	return limiter.Context{}, errDown
}
func (downStore) Reset(context.Context, string, limiter.Rate) (limiter.Context, error) {
	return limiter.Context{}, errDown
}
func (downStore) Increment(context.Context, string, int64, limiter.Rate) (limiter.Context, error) {
	return limiter.Context{}, errDown
}

// TestUnavailable: limits that cannot be counted refuse the submission
// (UNAVAILABLE, 503 with Retry-After) rather than lift the limit, and the
// form comes back with the answers kept.
func TestUnavailable(t *testing.T) {
	f := newFixture(t, func(o *server.Options) { o.SignInLimits = auth.NewLimits(downStore{}, auth.DefaultRates) })
	form := validAnswers(key(t, f.get("/intake/"+f.token).body))
	r := f.post("/intake/"+f.token, form)
	r.expect(t, http.StatusServiceUnavailable, "This service is unavailable for a moment. Nothing was saved.", `value="Jordan Lee"`)
	if r.header.Get("Retry-After") != "5" {
		t.Fatalf("Retry-After %q", r.header.Get("Retry-After"))
	}
	page := f.get("/book/" + slug)
	r = f.post("/book/"+slug, f.bookingForm(page.body, string(f.alice.ID), slots(page.body)[2], "Sam Taylor", "sam@example.com"))
	r.expect(t, http.StatusServiceUnavailable, "This service is unavailable for a moment.", `value="Sam Taylor"`)
	if strings.Contains(r.body, "6379") || strings.Contains(r.body, "refused") {
		t.Fatal("the page shows the store's error")
	}
	if n := len(f.clientsAs(f.admin)); n != 0 {
		t.Fatalf("%d clients", n)
	}
}

// brokenDriver fails every statement with an error that says too much.
type brokenDriver struct{}

var errBroken = errors.New(`pq: relation "intake_links" does not exist at secret_table`)

func (brokenDriver) Exec(context.Context, string, any, any) error  { return errBroken }
func (brokenDriver) Query(context.Context, string, any, any) error { return errBroken }
func (brokenDriver) Tx(context.Context) (dialect.Tx, error)        { return nil, errBroken }
func (brokenDriver) Close() error                                  { return nil }
func (brokenDriver) Dialect() string                               { return dialect.Postgres }

// TestInternalErrorsAreNotShown: an unexpected error is a 500 page with a
// generic message, never the error itself, and never a panic.
func TestInternalErrorsAreNotShown(t *testing.T) {
	limits := auth.NewMemoryLimits(auth.DefaultRates)
	h := publicpage.Handler(publicpage.Options{
		Client:  ent.NewClient(ent.Driver(brokenDriver{})),
		Limits:  limits,
		Booking: &booking.Service{Limits: limits, Key: []byte("0123456789abcdef0123456789abcdef")},
	})
	for _, path := range []string{
		"/intake/" + strings.Repeat("k", 32),
		"/book/" + slug,
		"/book/" + slug + "/slots?practitioner=x&type=y",
	} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		body := rec.Body.String()
		if rec.Code != http.StatusInternalServerError || strings.Contains(body, "secret_table") || strings.Contains(body, "pq:") {
			t.Fatalf("%s: %d\n%s", path, rec.Code, body)
		}
		if !strings.Contains(body, "Something went wrong") && !strings.Contains(body, `"error"`) {
			t.Fatalf("%s: %s", path, body)
		}
		if rec.Header().Get("Cache-Control") != "no-store" || rec.Header().Get("Content-Security-Policy") != noFrameCSP {
			t.Fatalf("%s: headers %v", path, rec.Header())
		}
	}
}
