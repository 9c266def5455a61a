package policytest

import (
	"strings"
	"testing"
	"time"

	"caseload/ent"
	"caseload/ent/member"
	"caseload/ent/schema/access"
	"caseload/graph/auth"
	"caseload/graph/graphtest"
)

// Policy §2: team members. Signing up, logging in, tokens, invitations and
// the changes an admin makes to a member.

const signUpMutation = `mutation($p: String!, $n: String!, $e: String!, $pw: String!) {
  signUp(practiceName: $p, name: $n, email: $e, password: $pw) { token expiresAt member { name email admin accountType } } }`

const loginMutation = `mutation($e: String!, $pw: String!) { login(email: $e, password: $pw) { token member { email } } }`

func signUp(e *graphtest.Env, email, password string) *graphtest.Response {
	return e.Do("", signUpMutation, map[string]any{"p": "Bayside Therapy", "n": "Rae Admin", "e": email, "pw": password})
}

func TestSignUp_CreatesPracticeWithAdminWhoIsLoggedIn(t *testing.T) {
	e := graphtest.New(t)
	r := signUp(e, "Rae@Bayside.example", "a long enough passphrase")
	r.RequireNoErrors(t)
	var out struct {
		SignUp struct {
			Token  string
			Member struct {
				Email string
				Admin bool
			}
		}
	}
	r.Decode(t, &out)
	if !out.SignUp.Member.Admin || out.SignUp.Member.Email != "rae@bayside.example" {
		t.Fatalf("want an admin with the lower-cased email, got %+v", out.SignUp.Member)
	}
	me := e.Do(out.SignUp.Token, `{ viewer { email } practice { name clientVisibility } }`, nil)
	me.RequireNoErrors(t)
	if !strings.Contains(string(me.Data), "Bayside Therapy") {
		t.Fatalf("the token does not reach the new practice: %s", me.Data)
	}
}

func TestSignUp_DuplicateEmail_Conflict(t *testing.T) {
	e := graphtest.New(t)
	signUp(e, "rae@bayside.example", "a long enough passphrase").RequireNoErrors(t)
	r := signUp(e, "RAE@bayside.example", "another long passphrase")
	requireCode(t, r, "CONFLICT")
	if n, _ := e.Client().Practice.Query().Count(e.Ctx); n != 1 {
		t.Fatalf("a refused sign-up left %d practices behind", n)
	}
}

func TestSignUp_BadInput_WritesNothing(t *testing.T) {
	for name, c := range map[string]struct{ email, password string }{
		"short password":         {"a@b.example", "short"},
		"password has the email": {"rachel@b.example", "rachel-1234567"},
		"not an email":           {"not-an-email", "a long enough passphrase"},
		"display name in email":  {"Rae <rae@b.example>", "a long enough passphrase"},
	} {
		t.Run(name, func(t *testing.T) {
			e := graphtest.New(t)
			requireCode(t, signUp(e, c.email, c.password), "BAD_USER_INPUT")
			if n, _ := e.Client().Member.Query().Count(e.Ctx); n != 0 {
				t.Fatalf("bad input left %d members behind", n)
			}
		})
	}
}

// withPassword creates a member of p who can log in with password.
func withPassword(t *testing.T, e *graphtest.Env, p *ent.Practice, password string, opts ...graphtest.MemberOpt) *ent.Member {
	t.Helper()
	hash, err := auth.NewFastHasher().Hash(password)
	if err != nil {
		t.Fatal(err)
	}
	return e.Member(p, append(opts, graphtest.WithPassword(hash))...)
}

func TestLogin_RightPassword_GivesWorkingToken(t *testing.T) {
	e := graphtest.New(t)
	m := withPassword(t, e, e.Practice(), "correct horse battery")
	r := e.Do("", loginMutation, map[string]any{"e": strings.ToUpper(m.Email), "pw": "correct horse battery"})
	r.RequireNoErrors(t)
	var out struct{ Login struct{ Token string } }
	r.Decode(t, &out)
	e.Do(out.Login.Token, `{ viewer { id } }`, nil).RequireNoErrors(t)
}

