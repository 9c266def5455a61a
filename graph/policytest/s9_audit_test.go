package policytest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"caseload/ent"
	"caseload/ent/auditevent"
	"caseload/ent/formresponse"
	"caseload/ent/medicalhistory"
	"caseload/ent/schema/access"
	"caseload/ent/schema/pulid"
	"caseload/ent/sessionnote"
	"caseload/graph/graphtest"
)

// Policy §9: "Every mutation, every read of a field of MEDICAL_HISTORY,
// SESSION_NOTES or FORMS, every denied access, every emergency access, and
// every login and failed login is recorded: who, what client, which fields
// or action, when, from which request, and the decision." Admins and
// VIEW_AUDIT_LOG read it for every client of the practice, never a
// sensitive value. The tamper evidence is in s9_audit_tamper_test.go, the
// export in s9_audit_export_test.go.

// auditRecord is one record of auditLog as the API answers it.
type auditRecord struct {
	ID            pulid.ID
	Seq           int64
	At            time.Time
	Action        string
	Fields        []string
	Decision      string
	Reason        string
	Subject       string
	RequestID     string
	ClientAddress string
	Actor         *struct{ ID pulid.ID }
	Client        *struct {
		ID   pulid.ID
		Name string
	}
}

const auditSelection = `id seq at action fields decision reason subject requestId clientAddress actor { id } client { id name }`

const auditLogQuery = `query($w: AuditWhereInput) { auditLog(first: 100, where: $w) { totalCount edges { node { ` + auditSelection + ` } } } }`

// auditLogAs reads the practice's audit log as m, newest first, narrowed by
// where (clientId, memberId, action, decision, from, to).
func auditLogAs(t *testing.T, e *graphtest.Env, m *ent.Member, where map[string]any) []auditRecord {
	t.Helper()
	r := e.As(m, auditLogQuery, map[string]any{"w": where})
	r.RequireNoErrors(t)
	var out struct {
		AuditLog struct {
			TotalCount int
			Edges      []struct{ Node auditRecord }
		}
	}
	r.Decode(t, &out)
	recs := make([]auditRecord, len(out.AuditLog.Edges))
	for i, edge := range out.AuditLog.Edges {
		recs[i] = edge.Node
	}
	if out.AuditLog.TotalCount != len(recs) {
		t.Fatalf("auditLog: totalCount %d, %d records listed", out.AuditLog.TotalCount, len(recs))
	}
	return recs
}

// clientLog is every record about c, newest first, as an admin reads it.
func clientLog(t *testing.T, e *graphtest.Env, admin *ent.Member, c pulid.ID) []auditRecord {
	t.Helper()
	return auditLogAs(t, e, admin, map[string]any{"clientId": c})
}

// withAction keeps the records of one action.
func withAction(recs []auditRecord, action string) []auditRecord {
	var out []auditRecord
	for _, r := range recs {
		if r.Action == action {
			out = append(out, r)
		}
	}
	return out
}

