package policytest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"caseload/ent"
	"caseload/ent/assignment"
	"caseload/ent/clientrecord"
	"caseload/ent/demo"
	"caseload/ent/member"
	"caseload/ent/predicate"
	"caseload/ent/schema/access"
	"caseload/ent/schema/pulid"
	"caseload/ent/share"
	"caseload/ent/tag"
	"caseload/ent/teamaccess"
	"caseload/graph/auth"
	"caseload/graph/graphtest"
)

// These tests run every example of README.md ("Using the API" and the demo
// personas) against the demo practice that `caseload serve -demo` seeds, and
// hold the API to exactly the answer the README promises, on both sides:
// what a persona may read is readable, what they may not is null with one
// FORBIDDEN error naming its section. The "alone" and node(id:)/nodes(ids:)
// variants select a section field without the fields a list usually brings
// along: access decided from partially loaded rows broke exactly those.

// The README's queries, verbatim.
const (
	readmeCurlQuery = `{ viewer { name } clients(first: 5) { totalCount edges { node { name } } } }`

	readmePractitionerQuery = `{ clients(first: 10, search: "nguyen") { totalCount edges { node {
    name email tags { name } medicalHistory { diagnoses }
    sessionNotes(first: 3) { edges { node { date private content author { name } } } }
    viewerAccess { level rules canEdit canShare canAssign } } } } }`

	readmeSchedulingQuery = `{ clients(first: 5) { totalCount edges { node { name phone appointments { startsAt status } medicalHistory { text } } } } }`

	readmeInviteMutation = `mutation { inviteMember(input: { name: "New Clinician", email: "new@harbourside.example", accountType: PRACTITIONER }) { token expiresAt } }`
)

// TestReadme_CurlExample_LoginThenViewerAndFirstClients sends the README's
// two curl requests byte for byte: login returns a token, and the token
// reads the viewer's name and a first page of clients, by POST and by GET.
func TestReadme_CurlExample_LoginThenViewerAndFirstClients(t *testing.T) {
	e := demoPractice(t)
	login := e.Raw(http.MethodPost, "/graphql", "", "application/json",
		[]byte(`{"query":"mutation { login(email: \"bea@harbourside.example\", password: \"caseload-demo-2026\") { token } }"}`))
	login.RequireNoErrors(t)
	var out struct{ Login struct{ Token string } }
	login.Decode(t, &out)
	if out.Login.Token == "" {
		t.Fatalf("login returned no token: %s", login.Data)
	}
	bea := &persona{t: t, e: e, email: "bea@harbourside.example", token: out.Login.Token}

	post := bea.query(readmeCurlQuery, nil)
	get := bea.result(e.Raw(http.MethodGet, "/graphql?query="+url.QueryEscape(readmeCurlQuery), bea.token, "", nil), readmeCurlQuery)
	for _, r := range []*result{post, get} {
		r.requireErrorCount(0)
		if got, want := r.str("viewer.name"), memberNamed(t, e, bea.email); got != want {
			t.Errorf("viewer.name = %q, want %q", got, want)
		}
		total := r.int("clients.totalCount")
		rows := r.rows("clients")
		if want := min(5, total); len(rows) != want {
			t.Errorf("clients(first: 5) gave %d rows of %d, want %d", len(rows), total, want)
		}
		for _, n := range rows {
			if n.str("name") == "" {
				t.Errorf("%s.name is empty", n.path)
			}
		}
	}
	if string(post.Data) != string(get.Data) {
		t.Errorf("GET and POST disagree:\nPOST %s\nGET  %s", post.Data, get.Data)
	}
}

// TestReadme_PractitionerReadsEverySectionOfHerClients runs bea@'s search
// example: every section of the clients she sees is readable; a private
// note by someone else shows only its date and author.
func TestReadme_PractitionerReadsEverySectionOfHerClients(t *testing.T) {
	e := demoPractice(t)
	bea := login(t, e, "bea")
	self := memberNamed(t, e, bea.email)
	r := bea.query(readmePractitionerQuery, nil)
	rows := r.rows("clients")
	if total := r.int("clients.totalCount"); len(rows) != min(10, total) {
		t.Errorf("%d rows for totalCount %d", len(rows), total)
	}
	forbiddenNotes := 0
	for _, n := range rows {
		if !strings.Contains(strings.ToLower(n.str("name")+" "+n.str("email")), "nguyen") {
			t.Errorf("%s (%q) does not match the search nguyen", n.path, n.str("name"))
		}
		n.readable("email")
		n.readable("tags")
		n.readable("medicalHistory")
		forbiddenNotes += n.notesAsSeenBy(self)
		if lvl := n.str("viewerAccess.level"); lvl != "VIEW" && lvl != "EDIT" {
			t.Errorf("%s.viewerAccess.level = %q, want VIEW or EDIT", n.path, lvl)
		}
		n.rulesWithin("RESPONSIBLE", "CARE_TEAM", "SHARE", "WHOLE_TEAM_VISIBILITY")
	}
	r.requireErrorCount(forbiddenNotes)
	t.Logf("%d clients, %d private notes by others", len(rows), forbiddenNotes)
}

// TestReadme_PractitionerSeesPrivateNoteOfAnotherAsDateAndAuthorOnly checks
// the README's sentence on private notes over every client bea@ sees: the
// note's date and author are there, its content is null with a FORBIDDEN
// error whose section is SESSION_NOTES.
func TestReadme_PractitionerSeesPrivateNoteOfAnotherAsDateAndAuthorOnly(t *testing.T) {
	e := demoPractice(t)
	bea := login(t, e, "bea")
	self := memberNamed(t, e, bea.email)
	_, clients := bea.everyClient(`id sessionNotes(first: 10) { edges { node { date private content author { name } } } }`)
	forbidden := 0
	for _, n := range clients {
		forbidden += n.notesAsSeenBy(self)
	}
	if forbidden == 0 {
		t.Fatalf("no private note by someone else among bea@'s %d clients: the README's example has nothing to show", len(clients))
	}
	for _, r := range distinctResults(clients) {
		r.requireErrorCount(r.countErrors("FORBIDDEN", "SESSION_NOTES"))
	}
}

