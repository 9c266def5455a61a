package policytest

import (
	"encoding/csv"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"

	"caseload/ent"
	"caseload/ent/auditevent"
	"caseload/ent/schema/pulid"
	"caseload/graph/graphtest"
)

// Policy §9: "a client's access history can be exported for an access
// request": GET /audit/clients/{id}/access.csv and access.json, with the
// token in the Authorization header only, for admins and VIEW_AUDIT_LOG,
// and the export is itself recorded.

var exportHeader = []string{"at", "seq", "member_id", "member", "client_id", "client", "action", "fields", "decision",
	"request_id", "client_address", "reason", "subject"}

// exportRecord is one record of access.json.
type exportRecord struct {
	At            string
	Seq           int64
	MemberID      string
	Member        string
	ClientID      string
	Client        string
	Action        string
	Fields        []string
	Decision      string
	RequestID     string
	ClientAddress string
	Reason        string
	Subject       string
}

// export fetches a client's access report as m, with the token in the
// header.
func export(t *testing.T, e *graphtest.Env, m *ent.Member, c pulid.ID, file string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, "/audit/clients/"+string(c)+"/"+file, nil)
	req.Header.Set("Authorization", "Bearer "+e.Token(m))
	rec := httptest.NewRecorder()
	e.Handler.ServeHTTP(rec, req)
	return rec
}

func exportCSV(t *testing.T, e *graphtest.Env, m *ent.Member, c pulid.ID) [][]string {
	t.Helper()
	rec := export(t, e, m, c, "access.csv")
	if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/csv") {
		t.Fatalf("access.csv: status %d, type %q: %s", rec.Code, rec.Header().Get("Content-Type"), rec.Body.String())
	}
	rows, err := csv.NewReader(rec.Body).ReadAll()
	if err != nil {
		t.Fatalf("access.csv is not CSV: %v", err)
	}
	if len(rows) == 0 || !slices.Equal(rows[0], exportHeader) {
		t.Fatalf("access.csv header: %v", rows)
	}
	return rows[1:]
}

func exportJSON(t *testing.T, e *graphtest.Env, m *ent.Member, c pulid.ID) []exportRecord {
	t.Helper()
	rec := export(t, e, m, c, "access.json")
	if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") {
		t.Fatalf("access.json: status %d, type %q: %s", rec.Code, rec.Header().Get("Content-Type"), rec.Body.String())
	}
	var out []exportRecord
	if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
		t.Fatalf("access.json: %v: %s", err, rec.Body.String())
	}
	return out
}

// storedFor are the client's records in the table, oldest first.
func storedFor(t *testing.T, e *graphtest.Env, c pulid.ID) []*ent.AuditEvent {
	t.Helper()
	return e.Client().AuditEvent.Query().Where(auditevent.ClientIDEQ(c)).Order(ent.Asc(auditevent.FieldSeq)).AllX(e.Ctx)
}

// exportedClient is a client of p with a history of writes, reads and a
// refusal by members of p.
func exportedClient(t *testing.T, e *graphtest.Env, p *ent.Practice) (*ent.Member, *ent.ClientRecord) {
	t.Helper()
	admin := e.Member(p, graphtest.Admin())
	staff := e.Member(p, graphtest.Administrative())
	c := sensitiveClient(t, e, p, admin, "x")
	e.As(admin, updatePhone, map[string]any{"id": c.ID, "p": "0400 987 654"}).RequireNoErrors(t)
	e.As(admin, `query($id: ID!) { client(id: $id) { medicalHistory { text } formResponses { answers } } }`, map[string]any{"id": c.ID}).RequireNoErrors(t)
	e.As(staff, `query($id: ID!) { client(id: $id) { medicalHistory { text } } }`, map[string]any{"id": c.ID})
	e.As(admin, updatePhone, map[string]any{"id": c.ID, "p": "0400 987 655"}).RequireNoErrors(t)
	return admin, c
}

func TestAuditExport_CSVAndJSON_OneRowPerRecordOldestFirst(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	admin, c := exportedClient(t, e, p)
	stored := storedFor(t, e, c.ID)
	if len(stored) < 4 {
		t.Fatalf("fixture: %d records", len(stored))
	}

	rows := exportCSV(t, e, admin, c.ID)
	if len(rows) != len(stored) {
		t.Fatalf("access.csv: %d rows for %d records", len(rows), len(stored))
	}
	for i, row := range rows {
		s := stored[i]
		if row[1] != strconv.FormatInt(s.Seq, 10) || row[4] != string(c.ID) || row[5] != c.Name || row[6] != s.Action ||
			row[7] != strings.Join(s.Fields, " ") || row[8] != string(s.Decision) || row[9] != s.RequestID {
			t.Fatalf("access.csv row %d %v, stored %+v", i, row, s)
		}
		if s.ActorID == nil || row[2] != string(*s.ActorID) || row[3] == "" {
			t.Fatalf("access.csv row %d names no member: %v", i, row)
		}
	}
	// The export is itself recorded, and appears in the next one.
	exp := storedFor(t, e, c.ID)
	last := exp[len(exp)-1]
	if len(exp) != len(stored)+1 || last.Action != "audit export" || !slices.Equal(last.Fields, []string{"access.csv"}) ||
		last.ActorID == nil || *last.ActorID != admin.ID {
		t.Fatalf("the export's record: %+v", last)
	}

	recs := exportJSON(t, e, admin, c.ID)
	if len(recs) != len(exp) {
		t.Fatalf("access.json: %d records for %d stored", len(recs), len(exp))
	}
	for i, r := range recs {
		s := exp[i]
		if r.Seq != s.Seq || r.Action != s.Action || r.Client != c.Name || r.ClientID != string(c.ID) ||
			r.Decision != string(s.Decision) || !slices.Equal(r.Fields, s.Fields) || r.RequestID != s.RequestID || r.At == "" {
			t.Fatalf("access.json record %d %+v, stored %+v", i, r, s)
		}
	}
	if recs[len(recs)-1].Action != "audit export" || !slices.Equal(recs[len(recs)-1].Fields, []string{"access.csv"}) {
		t.Fatalf("the csv export is in the json one: %+v", recs[len(recs)-1])
	}
	if exp := storedFor(t, e, c.ID); exp[len(exp)-1].Action != "audit export" || !slices.Equal(exp[len(exp)-1].Fields, []string{"access.json"}) {
		t.Fatalf("the json export is recorded: %+v", exp[len(exp)-1])
	}
	// Nothing sensitive leaves in the report.
	for _, file := range []string{"access.csv", "access.json"} {
		if body := export(t, e, admin, c.ID, file).Body.String(); strings.Contains(body, "0400 987") || strings.Contains(body, "history x") {
			t.Fatalf("%s holds a value: %s", file, body)
		}
	}
}