// storedRows are every audit record of every practice, straight from the
// table.
func storedRows(t *testing.T, e *graphtest.Env) []*ent.AuditEvent {
	t.Helper()
	rows, err := e.Client().AuditEvent.Query().Order(ent.Asc(auditevent.FieldPracticeID), ent.Asc(auditevent.FieldSeq)).All(e.Ctx)
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func describeRecords(recs []auditRecord) string {
	b, _ := json.Marshal(recs)
	return string(b)
}

// requireOne fails unless recs hold exactly one record, and returns it.
func requireOne(t *testing.T, what string, recs []auditRecord) auditRecord {
	t.Helper()
	if len(recs) != 1 {
		t.Fatalf("%s: want one record, got %d: %s", what, len(recs), describeRecords(recs))
	}
	return recs[0]
}

// newest fails unless recs hold a record, and returns the newest.
func newest(t *testing.T, what string, recs []auditRecord) auditRecord {
	t.Helper()
	if len(recs) == 0 {
		t.Fatalf("%s: no record", what)
	}
	return recs[0]
}

func actorOf(r auditRecord) pulid.ID {
	if r.Actor == nil {
		return ""
	}
	return r.Actor.ID
}

func clientIDOf(r auditRecord) pulid.ID {
	if r.Client == nil {
		return ""
	}
	return r.Client.ID
}

// sensitiveClient is a client of p with a medical history, a signed session
// note by author and a form response, each holding marker.
func sensitiveClient(t *testing.T, e *graphtest.Env, p *ent.Practice, author *ent.Member, marker string, opts ...graphtest.ClientOpt) *ent.ClientRecord {
	t.Helper()
	c := e.NewClient(p, opts...)
	e.Client().MedicalHistory.Create().SetPracticeID(p.ID).SetClientID(c.ID).
		SetText("history " + marker).SetMedications("meds " + marker).SetAllergies("allergies " + marker).
		SetDiagnoses("diagnoses " + marker).ExecX(e.Ctx)
	note := e.Client().SessionNote.Create().SetPracticeID(p.ID).SetClientID(c.ID).SetAuthorID(author.ID).
		SetDate(time.Now().Add(-time.Hour)).SetContent("note " + marker).SetSignedAt(time.Now()).SaveX(e.Ctx)
	e.Client().NoteAddendum.Create().SetPracticeID(p.ID).SetClientID(c.ID).SetNoteID(note.ID).SetAuthorID(author.ID).
		SetPrivate(false).SetContent("addendum " + marker).ExecX(e.Ctx)
	e.Client().FormResponse.Create().SetPracticeID(p.ID).SetClientID(c.ID).SetFormName("Intake").
		SetSubmittedAt(time.Now()).SetAnswers("answers " + marker).ExecX(e.Ctx)
	return c
}

// The sections whose reads are recorded, and a selection of each on a
// client.
var sensitiveSections = []struct {
	section   access.Section
	selection string
}{
	{access.MedicalHistory, `medicalHistory { text diagnoses }`},
	{access.SessionNotes, `sessionNotes(first: 5) { edges { node { content addenda(first: 5) { content } } } }`},
	{access.Forms, `formResponses { answers }`},
}

const updatePhone = `mutation($id: ID!, $p: String) { updateClient(id: $id, input: { phone: $p }) { id } }`

// §9, "every mutation": who, which client, the fields' names and never
// their values, when, and from which request.
func TestAudit_Mutation_RecordsWhoWhichClientAndFieldNamesNeverValues(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	admin := e.Member(p, graphtest.Admin())
	c := e.NewClient(p)
	const phone = "0499 123 987"
	before := time.Now().Add(-time.Second)
	from := e.From("198.51.100.7:41234", "X-Request-Id", "req-audit-mutation-1")
	from.As(admin, updatePhone, map[string]any{"id": c.ID, "p": phone}).RequireNoErrors(t)

	rec := requireOne(t, "the update", withAction(clientLog(t, e, admin, c.ID), "ClientRecord.update"))
	if !slices.Equal(rec.Fields, []string{"phone"}) || rec.Decision != "ALLOWED" || actorOf(rec) != admin.ID ||
		clientIDOf(rec) != c.ID || rec.Client.Name != c.Name {
		t.Fatalf("the record: %s", describeRecords([]auditRecord{rec}))
	}
	if rec.RequestID != "req-audit-mutation-1" || rec.ClientAddress != "198.51.100.7" {
		t.Fatalf("the request: id %q, address %q", rec.RequestID, rec.ClientAddress)
	}
	if rec.At.Before(before) || rec.At.After(time.Now().Add(time.Second)) {
		t.Fatalf("when: %s", rec.At)
	}
	// The new phone number is in the client's record, never in the log.
	if got := reload(t, e, c); got.Phone != phone {
		t.Fatalf("the change did not commit: %q", got.Phone)
	}
	for _, row := range storedRows(t, e) {
		if b, _ := json.Marshal(row); strings.Contains(string(b), phone) {
			t.Fatalf("a record holds the value written: %s", b)
		}
	}
}

// §9: a read of MEDICAL_HISTORY, SESSION_NOTES or FORMS is recorded on every
// path: the list, client(id), node(id) of the client and node(id) of the
// row itself; a read of nothing sensitive records no read.
func TestAudit_SensitiveRead_RecordedOnEveryPath(t *testing.T) {
	e := graphtest.New(t)
	paths := []struct {
		name  string
		query func(selection string) string
	}{
		{"clients", func(s string) string { return `{ clients(first: 10) { edges { node { id ` + s + ` } } } }` }},
		{"client(id)", func(s string) string { return `query($id: ID!) { client(id: $id) { id ` + s + ` } }` }},
		{"node(id)", func(s string) string { return `query($id: ID!) { node(id: $id) { ... on Client { id ` + s + ` } } }` }},
	}
	for _, path := range paths {
		for _, sec := range sensitiveSections {
			t.Run(path.name+"/"+string(sec.section), func(t *testing.T) {
				p := e.Practice()
				admin := e.Member(p, graphtest.Admin())
				c := sensitiveClient(t, e, p, admin, "x")
				var vars map[string]any
				if path.name != "clients" {
					vars = map[string]any{"id": c.ID}
				}
				r := e.As(admin, path.query(sec.selection), vars)
				r.RequireNoErrors(t)
				if !strings.Contains(string(r.Data), "x\"") {
					t.Fatalf("fixture: the read returned nothing sensitive: %s", r.Data)
				}
				// How many records one request leaves is the next test's.
				reads := withAction(clientLog(t, e, admin, c.ID), "read")
				if len(reads) == 0 {
					t.Fatalf("a read of %s through %s left no record", sec.section, path.name)
				}
				for _, rec := range reads {
					if rec.Fields[0] != string(sec.section) || rec.Decision != "ALLOWED" || actorOf(rec) != admin.ID ||
						rec.RequestID != reads[0].RequestID || rec.RequestID == "" || rec.ClientAddress == "" {
						t.Fatalf("the read's record: %s", describeRecords(reads))
					}
					// After the section come the names of the API's fields
					// that read it, never another section.
					for _, f := range rec.Fields[1:] {
						if slices.Contains(access.Sections, access.Section(f)) {
							t.Fatalf("a read of %s records another section: %v", sec.section, rec.Fields)
						}
					}
				}
			})
		}
	}
	t.Run("node(id) of the row", func(t *testing.T) {
		p := e.Practice()
		admin := e.Member(p, graphtest.Admin())
		c := sensitiveClient(t, e, p, admin, "x")
		rows := []struct {
			section access.Section
			id      pulid.ID
			query   string
		}{
			{access.MedicalHistory, e.Client().MedicalHistory.Query().Where(medicalhistory.ClientIDEQ(c.ID)).OnlyIDX(e.Ctx),
				`query($id: ID!) { node(id: $id) { ... on MedicalHistory { text } } }`},
			{access.SessionNotes, e.Client().SessionNote.Query().Where(sessionnote.ClientIDEQ(c.ID)).OnlyIDX(e.Ctx),
				`query($id: ID!) { node(id: $id) { ... on SessionNote { content } } }`},
			{access.Forms, e.Client().FormResponse.Query().Where(formresponse.ClientIDEQ(c.ID)).OnlyIDX(e.Ctx),
				`query($id: ID!) { node(id: $id) { ... on FormResponse { answers } } }`},
		}
		for _, row := range rows {
			before := len(withAction(clientLog(t, e, admin, c.ID), "read"))
			r := e.As(admin, row.query, map[string]any{"id": row.id})
			r.RequireNoErrors(t)
			if !strings.Contains(string(r.Data), "x\"") {
				t.Fatalf("fixture: %s", r.Data)
			}
			reads := withAction(clientLog(t, e, admin, c.ID), "read")
			if len(reads) <= before || reads[0].Fields[0] != string(row.section) {
				t.Fatalf("node(id) of a %s row: %s", row.section, describeRecords(reads))
			}
		}
	})
	t.Run("nothing sensitive", func(t *testing.T) {
		p := e.Practice()
		admin := e.Member(p, graphtest.Admin())
		c := sensitiveClient(t, e, p, admin, "x")
		e.As(admin, `query($id: ID!) { client(id: $id) { name email phone appointments { id } } clients(first: 10) { edges { node { name } } } }`,
			map[string]any{"id": c.ID}).RequireNoErrors(t)
		if recs := clientLog(t, e, admin, c.ID); len(recs) != 0 {
			t.Fatalf("reading the profile recorded: %s", describeRecords(recs))
		}
	})
}

// §9, decisions: "one record per request, client and section", however
// many rows a list reads for the client.
func TestAudit_ListReadingManyRows_OneRecordPerClientAndSection(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	admin := e.Member(p, graphtest.Admin())
	clients := []*ent.ClientRecord{sensitiveClient(t, e, p, admin, "x"), sensitiveClient(t, e, p, admin, "y")}
	for _, c := range clients {
		for i := range 3 {
			e.Client().SessionNote.Create().SetPracticeID(p.ID).SetClientID(c.ID).SetAuthorID(admin.ID).
				SetDate(time.Now().Add(time.Duration(i) * time.Hour)).SetContent("more").ExecX(e.Ctx)
			e.Client().FormResponse.Create().SetPracticeID(p.ID).SetClientID(c.ID).SetFormName("Follow-up").
				SetSubmittedAt(time.Now()).SetAnswers("more").ExecX(e.Ctx)
		}
	}
	var sel []string
	for _, s := range sensitiveSections {
		sel = append(sel, s.selection)
	}
	r := e.As(admin, `{ clients(first: 10) { edges { node { id `+strings.Join(sel, " ")+` } } } }`, nil)
	r.RequireNoErrors(t)
	for _, c := range clients {
		reads := withAction(clientLog(t, e, admin, c.ID), "read")
		var sections []string
		for _, rec := range reads {
			sections = append(sections, rec.Fields[0])
		}
		slices.Sort(sections)
		if want := []string{"FORMS", "MEDICAL_HISTORY", "SESSION_NOTES"}; !slices.Equal(sections, want) {
			t.Fatalf("client %s: want one read per section %v, got %s", c.Name, want, describeRecords(reads))
		}
	}
	// A second request is a second read.
	e.As(admin, `{ clients(first: 10) { edges { node { id medicalHistory { text } } } } }`, nil).RequireNoErrors(t)
	if n := len(withAction(clientLog(t, e, admin, clients[0].ID), "read")); n != 4 {
		t.Fatalf("after a second request: %d reads, want 4", n)
	}
}

// One request reading the same client's section through the list,
// client(id) and node(id) is still one read of that section.
func TestAudit_SameSectionReadThroughSeveralPathsInOneRequest_OneRecord(t *testing.T) {
	e := graphtest.New(t)
	for _, sec := range sensitiveSections {
		t.Run(string(sec.section), func(t *testing.T) {
			p := e.Practice()
			admin := e.Member(p, graphtest.Admin())
			c := sensitiveClient(t, e, p, admin, "x")
			r := e.As(admin, `query($id: ID!) {
				clients(first: 10) { edges { node { name `+sec.selection+` } } }
				client(id: $id) { `+sec.selection+` }
				node(id: $id) { ... on Client { `+sec.selection+` } } }`, map[string]any{"id": c.ID})
			r.RequireNoErrors(t)
			requireOne(t, "reads of "+string(sec.section)+" in one request", withAction(clientLog(t, e, admin, c.ID), "read"))
		})
	}
	// One path alone: a client's notes with their addenda.
	t.Run("notes and addenda through node(id)", func(t *testing.T) {
		p := e.Practice()
		admin := e.Member(p, graphtest.Admin())
		c := sensitiveClient(t, e, p, admin, "x")
		r := e.As(admin, `query($id: ID!) { node(id: $id) { ... on Client { `+sensitiveSections[1].selection+` } } }`, map[string]any{"id": c.ID})
		r.RequireNoErrors(t)
		if !strings.Contains(string(r.Data), "addendum x") {
			t.Fatalf("fixture: %s", r.Data)
		}
		requireOne(t, "reads of a note and its addenda", withAction(clientLog(t, e, admin, c.ID), "read"))
	})
}

// §9: "every read of a field of ... SESSION_NOTES or FORMS". How many
// notes a client has, or whether they have any, is read from the section:
// asking for the count or the page alone is a read like the notes.
func TestAudit_SectionCountOrPageInfoAlone_IsARecordedRead(t *testing.T) {
	e := graphtest.New(t)
	for _, q := range []string{
		`query($id: ID!) { client(id: $id) { sessionNotes { totalCount } } }`,
		`query($id: ID!) { client(id: $id) { sessionNotes(first: 1) { pageInfo { hasNextPage } } } }`,
		`query($id: ID!) { node(id: $id) { ... on Client { sessionNotes { totalCount } } } }`,
	} {
		p := e.Practice()
		admin := e.Member(p, graphtest.Admin())
		c := sensitiveClient(t, e, p, admin, "x")
		e.Client().SessionNote.Create().SetPracticeID(p.ID).SetClientID(c.ID).SetAuthorID(admin.ID).
			SetDate(time.Now()).SetContent("second").ExecX(e.Ctx)
		r := e.As(admin, q, map[string]any{"id": c.ID})
		r.RequireNoErrors(t)
		if !strings.Contains(string(r.Data), `"totalCount":2`) && !strings.Contains(string(r.Data), `"hasNextPage":true`) {
			t.Fatalf("fixture: %s", r.Data)
		}
		reads := withAction(clientLog(t, e, admin, c.ID), "read")
		if len(reads) != 1 || reads[0].Fields[0] != "SESSION_NOTES" {
			t.Errorf("%s answered %s and recorded %s", q, r.Data, describeRecords(reads))
		}
	}
}

// A read record names the section and columns of that section's rows,
// never a column of another table.
func TestAudit_ReadRecord_NamesTheSectionAndTheFieldsThatReadIt(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	admin := e.Member(p, graphtest.Admin())
	c := sensitiveClient(t, e, p, admin, "x")
	for _, q := range []string{
		`{ clients(first: 10) { edges { node { name medicalHistory { text } } } } }`,
		`query($id: ID!) { client(id: $id) { name medicalHistory { text } } }`,
	} {
		e.As(admin, q, map[string]any{"id": c.ID}).RequireNoErrors(t)
	}
	reads := withAction(clientLog(t, e, admin, c.ID), "read")
	if len(reads) != 2 {
		t.Fatalf("one read record per request: %s", describeRecords(reads))
	}
	for _, rec := range reads {
		if !slices.Equal(rec.Fields, []string{"MEDICAL_HISTORY", "medicalHistory"}) {
			t.Fatalf("a read of the medical history names its section and the field that read it: %v", rec.Fields)
		}
	}
}

// §9, "every denied access": a FORBIDDEN field is recorded DENIED, once per
// request, client and section, naming the section; a member who reads the
// section records a read instead.
func TestAudit_ForbiddenField_RecordedDeniedWithItsSection(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	admin := e.Member(p, graphtest.Admin())
	staff := e.Member(p, graphtest.Administrative(), graphtest.WithRole(profileOnlyRole(e, p)))
	c := sensitiveClient(t, e, p, admin, "x")
	var sel []string
	for _, s := range sensitiveSections {
		sel = append(sel, s.selection)
	}
	q := `query($id: ID!) { client(id: $id) { name ` + strings.Join(sel, " ") + ` }
		clients(first: 10) { edges { node { id ` + strings.Join(sel, " ") + ` } } } }`
	r := e.As(staff, q, map[string]any{"id": c.ID})
	if len(r.Errors) != 6 || strings.Contains(string(r.Data), "x\"") {
		t.Fatalf("fixture: want six FORBIDDEN fields and nothing sensitive, got %s %+v", r.Data, r.Errors)
	}
	recs := clientLog(t, e, admin, c.ID)
	if reads := withAction(recs, "read"); len(reads) != 0 {
		t.Fatalf("a refused field recorded a read: %s", describeRecords(reads))
	}
	denied := withAction(recs, "forbidden")
	var sections []string
	for _, rec := range denied {
		if rec.Decision != "DENIED" || len(rec.Fields) != 1 || actorOf(rec) != staff.ID || clientIDOf(rec) != c.ID {
			t.Fatalf("a FORBIDDEN record: %s", describeRecords([]auditRecord{rec}))
		}
		sections = append(sections, rec.Fields[0])
	}
	slices.Sort(sections)
	if want := []string{"FORMS", "MEDICAL_HISTORY", "SESSION_NOTES"}; !slices.Equal(sections, want) {
		t.Fatalf("want one FORBIDDEN record per section %v, got %s", want, describeRecords(denied))
	}
	// The other side: the admin reading the same is allowed, and no
	// refusal is recorded for them.
	e.As(admin, q, map[string]any{"id": c.ID}).RequireNoErrors(t)
	if n := len(auditLogAs(t, e, admin, map[string]any{"memberId": admin.ID, "decision": "DENIED"})); n != 0 {
		t.Fatalf("the admin's allowed reads recorded %d refusals", n)
	}
	if n := len(withAction(clientLog(t, e, admin, c.ID), "read")); n != 3 {
		t.Fatalf("the admin's read: %d read records, want 3", n)
	}
}

// §9, decisions: an ID asked for through client or node that the member
// cannot see is recorded as given, without saying whether it exists: a
// hidden client and an ID never issued leave records of the same shape.
func TestAudit_HiddenOrUnknownID_RecordedAsGivenAlike(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	admin := e.Member(p, graphtest.Admin())
	owner, stranger := e.Member(p), e.Member(p)
	hidden := e.NewClient(p, graphtest.ResponsibleIs(owner), graphtest.Visibility(access.CareTeam))
	requireSees(t, e, stranger, []*ent.ClientRecord{hidden})
	baseline := len(auditLogAs(t, e, admin, map[string]any{"memberId": stranger.ID, "action": "not found"}))
	other := e.Practice()
	foreign := e.NewClient(other)

	type shape struct {
		Action, Decision, Reason, Subject string
		Fields                            []string
		Actor, Client                     pulid.ID
	}
	for _, q := range []string{
		`query($id: ID!) { client(id: $id) { id name } }`,
		`query($id: ID!) { node(id: $id) { id } }`,
	} {
		var shapes []shape
		for _, id := range []pulid.ID{hidden.ID, pulid.MustNew("CL"), foreign.ID} {
			r := e.As(stranger, q, map[string]any{"id": id})
			r.RequireNoErrors(t)
			if strings.Contains(string(r.Data), string(id)) {
				t.Fatalf("fixture: %s answered %s", id, r.Data)
			}
			rec := newest(t, "not found", auditLogAs(t, e, admin, map[string]any{"memberId": stranger.ID, "action": "not found"}))
			// The ID as given, and, since it has the form of a client's,
			// in that client's history whether or not it exists.
			if rec.Subject != string(id) || clientIDOf(rec) != id {
				t.Fatalf("%s: the newest not-found record is %s", id, describeRecords([]auditRecord{rec}))
			}
			shapes = append(shapes, shape{rec.Action, rec.Decision, rec.Reason, "", rec.Fields, actorOf(rec), ""})
		}
		for _, s := range shapes {
			if s.Action != "not found" || s.Decision != "DENIED" || s.Actor != stranger.ID || s.Client != "" {
				t.Fatalf("%s: %+v", q, s)
			}
			if fmt.Sprint(s) != fmt.Sprint(shapes[0]) {
				t.Fatalf("%s: a hidden client, an ID never issued and another practice's client leave different records: %+v", q, shapes)
			}
		}
	}
	// One not-found record per ID per request and path, all in the
	// member's practice and none in the other.
	if n := len(auditLogAs(t, e, admin, map[string]any{"memberId": stranger.ID, "action": "not found"})); n != baseline+6 {
		t.Fatalf("want 6 not-found records, got %d", n-baseline)
	}
	otherAdmin := e.Member(other, graphtest.Admin())
	if recs := auditLogAs(t, e, otherAdmin, nil); len(recs) != 0 {
		t.Fatalf("asking for another practice's client by ID wrote to its log: %s", describeRecords(recs))
	}
	// The other side: a client the member sees records no refusal.
	mine := e.NewClient(p, graphtest.ResponsibleIs(stranger))
	e.As(stranger, `query($id: ID!) { client(id: $id) { id } node(id: $id) { id } }`, map[string]any{"id": mine.ID}).RequireNoErrors(t)
	if n := len(auditLogAs(t, e, admin, map[string]any{"memberId": stranger.ID, "action": "not found"})); n != baseline+6 {
		t.Fatalf("a visible client recorded as not found: %d", n-baseline-6)
	}
}

// §9, "every refused mutation": its name and the ID it gave, as given; the
// refused write is not recorded, since it never happened.
func TestAudit_RefusedMutation_RecordsItsNameAndTheIDGiven(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	admin := e.Member(p, graphtest.Admin())
	owner, stranger := e.Member(p), e.Member(p)
	hidden := e.NewClient(p, graphtest.ResponsibleIs(owner), graphtest.Visibility(access.CareTeam))
	viewer := e.Member(p)
	shared := e.NewClient(p, graphtest.ResponsibleIs(owner), graphtest.Visibility(access.CareTeam))
	e.Share(shared, viewer, access.View)

	for _, tc := range []struct {
		name string
		who  *ent.Member
		id   pulid.ID
		code string
	}{
		{"hidden client", stranger, hidden.ID, "NOT_FOUND"},
		{"ID never issued", stranger, pulid.MustNew("CL"), "NOT_FOUND"},
		{"VIEW only", viewer, shared.ID, "FORBIDDEN"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			requireCode(t, e.As(tc.who, updatePhone, map[string]any{"id": tc.id, "p": "0400 666 666"}), tc.code)
			rec := newest(t, "the refusal", auditLogAs(t, e, admin, map[string]any{"memberId": tc.who.ID, "action": "refused"}))
			if rec.Subject != string(tc.id) || !slices.Equal(rec.Fields, []string{"updateClient"}) || rec.Decision != "DENIED" {
				t.Fatalf("the refusal: %s", describeRecords([]auditRecord{rec}))
			}
			if recs := auditLogAs(t, e, admin, map[string]any{"action": "ClientRecord.update"}); len(recs) != 0 {
				t.Fatalf("a refused update left a change record: %s", describeRecords(recs))
			}
		})
	}
	if reload(t, e, hidden).Phone == "0400 666 666" || reload(t, e, shared).Phone == "0400 666 666" {
		t.Fatal("a refused update was written")
	}
	// The other side: the same mutation allowed is a change, no refusal.
	e.As(owner, updatePhone, map[string]any{"id": hidden.ID, "p": "0400 777 777"}).RequireNoErrors(t)
	if n := len(auditLogAs(t, e, admin, map[string]any{"memberId": owner.ID, "decision": "DENIED"})); n != 0 {
		t.Fatalf("an allowed mutation recorded %d refusals", n)
	}
	requireOne(t, "the allowed update", auditLogAs(t, e, admin, map[string]any{"memberId": owner.ID, "action": "ClientRecord.update"}))
}