// TestReadme_PractitionerSeesHerCaseloadSharedAndWholeTeamClients checks
// bea@'s list against the README's sentence: the clients she is responsible
// for or on the care team of, those shared with her, and whole-team ones.
func TestReadme_PractitionerSeesHerCaseloadSharedAndWholeTeamClients(t *testing.T) {
	e := demoPractice(t)
	bea := login(t, e, "bea")
	me := memberByEmail(t, e, bea.email)
	now := time.Now()
	wholeTeam := []predicate.ClientRecord{clientrecord.VisibilityEQ(access.AllTeam)}
	if p, err := me.QueryPractice().Only(e.Ctx); err != nil {
		t.Fatal(err)
	} else if p.ClientVisibility == access.AllTeam {
		wholeTeam = append(wholeTeam, clientrecord.VisibilityEQ(access.PracticeDefault))
	}
	want := clientIDs(t, e, clientrecord.Or(
		clientrecord.ResponsibleIDEQ(me.ID),
		clientrecord.HasAssignmentsWith(assignment.MemberIDEQ(me.ID), assignment.EndedAtIsNil()),
		clientrecord.HasSharesWith(share.MemberIDEQ(me.ID), share.RevokedAtIsNil(),
			share.Or(share.ExpiresAtIsNil(), share.ExpiresAtGT(now))),
		clientrecord.And(clientrecord.Restricted(false), clientrecord.Or(wholeTeam...)),
	))
	total, clients := bea.everyClient(`id viewerAccess { rules }`)
	sameIDs(t, "bea@'s clients", idsOf(clients), want)
	if total != len(want) {
		t.Errorf("totalCount %d, want %d", total, len(want))
	}
	for _, n := range clients {
		n.rulesWithin("RESPONSIBLE", "CARE_TEAM", "SHARE", "WHOLE_TEAM_VISIBILITY")
	}
}

// TestReadme_PractitionerReadsProfileFieldAloneOnHerCareTeamClients selects
// one PROFILE field alone, in a list and through node(id:) and nodes(ids:)
// on the clients bea@ is responsible for or on the care team of.
func TestReadme_PractitionerReadsProfileFieldAloneOnHerCareTeamClients(t *testing.T) {
	e := demoPractice(t)
	bea := login(t, e, "bea")
	for _, q := range []string{
		`{ clients(first: 5) { edges { node { email } } } }`,
		`{ clients(first: 5) { edges { node { tags { name } } } } }`,
	} {
		r := bea.query(q, nil)
		r.requireErrorCount(0)
		for _, n := range r.rows("clients") {
			n.readable(firstField(q))
		}
	}
	var careTeam []string
	_, clients := bea.everyClient(`id viewerAccess { rules }`)
	for _, n := range clients {
		if rules := n.strs("viewerAccess.rules"); slices.Contains(rules, "RESPONSIBLE") || slices.Contains(rules, "CARE_TEAM") {
			careTeam = append(careTeam, n.str("id"))
		}
	}
	if len(careTeam) == 0 {
		t.Fatal("bea@ is on no care team")
	}
	careTeam = careTeam[:min(len(careTeam), 8)]
	for _, field := range []string{"email", "tags { name }"} {
		for _, n := range bea.byNode(careTeam, field) {
			n.readable(firstField(field))
		}
	}
}

// TestReadme_SupervisorSeesTeamMemberCaseloadsWithView checks alex@: the
// caseloads of the two practitioners he holds team member access to are in
// his list, with TEAM_MEMBER_ACCESS in viewerAccess.rules, and with VIEW
// where no other rule applies.
func TestReadme_SupervisorSeesTeamMemberCaseloadsWithView(t *testing.T) {
	e := demoPractice(t)
	alex := login(t, e, "alex")
	me := memberByEmail(t, e, alex.email)
	grants, err := e.Client().TeamAccess.Query().
		Where(teamaccess.MemberIDEQ(me.ID), teamaccess.RevokedAtIsNil()).All(e.Ctx)
	if err != nil {
		t.Fatal(err)
	}
	var targets []string
	for _, g := range grants {
		if g.TargetMemberID == nil || g.Level != access.View {
			t.Fatalf("alex@'s grant %+v is not VIEW on one practitioner", g)
		}
		targets = append(targets, string(*g.TargetMemberID))
	}
	if len(targets) != 2 {
		t.Fatalf("alex@ holds team member access to %d practitioners, the README says two", len(targets))
	}
	want := clientIDs(t, e, clientrecord.Restricted(false), clientrecord.Or(
		clientrecord.ResponsibleIDIn(pulidIDs(targets)...),
		clientrecord.HasAssignmentsWith(assignment.MemberIDIn(pulidIDs(targets)...), assignment.EndedAtIsNil()),
	))
	if len(want) == 0 {
		t.Fatal("the two practitioners have no unrestricted clients")
	}

	_, clients := alex.everyClient(`id viewerAccess { level rules canEdit } medicalHistory { text }`)
	var throughGrant []string
	viewOnly := 0
	for _, n := range clients {
		rules := n.strs("viewerAccess.rules")
		if !slices.Contains(rules, "TEAM_MEMBER_ACCESS") {
			continue
		}
		throughGrant = append(throughGrant, n.str("id"))
		if len(rules) == 1 {
			viewOnly++
			if lvl := n.str("viewerAccess.level"); lvl != "VIEW" {
				t.Errorf("%s: reached by TEAM_MEMBER_ACCESS alone, level %q, want VIEW", n.path, lvl)
			}
			if n.get("viewerAccess.canEdit") != false {
				t.Errorf("%s: reached by TEAM_MEMBER_ACCESS alone, canEdit %v, want false", n.path, n.get("viewerAccess.canEdit"))
			}
			n.readable("medicalHistory")
		}
	}
	sameIDs(t, "clients alex@ sees with TEAM_MEMBER_ACCESS", throughGrant, want)
	t.Logf("alex@ sees %d clients, %d through TEAM_MEMBER_ACCESS, %d through it alone", len(clients), len(throughGrant), viewOnly)
	if viewOnly == 0 {
		t.Error("no client reached by TEAM_MEMBER_ACCESS alone: the README's VIEW is not shown")
	}
	for _, r := range distinctResults(clients) {
		r.requireErrorCount(0)
	}
}

