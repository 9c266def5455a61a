package policytest

import (
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"caseload/ent"
	"caseload/ent/assignment"
	"caseload/ent/clientrecord"
	"caseload/ent/formresponse"
	"caseload/ent/schema/access"
	"caseload/ent/schema/pulid"
	"caseload/graph/auth"
	"caseload/graph/graphtest"
	"caseload/graph/server"

	"github.com/ulule/limiter/v3"
)

// Policy §6, new clients, and §11: clients that arrive by themselves
// through intake forms.

const createFormMutation = `mutation($in: IntakeFormInput!) { createIntakeForm(input: $in) { id version questions { key kind required options } } }`
const updateFormMutation = `mutation($id: ID!, $in: IntakeFormInput!) { updateIntakeForm(id: $id, input: $in) { id version questions { key label } } }`
const setRulesMutation = `mutation($id: ID!, $rules: [IntakeRuleInput!]!) { setIntakeFormRules(formId: $id, rules: $rules) { id rules { questionKey operator values practitioner { id } tags { name } } } }`
const linkMutation = `mutation($id: ID!, $p: ID) { intakeLink(formId: $id, practitionerId: $p) { id token url enabled practitioner { id } } }`
const submitMutation = `mutation($token: String!, $answers: [IntakeAnswerInput!]!, $key: String!) { submitIntakeForm(token: $token, answers: $answers, idempotencyKey: $key) { receivedAt } }`

// intakeQuestions is a form asking every kind of question.
func intakeQuestions() []any {
	return []any{
		map[string]any{"key": "name", "label": "Your full name", "kind": "TEXT", "required": true},
		map[string]any{"key": "email", "label": "Email", "kind": "EMAIL", "required": true},
		map[string]any{"key": "phone", "label": "Phone", "kind": "PHONE"},
		map[string]any{"key": "date_of_birth", "label": "Date of birth", "kind": "DATE"},
		map[string]any{"key": "service", "label": "What would you like help with?", "kind": "SINGLE_CHOICE", "required": true, "options": []string{"Individual", "Couples", "Child and family"}},
		map[string]any{"key": "days", "label": "Which days suit you?", "kind": "MULTIPLE_CHOICE", "options": []string{"Monday", "Wednesday", "Friday"}},
		map[string]any{"key": "story", "label": "Tell us a little about why you are reaching out", "kind": "LONG_TEXT"},
		map[string]any{"key": "consent", "label": "I agree to the practice's privacy policy, version 3.", "kind": "CONSENT", "required": true},
	}
}

type intakeFixture struct {
	e      *graphtest.Env
	p      *ent.Practice
	admin  *ent.Member
	formID pulid.ID
}

// newIntakeForm makes a practice with an admin and a form asking every kind
// of question, with default as the form's default practitioner if not nil.
func newIntakeForm(t *testing.T, e *graphtest.Env, p *ent.Practice, defaultPractitioner *ent.Member) *intakeFixture {
	t.Helper()
	admin := e.Member(p, graphtest.Admin())
	in := map[string]any{"name": "New client intake", "questions": intakeQuestions()}
	if defaultPractitioner != nil {
		in["defaultPractitionerId"] = defaultPractitioner.ID
	}
	r := e.As(admin, createFormMutation, map[string]any{"in": in})
	r.RequireNoErrors(t)
	var out struct{ CreateIntakeForm struct{ ID pulid.ID } }
	r.Decode(t, &out)
	return &intakeFixture{e: e, p: p, admin: admin, formID: out.CreateIntakeForm.ID}
}

// link returns the token of the form's link for practitioner (the general
// link if nil).
func (f *intakeFixture) link(t *testing.T, practitioner *ent.Member) string {
	t.Helper()
	vars := map[string]any{"id": f.formID}
	if practitioner != nil {
		vars["p"] = practitioner.ID
	}
	r := f.e.As(f.admin, linkMutation, vars)
	r.RequireNoErrors(t)
	var out struct{ IntakeLink struct{ Token, URL string } }
	r.Decode(t, &out)
	if out.IntakeLink.URL != "/intake/"+out.IntakeLink.Token {
		t.Fatalf("the link's url is its page: %+v", out.IntakeLink)
	}
	return out.IntakeLink.Token
}

func (f *intakeFixture) rules(t *testing.T, rules ...map[string]any) {
	t.Helper()
	f.e.As(f.admin, setRulesMutation, map[string]any{"id": f.formID, "rules": rules}).RequireNoErrors(t)
}

