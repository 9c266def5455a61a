package policytest

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"caseload/ent"
	"caseload/ent/member"
	"caseload/ent/outboundemail"
	"caseload/graph/auth"
	"caseload/graph/graphtest"
	"caseload/graph/server"
)

// Email (issue H): invitations, password resets, sign-up confirmations and
// intake and booking confirmations go through the outbox, written in the
// transaction of what caused them; no answer says whether an address has an
// account.

const (
	requestResetMutation  = `mutation($e: String!) { requestPasswordReset(email: $e) }`
	resetMutation         = `mutation($t: String!, $pw: String!) { resetPassword(token: $t, newPassword: $pw) { token member { email } } }`
	requestSignUpMutation = `mutation($p: String!, $n: String!, $e: String!) {
		requestSignUp(practiceName: $p, name: $n, email: $e) }`
	confirmSignUpMutation = `mutation($t: String!, $pw: String!) { confirmSignUp(token: $t, password: $pw) { token member { email admin } } }`
)

// outbox returns the messages written to to, oldest first.
func outbox(t *testing.T, e *graphtest.Env, to string) []*ent.OutboundEmail {
	t.Helper()
	ms, err := e.Client().OutboundEmail.Query().
		Where(outboundemail.RecipientEQ(to)).
		Order(outboundemail.ByCreatedAt(), outboundemail.ByID()).
		All(e.Ctx)
	if err != nil {
		t.Fatal(err)
	}
	return ms
}

// codeIn reads the one-time code from a message sent without an app URL.
func codeIn(t *testing.T, m *ent.OutboundEmail) string {
	t.Helper()
	_, rest, ok := strings.Cut(m.Body, "Your code: ")
	if !ok {
		t.Fatalf("no code in %q", m.Body)
	}
	return strings.Fields(rest)[0]
}

func TestPasswordReset_CodeSetsThePassword_EndsEverySession_AndLogsIn(t *testing.T) {
	e := graphtest.New(t)
	m := withPassword(t, e, e.Practice(), passphrase)
	phone, laptop := logIn(t, e, m.Email, passphrase), logIn(t, e, m.Email, passphrase)

	r := e.Do("", requestResetMutation, map[string]any{"e": strings.ToUpper(m.Email)})
	r.RequireNoErrors(t)
	if string(r.Data) != `{"requestPasswordReset":true}` {
		t.Fatalf("requestPasswordReset answered %s", r.Data)
	}
	sent := outbox(t, e, m.Email)
	if len(sent) != 1 || sent[0].Kind != outboundemail.KindPASSWORD_RESET {
		t.Fatalf("want one reset email to %s, got %+v", m.Email, sent)
	}
	code := codeIn(t, sent[0])

	const fresh = "a fresh long passphrase"
	r = e.Do("", resetMutation, map[string]any{"t": code, "pw": fresh})
	r.RequireNoErrors(t)
	var out struct{ ResetPassword struct{ Token string } }
	r.Decode(t, &out)
	requireWorks(t, e, out.ResetPassword.Token)
	requireRefused(t, e, phone)
	requireRefused(t, e, laptop)
	logIn(t, e, m.Email, fresh)
	requireCode(t, e.Do("", loginMutation, map[string]any{"e": m.Email, "pw": passphrase}), "UNAUTHENTICATED")

	// The code works once.
	err := requireCode(t, e.Do("", resetMutation, map[string]any{"t": code, "pw": "yet another passphrase"}), "BAD_USER_INPUT")
	if !strings.Contains(err.Message, "unknown, used or expired") {
		t.Fatalf("message %q", err.Message)
	}
}

