package policytest

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"caseload/ent"
	"caseload/ent/audit"
	"caseload/ent/auditevent"
	"caseload/graph/graphtest"
	"caseload/graph/server"
)

// Policy §9: the record is append-only and tampering is detectable.

// auditedPractice makes a practice whose admin changes a client's phone
// n times, each change a record of its audit chain.
func auditedPractice(t *testing.T, e *graphtest.Env, n int) (*ent.Practice, *ent.Member, *ent.ClientRecord) {
	t.Helper()
	p := e.Practice()
	admin := e.Member(p, graphtest.Admin())
	c := e.NewClient(p)
	for i := range n {
		e.As(admin, `mutation($id: ID!, $p: String) { updateClient(id: $id, input: { phone: $p }) { id } }`,
			map[string]any{"id": c.ID, "p": fmt.Sprintf("0400 000 %03d", i)}).RequireNoErrors(t)
	}
	return p, admin, c
}

func verify(t *testing.T, e *graphtest.Env, p *ent.Practice, cps ...audit.Checkpoint) audit.Integrity {
	t.Helper()
	res, err := audit.Verify(context.Background(), e.Client(), graphtest.AuditKey, p.ID, cps...)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// tamper runs SQL past the triggers: it switches them off, as someone with
// the database's keys could, then on again.
func tamper(t *testing.T, e *graphtest.Env, stmts ...string) {
	t.Helper()
	pg := e.DB.Dialect == "postgres"
	run := func(q string) {
		if _, err := e.DB.SQL.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if pg {
		run(`ALTER TABLE audit_events DISABLE TRIGGER USER`)
		defer run(`ALTER TABLE audit_events ENABLE TRIGGER USER`)
	} else {
		run(`DROP TRIGGER audit_events_no_update`)
		run(`DROP TRIGGER audit_events_no_delete`)
		defer run("CREATE TRIGGER `audit_events_no_update` BEFORE UPDATE ON `audit_events` BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END;")
		defer run("CREATE TRIGGER `audit_events_no_delete` BEFORE DELETE ON `audit_events` BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END;")
	}
	for _, s := range stmts {
		run(s)
	}
}

func TestAuditLog_AppendOnly_DatabaseRefusesUpdateDeleteTruncate(t *testing.T) {
	e := graphtest.New(t)
	p, _, _ := auditedPractice(t, e, 2)
	stmts := []string{
		`UPDATE audit_events SET reason = 'edited'`,
		`DELETE FROM audit_events`,
	}
	if e.DB.Dialect == "postgres" {
		stmts = append(stmts, `TRUNCATE audit_events`)
	}
	for _, q := range stmts {
		if _, err := e.DB.SQL.Exec(q); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Fatalf("%s: want a refusal, got %v", q, err)
		}
	}
	if res := verify(t, e, p); !res.OK || res.Checked < 2 {
		t.Fatalf("the chain is intact: %+v", res)
	}
}

func TestAuditVerify_FindsARecordEditedDeletedOrSwappedBehindTheAPI(t *testing.T) {
	for _, tc := range []struct {
		name  string
		sql   func(p *ent.Practice) []string
		first int64
	}{
		{"edited", func(p *ent.Practice) []string {
			return []string{fmt.Sprintf(`UPDATE audit_events SET reason = 'nothing happened' WHERE practice_id = '%s' AND seq = 3`, p.ID)}
		}, 3},
		{"deleted", func(p *ent.Practice) []string {
			return []string{fmt.Sprintf(`DELETE FROM audit_events WHERE practice_id = '%s' AND seq = 2`, p.ID)}
		}, 2},
		{"swapped", func(p *ent.Practice) []string {
			return []string{
				fmt.Sprintf(`UPDATE audit_events SET seq = 1000 WHERE practice_id = '%s' AND seq = 2`, p.ID),
				fmt.Sprintf(`UPDATE audit_events SET seq = 2 WHERE practice_id = '%s' AND seq = 3`, p.ID),
				fmt.Sprintf(`UPDATE audit_events SET seq = 3 WHERE practice_id = '%s' AND seq = 1000`, p.ID),
			}
		}, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := graphtest.New(t)
			p, admin, _ := auditedPractice(t, e, 4)
			if res := verify(t, e, p); !res.OK {
				t.Fatalf("before: %+v", res)
			}
			tamper(t, e, tc.sql(p)...)
			res := verify(t, e, p)
			if res.OK || res.FirstBrokenSeq != tc.first {
				t.Fatalf("want the record at %d named, got %+v", tc.first, res)
			}
			r := e.As(admin, `{ auditIntegrity { ok firstBrokenSeq } }`, nil)
			r.RequireNoErrors(t)
			if !strings.Contains(string(r.Data), fmt.Sprintf(`"ok":false,"firstBrokenSeq":%d`, tc.first)) {
				t.Fatalf("auditIntegrity names it too: %s", r.Data)
			}
		})
	}
}