var keySeq sync.Mutex
var keyN int

// newKey is a fresh idempotency key.
func newKey() string {
	keySeq.Lock()
	defer keySeq.Unlock()
	keyN++
	return fmt.Sprintf("test-key-%08d", keyN)
}

// answers are valid answers to intakeQuestions for a person called name,
// with the changes given.
func answers(name string, change map[string]any) []any {
	base := map[string]any{
		"name":    map[string]any{"questionKey": "name", "value": name},
		"email":   map[string]any{"questionKey": "email", "value": strings.ToLower(strings.ReplaceAll(name, " ", ".")) + "@mail.example"},
		"service": map[string]any{"questionKey": "service", "value": "Individual"},
		"days":    map[string]any{"questionKey": "days", "values": []string{"Monday", "Friday"}},
		"story":   map[string]any{"questionKey": "story", "value": "Trouble sleeping."},
		"consent": map[string]any{"questionKey": "consent", "value": "true"},
	}
	for k, v := range change {
		if v == nil {
			delete(base, k)
			continue
		}
		base[k] = v
	}
	out := []any{}
	for _, k := range []string{"name", "email", "phone", "date_of_birth", "service", "days", "story", "consent", "extra"} {
		if v, ok := base[k]; ok {
			out = append(out, v)
		}
	}
	return out
}

// submit sends the form anonymously, as its public page's visitors do.
func submit(e *graphtest.Env, token string, answers []any, key string) *graphtest.Response {
	return e.Do("", submitMutation, map[string]any{"token": token, "answers": answers, "key": key})
}

// arrived returns the one client called name, read past the API.
func arrived(t *testing.T, e *graphtest.Env, name string) *ent.ClientRecord {
	t.Helper()
	cs, err := e.Client().ClientRecord.Query().Where(clientrecord.NameEQ(name)).All(e.Ctx)
	if err != nil || len(cs) != 1 {
		t.Fatalf("want one client called %q, got %d (%v)", name, len(cs), err)
	}
	return cs[0]
}

func TestIntakeLink_PerPractitionerLink_RoutesToThatPractitioner_AndHidesFromOthers(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	a, b := e.Member(p), e.Member(p)
	f := newIntakeForm(t, e, p, nil)
	submit(e, f.link(t, a), answers("Ada Lovelace", nil), newKey()).RequireNoErrors(t)
	c := arrived(t, e, "Ada Lovelace")
	if c.ResponsibleID == nil || *c.ResponsibleID != a.ID || c.Source != clientrecord.SourceINTAKE_FORM {
		t.Fatalf("the client goes to the link's practitioner, from an intake form: %+v", c)
	}
	requireSees(t, e, a, []*ent.ClientRecord{c}, c)
	requireSees(t, e, b, []*ent.ClientRecord{c})
	// Staff see where the client came from, and the answers as data.
	r := e.As(a, `query($id: ID!) { client(id: $id) { source assignmentHistory { kind source intakeForm { name } intakeRulePosition member { id } }
		formResponses { formName formVersion form { name } data { questionKey label kind value values consentedAt } } } }`, map[string]any{"id": c.ID})
	r.RequireNoErrors(t)
	for _, want := range []string{`"source":"INTAKE_FORM"`, `"source":"INTAKE_LINK"`, `"intakeForm":{"name":"New client intake"}`,
		`"formVersion":1`, `"questionKey":"days","label":"Which days suit you?","kind":"MULTIPLE_CHOICE","value":null,"values":["Monday","Friday"]`,
		`"label":"I agree to the practice's privacy policy, version 3.","kind":"CONSENT","value":"true"`} {
		if !strings.Contains(string(r.Data), want) {
			t.Fatalf("want %s in %s", want, r.Data)
		}
	}
	if strings.Contains(string(r.Data), `"consentedAt":null,"questionKey":"consent"`) || !strings.Contains(string(r.Data), `"consentedAt":"20`) {
		t.Fatalf("a consent keeps when it was given: %s", r.Data)
	}
}