// TestReadme_SchedulingAssistantReadsProfileAndScheduling runs sam@'s
// example: every unrestricted client, phone and appointments readable,
// medicalHistory null with one FORBIDDEN/MEDICAL_HISTORY error per row.
func TestReadme_SchedulingAssistantReadsProfileAndScheduling(t *testing.T) {
	e := demoPractice(t)
	sam := login(t, e, "sam")
	r := sam.query(readmeSchedulingQuery, nil)
	got, want := r.int("clients.totalCount"), len(clientIDs(t, e, clientrecord.Restricted(false)))
	if got != want {
		t.Errorf("totalCount %d, want every unrestricted client: %d", got, want)
	}
	t.Logf("sam@ sees %d clients of %d", got, len(clientIDs(t, e)))
	r.schedulingRows(5)
}

// TestReadme_SchedulingAssistantReadsSectionFieldAlone selects sam@'s
// readable fields alone, in a list and through node(id:) and nodes(ids:).
func TestReadme_SchedulingAssistantReadsSectionFieldAlone(t *testing.T) {
	e := demoPractice(t)
	sam := login(t, e, "sam")
	sam.fieldAlone(
		[]string{`{ clients(first: 5) { edges { node { phone } } } }`, `{ clients(first:5){ edges { node { appointments { startsAt } } } } }`},
		[]string{"phone", "appointments { startsAt }"},
		map[string]string{"medicalHistory { text }": "MEDICAL_HISTORY", "invoices { number }": "BILLING"})
}

// TestReadme_NorthsideReceptionistSeesOnlyNorthsideClients checks maya@:
// only clients tagged Northside, fewer than sam@ sees, with the same fields
// readable as sam@.
func TestReadme_NorthsideReceptionistSeesOnlyNorthsideClients(t *testing.T) {
	e := demoPractice(t)
	maya := login(t, e, "maya")
	total, clients := maya.everyClient(`id tags { name }`)
	if total == 0 {
		t.Fatal("maya@ sees no client")
	}
	for _, n := range clients {
		n.readable("tags")
		if !slices.Contains(n.strs("tags.*.name"), "Northside") {
			t.Errorf("%s is not tagged Northside: %v", n.path, n.strs("tags.*.name"))
		}
	}
	sameIDs(t, "maya@'s clients", idsOf(clients),
		clientIDs(t, e, clientrecord.Restricted(false), clientrecord.HasTagsWith(tag.NameEQ("Northside"))))
	samTotal := login(t, e, "sam").query(`{ clients(first: 1) { totalCount } }`, nil).int("clients.totalCount")
	if total >= samTotal {
		t.Errorf("maya@ sees %d clients, sam@ %d: want fewer", total, samTotal)
	}
	maya.query(readmeSchedulingQuery, nil).schedulingRows(5)
	t.Logf("maya@ sees %d Northside clients, sam@ %d", total, samTotal)
}

// TestReadme_NorthsideReceptionistReadsSectionFieldAlone selects maya@'s
// readable fields alone, in a list and through node(id:) and nodes(ids:).
func TestReadme_NorthsideReceptionistReadsSectionFieldAlone(t *testing.T) {
	e := demoPractice(t)
	login(t, e, "maya").fieldAlone(
		[]string{`{ clients(first: 5) { edges { node { phone } } } }`, `{ clients(first:5){ edges { node { appointments { startsAt } } } } }`},
		[]string{"phone", "appointments { startsAt }"},
		map[string]string{"medicalHistory { text }": "MEDICAL_HISTORY"})
}

// TestReadme_BillingClerkReadsProfileAndInvoices checks lee@: profiles and
// invoices { number amountCents status } readable; scheduling and medical
// history are not.
func TestReadme_BillingClerkReadsProfileAndInvoices(t *testing.T) {
	e := demoPractice(t)
	lee := login(t, e, "lee")
	r := lee.query(`{ clients(first: 5) { totalCount edges { node { name email phone invoices { number amountCents status } appointments { startsAt } medicalHistory { text } } } } }`, nil)
	rows := r.rows("clients")
	for _, n := range rows {
		n.readable("email")
		n.readable("phone")
		n.readable("invoices")
		n.invoicesComplete()
		n.forbidden("appointments", "SCHEDULING")
		n.forbidden("medicalHistory", "MEDICAL_HISTORY")
	}
	r.requireErrorCount(2 * len(rows))
}

// TestReadme_BillingClerkReadsInvoicesAlone selects lee@'s invoices alone,
// in a list and through node(id:) and nodes(ids:).
func TestReadme_BillingClerkReadsInvoicesAlone(t *testing.T) {
	e := demoPractice(t)
	login(t, e, "lee").fieldAlone(
		[]string{`{ clients(first: 5) { edges { node { invoices { number amountCents status } } } } }`, `{ clients(first: 5) { edges { node { phone } } } }`},
		[]string{"invoices { number amountCents status }", "phone"},
		map[string]string{"appointments { startsAt }": "SCHEDULING"})
}

