package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"caseload/ent/audit"
	"caseload/ent/viewer"

	entsql "entgo.io/ent/dialect/sql"
)

// `caseload audit verify` exits zero on an intact chain and non-zero,
// naming the record, on one changed behind the application's back; a
// checkpoint kept from before finds the newest record deleted.
func TestAuditVerifyCommand_IntactThenTampered(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "caseload.db")
	keyArgs := []string{"-database", dbPath, "-audit-key", "an-audit-key-of-at-least-32-bytes!!"}
	db, err := openAndMigrate(ctx, dbPath, true)
	if err != nil {
		t.Fatal(err)
	}
	p, err := db.Client.Practice.Create().SetName("Audited").Save(viewer.Bypass(ctx, "test fixture"))
	if err != nil {
		t.Fatal(err)
	}
	w := &audit.Writer{Key: []byte("an-audit-key-of-at-least-32-bytes!!"), Driver: entsql.OpenDB(db.Dialect, db.SQL)}
	for i := 0; i < 3; i++ {
		rctx := audit.WithWriter(audit.NewRequest(ctx, audit.Meta{RequestID: "req"}), w)
		audit.Record(rctx, audit.Event{PracticeID: p.ID, Action: audit.ActionLogin, Subject: strings.Repeat("x", i+1)})
		if err := audit.Flush(rctx); err != nil {
			t.Fatal(err)
		}
	}
	var out bytes.Buffer
	if err := auditCmd(ctx, append([]string{"verify"}, keyArgs...), &out); err != nil || !strings.Contains(out.String(), "ok ") {
		t.Fatalf("an intact chain verifies: %v %s", err, out.String())
	}
	out.Reset()
	if err := auditCmd(ctx, append([]string{"checkpoint"}, keyArgs...), &out); err != nil {
		t.Fatal(err)
	}
	cps := filepath.Join(dir, "checkpoints.jsonl")
	if err := os.WriteFile(cps, out.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"DROP TRIGGER audit_events_no_delete", "DELETE FROM audit_events WHERE seq = 3",
		"UPDATE audit_heads SET seq = 2, hash = (SELECT hash FROM audit_events WHERE seq = 2)"} {
		if _, err := db.SQL.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	out.Reset()
	if err := auditCmd(ctx, append([]string{"verify"}, keyArgs...), &out); err != nil {
		t.Fatalf("without checkpoints, a chain cut at its end still holds together: %v %s", err, out.String())
	}
	out.Reset()
	err = auditCmd(ctx, append([]string{"verify", "-checkpoints", cps}, keyArgs...), &out)
	if !errors.Is(err, errBroken) || !strings.Contains(out.String(), "BROKEN") {
		t.Fatalf("the checkpoint finds the deleted record: %v %s", err, out.String())
	}
	_ = db.Close()
}