func TestIntakeRule_EachOperator_RoutesToItsPractitioner(t *testing.T) {
	for _, tc := range []struct {
		name   string
		rule   map[string]any
		answer map[string]any
		match  bool
	}{
		{"equals matches the whole answer", map[string]any{"questionKey": "service", "operator": "EQUALS", "values": []string{"Couples"}},
			map[string]any{"service": map[string]any{"questionKey": "service", "value": "Couples"}}, true},
		{"equals does not match another", map[string]any{"questionKey": "service", "operator": "EQUALS", "values": []string{"Couples"}},
			nil, false},
		{"one of matches any value", map[string]any{"questionKey": "service", "operator": "ONE_OF", "values": []string{"Couples", "Child and family"}},
			map[string]any{"service": map[string]any{"questionKey": "service", "value": "Child and family"}}, true},
		{"contains finds text, whatever its case", map[string]any{"questionKey": "story", "operator": "CONTAINS", "values": []string{"anxiety"}},
			map[string]any{"story": map[string]any{"questionKey": "story", "value": "Mostly ANXIETY at work."}}, true},
		{"contains finds a chosen option", map[string]any{"questionKey": "days", "operator": "CONTAINS", "values": []string{"Wednesday"}},
			map[string]any{"days": map[string]any{"questionKey": "days", "values": []string{"Wednesday"}}}, true},
		{"contains does not match an unchosen option", map[string]any{"questionKey": "days", "operator": "CONTAINS", "values": []string{"Wednesday"}},
			nil, false},
		{"a rule on an unanswered question does not match", map[string]any{"questionKey": "phone", "operator": "CONTAINS", "values": []string{"04"}},
			nil, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := graphtest.New(t)
			p := e.Practice()
			linked, chosen := e.Member(p), e.Member(p)
			f := newIntakeForm(t, e, p, nil)
			tc.rule["practitionerId"] = chosen.ID
			f.rules(t, tc.rule)
			submit(e, f.link(t, linked), answers("Grace Hopper", tc.answer), newKey()).RequireNoErrors(t)
			c := arrived(t, e, "Grace Hopper")
			want := linked.ID
			if tc.match {
				want = chosen.ID
			}
			if c.ResponsibleID == nil || *c.ResponsibleID != want {
				t.Fatalf("responsible: got %v, want %s (match=%v)", c.ResponsibleID, want, tc.match)
			}
			requireSees(t, e, chosen, []*ent.ClientRecord{c}, map[bool][]*ent.ClientRecord{true: {c}, false: nil}[tc.match]...)
		})
	}
}

// The first matching rule wins, then the link's practitioner, then the
// form's default; otherwise the client waits, unassigned, for triage.
func TestIntakeRouting_FirstRuleWins_ThenLink_ThenDefault_ThenUnassigned(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	first, second, linked, fallback := e.Member(p), e.Member(p), e.Member(p), e.Member(p)
	f := newIntakeForm(t, e, p, fallback)
	tg := e.Tag(p, "couples")
	f.rules(t,
		map[string]any{"questionKey": "service", "operator": "EQUALS", "values": []string{"Couples"}, "practitionerId": first.ID, "tagIds": []pulid.ID{tg.ID}},
		map[string]any{"questionKey": "service", "operator": "ONE_OF", "values": []string{"Couples", "Child and family"}, "practitionerId": second.ID},
	)
	general, own := f.link(t, nil), f.link(t, linked)
	couples := map[string]any{"service": map[string]any{"questionKey": "service", "value": "Couples"}}
	family := map[string]any{"service": map[string]any{"questionKey": "service", "value": "Child and family"}}
	submit(e, own, answers("Rule One", couples), newKey()).RequireNoErrors(t)
	submit(e, own, answers("Rule Two", family), newKey()).RequireNoErrors(t)
	submit(e, own, answers("By Link", nil), newKey()).RequireNoErrors(t)
	submit(e, general, answers("By Default", nil), newKey()).RequireNoErrors(t)
	for name, want := range map[string]struct {
		m        *ent.Member
		source   assignment.Source
		position int
	}{
		"Rule One":   {first, assignment.SourceINTAKE_RULE, 1},
		"Rule Two":   {second, assignment.SourceINTAKE_RULE, 2},
		"By Link":    {linked, assignment.SourceINTAKE_LINK, 0},
		"By Default": {fallback, assignment.SourceINTAKE_FORM_DEFAULT, 0},
	} {
		c := arrived(t, e, name)
		if c.ResponsibleID == nil || *c.ResponsibleID != want.m.ID {
			t.Fatalf("%s: responsible %v, want %s", name, c.ResponsibleID, want.m.ID)
		}
		h, err := e.Client().Assignment.Query().Where(assignment.ClientIDEQ(c.ID)).Only(e.Ctx)
		if err != nil || h.Source != want.source || h.Kind != assignment.KindRESPONSIBLE || h.IntakeFormID == nil || *h.IntakeFormID != f.formID ||
			(want.position > 0) != (h.IntakeRulePosition != nil) || (h.IntakeRulePosition != nil && *h.IntakeRulePosition != want.position) {
			t.Fatalf("%s: the history says where the client came from: %+v (%v)", name, h, err)
		}
	}
	tags, err := arrived(t, e, "Rule One").QueryTags().All(e.Ctx)
	if err != nil || len(tags) != 1 || tags[0].ID != tg.ID {
		t.Fatalf("the matching rule's tags are put on the client: %v %v", tags, err)
	}
	// Without a default, the general link leaves the client unassigned.
	f.e.As(f.admin, updateFormMutation, map[string]any{"id": f.formID, "in": map[string]any{"name": "New client intake", "questions": intakeQuestions()}}).RequireNoErrors(t)
	submit(e, general, answers("Nobody Yet", nil), newKey()).RequireNoErrors(t)
	if c := arrived(t, e, "Nobody Yet"); c.ResponsibleID != nil {
		t.Fatalf("no rule, link or default: unassigned, got %v", c.ResponsibleID)
	}
}

