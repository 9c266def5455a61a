package policytest

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"caseload/ent"
	"caseload/ent/clientrecord"
	"caseload/ent/schema/access"
	"caseload/ent/schema/pulid"
	"caseload/ent/session"
	"caseload/graph/graphtest"
)

// Policy §2, sessions: "Logging out ends the session used; changing a
// password ends every other session; an admin can end all of a member's
// sessions", and a deactivated member's sessions stop at once and stay
// ended if the member is reactivated. Every token names its session.

const passphrase = "correct horse battery"

// logIn logs m in through the API and returns the token of the new session.
func logIn(t *testing.T, e *graphtest.Env, email, password string) string {
	t.Helper()
	r := e.Do("", loginMutation, map[string]any{"e": email, "pw": password})
	r.RequireNoErrors(t)
	var out struct{ Login struct{ Token string } }
	r.Decode(t, &out)
	return out.Login.Token
}

// requireWorks fails unless the token authenticates.
func requireWorks(t *testing.T, e *graphtest.Env, token string) {
	t.Helper()
	e.Do(token, `{ viewer { id } }`, nil).RequireNoErrors(t)
}

// requireRefused fails unless the token is refused with 401 UNAUTHENTICATED.
func requireRefused(t *testing.T, e *graphtest.Env, token string) {
	t.Helper()
	r := e.Do(token, `{ viewer { id } }`, nil)
	if r.Status != 401 {
		t.Fatalf("want HTTP 401, got %d", r.Status)
	}
	requireCode(t, r, "UNAUTHENTICATED")
}

func TestLogout_EndsTheSessionUsed_AndNoOther(t *testing.T) {
	e := graphtest.New(t)
	m := withPassword(t, e, e.Practice(), passphrase)
	phone, laptop := logIn(t, e, m.Email, passphrase), logIn(t, e, m.Email, passphrase)
	r := e.Do(phone, `mutation { logout }`, nil)
	r.RequireNoErrors(t)
	if !strings.Contains(string(r.Data), `"logout":true`) {
		t.Fatalf("logout answered %s", r.Data)
	}
	requireRefused(t, e, phone)
	requireWorks(t, e, laptop)
	s := e.Client().Session.Query().Where(session.EndReasonEQ(session.EndReasonLOGOUT)).OnlyX(e.Ctx)
	if s.MemberID != m.ID || s.EndedAt == nil {
		t.Fatalf("the ended session is not recorded: %+v", s)
	}
}

func TestLogout_Anonymous_Unauthenticated(t *testing.T) {
	e := graphtest.New(t)
	requireCode(t, e.Do("", `mutation { logout }`, nil), "UNAUTHENTICATED")
}

func TestToken_WithoutSession_Unauthenticated(t *testing.T) {
	e := graphtest.New(t)
	m := e.Member(e.Practice())
	now := time.Now()
	// A token as they were issued before sessions: signed, unexpired, no sid.
	legacy, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.RegisteredClaims{
		Issuer: "caseload", Subject: string(m.ID),
		IssuedAt: jwt.NewNumericDate(now), ExpiresAt: jwt.NewNumericDate(now.Add(time.Hour)),
	}).SignedString(graphtest.Secret)
	if err != nil {
		t.Fatal(err)
	}
	requireRefused(t, e, legacy)
	// A session never recorded, and another member's session, are refused
	// alike.
	unknown, _, _ := e.Tokens.Issue(m.ID, pulid.MustNew("SE"))
	requireRefused(t, e, unknown)
	other := e.Member(e.Practice())
	theirs := e.Client().Session.Create().SetMemberID(other.ID).SetPracticeID(other.PracticeID).SaveX(e.Ctx)
	borrowed, _, _ := e.Tokens.Issue(m.ID, theirs.ID)
	requireRefused(t, e, borrowed)
	requireWorks(t, e, e.Token(m))
}

const changePasswordMutation = `mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) { token member { id } } }`