func TestLogin_WrongPasswordUnknownEmailAndDeactivated_AnswerAlike(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	m := withPassword(t, e, p, "correct horse battery")
	gone := withPassword(t, e, p, "correct horse battery", graphtest.Inactive())
	var messages []string
	for _, c := range []struct{ email, pw string }{
		{m.Email, "wrong horse battery"},
		{"nobody@test.example", "correct horse battery"},
		{gone.Email, "correct horse battery"},
	} {
		r := e.Do("", loginMutation, map[string]any{"e": c.email, "pw": c.pw})
		requireCode(t, r, "UNAUTHENTICATED")
		messages = append(messages, r.Errors[0].Message)
	}
	if messages[0] != messages[1] || messages[1] != messages[2] {
		t.Fatalf("failed logins must be indistinguishable: %q", messages)
	}
}

func TestLogin_RepeatedFailures_RateLimited(t *testing.T) {
	e := graphtest.New(t)
	m := withPassword(t, e, e.Practice(), "correct horse battery")
	var last *graphtest.Response
	for i := 0; i < 6; i++ {
		last = e.Do("", loginMutation, map[string]any{"e": m.Email, "pw": "wrong horse battery"})
	}
	requireCode(t, last, "RATE_LIMITED")
}

func TestToken_Expired_Unauthenticated(t *testing.T) {
	e := graphtest.New(t)
	m := e.Member(e.Practice())
	past := e.Tokens.WithClock(func() time.Time { return time.Now().Add(-2 * time.Hour) })
	s := e.Client().Session.Create().SetMemberID(m.ID).SetPracticeID(m.PracticeID).SaveX(e.Ctx)
	token, _, err := past.Issue(m.ID, s.ID)
	if err != nil {
		t.Fatal(err)
	}
	r := e.Do(token, `{ viewer { id } }`, nil)
	if r.Status != 401 {
		t.Fatalf("expired token: status %d", r.Status)
	}
	requireCode(t, r, "UNAUTHENTICATED")
}