// A rule or link naming someone who is no longer an active practitioner is
// passed over: no client can be given to them (§2).
func TestIntakeRouting_PassesOverDeactivatedPractitioners(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	leaving, linked := e.Member(p), e.Member(p)
	f := newIntakeForm(t, e, p, nil)
	f.rules(t, map[string]any{"questionKey": "service", "operator": "EQUALS", "values": []string{"Individual"}, "practitionerId": leaving.ID})
	token := f.link(t, linked)
	if err := e.Client().Member.UpdateOne(leaving).SetActive(false).Exec(e.Ctx); err != nil {
		t.Fatal(err)
	}
	submit(e, token, answers("Passed Over", nil), newKey()).RequireNoErrors(t)
	if c := arrived(t, e, "Passed Over"); c.ResponsibleID == nil || *c.ResponsibleID != linked.ID {
		t.Fatalf("the deactivated practitioner's rule is passed over: %v", c.ResponsibleID)
	}
}

func TestUnassignedClients_ForAdminsAndAssigners_OnlyClientsTheySee(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	f := newIntakeForm(t, e, p, nil)
	token := f.link(t, nil)
	submit(e, token, answers("Waiting One", nil), newKey()).RequireNoErrors(t)
	submit(e, token, answers("Waiting Two", nil), newKey()).RequireNoErrors(t)
	assigned := e.NewClient(p, graphtest.ResponsibleIs(e.Member(p)))
	assigner := e.Member(p, graphtest.WithRole(practitionerRole(e, p, access.Edit, []access.Capability{access.AssignPractitioners, access.AccessAllClients})))
	narrowAssigner := e.Member(p, graphtest.WithRole(practitionerRole(e, p, access.Edit, []access.Capability{access.AssignPractitioners})))
	plain := e.Member(p)
	q := `{ unassignedClients(first: 10) { totalCount edges { node { name source } } } }`
	for _, m := range []*ent.Member{f.admin, assigner} {
		r := e.As(m, q, nil)
		r.RequireNoErrors(t)
		if !strings.Contains(string(r.Data), `"totalCount":2`) || !strings.Contains(string(r.Data), `{"name":"Waiting Two","source":"INTAKE_FORM"}`) ||
			strings.Contains(string(r.Data), assigned.Name) {
			t.Fatalf("the triage list holds the two unrouted clients, newest first: %s", r.Data)
		}
	}
	// An assigner who cannot see the clients (§3) is shown none of them.
	r := e.As(narrowAssigner, q, nil)
	r.RequireNoErrors(t)
	if !strings.Contains(string(r.Data), `"totalCount":0`) {
		t.Fatalf("the list holds only clients the member sees: %s", r.Data)
	}
	requireCode(t, e.As(plain, q, nil), "FORBIDDEN")
}