// The answer is the same for an unknown address, a deactivated member and a
// member who asked a moment ago, and so is the work: each address gets one
// email in two minutes, a code only if it has an active account.
func TestRequestPasswordReset_SameAnswerForAnyAddress(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	m := withPassword(t, e, p, passphrase)
	gone := withPassword(t, e, p, passphrase, graphtest.Inactive())
	answers := map[string]string{}
	for _, address := range []string{m.Email, "nobody@nowhere.example", gone.Email, m.Email, "nobody@nowhere.example"} {
		r := e.Do("", requestResetMutation, map[string]any{"e": address})
		r.RequireNoErrors(t)
		answers[string(r.Data)] = address
	}
	if len(answers) != 1 {
		t.Fatalf("the answers differ by address: %v", answers)
	}
	for _, address := range []string{m.Email, gone.Email, "nobody@nowhere.example"} {
		sent := outbox(t, e, address)
		if len(sent) != 1 {
			t.Fatalf("%s got %d emails; want 1", address, len(sent))
		}
		hasCode := strings.Contains(sent[0].Body, "Your code:")
		if hasCode != (address == m.Email) {
			t.Errorf("%s: a code sent %v, want only to the active member", address, hasCode)
		}
	}
	requireCode(t, e.From("198.51.100.99:40000").Do("", requestResetMutation, map[string]any{"e": "not an address"}), "BAD_USER_INPUT")
}

// Requests at once from many client addresses still email the address once:
// the check and the write hold a lock on the address.
func TestRequestPasswordReset_AtOnce_EmailsOnce(t *testing.T) {
	e := graphtest.New(t)
	m := withPassword(t, e, e.Practice(), passphrase)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := e.From(fmt.Sprintf("198.51.100.%d:40000", i+1)).Do("", requestResetMutation, map[string]any{"e": m.Email})
			if len(r.Errors) > 0 {
				t.Errorf("request %d: %+v", i, r.Errors)
			}
		}()
	}
	wg.Wait()
	if n := len(outbox(t, e, m.Email)); n != 1 {
		t.Fatalf("8 requests at once wrote %d emails; want 1", n)
	}
}

// A code asked for before the password changed (or before a deactivation)
// cannot undo the change.
func TestResetCode_SpentByAPasswordChange(t *testing.T) {
	e := graphtest.New(t)
	m := withPassword(t, e, e.Practice(), passphrase)
	e.Do("", requestResetMutation, map[string]any{"e": m.Email}).RequireNoErrors(t)
	code := codeIn(t, outbox(t, e, m.Email)[0])
	token := logIn(t, e, m.Email, passphrase)
	e.Do(token, `mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) { token } }`,
		map[string]any{"c": passphrase, "n": "the member's new passphrase"}).RequireNoErrors(t)
	requireCode(t, e.Do("", resetMutation, map[string]any{"t": code, "pw": "an attacker's passphrase"}), "BAD_USER_INPUT")
	logIn(t, e, m.Email, "the member's new passphrase")
}

func TestResetPassword_ExpiredOrUnknownCode_BadUserInput_ChangesNothing(t *testing.T) {
	e := graphtest.New(t)
	m := withPassword(t, e, e.Practice(), passphrase)
	code, hash := auth.NewOneTimeCode()
	e.Client().PasswordReset.Create().SetMemberID(m.ID).SetTokenHash(hash).SetExpiresAt(time.Now().Add(-time.Minute)).ExecX(e.Ctx)
	for _, c := range []string{code, "never-issued"} {
		requireCode(t, e.Do("", resetMutation, map[string]any{"t": c, "pw": "a fresh long passphrase"}), "BAD_USER_INPUT")
	}
	logIn(t, e, m.Email, passphrase)
}

func TestResetPassword_WeakPassword_BadUserInput_CodeStillWorks(t *testing.T) {
	e := graphtest.New(t)
	m := withPassword(t, e, e.Practice(), passphrase)
	e.Do("", requestResetMutation, map[string]any{"e": m.Email}).RequireNoErrors(t)
	code := codeIn(t, outbox(t, e, m.Email)[0])
	requireCode(t, e.Do("", resetMutation, map[string]any{"t": code, "pw": "short"}), "BAD_USER_INPUT")
	e.Do("", resetMutation, map[string]any{"t": code, "pw": "a fresh long passphrase"}).RequireNoErrors(t)
}