func TestToken_ForgedOrMalformed_Unauthenticated(t *testing.T) {
	e := graphtest.New(t)
	m := e.Member(e.Practice())
	other, err := auth.NewTokens([]byte("another-secret-of-at-least-32-bytes"), time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	s := e.Client().Session.Create().SetMemberID(m.ID).SetPracticeID(m.PracticeID).SaveX(e.Ctx)
	forged, _, _ := other.Issue(m.ID, s.ID)
	for name, token := range map[string]string{"forged": forged, "garbage": "abc.def.ghi", "unsigned": "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0."} {
		t.Run(name, func(t *testing.T) {
			r := e.Do(token, `{ viewer { id } }`, nil)
			if r.Status != 401 {
				t.Fatalf("status %d", r.Status)
			}
			requireCode(t, r, "UNAUTHENTICATED")
		})
	}
}

func TestAnonymous_OnlyAuthFieldsAnswer(t *testing.T) {
	e := graphtest.New(t)
	requireCode(t, e.Do("", `{ clients { totalCount } }`, nil), "UNAUTHENTICATED")
	requireCode(t, e.Do("", `{ viewer { id } }`, nil), "UNAUTHENTICATED")
	// Introspection is for members unless configured otherwise
	// (server.Limits.AnonymousIntrospection).
	requireCode(t, e.Do("", `{ __schema { queryType { name } } }`, nil), "UNAUTHENTICATED")
}

const inviteMutation = `mutation($in: InviteMemberInput!) { inviteMember(input: $in) { id email token expiresAt accountType admin } }`

func TestInvitation_AcceptedInviteeCanLogIn(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	admin := e.Member(p, graphtest.Admin())
	r := e.As(admin, inviteMutation, map[string]any{"in": map[string]any{"name": "New Clinician", "email": "new@test.example", "accountType": "PRACTITIONER"}})
	r.RequireNoErrors(t)
	var inv struct{ InviteMember struct{ Token string } }
	r.Decode(t, &inv)

	accept := `mutation($t: String!, $pw: String!) { acceptInvitation(token: $t, password: $pw) { token member { email accountType admin } } }`
	a := e.Do("", accept, map[string]any{"t": inv.InviteMember.Token, "pw": "a long enough passphrase"})
	a.RequireNoErrors(t)
	e.Do("", loginMutation, map[string]any{"e": "new@test.example", "pw": "a long enough passphrase"}).RequireNoErrors(t)
	joined, err := e.Client().Member.Query().Where(member.EmailEQ("new@test.example")).Only(e.Ctx)
	if err != nil || joined.PracticeID != p.ID {
		t.Fatalf("the invitee did not join the inviting practice: %v", err)
	}
	requireCode(t, e.Do("", accept, map[string]any{"t": inv.InviteMember.Token, "pw": "a long enough passphrase"}), "BAD_USER_INPUT")
	requireCode(t, e.Do("", accept, map[string]any{"t": "not-a-token", "pw": "a long enough passphrase"}), "BAD_USER_INPUT")
}

func TestInvitation_GrantingMoreThanHeld_Forbidden(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	manager := e.Role(p, access.Administrative, access.SectionLevels{access.Profile: access.View}, []access.Capability{access.ManageTeam})
	m := e.Member(p, graphtest.Administrative(), graphtest.WithRole(manager))
	// The built-in ADMINISTRATIVE default holds SCHEDULING VIEW, which m lacks.
	r := e.As(m, inviteMutation, map[string]any{"in": map[string]any{"name": "X", "email": "x@test.example", "accountType": "ADMINISTRATIVE"}})
	requireCode(t, r, "FORBIDDEN")
}

func TestInvitation_ByPractitioner_Forbidden(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	m := e.Member(p)
	r := e.As(m, inviteMutation, map[string]any{"in": map[string]any{"name": "X", "email": "x@test.example", "accountType": "ADMINISTRATIVE"}})
	requireCode(t, r, "FORBIDDEN")
}

func TestInvitation_AdminByTeamManager_Forbidden(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	manager := e.Role(p, access.Administrative, access.SectionLevels{access.Profile: access.View, access.Scheduling: access.View}, []access.Capability{access.ManageTeam})
	m := e.Member(p, graphtest.Administrative(), graphtest.WithRole(manager))
	r := e.As(m, inviteMutation, map[string]any{"in": map[string]any{"name": "X", "email": "x@test.example", "accountType": "ADMINISTRATIVE", "admin": true}})
	requireCode(t, r, "FORBIDDEN")
	ok := e.As(m, inviteMutation, map[string]any{"in": map[string]any{"name": "X", "email": "x@test.example", "accountType": "ADMINISTRATIVE"}})
	ok.RequireNoErrors(t)
}

const updateMemberMutation = `mutation($id: ID!, $in: UpdateMemberInput!) { updateMember(id: $id, input: $in) { id active admin } }`

func TestUpdateMember_Deactivated_RefusedOnNextRequest(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	admin := e.Member(p, graphtest.Admin())
	m := e.Member(p, graphtest.Administrative())
	token := e.Token(m)
	e.Do(token, `{ viewer { id } }`, nil).RequireNoErrors(t)
	e.As(admin, updateMemberMutation, map[string]any{"id": m.ID, "in": map[string]any{"active": false}}).RequireNoErrors(t)
	r := e.Do(token, `{ viewer { id } }`, nil)
	if r.Status != 401 {
		t.Fatalf("status %d", r.Status)
	}
	requireCode(t, r, "UNAUTHENTICATED")
}

func TestUpdateMember_LastActiveAdmin_Conflict(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	admin := e.Member(p, graphtest.Admin())
	for _, in := range []map[string]any{{"active": false}, {"admin": false}} {
		requireCode(t, e.As(admin, updateMemberMutation, map[string]any{"id": admin.ID, "in": in}), "CONFLICT")
	}
	second := e.Member(p, graphtest.Admin())
	e.As(second, updateMemberMutation, map[string]any{"id": admin.ID, "in": map[string]any{"admin": false}}).RequireNoErrors(t)
}

func TestUpdateMember_OtherPracticesMember_NotFound(t *testing.T) {
	e := graphtest.New(t)
	admin := e.Member(e.Practice(), graphtest.Admin())
	foreign := e.Member(e.Practice())
	requireCode(t, e.As(admin, updateMemberMutation, map[string]any{"id": foreign.ID, "in": map[string]any{"active": false}}), "NOT_FOUND")
	if got, _ := e.Client().Member.Get(e.Ctx, foreign.ID); !got.Active {
		t.Fatal("a member of another practice was deactivated")
	}
}