// The ID a refused mutation gave is recorded whatever its argument is
// called: a note's ID, or a client's inside an input, names the client's
// record as much as a client's ID does.
func TestAudit_RefusedMutation_RecordsTheIDGivenWhateverTheArgument(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	admin := e.Member(p, graphtest.Admin())
	owner, stranger := e.Member(p), e.Member(p)
	c := e.NewClient(p, graphtest.ResponsibleIs(owner), graphtest.Visibility(access.CareTeam))
	requireSees(t, e, stranger, []*ent.ClientRecord{c})
	note := e.Client().SessionNote.Create().SetPracticeID(p.ID).SetClientID(c.ID).SetAuthorID(owner.ID).
		SetDate(time.Now()).SetContent("signed").SetSignedAt(time.Now()).SaveX(e.Ctx)
	for _, tc := range []struct {
		field, query string
		vars         map[string]any
		id           pulid.ID
	}{
		{"addNoteAddendum", `mutation($id: ID!) { addNoteAddendum(noteId: $id, content: "snooping") { id } }`,
			map[string]any{"id": note.ID}, note.ID},
		{"createAppointment", `mutation($c: ID!, $m: ID!, $at: Time!) { createAppointment(input: { clientId: $c, practitionerId: $m, startsAt: $at }) { id } }`,
			map[string]any{"c": c.ID, "m": stranger.ID, "at": time.Now().Add(48 * time.Hour).UTC().Truncate(time.Hour).Format(time.RFC3339)}, c.ID},
	} {
		t.Run(tc.field, func(t *testing.T) {
			r := e.As(stranger, tc.query, tc.vars)
			if len(r.Errors) != 1 || r.Errors[0].Code() != "NOT_FOUND" {
				t.Fatalf("fixture: want the mutation refused NOT_FOUND, got %s %+v", r.Data, r.Errors)
			}
			rec := newest(t, "the refusal", auditLogAs(t, e, admin, map[string]any{"memberId": stranger.ID, "action": "refused"}))
			if !slices.Equal(rec.Fields, []string{tc.field}) || !slices.Contains(strings.Fields(rec.Subject), string(tc.id)) {
				t.Errorf("a refused %s records the ID it named (%s): %s", tc.field, tc.id, describeRecords([]auditRecord{rec}))
			}
		})
	}
}