func confirming(o *server.Options) { o.ConfirmSignUps = true }

// With a sender configured, sign-up confirms the address, and answers the
// same whether or not the address has an account: its owner hears of the
// attempt by email instead.
func TestSignUpConfirmation_SameAnswerForATakenAddress_CodeOpensThePractice(t *testing.T) {
	e := graphtest.New(t, confirming)
	taken := withPassword(t, e, e.Practice(), passphrase)
	requireCode(t, signUp(e, "new@bayside.example", "a long enough passphrase"), "FORBIDDEN")

	ask := func(address string) string {
		r := e.Do("", requestSignUpMutation, map[string]any{"p": "Bayside Therapy", "n": "Rae Admin", "e": address})
		r.RequireNoErrors(t)
		return string(r.Data)
	}
	if a, b := ask("New@Bayside.example"), ask(taken.Email); a != b || a != `{"requestSignUp":true}` {
		t.Fatalf("the answers differ: new %s, taken %s", a, b)
	}
	if got := outbox(t, e, taken.Email); len(got) != 1 || got[0].Kind != outboundemail.KindSIGN_UP_EXISTING_ACCOUNT {
		t.Fatalf("the owner of the taken address got %+v", got)
	}
	if n, _ := e.Client().Practice.Query().Count(e.Ctx); n != 1 {
		t.Fatalf("%d practices exist before confirmation; want 1", n)
	}
	sent := outbox(t, e, "new@bayside.example")
	if len(sent) != 1 || sent[0].Kind != outboundemail.KindSIGN_UP_CONFIRMATION {
		t.Fatalf("the new address got %+v", sent)
	}
	// The address is not confirmed: the server mails none of the words its
	// sender typed to it.
	for _, typed := range []string{"Bayside Therapy", "Rae Admin"} {
		if strings.Contains(sent[0].Subject+sent[0].Body, typed) {
			t.Fatalf("the confirmation to an unconfirmed address carries %q: %q %q", typed, sent[0].Subject, sent[0].Body)
		}
	}
	code := codeIn(t, sent[0])
	requireCode(t, e.Do("", confirmSignUpMutation, map[string]any{"t": code, "pw": "short"}), "BAD_USER_INPUT")
	r := e.Do("", confirmSignUpMutation, map[string]any{"t": code, "pw": "the holder's own passphrase"})
	r.RequireNoErrors(t)
	var out struct {
		ConfirmSignUp struct {
			Token  string
			Member struct {
				Email string
				Admin bool
			}
		}
	}
	r.Decode(t, &out)
	if out.ConfirmSignUp.Member.Email != "new@bayside.example" || !out.ConfirmSignUp.Member.Admin {
		t.Fatalf("confirmSignUp made %+v", out.ConfirmSignUp.Member)
	}
	requireWorks(t, e, out.ConfirmSignUp.Token)
	logIn(t, e, "new@bayside.example", "the holder's own passphrase")
	requireCode(t, e.Do("", confirmSignUpMutation, map[string]any{"t": code, "pw": "the holder's own passphrase"}), "BAD_USER_INPUT")
	if n := e.Client().Member.Query().Where(member.EmailEQ("new@bayside.example")).CountX(e.Ctx); n != 1 {
		t.Fatalf("%d members have the new address", n)
	}
}