// Deleting the newest records and rewinding the head leaves a chain that
// holds together: only a checkpoint kept outside the database finds it.
func TestAuditVerify_NewestRecordsDeleted_FoundByACheckpoint(t *testing.T) {
	e := graphtest.New(t)
	p, _, _ := auditedPractice(t, e, 4)
	cp, err := audit.TakeCheckpoint(context.Background(), e.Client(), graphtest.AuditKey, p.ID, time.Now())
	if err != nil || cp.Seq < 4 || !cp.Valid(graphtest.AuditKey) {
		t.Fatalf("checkpoint: %+v %v", cp, err)
	}
	last, err := e.Client().AuditEvent.Query().Where(auditevent.PracticeIDEQ(p.ID), auditevent.SeqEQ(cp.Seq-1)).Only(e.Ctx)
	if err != nil {
		t.Fatal(err)
	}
	tamper(t, e, fmt.Sprintf(`DELETE FROM audit_events WHERE practice_id = '%s' AND seq = %d`, p.ID, cp.Seq))
	if _, err := e.DB.SQL.Exec(fmt.Sprintf(`UPDATE audit_heads SET seq = %d, hash = '%s' WHERE practice_id = '%s'`, cp.Seq-1, last.Hash, p.ID)); err != nil {
		t.Fatal(err)
	}
	if res := verify(t, e, p); !res.OK {
		t.Fatalf("without the checkpoint the shortened chain holds: %+v", res)
	}
	if res := verify(t, e, p, cp); res.OK || res.FirstBrokenSeq != cp.Seq {
		t.Fatalf("the checkpoint finds the deleted record %d: %+v", cp.Seq, res)
	}
	forged := cp
	forged.Seq = cp.Seq - 1
	if res := verify(t, e, p, forged); res.OK {
		t.Fatalf("a checkpoint whose signature does not hold is refused: %+v", res)
	}
}

// Fifty requests writing at once extend one chain: every place once, every
// link holding.
func TestAuditChain_FiftyConcurrentWriters_OneValidChain(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	admin := e.Member(p, graphtest.Admin())
	clients := make([]*ent.ClientRecord, 50)
	for i := range clients {
		clients[i] = e.NewClient(p)
	}
	var wg sync.WaitGroup
	errs := make([]string, 50)
	for i := range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := e.As(admin, `mutation($id: ID!) { updateClient(id: $id, input: { phone: "0411 111 111" }) { medicalHistory { text } } }`, map[string]any{"id": clients[i].ID})
			if len(r.Errors) > 0 {
				errs[i] = fmt.Sprint(r.Errors)
			}
		}()
	}
	wg.Wait()
	for _, e := range errs {
		if e != "" && !strings.Contains(e, "CONFLICT") {
			t.Fatalf("a writer failed: %s", e)
		}
	}
	res := verify(t, e, p)
	if !res.OK || res.Checked < 50 || res.HeadSeq != int64(res.Checked) {
		t.Fatalf("one valid chain: %+v", res)
	}
}