const setSlot = `mutation($m: ID!, $s: Int) { setAvailability(practitionerId: $m, windows: [{ weekday: 2, startMinute: 600, endMinute: 720 }], slotMinutes: $s) { id } }`

// A mutation field that fails after writing rolls its writes back: its
// change records go with them, and its refusal is recorded. setAvailability
// replaces the windows before it checks the slot length.
func TestAudit_FailedMutation_LeavesNoChangeRecord(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	admin := e.Member(p, graphtest.Admin())
	m := e.Member(p)
	old := e.Client().Availability.Create().SetPracticeID(p.ID).SetMemberID(m.ID).
		SetWeekday(1).SetStartMinute(540).SetEndMinute(600).SaveX(e.Ctx)
	requireCode(t, e.As(admin, setSlot, map[string]any{"m": m.ID, "s": 1}), "BAD_USER_INPUT")
	if ws := e.Client().Availability.Query().AllX(e.Ctx); len(ws) != 1 || ws[0].ID != old.ID {
		t.Fatalf("the failed field's writes were kept: %+v", ws)
	}
	for _, row := range storedRows(t, e) {
		if strings.HasPrefix(row.Action, "Availability.") || strings.HasPrefix(row.Action, "Member.") {
			t.Fatalf("the failed field left a change record: %s %v", row.Action, row.Fields)
		}
	}
	requireOne(t, "the refusal", auditLogAs(t, e, admin, map[string]any{"action": "refused"}))
	// The other side: the same mutation with a valid slot records its
	// writes.
	e.As(admin, setSlot, map[string]any{"m": m.ID, "s": 30}).RequireNoErrors(t)
	for _, action := range []string{"Availability.delete", "Availability.create", "Member.update"} {
		requireOne(t, action, auditLogAs(t, e, admin, map[string]any{"action": action}))
	}
}