// TestReadme_AdminsSeeEveryClientRestrictedIncluded checks dana@ and
// priya@: every client of the practice, restricted ones included, and every
// section of sam@'s example readable.
func TestReadme_AdminsSeeEveryClientRestrictedIncluded(t *testing.T) {
	e := demoPractice(t)
	all := clientIDs(t, e)
	restricted := clientIDs(t, e, clientrecord.Restricted(true))
	if len(restricted) == 0 {
		t.Fatal("the demo practice has no restricted client")
	}
	for _, who := range []string{"dana", "priya"} {
		admin := login(t, e, who)
		total, clients := admin.everyClient(`id restricted`)
		sameIDs(t, who+"@'s clients", idsOf(clients), all)
		if total != len(all) {
			t.Errorf("%s@: totalCount %d, want %d", who, total, len(all))
		}
		var seen []string
		for _, n := range clients {
			if n.get("restricted") == true {
				seen = append(seen, n.str("id"))
			}
		}
		sameIDs(t, who+"@'s restricted clients", seen, restricted)

		r := admin.query(readmeSchedulingQuery, nil)
		r.requireErrorCount(0)
		for _, n := range r.rows("clients") {
			n.readable("phone")
			n.readable("appointments")
			n.readable("medicalHistory")
		}
	}
}

// TestReadme_AdminInvitesMemberWhoAcceptsInvitation runs dana@'s
// inviteMember example; the invitee accepts with a password, is logged in as
// the new member, and can log in again. sam@, who does not manage the team,
// cannot invite.
func TestReadme_AdminInvitesMemberWhoAcceptsInvitation(t *testing.T) {
	e := demoPractice(t)
	refused := login(t, e, "sam").query(readmeInviteMutation, nil)
	if codes := refused.Codes(); len(codes) != 1 || codes[0] != "FORBIDDEN" {
		t.Errorf("sam@'s inviteMember: codes %v, want [FORBIDDEN]", codes)
	}

	r := login(t, e, "dana").query(readmeInviteMutation, nil)
	r.requireErrorCount(0)
	token := r.str("inviteMember.token")
	if token == "" || r.str("inviteMember.expiresAt") == "" {
		t.Fatalf("inviteMember returned %s", r.Data)
	}
	const password = "correct horse battery staple 2026"
	acc := e.Do("", `mutation($token: String!, $password: String!) { acceptInvitation(token: $token, password: $password) { token } }`,
		map[string]any{"token": token, "password": password})
	acc.RequireNoErrors(t)
	var out struct{ AcceptInvitation struct{ Token string } }
	acc.Decode(t, &out)
	invitee := &persona{t: t, e: e, email: "new@harbourside.example", token: out.AcceptInvitation.Token}
	me := invitee.query(`{ viewer { name email accountType active } }`, nil)
	me.requireErrorCount(0)
	if got := fmt.Sprint(me.get("viewer.name"), " ", me.get("viewer.email"), " ", me.get("viewer.accountType"), " ", me.get("viewer.active")); got != "New Clinician new@harbourside.example PRACTITIONER true" {
		t.Errorf("the invitee is %s", got)
	}
	again := e.Do("", fmt.Sprintf(`mutation { login(email: %q, password: %q) { token } }`, invitee.email, password), nil)
	again.RequireNoErrors(t)
}

// TestReadme_AdminDeactivationLocksMemberOutOnNextRequest runs dana@'s
// updateMember(id:, input: { active: false }) on sam@: sam@'s very next
// request with the token he already holds is refused with 401
// UNAUTHENTICATED, and he cannot log in again.
func TestReadme_AdminDeactivationLocksMemberOutOnNextRequest(t *testing.T) {
	e := demoPractice(t)
	lockOut(t, e, login(t, e, "dana"), login(t, e, "sam"))
}

// TestReadme_AdminDeactivationLocksPractitionerOutOnNextRequest does the
// same to bea@, a practitioner with a caseload: policy §2 says deactivation
// is never refused because of what the member holds (her clients stay
// assigned to her), and the README promises the lock-out for any member.
func TestReadme_AdminDeactivationLocksPractitionerOutOnNextRequest(t *testing.T) {
	e := demoPractice(t)
	lockOut(t, e, login(t, e, "dana"), login(t, e, "bea"))
}

// lockOut checks that who's token works, has admin deactivate who by
// updateMember, and checks that who's next request with the same token is
// 401 UNAUTHENTICATED and that who can no longer log in.
func lockOut(t *testing.T, e *graphtest.Env, admin, who *persona) {
	t.Helper()
	who.query(readmeCurlQuery, nil).requireErrorCount(0)
	found := admin.query(`query($s: String!) { members(first: 10, search: $s) { edges { node { id email } } } }`, map[string]any{"s": who.email})
	var id string
	for _, n := range found.rows("members") {
		if n.str("email") == who.email {
			id = n.str("id")
		}
	}
	if id == "" {
		t.Fatalf("%s cannot find %s: %s", admin.email, who.email, found.Data)
	}
	upd := admin.query(`mutation($id: ID!) { updateMember(id: $id, input: { active: false }) { id active } }`, map[string]any{"id": id})
	upd.requireErrorCount(0)
	if upd.get("updateMember.active") != false {
		t.Fatalf("updateMember returned %s", upd.Data)
	}
	next := e.Do(who.token, readmeCurlQuery, nil)
	if codes := next.Codes(); next.Status != http.StatusUnauthorized || len(codes) != 1 || codes[0] != "UNAUTHENTICATED" {
		t.Errorf("%s's next request: HTTP %d, codes %v, data %s; want 401 [UNAUTHENTICATED]", who.email, next.Status, codes, next.Data)
	}
	relog := e.Do("", fmt.Sprintf(`mutation { login(email: %q, password: %q) { token } }`, who.email, demo.Password), nil)
	if codes := relog.Codes(); len(codes) != 1 || codes[0] != "UNAUTHENTICATED" {
		t.Errorf("%s's new login: codes %v, data %s; want [UNAUTHENTICATED]", who.email, codes, relog.Data)
	}
}