func TestIntakeSubmit_BadAnswers_TypedErrors_NothingWritten(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	f := newIntakeForm(t, e, p, e.Member(p))
	token := f.link(t, nil)
	for name, tc := range map[string]struct {
		answers []any
		key     string
		problem string
	}{
		"missing required":       {answers("Missing", map[string]any{"service": nil}), "", "service"},
		"consent not given":      {answers("No Consent", map[string]any{"consent": map[string]any{"questionKey": "consent", "value": "false"}}), "", "consent"},
		"choice not offered":     {answers("Bad Choice", map[string]any{"service": map[string]any{"questionKey": "service", "value": "Hypnosis"}}), "", "service"},
		"option chosen twice":    {answers("Twice", map[string]any{"days": map[string]any{"questionKey": "days", "values": []string{"Monday", "Monday"}}}), "", "days"},
		"bad email":              {answers("Bad Email", map[string]any{"email": map[string]any{"questionKey": "email", "value": "not an email"}}), "", "email"},
		"bad date":               {answers("Bad Date", map[string]any{"date_of_birth": map[string]any{"questionKey": "date_of_birth", "value": "31/02/1990"}}), "", "date_of_birth"},
		"bad phone":              {answers("Bad Phone", map[string]any{"phone": map[string]any{"questionKey": "phone", "value": "call me maybe"}}), "", "phone"},
		"oversized answer":       {answers("Too Long", map[string]any{"story": map[string]any{"questionKey": "story", "value": strings.Repeat("x", 10001)}}), "", "story"},
		"megabyte answer":        {answers("Megabyte", map[string]any{"story": map[string]any{"questionKey": "story", "value": strings.Repeat("é", 1<<19)}}), "", ""},
		"unknown question":       {answers("Unknown", map[string]any{"extra": map[string]any{"questionKey": "shoe_size", "value": "42"}}), "", ""},
		"a name too long":        {answers(strings.Repeat("n", 201), nil), "", "name"},
		"idempotency key short":  {answers("Short Key", nil), "abc", ""},
		"NUL in an answer":       {answers("Nul", map[string]any{"story": map[string]any{"questionKey": "story", "value": "a\x00b"}}), "", ""},
		"one answer for a multi": {answers("Multi", map[string]any{"days": map[string]any{"questionKey": "days", "value": "Monday"}}), "", "days"},
	} {
		t.Run(name, func(t *testing.T) {
			key := tc.key
			if key == "" {
				key = newKey()
			}
			r := submit(e, token, tc.answers, key)
			if r.Status >= 500 {
				t.Fatalf("bad input answered %d", r.Status)
			}
			requireCode(t, r, "BAD_USER_INPUT")
			if tc.problem != "" {
				problems, _ := r.Errors[0].Extensions["problems"].([]any)
				if len(problems) == 0 || !strings.Contains(fmt.Sprint(problems), "questionKey:"+tc.problem) {
					t.Fatalf("the problem is named by its question %q: %+v", tc.problem, r.Errors[0])
				}
			}
		})
	}
	if n, _ := e.Client().ClientRecord.Query().Count(e.Ctx); n != 0 {
		t.Fatalf("refused submissions wrote %d clients", n)
	}
	if n, _ := e.Client().FormResponse.Query().Count(e.Ctx); n != 0 {
		t.Fatalf("refused submissions wrote %d responses", n)
	}
}

// An unknown, disabled or rotated link answers alike: the submitter cannot
// tell a link that never was from one switched off.
func TestIntakeLink_UnknownDisabledRotated_AnswerAlike(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	f := newIntakeForm(t, e, p, nil)
	disabled, rotated := f.link(t, e.Member(p)), f.link(t, e.Member(p))
	var links []struct{ ID pulid.ID }
	r := e.As(f.admin, `query { intakeForms { links { id token } } }`, nil)
	r.RequireNoErrors(t)
	var out struct {
		IntakeForms []struct {
			Links []struct {
				ID    pulid.ID
				Token string
			}
		}
	}
	r.Decode(t, &out)
	for _, l := range out.IntakeForms[0].Links {
		links = append(links, struct{ ID pulid.ID }{l.ID})
		switch l.Token {
		case disabled:
			e.As(f.admin, `mutation($id: ID!) { disableIntakeLink(id: $id) { enabled } }`, map[string]any{"id": l.ID}).RequireNoErrors(t)
		case rotated:
			e.As(f.admin, `mutation($id: ID!) { rotateIntakeLink(id: $id) { token } }`, map[string]any{"id": l.ID}).RequireNoErrors(t)
		}
	}
	var messages []string
	for _, token := range []string{disabled, rotated, "never-issued-token-abcdefghijkl", "short"} {
		r := submit(e, token, answers("Nobody", nil), newKey())
		requireCode(t, r, "NOT_FOUND")
		messages = append(messages, r.Errors[0].Message)
		q := e.Do("", `query($t: String!) { publicIntakeForm(token: $t) { name } }`, map[string]any{"t": token})
		q.RequireNoErrors(t)
		if string(q.Data) != `{"publicIntakeForm":null}` {
			t.Fatalf("an unusable link shows no form: %s", q.Data)
		}
	}
	for _, m := range messages[1:] {
		if m != messages[0] {
			t.Fatalf("unknown, disabled and rotated links answer alike: %q", messages)
		}
	}
	if n, _ := e.Client().ClientRecord.Query().Count(e.Ctx); n != 0 {
		t.Fatalf("%d clients through unusable links", n)
	}
}