// A hundred requests at once in one practice, the ways a clinic's screens
// send them (a client's medical history through client, node and a page,
// and changes of a phone number returning it), all succeed and extend one
// chain: writers that keep losing the race for the chain's head wait their
// turn instead of answering UNAVAILABLE.
func TestAuditChain_HundredMixedConcurrentRequests_NoneUnavailable(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	admin := e.Member(p, graphtest.Admin())
	const n = 100
	clients := make([]*ent.ClientRecord, n)
	for i := range clients {
		clients[i] = e.NewClient(p)
	}
	requests := []string{
		`query($id: ID!) { client(id: $id) { medicalHistory { text } } }`,
		`query($id: ID!) { node(id: $id) { ... on Client { medicalHistory { text } } } }`,
		`query($id: ID!) { clients(first: 5, where: { id: $id }) { edges { node { medicalHistory { text } } } } }`,
		`mutation($id: ID!) { updateClient(id: $id, input: { phone: "0411 111 111" }) { medicalHistory { text } } }`,
	}
	var wg sync.WaitGroup
	errs := make([]string, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := e.As(admin, requests[i%len(requests)], map[string]any{"id": clients[i].ID})
			if len(r.Errors) > 0 || !strings.Contains(string(r.Data), "medicalHistory") {
				errs[i] = fmt.Sprint(string(r.Data), r.Errors)
			}
		}()
	}
	wg.Wait()
	for i, e := range errs {
		if e != "" {
			t.Fatalf("%s failed: %s", requests[i%len(requests)], e)
		}
	}
	res := verify(t, e, p)
	if !res.OK || res.Checked < n || res.HeadSeq != int64(res.Checked) {
		t.Fatalf("one valid chain of at least %d records: %+v", n, res)
	}
}

// A mutation writes its practice's first audit record in its own
// transaction, on the connection it holds, so with a pool of one connection
// it still completes. Wanting a second connection while holding one is how
// fifty first writers at once filled the pool and waited on it until their
// deadline.
func TestAuditChainFirstRecord_OneConnection_MutationCompletes(t *testing.T) {
	db := graphtest.OpenDB(t)
	db.SQL.SetMaxOpenConns(1)
	e := graphtest.NewOn(t, db, func(o *server.Options) { o.Limits.Timeout = 5 * time.Second })
	p := e.Practice()
	admin := e.Member(p, graphtest.Admin())
	c := e.NewClient(p)
	e.As(admin, `mutation($id: ID!) { updateClient(id: $id, input: { phone: "0411 111 111" }) { medicalHistory { text } } }`,
		map[string]any{"id": c.ID}).RequireNoErrors(t)
	if res := verify(t, e, p); !res.OK || res.Checked < 1 {
		t.Fatalf("the first record is written: %+v", res)
	}
}

// The same first record through a counting driver, whose transactions wrap
// the real one (as the traced driver's do in production): the head is made
// and counted, not refused for want of the wrapped ExecContext.
func TestAuditChainFirstRecord_CountedDriver_MutationCompletes(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	admin := e.Member(p, graphtest.Admin())
	c := e.NewClient(p)
	counter := e.CountStatements(t)
	e.As(admin, `mutation($id: ID!) { updateClient(id: $id, input: { phone: "0411 111 111" }) { medicalHistory { text } } }`,
		map[string]any{"id": c.ID}).RequireNoErrors(t)
	if res := verify(t, e, p); !res.OK || res.Checked < 1 || counter.N() == 0 {
		t.Fatalf("the first record is written through the counted driver: %+v, %d statements", res, counter.N())
	}
}

// If the audit log cannot be written, the response is UNAVAILABLE and
// carries no sensitive value: nothing leaves without its record.
func TestAuditWriteFails_ResponseUnavailable_NoSensitiveData(t *testing.T) {
	e := withBrokenAudit(t, graphtest.OpenDB(t))
	p := e.Practice()
	admin := e.Member(p, graphtest.Admin())
	c := e.NewClient(p)
	const marker = "MARKER-HISTORY-7431"
	if err := e.Client().MedicalHistory.Create().SetPracticeID(p.ID).SetClientID(c.ID).SetText(marker).Exec(e.Ctx); err != nil {
		t.Fatal(err)
	}
	r := e.As(admin, `query($id: ID!) { client(id: $id) { medicalHistory { text } } }`, map[string]any{"id": c.ID})
	if strings.Contains(string(r.Data), marker) || len(r.Errors) != 1 || r.Errors[0].Code() != "UNAVAILABLE" {
		t.Fatalf("want UNAVAILABLE and no history, got data %s errors %+v", r.Data, r.Errors)
	}
	// A read of nothing sensitive records nothing and is served.
	e.As(admin, `query($id: ID!) { client(id: $id) { name } }`, map[string]any{"id": c.ID}).RequireNoErrors(t)
}