// ---- the demo practice and its personas ----

// demoPractice seeds the demo practice into a fresh test database exactly
// as `caseload serve -demo` does (its default size), with a fast hash.
func demoPractice(t *testing.T) *graphtest.Env {
	t.Helper()
	e := graphtest.New(t)
	if _, err := demo.Seed(e.Ctx, e.Client(), demo.Options{Hash: auth.NewFastHasher().Hash}); err != nil {
		t.Fatalf("seeding the demo practice: %v", err)
	}
	return e
}

// persona is a demo user logged in over HTTP.
type persona struct {
	t     *testing.T
	e     *graphtest.Env
	email string
	token string
}

// login logs user@harbourside.example in with the demo password through the
// login mutation, as the README's curl example does.
func login(t *testing.T, e *graphtest.Env, user string) *persona {
	t.Helper()
	email := user + "@harbourside.example"
	r := e.Do("", fmt.Sprintf(`mutation { login(email: %q, password: %q) { token } }`, email, demo.Password), nil)
	r.RequireNoErrors(t)
	var out struct{ Login struct{ Token string } }
	r.Decode(t, &out)
	if out.Login.Token == "" {
		t.Fatalf("login of %s returned no token: %s", email, r.Data)
	}
	return &persona{t: t, e: e, email: email, token: out.Login.Token}
}

// query sends q as the persona: a POST of {"query": q}, with variables if
// given. Any HTTP status but 200 fails the test.
func (p *persona) query(q string, vars map[string]any) *result {
	p.t.Helper()
	body := map[string]any{"query": q}
	if vars != nil {
		body["variables"] = vars
	}
	b, err := json.Marshal(body)
	if err != nil {
		p.t.Fatal(err)
	}
	return p.result(p.e.Raw(http.MethodPost, "/graphql", p.token, "application/json", b), q)
}

// result wraps a response to q.
func (p *persona) result(r *graphtest.Response, q string) *result {
	p.t.Helper()
	if r.Status != http.StatusOK {
		p.t.Fatalf("%s: %s\nHTTP %d: %+v", p.email, q, r.Status, r.Errors)
	}
	res := &result{Response: r, t: p.t, who: p.email, query: q}
	if err := json.Unmarshal(r.Data, &res.data); err != nil {
		p.t.Fatalf("%s: %s\ndata is not JSON: %v", p.email, q, err)
	}
	return res
}

// everyClient pages through every client the persona sees, selecting
// fields, and returns totalCount and the nodes.
func (p *persona) everyClient(fields string) (int, []node) {
	p.t.Helper()
	q := `query($after: String) { clients(first: 100, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { ` + fields + ` } } } }`
	var (
		after any
		total int
		nodes []node
	)
	for page := 0; page < 100; page++ {
		r := p.query(q, map[string]any{"after": after})
		total = r.int("clients.totalCount")
		if total == 0 {
			break
		}
		nodes = append(nodes, r.rows("clients")...)
		if r.get("clients.pageInfo.hasNextPage") != true {
			break
		}
		after = r.str("clients.pageInfo.endCursor")
	}
	if len(nodes) != total {
		p.t.Errorf("%s: paging gave %d clients, totalCount %d", p.email, len(nodes), total)
	}
	return total, nodes
}

// byNode selects fields on each client of ids through node(id:), and on all
// of them at once through nodes(ids:), with an inline fragment on Client.
func (p *persona) byNode(ids []string, fields string) []node {
	p.t.Helper()
	if len(ids) == 0 {
		p.t.Fatal("byNode: no ids")
	}
	var out []node
	for _, id := range ids {
		r := p.query(`query($id: ID!) { node(id: $id) { ... on Client { `+fields+` } } }`, map[string]any{"id": id})
		if r.get("node") == nil {
			p.t.Errorf("%s: node(id: %s) { ... on Client { %s } } is null: %+v", p.email, id, fields, r.Errors)
			continue
		}
		out = append(out, node{r: r, path: "node"})
	}
	r := p.query(`query($ids: [ID!]!) { nodes(ids: $ids) { ... on Client { `+fields+` } } }`, map[string]any{"ids": ids})
	list, _ := r.get("nodes").([]any)
	if len(list) != len(ids) {
		p.t.Fatalf("%s: nodes(ids:) gave %d of %d: %s %+v", p.email, len(list), len(ids), r.Data, r.Errors)
	}
	for i, v := range list {
		if v == nil {
			p.t.Errorf("%s: nodes(ids:)[%d] (%s) is null: %+v", p.email, i, ids[i], r.Errors)
			continue
		}
		out = append(out, node{r: r, path: "nodes." + strconv.Itoa(i)})
	}
	return out
}