// A person who is already a client simply creates a new intake (§11): the
// answer is the same, and staff decide whether to merge.
func TestIntakeSubmit_ExistingClient_LearnsNothing_NewIntakeCreated(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	a := e.Member(p)
	existing := e.NewClient(p, graphtest.ResponsibleIs(a))
	f := newIntakeForm(t, e, p, nil)
	token := f.link(t, a)
	same := map[string]any{"email": map[string]any{"questionKey": "email", "value": existing.Email}}
	r1 := submit(e, token, answers("Returning Person", same), newKey())
	r2 := submit(e, token, answers("Brand New", nil), newKey())
	r1.RequireNoErrors(t)
	r2.RequireNoErrors(t)
	shape := regexp.MustCompile(`"receivedAt":"[0-9T:.Z-]+"`)
	if s1, s2 := shape.ReplaceAllString(string(r1.Data), "T"), shape.ReplaceAllString(string(r2.Data), "T"); s1 != s2 || s1 != `{"submitIntakeForm":{T}}` {
		t.Fatalf("the receipt is the same shape for anyone: %s / %s", r1.Data, r2.Data)
	}
	if n, _ := e.Client().ClientRecord.Query().Where(clientrecord.EmailEqualFold(existing.Email)).Count(e.Ctx); n != 2 {
		t.Fatalf("a returning person makes a new intake: %d clients with the email", n)
	}
}

// A possible duplicate is flagged only to readers who see both clients and
// read their PROFILE (§11).
func TestPossibleDuplicates_OnlyForReadersOfBothProfiles(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	a, b := e.Member(p), e.Member(p)
	existing := e.NewClient(p, graphtest.ResponsibleIs(b))
	f := newIntakeForm(t, e, p, nil)
	submit(e, f.link(t, a), answers("Returning Person", map[string]any{"email": map[string]any{"questionKey": "email", "value": strings.ToUpper(existing.Email)}}), newKey()).RequireNoErrors(t)
	c := arrived(t, e, "Returning Person")
	q := `query($id: ID!) { client(id: $id) { possibleDuplicates { id } } }`
	// The admin sees both: flagged.
	r := e.As(f.admin, q, map[string]any{"id": c.ID})
	r.RequireNoErrors(t)
	if !strings.Contains(string(r.Data), string(existing.ID)) {
		t.Fatalf("the admin is shown the possible duplicate: %s", r.Data)
	}
	// a sees only the new client: nothing flagged, nothing revealed.
	r = e.As(a, q, map[string]any{"id": c.ID})
	r.RequireNoErrors(t)
	if string(r.Data) != `{"client":{"possibleDuplicates":[]}}` {
		t.Fatalf("a client a cannot see is never flagged to a: %s", r.Data)
	}
	// A reader of both without PROFILE gets FORBIDDEN on the field.
	viewOnly := e.Member(p, graphtest.WithRole(e.Role(p, access.Practitioner, access.SectionLevels{access.Scheduling: access.Edit}, []access.Capability{access.AccessAllClients})))
	requireForbiddenSection(t, e.As(viewOnly, q, map[string]any{"id": c.ID}), "possibleDuplicates", access.Profile)
}