func TestChangePassword_EndsEveryOtherSession_AndGivesTheCallerANewOne(t *testing.T) {
	e := graphtest.New(t)
	m := withPassword(t, e, e.Practice(), passphrase)
	used, other := logIn(t, e, m.Email, passphrase), logIn(t, e, m.Email, passphrase)
	r := e.Do(used, changePasswordMutation, map[string]any{"c": passphrase, "n": "a brand new passphrase"})
	r.RequireNoErrors(t)
	var out struct{ ChangePassword struct{ Token string } }
	r.Decode(t, &out)
	requireRefused(t, e, other)
	// The token used ends too, so that a thief holding a copy of it is out;
	// the caller goes on with the new one.
	requireRefused(t, e, used)
	requireWorks(t, e, out.ChangePassword.Token)
	requireCode(t, e.Do("", loginMutation, map[string]any{"e": m.Email, "pw": passphrase}), "UNAUTHENTICATED")
	logIn(t, e, m.Email, "a brand new passphrase")
	if n := e.Client().Session.Query().Where(session.EndReasonEQ(session.EndReasonPASSWORD_CHANGED)).CountX(e.Ctx); n != 2 {
		t.Fatalf("want both old sessions ended by the change, got %d", n)
	}
}

func TestChangePassword_WrongCurrentOrWeakNew_ChangesNothing(t *testing.T) {
	e := graphtest.New(t)
	m := withPassword(t, e, e.Practice(), passphrase)
	token := logIn(t, e, m.Email, passphrase)
	requireCode(t, e.Do(token, changePasswordMutation, map[string]any{"c": "not the password", "n": "a brand new passphrase"}), "BAD_USER_INPUT")
	requireCode(t, e.Do(token, changePasswordMutation, map[string]any{"c": passphrase, "n": "short"}), "BAD_USER_INPUT")
	requireWorks(t, e, token)
	logIn(t, e, m.Email, passphrase)
}

const endSessionsMutation = `mutation($m: ID!) { endSessions(memberId: $m) }`

func endSessions(t *testing.T, e *graphtest.Env, token string, m *ent.Member) int {
	t.Helper()
	r := e.Do(token, endSessionsMutation, map[string]any{"m": m.ID})
	r.RequireNoErrors(t)
	var out struct{ EndSessions int }
	r.Decode(t, &out)
	return out.EndSessions
}

func TestEndSessions_ByAdmin_EndsEveryTokenOfTheMember(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	admin := e.Token(e.Member(p, graphtest.Admin()))
	m := e.Member(p)
	a, b := e.Token(m), e.Token(m)
	if n := endSessions(t, e, admin, m); n != 2 {
		t.Fatalf("want 2 sessions ended, got %d", n)
	}
	requireRefused(t, e, a)
	requireRefused(t, e, b)
	requireWorks(t, e, admin)
	if n := endSessions(t, e, admin, m); n != 0 {
		t.Fatalf("ended sessions end once: got %d", n)
	}
	requireWorks(t, e, e.Token(m))
}

func TestEndSessions_OfAnotherMember_ForbiddenToNonAdmins(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	m := e.Member(p)
	token := e.Token(m)
	// MANAGE_TEAM deactivates members, but ending sessions is the admins'.
	manager := e.Role(p, access.Administrative, access.SectionLevels{access.Profile: access.View, access.Scheduling: access.View}, []access.Capability{access.ManageTeam})
	for _, who := range []*ent.Member{e.Member(p), e.Member(p, graphtest.Administrative(), graphtest.WithRole(manager))} {
		requireCode(t, e.As(who, endSessionsMutation, map[string]any{"m": m.ID}), "FORBIDDEN")
	}
	requireWorks(t, e, token)
}

func TestEndSessions_OnOneself_LogsOutEverywhere(t *testing.T) {
	e := graphtest.New(t)
	m := e.Member(e.Practice())
	used, other := e.Token(m), e.Token(m)
	if n := endSessions(t, e, used, m); n != 2 {
		t.Fatalf("want both sessions ended, got %d", n)
	}
	requireRefused(t, e, used)
	requireRefused(t, e, other)
}

func TestEndSessions_OtherPracticesMember_NotFound(t *testing.T) {
	e := graphtest.New(t)
	admin := e.Member(e.Practice(), graphtest.Admin())
	foreign := e.Member(e.Practice())
	token := e.Token(foreign)
	requireCode(t, e.As(admin, endSessionsMutation, map[string]any{"m": foreign.ID}), "NOT_FOUND")
	requireWorks(t, e, token)
}