// fieldAlone sends each list query (one section field alone), then selects
// each readable field alone through node(id:) and nodes(ids:), and each
// forbidden field (to its section) alone the same three ways.
func (p *persona) fieldAlone(lists, readable []string, forbidden map[string]string) {
	p.t.Helper()
	for _, q := range lists {
		r := p.query(q, nil)
		r.requireErrorCount(0)
		for _, n := range r.rows("clients") {
			n.readable(firstField(q))
		}
	}
	for field, section := range forbidden {
		r := p.query(`{ clients(first: 5) { edges { node { `+field+` } } } }`, nil)
		rows := r.rows("clients")
		for _, n := range rows {
			n.forbidden(firstField(field), section)
		}
		r.requireErrorCount(len(rows))
	}
	ids := p.query(`{ clients(first: 5) { edges { node { id } } } }`, nil)
	var list []string
	for _, n := range ids.rows("clients") {
		list = append(list, n.str("id"))
	}
	for _, field := range readable {
		for _, n := range p.byNode(list, field) {
			n.readable(firstField(field))
		}
	}
	for field, section := range forbidden {
		for _, n := range p.byNode(list, field) {
			n.forbidden(firstField(field), section)
		}
	}
}

// ---- reading results ----

// result is a decoded GraphQL response.
type result struct {
	*graphtest.Response
	t     *testing.T
	who   string
	query string
	data  any
}

func (r *result) where() string { return r.who + ": " + r.query }

// get returns the value at a dotted path ("clients.edges.0.node.phone");
// nil for null and for a path that is not there. A "*" step maps over a
// list.
func (r *result) get(path string) any { return walk(r.data, strings.Split(path, ".")) }

func walk(v any, steps []string) any {
	for i, k := range steps {
		switch x := v.(type) {
		case map[string]any:
			v = x[k]
		case []any:
			if k == "*" {
				out := make([]any, len(x))
				for j, e := range x {
					out[j] = walk(e, steps[i+1:])
				}
				return out
			}
			j, err := strconv.Atoi(k)
			if err != nil || j < 0 || j >= len(x) {
				return nil
			}
			v = x[j]
		default:
			return nil
		}
	}
	return v
}

func (r *result) str(path string) string {
	s, _ := r.get(path).(string)
	return s
}

func (r *result) int(path string) int {
	r.t.Helper()
	f, ok := r.get(path).(float64)
	if !ok {
		r.t.Fatalf("%s\n%s is not a number: %s %+v", r.where(), path, r.Data, r.Errors)
	}
	return int(f)
}

// rows returns the nodes of the connection at path, failing the test when
// there are none.
func (r *result) rows(path string) []node {
	r.t.Helper()
	edges, _ := r.get(path + ".edges").([]any)
	if len(edges) == 0 {
		r.t.Fatalf("%s\n%s has no rows: %s %+v", r.where(), path, r.Data, r.Errors)
	}
	out := make([]node, len(edges))
	for i := range edges {
		out[i] = node{r: r, path: fmt.Sprintf("%s.edges.%d.node", path, i)}
	}
	return out
}

// errorsUnder returns the errors at path or below it.
func (r *result) errorsUnder(path string) []graphtest.Error {
	var out []graphtest.Error
	for _, e := range r.Errors {
		if p := pathString(e.Path); p == path || strings.HasPrefix(p, path+".") {
			out = append(out, e)
		}
	}
	return out
}

// countErrors counts the errors with this code and section.
func (r *result) countErrors(code, section string) int {
	n := 0
	for _, e := range r.Errors {
		if e.Code() == code && e.Extensions["section"] == section {
			n++
		}
	}
	return n
}

// requireErrorCount fails the test unless the response has n errors.
func (r *result) requireErrorCount(n int) {
	r.t.Helper()
	if len(r.Errors) != n {
		r.t.Errorf("%s\nwant %d errors, got %d:\n%s", r.where(), n, len(r.Errors), describe(r.Errors))
	}
}

// schedulingRows checks the rows of the README's scheduling example: phone
// and appointments readable on every row, medicalHistory null with exactly
// one FORBIDDEN/MEDICAL_HISTORY error per row, and no other error.
func (r *result) schedulingRows(first int) {
	r.t.Helper()
	rows := r.rows("clients")
	if want := min(first, r.int("clients.totalCount")); len(rows) != want {
		r.t.Errorf("%s\n%d rows, want %d", r.where(), len(rows), want)
	}
	for _, n := range rows {
		if n.str("name") == "" {
			r.t.Errorf("%s\n%s.name is empty", r.where(), n.path)
		}
		n.readable("phone")
		n.readable("appointments")
		for i := range n.list("appointments") {
			a := n.child("appointments." + strconv.Itoa(i))
			if a.str("startsAt") == "" || a.str("status") == "" {
				r.t.Errorf("%s\n%s is incomplete: %v", r.where(), a.path, a.get(""))
			}
		}
		n.forbidden("medicalHistory", "MEDICAL_HISTORY")
	}
	r.requireErrorCount(len(rows))
}

// node is one object of a result, at path.
type node struct {
	r    *result
	path string
}

func (n node) child(field string) node { return node{r: n.r, path: n.path + "." + field} }

func (n node) get(field string) any {
	if field == "" {
		return n.r.get(n.path)
	}
	return n.r.get(n.path + "." + field)
}

func (n node) str(field string) string { s, _ := n.get(field).(string); return s }

func (n node) list(field string) []any { l, _ := n.get(field).([]any); return l }