func TestIntakeForm_VersionedResponseKeepsWhatItAnswered(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	f := newIntakeForm(t, e, p, e.Member(p))
	token := f.link(t, nil)
	submit(e, token, answers("First Version", nil), newKey()).RequireNoErrors(t)
	questions := intakeQuestions()
	questions[7] = map[string]any{"key": "consent", "label": "I agree to the privacy policy, version 4.", "kind": "CONSENT", "required": true}
	r := e.As(f.admin, updateFormMutation, map[string]any{"id": f.formID, "in": map[string]any{"name": "New client intake", "questions": questions}})
	r.RequireNoErrors(t)
	if !strings.Contains(string(r.Data), `"version":2`) {
		t.Fatalf("an update writes the next version: %s", r.Data)
	}
	submit(e, token, answers("Second Version", nil), newKey()).RequireNoErrors(t)
	for name, want := range map[string]struct {
		version int
		consent string
	}{"First Version": {1, "version 3."}, "Second Version": {2, "version 4."}} {
		fr, err := e.Client().FormResponse.Query().Where(formresponse.HasClientWith(clientrecord.NameEQ(name))).Only(e.Ctx)
		if err != nil || fr.FormVersion == nil || *fr.FormVersion != want.version {
			t.Fatalf("%s answered version %d: %+v %v", name, want.version, fr, err)
		}
		last := fr.Data[len(fr.Data)-1]
		if last.Kind != "CONSENT" || !strings.HasSuffix(last.Label, want.consent) || last.ConsentedAt == nil {
			t.Fatalf("%s keeps the consent wording it agreed to and when: %+v", name, last)
		}
	}
}

func TestIntakeForms_ManagedByAdminsAndManageTeam_LinksReadByTheirPractitioner(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	a, b := e.Member(p), e.Member(p)
	f := newIntakeForm(t, e, p, nil)
	f.link(t, a)
	f.link(t, b)
	f.link(t, nil)
	in := map[string]any{"name": "Another", "questions": intakeQuestions()}
	requireCode(t, e.As(a, createFormMutation, map[string]any{"in": in}), "FORBIDDEN")
	requireCode(t, e.As(a, linkMutation, map[string]any{"id": f.formID, "p": a.ID}), "FORBIDDEN")
	requireCode(t, e.As(a, setRulesMutation, map[string]any{"id": f.formID, "rules": []any{}}), "FORBIDDEN")
	manager := e.Member(p, graphtest.Administrative(), graphtest.WithRole(e.Role(p, access.Administrative, access.SectionLevels{}, []access.Capability{access.ManageTeam})))
	e.As(manager, createFormMutation, map[string]any{"in": in}).RequireNoErrors(t)
	q := `{ intakeForms { name links { practitioner { id } } } }`
	r := e.As(a, q, nil)
	r.RequireNoErrors(t)
	if strings.Count(string(r.Data), `"practitioner"`) != 1 || !strings.Contains(string(r.Data), string(a.ID)) {
		t.Fatalf("a practitioner reads their own link only: %s", r.Data)
	}
	r = e.As(manager, q, nil)
	r.RequireNoErrors(t)
	if strings.Count(string(r.Data), `"practitioner"`) != 3 {
		t.Fatalf("a manager reads every link: %s", r.Data)
	}
}