// In a mutation of several fields each field commits or rolls back alone:
// the record of the one that succeeded is kept, the failed one's is not.
func TestAudit_MutationWithSeveralFields_OnlyTheSuccessfulFieldsChangesRecorded(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	admin := e.Member(p, graphtest.Admin())
	m := e.Member(p)
	c := e.NewClient(p)
	r := e.As(admin, `mutation($id: ID!, $m: ID!) {
		ok: updateClient(id: $id, input: { phone: "0400 111 222" }) { id }
		bad: setAvailability(practitionerId: $m, windows: [{ weekday: 2, startMinute: 600, endMinute: 720 }], slotMinutes: 1) { id } }`,
		map[string]any{"id": c.ID, "m": m.ID})
	// bad's answer is non-null: its error nulls the whole data.
	if len(r.Errors) != 1 || r.Errors[0].Code() != "BAD_USER_INPUT" || fmt.Sprint(r.Errors[0].Path) != "[bad]" {
		t.Fatalf("fixture: want bad refused, got %s %+v", r.Data, r.Errors)
	}
	update := requireOne(t, "the successful field", withAction(clientLog(t, e, admin, c.ID), "ClientRecord.update"))
	refusal := requireOne(t, "the failed field", auditLogAs(t, e, admin, map[string]any{"action": "refused"}))
	if !slices.Equal(refusal.Fields, []string{"setAvailability"}) || refusal.RequestID != update.RequestID {
		t.Fatalf("the refusal: %s", describeRecords([]auditRecord{refusal, update}))
	}
	for _, row := range storedRows(t, e) {
		if strings.HasPrefix(row.Action, "Availability.") {
			t.Fatalf("the failed field left a change record: %s", row.Action)
		}
	}
	if reload(t, e, c).Phone != "0400 111 222" || e.Client().Availability.Query().CountX(e.Ctx) != 0 {
		t.Fatal("the fields did not commit and roll back alone")
	}
}

// §9: the log names a client by ID and name, never a sensitive value: no
// column of any record holds what was read or written.
func TestAudit_NoRecordHoldsASensitiveValue(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	admin := e.Member(p, graphtest.Admin())
	staff := e.Member(p, graphtest.Administrative(), graphtest.WithRole(profileOnlyRole(e, p)))
	const marker = "MARKER-9f31c-SENSITIVE"
	c := sensitiveClient(t, e, p, admin, marker)
	var sel []string
	for _, s := range sensitiveSections {
		sel = append(sel, s.selection)
	}
	all := strings.Join(sel, " ")
	reads := []string{
		`query($id: ID!) { client(id: $id) { ` + all + ` } }`,
		`query($id: ID!) { node(id: $id) { ... on Client { ` + all + ` } } }`,
		`{ clients(first: 10) { edges { node { ` + all + ` } } } }`,
	}
	for _, q := range reads {
		r := e.As(admin, q, map[string]any{"id": c.ID})
		r.RequireNoErrors(t)
		if !strings.Contains(string(r.Data), marker) {
			t.Fatalf("fixture: the admin did not read the marker: %s", r.Data)
		}
		e.As(staff, q, map[string]any{"id": c.ID})
	}
	// Writes of sensitive values record the names of what was written.
	e.As(admin, `mutation($id: ID!, $t: String!) { updateMedicalHistory(clientId: $id, text: $t, diagnoses: $t) { medicalHistory { text } } }`,
		map[string]any{"id": c.ID, "t": "rewritten " + marker}).RequireNoErrors(t)
	e.As(admin, `mutation($id: ID!, $t: String!) { createSessionNote(clientId: $id, content: $t) { content } }`,
		map[string]any{"id": c.ID, "t": "new " + marker}).RequireNoErrors(t)

	rows := storedRows(t, e)
	var actions []string
	for _, row := range rows {
		actions = append(actions, row.Action)
		for _, col := range append([]string{row.Action, row.Reason, row.Subject, row.RequestID, row.ClientAddress}, row.Fields...) {
			if strings.Contains(col, marker) {
				t.Fatalf("record %d (%s) holds a sensitive value: %q", row.Seq, row.Action, col)
			}
		}
	}
	for _, want := range []string{"read", "forbidden", "MedicalHistory.update", "SessionNote.create"} {
		if !slices.Contains(actions, want) {
			t.Fatalf("fixture: no %q record among %v", want, actions)
		}
	}
}