// strs returns the strings at field, which may map over a list with "*".
func (n node) strs(field string) []string {
	var out []string
	for _, v := range n.list(field) {
		if s, ok := v.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// readable fails the test unless field is non-null with no error at or
// below it.
func (n node) readable(field string) {
	n.r.t.Helper()
	path := n.path + "." + field
	if errs := n.r.errorsUnder(path); n.get(field) == nil || len(errs) > 0 {
		n.r.t.Errorf("%s\n%s: want readable, got %s with errors:\n%s", n.r.where(), path, jsonOf(n.get(field)), describe(errs))
	}
}

// forbidden fails the test unless field is null with exactly one error, at
// its path, FORBIDDEN with extensions.section = section.
func (n node) forbidden(field, section string) {
	n.r.t.Helper()
	path := n.path + "." + field
	errs := n.r.errorsUnder(path)
	ok := n.get(field) == nil && len(errs) == 1 && pathString(errs[0].Path) == path &&
		errs[0].Code() == "FORBIDDEN" && errs[0].Extensions["section"] == section
	if !ok {
		n.r.t.Errorf("%s\n%s: want null with one FORBIDDEN/%s error, got %s with errors:\n%s", n.r.where(), path, section, jsonOf(n.get(field)), describe(errs))
	}
}

// notesAsSeenBy checks the client's sessionNotes as the member named self
// sees them: the connection readable; every note's date and author there;
// the content of a private note by someone else null with one
// FORBIDDEN/SESSION_NOTES error, any other content readable. It returns the
// number of such forbidden contents.
func (n node) notesAsSeenBy(self string) int {
	n.r.t.Helper()
	if n.get("sessionNotes") == nil {
		n.r.t.Errorf("%s\n%s.sessionNotes: want readable, got null with errors:\n%s", n.r.where(), n.path, describe(n.r.errorsUnder(n.path+".sessionNotes")))
		return 0
	}
	forbidden := 0
	for i := range n.list("sessionNotes.edges") {
		note := n.child("sessionNotes.edges." + strconv.Itoa(i) + ".node")
		if note.str("date") == "" || note.str("author.name") == "" {
			n.r.t.Errorf("%s\n%s: date and author must show: %s", n.r.where(), note.path, jsonOf(note.get("")))
		}
		if note.get("private") == true && note.str("author.name") != self {
			note.forbidden("content", "SESSION_NOTES")
			forbidden++
		} else {
			note.readable("content")
		}
	}
	if errs := n.r.errorsUnder(n.path + ".sessionNotes"); len(errs) != forbidden {
		n.r.t.Errorf("%s\n%s.sessionNotes: %d errors, want %d:\n%s", n.r.where(), n.path, len(errs), forbidden, describe(errs))
	}
	return forbidden
}

// rulesWithin fails the test unless viewerAccess.rules is non-empty and
// made of allowed rules only.
func (n node) rulesWithin(allowed ...string) {
	n.r.t.Helper()
	rules := n.strs("viewerAccess.rules")
	if len(rules) == 0 {
		n.r.t.Errorf("%s\n%s.viewerAccess.rules is empty", n.r.where(), n.path)
	}
	for _, rule := range rules {
		if !slices.Contains(allowed, rule) {
			n.r.t.Errorf("%s\n%s.viewerAccess.rules = %v: %s is not among %v", n.r.where(), n.path, rules, rule, allowed)
		}
	}
}

// invoicesComplete fails the test unless every invoice has its number,
// amount and status.
func (n node) invoicesComplete() {
	n.r.t.Helper()
	for i := range n.list("invoices") {
		inv := n.child("invoices." + strconv.Itoa(i))
		if _, ok := inv.get("amountCents").(float64); !ok || inv.str("number") == "" || inv.str("status") == "" {
			n.r.t.Errorf("%s\n%s is incomplete: %s", n.r.where(), inv.path, jsonOf(inv.get("")))
		}
	}
}

// ---- small helpers ----

// firstField returns the first field a selection names below its
// innermost "node {" ("phone" for "{ clients { edges { node { phone } } } }",
// "tags" for "tags { name }").
func firstField(selection string) string {
	if i := strings.LastIndex(selection, "node {"); i >= 0 {
		selection = selection[i+len("node {"):]
	}
	f := strings.Fields(strings.NewReplacer("{", " ", "}", " ").Replace(selection))
	if len(f) == 0 {
		return ""
	}
	return f[0]
}

func pathString(p []any) string {
	parts := make([]string, len(p))
	for i, x := range p {
		parts[i] = fmt.Sprint(x)
	}
	return strings.Join(parts, ".")
}

func describe(errs []graphtest.Error) string {
	if len(errs) == 0 {
		return "  (none)"
	}
	var b strings.Builder
	for i, e := range errs {
		if i == 10 {
			fmt.Fprintf(&b, "  … and %d more\n", len(errs)-10)
			break
		}
		fmt.Fprintf(&b, "  %s: %s %v\n", pathString(e.Path), e.Message, e.Extensions)
	}
	return b.String()
}

func jsonOf(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// distinctResults returns the responses the nodes come from, once each.
func distinctResults(ns []node) []*result {
	var out []*result
	for _, n := range ns {
		if !slices.Contains(out, n.r) {
			out = append(out, n.r)
		}
	}
	return out
}

func idsOf(ns []node) []string {
	out := make([]string, len(ns))
	for i, n := range ns {
		out[i] = n.str("id")
	}
	return out
}

// sameIDs fails the test unless got and want hold the same IDs, and want
// holds some.
func sameIDs(t *testing.T, what string, got, want []string) {
	t.Helper()
	if len(want) == 0 {
		t.Errorf("%s: the expectation is empty, the test would prove nothing", what)
	}
	g, w := slices.Clone(got), slices.Clone(want)
	sort.Strings(g)
	sort.Strings(w)
	if slices.Equal(g, w) {
		return
	}
	var missing, extra []string
	for _, id := range w {
		if !slices.Contains(g, id) {
			missing = append(missing, id)
		}
	}
	for _, id := range g {
		if !slices.Contains(w, id) {
			extra = append(extra, id)
		}
	}
	t.Errorf("%s: %d, want %d; missing %v, unexpected %v", what, len(g), len(w), missing, extra)
}

// clientIDs reads, past privacy, the IDs of the clients matching ps: the
// demo data as seeded, to compare the API with.
func clientIDs(t *testing.T, e *graphtest.Env, ps ...predicate.ClientRecord) []string {
	t.Helper()
	ids, err := e.Client().ClientRecord.Query().Where(ps...).IDs(e.Ctx)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = string(id)
	}
	return out
}

// memberByEmail reads, past privacy, the demo member with this email.
func memberByEmail(t *testing.T, e *graphtest.Env, email string) *ent.Member {
	t.Helper()
	m, err := e.Client().Member.Query().Where(member.EmailEQ(email)).Only(e.Ctx)
	if err != nil {
		t.Fatalf("member %s: %v", email, err)
	}
	return m
}

// memberNamed returns the name of the demo member with this email.
func memberNamed(t *testing.T, e *graphtest.Env, email string) string {
	t.Helper()
	return memberByEmail(t, e, email).Name
}

func pulidIDs(ids []string) []pulid.ID {
	out := make([]pulid.ID, len(ids))
	for i, id := range ids {
		out[i] = pulid.ID(id)
	}
	return out
}

// The README's intake and booking examples: the demo's public pages and
// their API twins, with the answers the README promises.
const (
	readmeBookingPageQuery = `{ publicBookingPage(slug: "harbourside") { practiceName practitioners { name } appointmentTypes { name minutes } } }`
	readmeTriageQuery      = `{ unassignedClients(first: 10) { totalCount edges { node { name source } } } }`
)

func TestReadme_BookingPageExample_WithoutAToken(t *testing.T) {
	e := demoPractice(t)
	r := e.Do("", readmeBookingPageQuery, nil)
	r.RequireNoErrors(t)
	want := `{"publicBookingPage":{"practiceName":"Harbourside Psychology","practitioners":[{"name":"Alex Moreno"},{"name":"Bea Lindqvist"},{"name":"Ellie Tran"}],` +
		`"appointmentTypes":[{"name":"Initial consultation","minutes":50},{"name":"Telehealth check-in","minutes":25}]}}`
	if string(r.Data) != want {
		t.Fatalf("got %s\nwant %s", r.Data, want)
	}
}

func TestReadme_TriageExample_AdminsFindTheTwoDemoIntakes(t *testing.T) {
	e := demoPractice(t)
	r := login(t, e, "dana").query(readmeTriageQuery, nil)
	r.requireErrorCount(0)
	want := `{"unassignedClients":{"totalCount":2,"edges":[{"node":{"name":"Noor Haddad","source":"INTAKE_FORM"}},{"node":{"name":"Tom Beckett","source":"INTAKE_FORM"}}]}}`
	if string(r.Data) != want {
		t.Fatalf("got %s\nwant %s", r.Data, want)
	}
	// A practitioner is not shown the triage list.
	bea := login(t, e, "bea").query(readmeTriageQuery, nil)
	bea.requireErrorCount(1)
}

// The README's three page addresses answer with the practice's pages, and
// the intake link routes as the README says.
func TestReadme_PublicPages_ServeTheDemoFormAndBookingPage(t *testing.T) {
	e := demoPractice(t)
	for _, path := range []string{"/intake/harbourside-new-client-intake", "/intake/harbourside-intake-alex-moreno", "/book/harbourside"} {
		rec := httptest.NewRecorder()
		e.Handler.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "Harbourside Psychology") {
			t.Fatalf("%s: status %d, body %.200s", path, rec.Code, rec.Body)
		}
	}
	submit := func(name, service, reason string) {
		answers := []any{
			map[string]any{"questionKey": "name", "value": name},
			map[string]any{"questionKey": "email", "value": "readme@mail.example"},
			map[string]any{"questionKey": "service", "value": service},
			map[string]any{"questionKey": "reason", "value": reason},
			map[string]any{"questionKey": "consent", "value": "true"},
		}
		e.Do("", submitMutation, map[string]any{"token": demo.IntakeToken, "answers": answers, "key": newKey()}).RequireNoErrors(t)
	}
	submit("Readme Couple", "Couples therapy", "")
	submit("Readme Child", "Child and adolescent", "")
	submit("Readme Trauma", "Individual therapy", "An old trauma.")
	submit("Readme Unsure", "Not sure yet", "")
	for name, want := range map[string]string{"Readme Couple": "Bea Lindqvist", "Readme Child": "Chidi Eze", "Readme Trauma": "Dev Sharma", "Readme Unsure": ""} {
		c := arrived(t, e, name)
		got := ""
		if c.ResponsibleID != nil {
			m, err := e.Client().Member.Get(e.Ctx, *c.ResponsibleID)
			if err != nil {
				t.Fatal(err)
			}
			got = m.Name
		}
		if got != want {
			t.Fatalf("%s went to %q, the README says %q", name, got, want)
		}
	}
}

// The README's audit export: an admin's token in the header downloads a
// client's access history as CSV, the README's own read among its rows.
func TestReadme_AuditExportExample_CSVWithTheTokenInTheHeader(t *testing.T) {
	e := demoPractice(t)
	dana := login(t, e, "dana")
	r := dana.query(`{ clients(first: 1) { edges { node { id medicalHistory { text } } } } }`, nil)
	r.requireErrorCount(0)
	var out struct {
		Clients struct {
			Edges []struct{ Node struct{ ID string } }
		}
	}
	r.Decode(t, &out)
	id := out.Clients.Edges[0].Node.ID
	req := httptest.NewRequest(http.MethodGet, "/audit/clients/"+id+"/access.csv", nil)
	req.Header.Set("Authorization", "Bearer "+dana.token)
	rec := httptest.NewRecorder()
	e.Handler.ServeHTTP(rec, req)
	body := rec.Body.String()
	if rec.Code != http.StatusOK || !strings.HasPrefix(body, "at,seq,member_id,member,client_id,client,action") ||
		!strings.Contains(body, ",read,MEDICAL_HISTORY medicalHistory,ALLOWED,") {
		t.Fatalf("status %d, body %.400s", rec.Code, body)
	}
}
