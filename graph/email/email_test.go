package email_test

import (
	"context"
	"errors"
	"io"
	"mime/quotedprintable"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	smtpmock "github.com/mocktools/go-smtp-mock/v2"

	"caseload/ent"
	"caseload/ent/outboundemail"
	"caseload/ent/viewer"
	"caseload/graph/email"
	"caseload/graph/graphtest"
)

func TestMain(m *testing.M) { graphtest.Main(m) }

// recorder is a Sender that notes what it was given, failing while fail
// says so.
type recorder struct {
	mu   sync.Mutex
	sent []email.Message
	fail error
}

func (r *recorder) Send(_ context.Context, m email.Message) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fail != nil {
		return r.fail
	}
	r.sent = append(r.sent, m)
	return nil
}

func (r *recorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.sent)
}

// system is the context of the server's own reads of the outbox.
func system() context.Context {
	return viewer.Bypass(context.Background(), "the test reads the outbox")
}

func enqueue(t *testing.T, db *ent.Client, o *email.Outbox, n int) {
	t.Helper()
	for i := range n {
		m := o.IntakeConfirmation("person"+string(rune('a'+i%26))+"@example.org", "Harbourside", time.Now())
		if err := o.Enqueue(context.Background(), db, m); err != nil {
			t.Fatal(err)
		}
	}
}

func rows(t *testing.T, db *ent.Client) []*ent.OutboundEmail {
	t.Helper()
	all, err := db.OutboundEmail.Query().Order(outboundemail.ByID()).All(system())
	if err != nil {
		t.Fatal(err)
	}
	return all
}

func TestDispatcher_SendsEachDueMessageOnce_AndEmptiesItsBody(t *testing.T) {
	db := graphtest.OpenDB(t).Client
	o := email.NewOutbox("", "")
	enqueue(t, db, o, 3)
	r := &recorder{}
	d := &email.Dispatcher{Client: db, Outbox: o, Sender: r}
	if n, err := d.SendDue(context.Background()); err != nil || n != 3 {
		t.Fatalf("first run sent %d, %v; want 3", n, err)
	}
	if n, err := d.SendDue(context.Background()); err != nil || n != 0 {
		t.Fatalf("second run sent %d, %v; want 0", n, err)
	}
	if r.count() != 3 || !strings.Contains(r.sent[0].Body, "Harbourside received your form") {
		t.Fatalf("sent %+v", r.sent)
	}
	for _, m := range rows(t, db) {
		if m.SentAt == nil || m.Body != "" || m.Attempts != 1 {
			t.Errorf("a sent message keeps body %q, sent %v, attempts %d", m.Body, m.SentAt, m.Attempts)
		}
	}
}

func TestDispatcher_RetriesLater_ThenGivesUp(t *testing.T) {
	db := graphtest.OpenDB(t).Client
	o := email.NewOutbox("", "")
	enqueue(t, db, o, 1)
	r := &recorder{fail: errors.New("relay says 451 try later")}
	d := &email.Dispatcher{Client: db, Outbox: o, Sender: r, Attempts: 2}
	if _, err := d.SendDue(context.Background()); err != nil {
		t.Fatal(err)
	}
	m := rows(t, db)[0]
	if m.SentAt != nil || m.FailedAt != nil || m.Attempts != 1 || !m.NextAttemptAt.After(time.Now()) || m.Body == "" {
		t.Fatalf("after one failure: %+v", m)
	}
	// Not due yet: nothing is tried.
	if n, _ := d.SendDue(context.Background()); n != 0 {
		t.Fatalf("a message waiting for its retry was tried again at once")
	}
	db.OutboundEmail.UpdateOneID(m.ID).SetNextAttemptAt(time.Now().Add(-time.Second)).ExecX(system())
	if _, err := d.SendDue(context.Background()); err != nil {
		t.Fatal(err)
	}
	m = rows(t, db)[0]
	if m.FailedAt == nil || m.Attempts != 2 || m.Body != "" || !strings.Contains(m.LastError, "451") {
		t.Fatalf("after the last attempt: %+v", m)
	}
}

// Replicas each run a dispatcher: the lease makes each message go out once.
func TestDispatcher_ReplicasSendEachMessageOnce(t *testing.T) {
	db := graphtest.OpenDB(t).Client
	o := email.NewOutbox("", "")
	enqueue(t, db, o, 30)
	r := &recorder{}
	var wg sync.WaitGroup
	for range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d := &email.Dispatcher{Client: db, Outbox: o, Sender: r}
			for {
				n, err := d.SendDue(context.Background())
				if err != nil {
					t.Error(err)
					return
				}
				if n == 0 {
					return
				}
			}
		}()
	}
	wg.Wait()
	if r.count() != 30 {
		t.Fatalf("30 messages went out %d times", r.count())
	}
	for _, m := range rows(t, db) {
		if m.SentAt == nil || m.Attempts != 1 {
			t.Fatalf("message %s: sent %v after %d attempts", m.ID, m.SentAt, m.Attempts)
		}
	}
}