// §8, §9: an emergency search records each client it identified, by ID,
// never the name or date of birth typed; breaking the glass records an
// emergency access with its reason and expiry; a refused one its refusal.
func TestAudit_EmergencySearchAndBreakGlass_Recorded(t *testing.T) {
	e := graphtest.New(t)
	p := emergencyPractice(e, 30, false)
	admin := e.Member(p, graphtest.Admin())
	m, owner := e.Member(p), e.Member(p)
	ana := patient(e, p, "Ana Sofía Pérez", "1979-11-30", graphtest.ResponsibleIs(owner))
	e.Client().MedicalHistory.Create().SetPracticeID(p.ID).SetClientID(ana.ID).SetText("asthma").ExecX(e.Ctx)
	unsearched := patient(e, p, "Kim Chan", "1990-01-01", graphtest.ResponsibleIs(owner))

	if found := searchAs(t, e, m, "ana sofía  PÉREZ", "1979-11-30"); len(found) != 1 || found[0].ClientID != ana.ID {
		t.Fatalf("fixture: search %+v", found)
	}
	search := requireOne(t, "the search", withAction(clientLog(t, e, admin, ana.ID), "emergency search"))
	if actorOf(search) != m.ID || search.Decision != "ALLOWED" || search.Client.Name != ana.Name {
		t.Fatalf("the search's record: %s", describeRecords([]auditRecord{search}))
	}
	// A search that identifies no one is recorded too, with no client.
	if found := searchAs(t, e, m, "Nobody Known", "2001-02-03"); len(found) != 0 {
		t.Fatalf("fixture: %+v", found)
	}
	searches := auditLogAs(t, e, admin, map[string]any{"memberId": m.ID, "action": "emergency search"})
	if len(searches) != 2 || searches[0].Client != nil || searches[0].Reason == "" {
		t.Fatalf("the empty search: %s", describeRecords(searches))
	}

	const reason = "crisis call, client at risk"
	e.As(m, breakGlass, map[string]any{"c": ana.ID, "r": reason}).RequireNoErrors(t)
	grant := requireOne(t, "the emergency access", withAction(clientLog(t, e, admin, ana.ID), "emergency access"))
	ea := e.Client().EmergencyAccess.Query().OnlyX(e.Ctx)
	if actorOf(grant) != m.ID || grant.Reason != reason || grant.Decision != "ALLOWED" ||
		!slices.Equal(grant.Fields, []string{"until " + ea.ExpiresAt.UTC().Format(time.RFC3339)}) {
		t.Fatalf("the grant's record: %s", describeRecords([]auditRecord{grant}))
	}
	// The grant's reads are recorded as any read.
	e.As(m, readClient, map[string]any{"id": ana.ID}).RequireNoErrors(t)
	requireOne(t, "the read under the grant", withAction(clientLog(t, e, admin, ana.ID), "read"))

	// Breaking the glass for a client the member did not identify is
	// refused and recorded with the ID given.
	requireCode(t, e.As(m, breakGlass, map[string]any{"c": unsearched.ID, "r": "fall"}), "NOT_FOUND")
	refusal := requireOne(t, "the refused grant", auditLogAs(t, e, admin, map[string]any{"memberId": m.ID, "action": "refused"}))
	if refusal.Subject != string(unsearched.ID) || !slices.Equal(refusal.Fields, []string{"breakGlass"}) {
		t.Fatalf("the refused grant: %s", describeRecords([]auditRecord{refusal}))
	}
	if recs := withAction(clientLog(t, e, admin, unsearched.ID), "emergency access"); len(recs) != 0 {
		t.Fatalf("a refused grant recorded an emergency access: %s", describeRecords(recs))
	}

	// Nothing typed into the search is kept.
	for _, row := range storedRows(t, e) {
		b, _ := json.Marshal(row)
		for _, typed := range []string{"sofía", "PÉREZ", "Nobody", "1979-11-30", "2001-02-03"} {
			if strings.Contains(string(b), typed) {
				t.Fatalf("a record keeps what was typed (%q): %s", typed, b)
			}
		}
	}
}

// §9: every login and failed login, in the account's practice; a failed
// login for an email no member has belongs to no practice.
func TestAudit_LoginAndFailedLogin_RecordedInTheMembersPractice(t *testing.T) {
	e := graphtest.New(t)
	p, other := e.Practice(), e.Practice()
	admin := e.Member(p, graphtest.Admin())
	otherAdmin := e.Member(other, graphtest.Admin())
	m := withPassword(t, e, p, passphrase)

	logIn(t, e, m.Email, passphrase)
	requireCode(t, e.Do("", loginMutation, map[string]any{"e": m.Email, "pw": "wrong horse battery"}), "UNAUTHENTICATED")
	recs := auditLogAs(t, e, admin, map[string]any{"memberId": m.ID})
	if len(recs) != 2 {
		t.Fatalf("want a login and a failed login, got %s", describeRecords(recs))
	}
	failed, ok := recs[0], recs[1]
	if ok.Action != "login" || ok.Decision != "ALLOWED" || failed.Action != "login failed" || failed.Decision != "DENIED" ||
		actorOf(ok) != m.ID || actorOf(failed) != m.ID || ok.RequestID == "" || failed.RequestID == "" {
		t.Fatalf("the login records: %s", describeRecords(recs))
	}
	for _, row := range storedRows(t, e) {
		if row.PracticeID != p.ID {
			t.Fatalf("a login was recorded in practice %s, not the member's", row.PracticeID)
		}
	}
	if recs := auditLogAs(t, e, otherAdmin, nil); len(recs) != 0 {
		t.Fatalf("another practice's log lists the logins: %s", describeRecords(recs))
	}

	// Unknown emails belong to no practice: no practice's log has them.
	n := len(storedRows(t, e))
	for _, email := range []string{"nobody@test.example", "=cmd|' /C calc'!A0@x.example"} {
		requireCode(t, e.Do("", loginMutation, map[string]any{"e": email, "pw": passphrase}), "UNAUTHENTICATED")
	}
	if got := len(storedRows(t, e)); got != n {
		t.Fatalf("a failed login for an unknown email was recorded: %d records, was %d", got, n)
	}
}