func TestInviteMember_EmailsTheInviteeTheCodeItAnswers(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	admin := e.Member(p, graphtest.Admin())
	r := e.As(admin, inviteMutation, map[string]any{"in": map[string]any{"name": "Noor Clinician", "email": "noor@bayside.example", "accountType": "PRACTITIONER"}})
	r.RequireNoErrors(t)
	var out struct{ InviteMember struct{ Token string } }
	r.Decode(t, &out)
	sent := outbox(t, e, "noor@bayside.example")
	if len(sent) != 1 || sent[0].Kind != outboundemail.KindINVITATION || codeIn(t, sent[0]) != out.InviteMember.Token {
		t.Fatalf("the invitee got %+v", sent)
	}
	if !strings.Contains(sent[0].Body, p.Name) || !strings.Contains(sent[0].Body, admin.Name) {
		t.Fatalf("the invitation does not name the practice and the inviter: %q", sent[0].Body)
	}
}

// A refused mutation writes no email: the outbox row is in its transaction.
func TestInviteMember_Refused_WritesNoEmail(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	nonAdmin := e.Member(p)
	r := e.As(nonAdmin, inviteMutation, map[string]any{"in": map[string]any{"name": "Noor Clinician", "email": "noor2@bayside.example", "accountType": "PRACTITIONER"}})
	if len(r.Errors) == 0 {
		t.Fatal("a member who is not an admin invited someone")
	}
	if n := len(outbox(t, e, "noor2@bayside.example")); n != 0 {
		t.Fatalf("a refused invitation wrote %d emails", n)
	}
}

func TestIntakeSubmission_ConfirmsToTheAddressGiven_WithNothingFromTheForm(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	f := newIntakeForm(t, e, p, e.Member(p))
	submit(e, f.link(t, nil), answers("Ada Quill", nil), newKey()).RequireNoErrors(t)
	sent := outbox(t, e, "ada.quill@mail.example")
	if len(sent) != 1 || sent[0].Kind != outboundemail.KindINTAKE_CONFIRMATION {
		t.Fatalf("the submitter got %+v", sent)
	}
	if !strings.Contains(sent[0].Body, p.Name) || strings.Contains(sent[0].Body, "Trouble sleeping") {
		t.Fatalf("the confirmation names the practice and nothing of the answers: %q", sent[0].Body)
	}
}

func TestBooking_ConfirmsWithTheManageLink_InThePracticeZone(t *testing.T) {
	e := graphtest.New(t)
	f := newBookingPage(t, e)
	at := f.slots(t)[0]
	r := f.book(at, "Bo Reed", newKey())
	r.RequireNoErrors(t)
	var out struct{ BookAppointment struct{ ManageToken string } }
	r.Decode(t, &out)
	sent := outbox(t, e, "bo.reed@mail.example")
	if len(sent) != 1 || sent[0].Kind != outboundemail.KindBOOKING_CONFIRMATION {
		t.Fatalf("the person booking got %+v", sent)
	}
	for _, want := range []string{"/book/manage/" + out.BookAppointment.ManageToken, at.In(f.loc).Format("15:04 (MST)"), f.a.Name} {
		if !strings.Contains(sent[0].Body, want) {
			t.Errorf("the confirmation lacks %q: %q", want, sent[0].Body)
		}
	}
}

// requestSignUp emails one address at most once every two minutes, whether
// it has an account or not, so that nobody floods a mailbox through it from
// many client addresses; the answer stays the same.
func TestRequestSignUp_EmailsAnAddressOnceInTwoMinutes(t *testing.T) {
	e := graphtest.New(t, confirming)
	taken := withPassword(t, e, e.Practice(), passphrase)
	for _, address := range []string{"once@bayside.example", taken.Email} {
		for i := range 3 {
			r := e.From(fmt.Sprintf("203.0.113.%d:40000", i+1)).Do("", requestSignUpMutation,
				map[string]any{"p": "Bayside Therapy", "n": "Rae Admin", "e": address})
			r.RequireNoErrors(t)
			if string(r.Data) != `{"requestSignUp":true}` {
				t.Fatalf("%s: %s", address, r.Data)
			}
		}
		if n := len(outbox(t, e, address)); n != 1 {
			t.Errorf("%s received %d emails for three requests; want 1", address, n)
		}
	}
}