func TestDeactivation_EndsSessions_AndReactivationDoesNotReviveThem(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	admin := e.Member(p, graphtest.Admin())
	m := withPassword(t, e, p, passphrase)
	old := logIn(t, e, m.Email, passphrase)
	e.As(admin, updateMemberMutation, map[string]any{"id": m.ID, "in": map[string]any{"active": false}}).RequireNoErrors(t)
	requireRefused(t, e, old)
	e.As(admin, updateMemberMutation, map[string]any{"id": m.ID, "in": map[string]any{"active": true}}).RequireNoErrors(t)
	requireRefused(t, e, old)
	if s := e.Client().Session.Query().Where(session.MemberIDEQ(m.ID)).OnlyX(e.Ctx); s.EndReason == nil || *s.EndReason != session.EndReasonDEACTIVATED || s.EndedByID == nil || *s.EndedByID != admin.ID {
		t.Fatalf("the session must record its end by deactivation, by whom: %+v", s)
	}
	requireWorks(t, e, logIn(t, e, m.Email, passphrase))
}

const handOverQuery = `{ caseloadsToHandOver { id } }`

// handOver lists the ids caseloadsToHandOver gives m.
func handOver(t *testing.T, e *graphtest.Env, m *ent.Member) []pulid.ID {
	t.Helper()
	r := e.As(m, handOverQuery, nil)
	r.RequireNoErrors(t)
	var out struct{ CaseloadsToHandOver []struct{ ID pulid.ID } }
	r.Decode(t, &out)
	ids := []pulid.ID{}
	for _, h := range out.CaseloadsToHandOver {
		ids = append(ids, h.ID)
	}
	return ids
}

func TestDeactivation_OfPractitionerWithClients_WorksAtOnce_AndListsTheCaseload(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	admin := e.Member(p, graphtest.Admin())
	holder, carer, successor := e.Member(p), e.Member(p), e.Member(p)
	owned := e.NewClient(p, graphtest.ResponsibleIs(holder))
	e.Assign(e.NewClient(p, graphtest.ResponsibleIs(successor)), carer)
	// Not listed: inactive with no active client left.
	e.Member(p, graphtest.Inactive())
	archived := e.Member(p)
	e.Client().ClientRecord.UpdateOne(e.NewClient(p, graphtest.ResponsibleIs(archived))).SetStatus(clientrecord.StatusARCHIVED).ExecX(e.Ctx)
	for _, m := range []*ent.Member{holder, carer, archived} {
		e.As(admin, updateMemberMutation, map[string]any{"id": m.ID, "in": map[string]any{"active": false}}).RequireNoErrors(t)
	}
	if got := reload(t, e, owned); got.ResponsibleID == nil || *got.ResponsibleID != holder.ID {
		t.Fatal("a deactivated practitioner's clients stay theirs until handed over")
	}
	want := []pulid.ID{holder.ID, carer.ID}
	if holder.Name > carer.Name {
		want = []pulid.ID{carer.ID, holder.ID}
	}
	if got := handOver(t, e, admin); !slices.Equal(got, want) {
		t.Fatalf("caseloadsToHandOver: got %v, want %v", got, want)
	}
	r := e.As(admin, `mutation($f: ID!, $t: ID!) { reassignCaseload(fromPractitionerId: $f, toPractitionerId: $t, reason: "left the practice") { responsibleCount } }`,
		map[string]any{"f": holder.ID, "t": successor.ID})
	r.RequireNoErrors(t)
	if got := handOver(t, e, admin); !slices.Equal(got, []pulid.ID{carer.ID}) {
		t.Fatalf("a handed-over caseload leaves the list: got %v", got)
	}
}

func TestCaseloadsToHandOver_ForAdminsAndAssigners_ForbiddenToOthers(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	gone := e.Member(p, graphtest.Inactive())
	e.NewClient(p, graphtest.ResponsibleIs(gone))
	assigner := e.Member(p, graphtest.WithRole(practitionerRole(e, p, access.Edit, []access.Capability{access.AssignPractitioners})))
	for _, m := range []*ent.Member{e.Member(p, graphtest.Admin()), assigner} {
		if got := handOver(t, e, m); !slices.Equal(got, []pulid.ID{gone.ID}) {
			t.Fatalf("got %v", got)
		}
	}
	viewTeam := e.Member(p, graphtest.WithRole(practitionerRole(e, p, access.Edit, []access.Capability{access.ViewTeam, access.ManageTeam})))
	for _, m := range []*ent.Member{e.Member(p), viewTeam} {
		r := e.As(m, handOverQuery, nil)
		requireCode(t, r, "FORBIDDEN")
		if !strings.Contains(string(r.Data), "null") {
			t.Fatalf("a refused list must not be served: %s", r.Data)
		}
	}
}