// §9: admins and VIEW_AUDIT_LOG read the log; anyone else is refused with
// FORBIDDEN rather than shown an empty log.
func TestAudit_ReadingTheLog_RefusedWithoutViewAuditLog(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	admin := e.Member(p, graphtest.Admin())
	c := e.NewClient(p, graphtest.ResponsibleIs(admin))
	e.As(admin, updatePhone, map[string]any{"id": c.ID, "p": "0400 222 333"}).RequireNoErrors(t)
	everything := e.Member(p, graphtest.WithRole(practitionerRole(e, p, access.Edit, []access.Capability{
		access.AccessAllClients, access.CreateClients, access.AssignPractitioners, access.ManageClientAccess,
		access.ViewTeam, access.ManageTeam, access.EmergencyAccess})))
	plain := e.Member(p)
	reception := e.Member(p, graphtest.Administrative())
	for _, m := range []*ent.Member{plain, reception, everything} {
		for _, q := range []string{
			`{ auditLog(first: 10) { totalCount edges { node { id } } } }`,
			`query($id: ID!) { clientAccessReport(clientId: $id) { id } }`,
			`{ auditIntegrity { ok checked } }`,
		} {
			r := e.As(m, q, map[string]any{"id": c.ID})
			requireCode(t, r, "FORBIDDEN")
			if strings.Contains(string(r.Data), "edges") || strings.Contains(string(r.Data), "checked") {
				t.Fatalf("a refused reader got data: %s", r.Data)
			}
		}
		for _, file := range []string{"access.csv", "access.json"} {
			r := e.Raw(http.MethodGet, "/audit/clients/"+string(c.ID)+"/"+file, e.Token(m), "", nil)
			if r.Status != http.StatusForbidden {
				t.Fatalf("export %s without VIEW_AUDIT_LOG: status %d", file, r.Status)
			}
		}
	}
	// Without a token, the export is 401.
	if r := e.Raw(http.MethodGet, "/audit/clients/"+string(c.ID)+"/access.csv", "", "", nil); r.Status != http.StatusUnauthorized {
		t.Fatalf("export without a token: status %d", r.Status)
	}
	// The other side: the admin reads it.
	if recs := auditLogAs(t, e, admin, nil); len(recs) == 0 {
		t.Fatal("the admin reads an empty log")
	}
}

// §9: a member with VIEW_AUDIT_LOG reads every record of the practice,
// naming each client by ID and name, a client they cannot see included
// (the section's exception to §3), and nothing of another practice.
func TestAudit_ViewAuditLog_ReadsEveryClientOfThePracticeAndNoOtherPractice(t *testing.T) {
	e := graphtest.New(t)
	p, other := e.Practice(), e.Practice()
	admin, owner := e.Member(p, graphtest.Admin()), e.Member(p)
	auditor := e.Member(p, graphtest.Administrative(), graphtest.WithRole(e.Role(p, access.Administrative,
		access.SectionLevels{access.Profile: access.View}, []access.Capability{access.ViewAuditLog})))
	hidden := sensitiveClient(t, e, p, owner, "x", graphtest.ResponsibleIs(owner), graphtest.Visibility(access.CareTeam))
	requireSees(t, e, auditor, []*ent.ClientRecord{hidden})
	e.As(owner, `query($id: ID!) { client(id: $id) { medicalHistory { text } } }`, map[string]any{"id": hidden.ID}).RequireNoErrors(t)
	e.As(owner, updatePhone, map[string]any{"id": hidden.ID, "p": "0400 333 444"}).RequireNoErrors(t)

	otherAdmin := e.Member(other, graphtest.Admin())
	foreign := sensitiveClient(t, e, other, otherAdmin, "x")
	e.As(otherAdmin, `query($id: ID!) { client(id: $id) { medicalHistory { text } } }`, map[string]any{"id": foreign.ID}).RequireNoErrors(t)
	e.As(otherAdmin, updatePhone, map[string]any{"id": foreign.ID, "p": "0400 555 666"}).RequireNoErrors(t)

	// Every record of the practice, and only those.
	stored := map[pulid.ID]pulid.ID{}
	for _, row := range storedRows(t, e) {
		stored[row.ID] = row.PracticeID
	}
	for _, who := range []*ent.Member{auditor, admin} {
		recs := auditLogAs(t, e, who, nil)
		want := 0
		for _, pr := range stored {
			if pr == p.ID {
				want++
			}
		}
		if len(recs) != want {
			t.Fatalf("%s reads %d records, the practice has %d", who.Name, len(recs), want)
		}
		for _, rec := range recs {
			if stored[rec.ID] != p.ID {
				t.Fatalf("%s reads a record of another practice: %s", who.Name, describeRecords([]auditRecord{rec}))
			}
		}
	}
	// The hidden client is named, by ID and name, in the log and its
	// access report.
	recs := clientLog(t, e, auditor, hidden.ID)
	if len(withAction(recs, "read")) != 1 || len(withAction(recs, "ClientRecord.update")) != 1 {
		t.Fatalf("the auditor's view of the hidden client: %s", describeRecords(recs))
	}
	for _, rec := range recs {
		if rec.Client == nil || rec.Client.ID != hidden.ID || rec.Client.Name != hidden.Name {
			t.Fatalf("the log names the client by ID and name: %s", describeRecords([]auditRecord{rec}))
		}
	}
	r := e.As(auditor, `query($id: ID!) { clientAccessReport(clientId: $id) { seq action client { id name } } }`, map[string]any{"id": hidden.ID})
	r.RequireNoErrors(t)
	var report struct {
		ClientAccessReport []struct {
			Seq    int64
			Action string
			Client struct{ ID, Name string }
		}
	}
	r.Decode(t, &report)
	if len(report.ClientAccessReport) != len(recs) {
		t.Fatalf("the access report lists %d records, the log %d", len(report.ClientAccessReport), len(recs))
	}
	for i, row := range report.ClientAccessReport {
		if row.Client.Name != hidden.Name || (i > 0 && row.Seq <= report.ClientAccessReport[i-1].Seq) {
			t.Fatalf("the access report, oldest first, naming the client: %s", r.Data)
		}
	}
	// The exception is the log's: the client stays hidden everywhere else.
	requireSees(t, e, auditor, []*ent.ClientRecord{hidden})
	if strings.Contains(string(r.Data), "0400 333 444") {
		t.Fatalf("the report holds a profile value: %s", r.Data)
	}

	// Another practice's client: nothing, by filter, report or export.
	if recs := clientLog(t, e, auditor, foreign.ID); len(recs) != 0 {
		t.Fatalf("the log filtered by another practice's client: %s", describeRecords(recs))
	}
	r = e.As(auditor, `query($id: ID!) { clientAccessReport(clientId: $id) { id } }`, map[string]any{"id": foreign.ID})
	r.RequireNoErrors(t)
	if string(r.Data) != `{"clientAccessReport":[]}` {
		t.Fatalf("another practice's client's report: %s", r.Data)
	}
	if recs := auditLogAs(t, e, auditor, map[string]any{"memberId": otherAdmin.ID}); len(recs) != 0 {
		t.Fatalf("the log filtered by another practice's member: %s", describeRecords(recs))
	}
}