// The dispatcher wakes when a message is written, rather than at its next
// poll.
func TestDispatcher_Run_SendsWhenWoken(t *testing.T) {
	db := graphtest.OpenDB(t).Client
	o := email.NewOutbox("", "")
	r := &recorder{}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go (&email.Dispatcher{Client: db, Outbox: o, Sender: r, Poll: time.Hour}).Run(ctx)
	enqueue(t, db, o, 1)
	o.Wake()
	deadline := time.Now().Add(10 * time.Second)
	for r.count() == 0 {
		if time.Now().After(deadline) {
			t.Fatal("the woken dispatcher sent nothing")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestSMTPSender_DeliversThroughARelay(t *testing.T) {
	relay := smtpmock.New(smtpmock.ConfigurationAttr{HostAddress: "127.0.0.1", MultipleMessageReceiving: true})
	if err := relay.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = relay.Stop() }()
	r, err := email.ParseSMTPURL("smtp+insecure://127.0.0.1:" + strconv.Itoa(relay.PortNumber()))
	if err != nil {
		t.Fatal(err)
	}
	s := email.NewSMTPSender(r, "Caseload <no-reply@clinic.example>")
	o := email.NewOutbox("https://app.example.org", "")
	if err := s.Send(context.Background(), o.PasswordReset("bea@clinic.example", "Bea", "CODE123", time.Now().Add(time.Hour))); err != nil {
		t.Fatal(err)
	}
	got, err := relay.WaitForMessages(1, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	head, body, _ := strings.Cut(got[0].MsgRequest(), "\r\n\r\n")
	text, err := io.ReadAll(quotedprintable.NewReader(strings.NewReader(body)))
	if err != nil {
		t.Fatal(err)
	}
	msg := head + "\n\n" + string(text)
	for _, want := range []string{"Subject: Reset your Caseload password", "bea@clinic.example", "https://app.example.org/reset-password#token=CODE123"} {
		if !strings.Contains(msg, want) {
			t.Errorf("the relay's message lacks %q:\n%s", want, msg)
		}
	}
	if !strings.Contains(got[0].MailfromRequest(), "no-reply@clinic.example") {
		t.Errorf("MAIL FROM %q", got[0].MailfromRequest())
	}
}

func TestParseSMTPURL_RefusesWithoutQuotingThePassword(t *testing.T) {
	for _, raw := range []string{"http://u:s3cret-pw@relay", "smtp://u:s3cret-pw@relay:99999", "smtp://u:s3cret-pw@:25", "smtp://u:s3cret-pw@relay:x"} {
		_, err := email.ParseSMTPURL(raw)
		if err == nil {
			t.Errorf("%s was accepted", raw)
			continue
		}
		if strings.Contains(err.Error(), "s3cret-pw") {
			t.Errorf("the error quotes the password: %v", err)
		}
	}
	r, err := email.ParseSMTPURL("smtps://mailer:pw@relay.example.org")
	if err != nil || r.Port != 465 || r.TLS != "tls" || r.Username != "mailer" || r.Password != "pw" {
		t.Fatalf("smtps: %+v %v", r, err)
	}
	if r, _ := email.ParseSMTPURL("smtp://relay.example.org"); r.Port != 587 || r.TLS != "starttls" {
		t.Fatalf("smtp: %+v", r)
	}
}

// The dispatcher's hourly purge deletes sign-up requests and password-reset
// codes past their expiry (an expired code answers as an unknown one, and a
// pending sign-up holds a stranger's name and address) and keeps live ones.
func TestDispatcher_Purge_DeletesExpiredSignUpsAndResetCodes(t *testing.T) {
	e := graphtest.New(t)
	db := e.Client()
	m := e.Member(e.Practice())
	ctx := system()
	past, future := time.Now().Add(-time.Minute), time.Now().Add(time.Hour)
	for i, at := range []time.Time{past, future} {
		if err := db.SignUpRequest.Create().SetPracticeName("P").SetName("N").SetEmail("s" + strconv.Itoa(i) + "@example.org").
			SetTokenHash("h" + strconv.Itoa(i)).SetExpiresAt(at).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		if err := db.PasswordReset.Create().SetMemberID(m.ID).SetTokenHash("r" + strconv.Itoa(i)).SetExpiresAt(at).Exec(ctx); err != nil {
			t.Fatal(err)
		}
	}
	d := &email.Dispatcher{Client: db, Outbox: email.NewOutbox("", ""), Sender: &recorder{}}
	if _, err := d.SendDue(context.Background()); err != nil {
		t.Fatal(err)
	}
	signUps, err := db.SignUpRequest.Query().All(ctx)
	if err != nil {
		t.Fatal(err)
	}
	resets, err := db.PasswordReset.Query().All(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(signUps) != 1 || !signUps[0].ExpiresAt.After(time.Now()) || len(resets) != 1 || !resets[0].ExpiresAt.After(time.Now()) {
		t.Fatalf("after the purge: %d sign-ups, %d reset codes; want the live one of each", len(signUps), len(resets))
	}
}