// A cell a spreadsheet would read as a formula (=, +, -, @) is quoted in
// the CSV; the JSON keeps the value as it is.
func TestAuditExport_CSV_FormulaCellsStartWithAQuote(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	admin, c := exportedClient(t, e, p)
	const (
		name   = "=cmd|' /C calc'!A0"
		member = "+SUM(1+1)*cmd|' /C calc'!A0"
		reqID  = "-2-3"
	)
	e.Client().ClientRecord.UpdateOne(c).SetName(name).ExecX(e.Ctx)
	e.Client().Member.UpdateOne(admin).SetName(member).ExecX(e.Ctx)
	e.From("192.0.2.1:1234", "X-Request-Id", reqID).As(admin, updatePhone, map[string]any{"id": c.ID, "p": "0400 000 001"}).RequireNoErrors(t)

	rows := exportCSV(t, e, admin, c.ID)
	var sawRequest bool
	for _, row := range rows {
		if row[5] != "'"+name || (row[2] == string(admin.ID) && row[3] != "'"+member) {
			t.Fatalf("a formula cell is not quoted: %q", row)
		}
		if row[9] == "'"+reqID {
			sawRequest = true
		}
		for i, cell := range row {
			if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
				t.Fatalf("cell %s starts a formula: %q", exportHeader[i], cell)
			}
		}
	}
	if !sawRequest {
		t.Fatalf("no row carries the request id %q quoted: %q", reqID, rows)
	}
	for _, r := range exportJSON(t, e, admin, c.ID) {
		if r.Client != name || (r.MemberID == string(admin.ID) && r.Member != member) {
			t.Fatalf("access.json changes the values: %+v", r)
		}
	}
}

// The token is taken from the Authorization header only: in the URL, which
// logs and browsers keep, it opens nothing and nothing is recorded.
func TestAuditExport_TokenInTheQueryString_NotAccepted(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	admin, c := exportedClient(t, e, p)
	before := len(storedRows(t, e))
	token := e.Token(admin)
	for _, q := range []string{"token", "access_token", "authorization", "bearer"} {
		for _, file := range []string{"access.csv", "access.json"} {
			r := e.Raw(http.MethodGet, "/audit/clients/"+string(c.ID)+"/"+file+"?"+q+"="+token, "", "", nil)
			if r.Status != http.StatusUnauthorized {
				t.Fatalf("?%s= on %s: status %d", q, file, r.Status)
			}
		}
	}
	if n := len(storedRows(t, e)); n != before {
		t.Fatalf("a refused export was recorded as one: %d records, was %d", n, before)
	}
	// The other side: the same token in the header.
	if rec := export(t, e, admin, c.ID, "access.csv"); rec.Code != http.StatusOK {
		t.Fatalf("the token in the header: status %d", rec.Code)
	}
}

// An export names only the practice's records: another practice's client
// yields a header and nothing else.
func TestAuditExport_AnotherPracticesClient_NoRecords(t *testing.T) {
	e := graphtest.New(t)
	_, foreign := exportedClient(t, e, e.Practice())
	admin := e.Member(e.Practice(), graphtest.Admin())
	if rows := exportCSV(t, e, admin, foreign.ID); len(rows) != 0 {
		t.Fatalf("another practice's client's records: %q", rows)
	}
	// The admin's own export, recorded in their practice, is all there is.
	for _, r := range exportJSON(t, e, admin, foreign.ID) {
		if r.Action != "audit export" || r.MemberID != string(admin.ID) || r.Client != "" {
			t.Fatalf("another practice's client's records: %+v", r)
		}
	}
	if body := export(t, e, admin, foreign.ID, "access.csv").Body.String(); strings.Contains(body, foreign.Name) {
		t.Fatalf("the export names another practice's client: %s", body)
	}
}

// A client ID in the path that cannot exist answers as one never issued,
// on both databases: no rows, not an outage.
func TestAuditExport_MalformedClientID_AnsweredAsAnUnknownID(t *testing.T) {
	e := graphtest.New(t)
	admin := e.Member(e.Practice(), graphtest.Admin())
	want := e.Raw(http.MethodGet, "/audit/clients/"+string(pulid.MustNew("CL"))+"/access.csv", e.Token(admin), "", nil).Status
	if want != http.StatusOK {
		t.Fatalf("fixture: an unknown ID answers %d", want)
	}
	for _, id := range []string{"%00", "%FF", "CL%00x", strings.Repeat("A", 500)} {
		if r := e.Raw(http.MethodGet, "/audit/clients/"+id+"/access.csv", e.Token(admin), "", nil); r.Status != want {
			t.Errorf("/audit/clients/%.20s/access.csv: status %d, an unknown ID's is %d", id, r.Status, want)
		}
	}
}