// §9: the practice's chain checks out after activity of every kind.
func TestAudit_Integrity_OkAfterActivity(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	admin := e.Member(p, graphtest.Admin())
	auditor := e.Member(p, graphtest.WithRole(practitionerRole(e, p, access.View, []access.Capability{access.ViewAuditLog})))
	stranger := e.Member(p)
	c := sensitiveClient(t, e, p, admin, "x", graphtest.ResponsibleIs(admin), graphtest.Visibility(access.CareTeam))
	e.As(admin, updatePhone, map[string]any{"id": c.ID, "p": "0400 123 123"}).RequireNoErrors(t)
	e.As(admin, `query($id: ID!) { client(id: $id) { medicalHistory { text } formResponses { answers } } }`, map[string]any{"id": c.ID}).RequireNoErrors(t)
	e.As(stranger, `query($id: ID!) { client(id: $id) { id } }`, map[string]any{"id": c.ID}).RequireNoErrors(t)
	requireCode(t, e.As(stranger, updatePhone, map[string]any{"id": c.ID, "p": "1"}), "NOT_FOUND")

	stored := 0
	for _, row := range storedRows(t, e) {
		if row.PracticeID == p.ID {
			stored++
		}
	}
	if stored < 5 {
		t.Fatalf("fixture: %d records", stored)
	}
	for _, who := range []*ent.Member{admin, auditor} {
		r := e.As(who, `{ auditIntegrity { ok checked headSeq firstBrokenId firstBrokenSeq } }`, nil)
		r.RequireNoErrors(t)
		var out struct {
			AuditIntegrity struct {
				OK             bool
				Checked        int
				HeadSeq        int
				FirstBrokenID  *string
				FirstBrokenSeq *int
			}
		}
		r.Decode(t, &out)
		got := out.AuditIntegrity
		if !got.OK || got.Checked != stored || got.HeadSeq != stored || got.FirstBrokenID != nil || got.FirstBrokenSeq != nil {
			t.Fatalf("auditIntegrity as %s: %s (%d records stored)", who.Name, r.Data, stored)
		}
	}
}

// §9, "when": the log is read newest first, from a time inclusive until a
// time exclusive, a page at a time.
func TestAudit_Log_NewestFirst_ByTimeAndPage(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	admin := e.Member(p, graphtest.Admin())
	c := e.NewClient(p)
	var marks []time.Time
	for i := range 3 {
		time.Sleep(5 * time.Millisecond)
		marks = append(marks, time.Now())
		time.Sleep(5 * time.Millisecond)
		e.As(admin, updatePhone, map[string]any{"id": c.ID, "p": fmt.Sprintf("0400 000 %03d", i)}).RequireNoErrors(t)
	}
	all := clientLog(t, e, admin, c.ID)
	if len(all) != 3 || !(all[0].Seq > all[1].Seq && all[1].Seq > all[2].Seq) {
		t.Fatalf("newest first: %s", describeRecords(all))
	}
	stamp := func(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }
	from := auditLogAs(t, e, admin, map[string]any{"clientId": c.ID, "from": stamp(marks[1])})
	until := auditLogAs(t, e, admin, map[string]any{"clientId": c.ID, "to": stamp(marks[1])})
	between := auditLogAs(t, e, admin, map[string]any{"clientId": c.ID, "from": stamp(marks[1]), "to": stamp(marks[2])})
	if len(from) != 2 || from[0].ID != all[0].ID || len(until) != 1 || until[0].ID != all[2].ID ||
		len(between) != 1 || between[0].ID != all[1].ID {
		t.Fatalf("by time: from %s\nuntil %s\nbetween %s", describeRecords(from), describeRecords(until), describeRecords(between))
	}
	exactly := auditLogAs(t, e, admin, map[string]any{"clientId": c.ID, "from": stamp(all[1].At), "to": stamp(all[0].At)})
	if len(exactly) != 1 || exactly[0].ID != all[1].ID {
		t.Fatalf("from is inclusive and to exclusive: %s", describeRecords(exactly))
	}

	page := func(after any) ([]pulid.ID, string) {
		r := e.As(admin, `query($a: String, $w: AuditWhereInput) { auditLog(first: 2, after: $a, where: $w) { edges { node { id } } pageInfo { endCursor } } }`,
			map[string]any{"a": after, "w": map[string]any{"clientId": c.ID}})
		r.RequireNoErrors(t)
		var out struct {
			AuditLog struct {
				Edges    []struct{ Node struct{ ID pulid.ID } }
				PageInfo struct{ EndCursor string }
			}
		}
		r.Decode(t, &out)
		var ids []pulid.ID
		for _, edge := range out.AuditLog.Edges {
			ids = append(ids, edge.Node.ID)
		}
		return ids, out.AuditLog.PageInfo.EndCursor
	}
	first, cursor := page(nil)
	second, _ := page(cursor)
	if !slices.Equal(append(first, second...), []pulid.ID{all[0].ID, all[1].ID, all[2].ID}) {
		t.Fatalf("pages %v then %v", first, second)
	}
}

// §9, decisions: "if they cannot be [written], the whole answer is
// UNAVAILABLE", and UNAVAILABLE is the contract's outage: HTTP 503 with
// Retry-After, so that clients and load balancers retry.
func TestAudit_LogCannotBeWritten_AnsweredAsAnOutage(t *testing.T) {
	e := withBrokenAudit(t, graphtest.OpenDB(t))
	p := e.Practice()
	admin := e.Member(p, graphtest.Admin())
	c := sensitiveClient(t, e, p, admin, "x")
	r := e.As(admin, `query($id: ID!) { client(id: $id) { medicalHistory { text } } }`, map[string]any{"id": c.ID})
	if len(r.Errors) != 1 || r.Errors[0].Code() != "UNAVAILABLE" || strings.Contains(string(r.Data), "history x") {
		t.Fatalf("want UNAVAILABLE and no history, got %s %+v", r.Data, r.Errors)
	}
	if r.Status != http.StatusServiceUnavailable || r.Header.Get("Retry-After") == "" {
		t.Fatalf("UNAVAILABLE answers HTTP 503 with Retry-After; got %d, Retry-After %q", r.Status, r.Header.Get("Retry-After"))
	}
}

// What a member types as an ID is recorded as given, and never makes the
// answer fail: a refused mutation naming an ID with a NUL character is
// refused and recorded alike on both databases.
func TestAudit_RefusedMutationWithAControlCharacterInItsID_RecordedNotUnavailable(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	admin, m := e.Member(p, graphtest.Admin()), e.Member(p)
	r := e.As(m, `mutation { updateClient(id: "CL\u0000x", input: { phone: "1" }) { id } }`, nil)
	requireCode(t, r, "BAD_USER_INPUT")
	rec := requireOne(t, "the refusal", auditLogAs(t, e, admin, map[string]any{"memberId": m.ID, "action": "refused"}))
	if !slices.Equal(rec.Fields, []string{"updateClient"}) || !strings.HasPrefix(rec.Subject, "CL") {
		t.Fatalf("the refusal: %s", describeRecords([]auditRecord{rec}))
	}
}