func TestIntakeForm_BadDefinitions_BadUserInput(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	f := newIntakeForm(t, e, p, nil)
	other := e.Practice()
	stranger := e.Member(other)
	inactive := e.Member(p, graphtest.Inactive())
	q := func(mod func([]any) []any) map[string]any {
		return map[string]any{"name": "Form", "questions": mod(intakeQuestions())}
	}
	for name, in := range map[string]map[string]any{
		"no name question":  q(func(qs []any) []any { return qs[1:] }),
		"duplicate key":     q(func(qs []any) []any { return append(qs, qs[1]) }),
		"options on text":   q(func(qs []any) []any { qs[6].(map[string]any)["options"] = []string{"a"}; return qs }),
		"choice no options": q(func(qs []any) []any { delete(qs[4].(map[string]any), "options"); return qs }),
		"email as text":     q(func(qs []any) []any { qs[1].(map[string]any)["kind"] = "TEXT"; return qs }),
		"bad key":           q(func(qs []any) []any { qs[6].(map[string]any)["key"] = "why?"; return qs }),
		"other practice's default": func() map[string]any {
			m := q(func(qs []any) []any { return qs })
			m["defaultPractitionerId"] = stranger.ID
			return m
		}(),
		"inactive default": func() map[string]any {
			m := q(func(qs []any) []any { return qs })
			m["defaultPractitionerId"] = inactive.ID
			return m
		}(),
	} {
		t.Run(name, func(t *testing.T) {
			requireCode(t, e.As(f.admin, createFormMutation, map[string]any{"in": in}), "BAD_USER_INPUT")
		})
	}
	for name, rule := range map[string]map[string]any{
		"unknown question":    {"questionKey": "nope", "operator": "EQUALS", "values": []string{"x"}, "practitionerId": e.Member(p).ID},
		"value not an option": {"questionKey": "service", "operator": "EQUALS", "values": []string{"Hypnosis"}, "practitionerId": e.Member(p).ID},
		"equals two values":   {"questionKey": "story", "operator": "EQUALS", "values": []string{"a", "b"}, "practitionerId": e.Member(p).ID},
		"inactive":            {"questionKey": "story", "operator": "CONTAINS", "values": []string{"a"}, "practitionerId": inactive.ID},
		"stranger":            {"questionKey": "story", "operator": "CONTAINS", "values": []string{"a"}, "practitionerId": stranger.ID},
		"administrative": {"questionKey": "story", "operator": "CONTAINS", "values": []string{"a"},
			"practitionerId": e.Member(p, graphtest.Administrative()).ID},
	} {
		t.Run(name, func(t *testing.T) {
			requireCode(t, e.As(f.admin, setRulesMutation, map[string]any{"id": f.formID, "rules": []any{rule}}), "BAD_USER_INPUT")
		})
	}
	// A new version may not take away what a rule reads.
	f.rules(t, map[string]any{"questionKey": "service", "operator": "EQUALS", "values": []string{"Couples"}, "practitionerId": e.Member(p).ID})
	requireCode(t, e.As(f.admin, updateFormMutation, map[string]any{"id": f.formID, "in": q(func(qs []any) []any { return append(qs[:4:4], qs[5:]...) })}), "BAD_USER_INPUT")
	if n, _ := e.Client().IntakeForm.Query().Count(e.Ctx); n != 1 {
		t.Fatalf("refused forms were written: %d", n)
	}
}

// A double submit with one idempotency key, sequential or at the same
// moment, creates one client; every answer is the first's receipt.
func TestIntakeSubmit_OneKeyTwice_OneClient(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	f := newIntakeForm(t, e, p, e.Member(p))
	token := f.link(t, nil)
	key := newKey()
	const n = 10
	receipts := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := submit(e, token, answers("Double Click", nil), key)
			if len(r.Errors) > 0 {
				receipts[i] = "error: " + fmt.Sprint(r.Errors)
				return
			}
			receipts[i] = string(r.Data)
		}()
	}
	wg.Wait()
	for _, r := range receipts[1:] {
		if r != receipts[0] || strings.HasPrefix(r, "error") {
			t.Fatalf("every answer is the first submission's receipt: %q", receipts)
		}
	}
	arrived(t, e, "Double Click")
	if n, _ := e.Client().FormResponse.Query().Count(e.Ctx); n != 1 {
		t.Fatalf("one response, got %d", n)
	}
}

// A flood from one address is refused with RATE_LIMITED and writes
// nothing more; another address still gets through.
func TestIntakeSubmit_FloodFromOneAddress_RateLimited(t *testing.T) {
	rates := auth.DefaultRates
	rates.PublicSubmissionsPerAddress = limiter.Rate{Period: time.Hour, Limit: 3}
	e := graphtest.New(t, func(o *server.Options) { o.SignInLimits = auth.NewMemoryLimits(rates) })
	p := e.Practice()
	f := newIntakeForm(t, e, p, e.Member(p))
	token := f.link(t, nil)
	flooder := e.From("198.51.100.9:1234")
	for i := range 3 {
		submit(flooder, token, answers(fmt.Sprintf("Flood %d", i), nil), newKey()).RequireNoErrors(t)
	}
	r := submit(flooder, token, answers("Flood 3", nil), newKey())
	requireCode(t, r, "RATE_LIMITED")
	if n, _ := r.Errors[0].Extensions["retryAfter"].(float64); n < 1 {
		t.Fatalf("the refusal says when to try again: %+v", r.Errors[0])
	}
	submit(e.From("198.51.100.10:1234"), token, answers("Someone Else", nil), newKey()).RequireNoErrors(t)
	if n, _ := e.Client().ClientRecord.Query().Count(e.Ctx); n != 4 {
		t.Fatalf("the refused submission wrote a client: %d clients", n)
	}
}
