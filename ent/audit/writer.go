package audit

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	"github.com/lib/pq"

	"caseload/ent"
	"caseload/ent/auditevent"
	"caseload/ent/audithead"
	"caseload/ent/schema/pulid"
	"caseload/ent/viewer"
)

// Writer appends records to the practices' chains.
type Writer struct {
	// Key signs the records and checkpoints. It is kept outside the
	// database: whoever can rewrite the database cannot re-sign it.
	Key []byte
	// DB is the database, reached directly for the request's batch.
	DB      *sql.DB
	Dialect string

	// heads remembers each chain's head as this writer last left it.
	mu    sync.Mutex
	heads map[pulid.ID]head
}

// ErrUnavailable wraps a failure to write the audit log: the API answers
// UNAVAILABLE rather than serve what it could not record.
var ErrUnavailable = errors.New("the audit log cannot be written")

type writerKey struct{}

// WithWriter returns a context whose scopes are written by w.
func WithWriter(ctx context.Context, w *Writer) context.Context {
	return context.WithValue(ctx, writerKey{}, w)
}

func writerOf(ctx context.Context) *Writer {
	w, _ := ctx.Value(writerKey{}).(*Writer)
	return w
}

// Flush writes the request's events before its response leaves. On
// PostgreSQL each practice's batch is one statement, in steady state: the
// writer remembers each chain's head, and the statement moves the head
// only if it is still the one remembered, inserting the records in the
// same statement; if another writer moved it first, the head is read again
// and the batch chained anew. On SQLite one transaction, whose write lock
// orders writers. An error is ErrUnavailable.
func Flush(ctx context.Context) error {
	events := take(ctx)
	w := writerOf(ctx)
	if len(events) == 0 || w == nil {
		return nil
	}
	if w.Dialect == dialect.Postgres {
		for _, chain := range byPractice(events) {
			if err := w.appendOptimistic(ctx, chain); err != nil {
				return fmt.Errorf("%w: %v", ErrUnavailable, err)
			}
		}
		return nil
	}
	tx, err := w.DB.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrUnavailable, err)
	}
	for _, chain := range byPractice(events) {
		if err := w.appendRaw(ctx, tx, chain); err != nil {
			_ = tx.Rollback()
			return fmt.Errorf("%w: %v", ErrUnavailable, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("%w: %v", ErrUnavailable, err)
	}
	return nil
}

// head is a chain's last place and hash.
type head struct {
	seq  int64
	hash string
}

// maxAppendAttempts bounds how often a batch is chained anew after other
// writers moved the head first.
const maxAppendAttempts = 20

// appendOptimistic extends one practice's chain on PostgreSQL.
func (w *Writer) appendOptimistic(ctx context.Context, events []Event) error {
	p := events[0].PracticeID
	for attempt := 0; attempt < maxAppendAttempts; attempt++ {
		h, ok := w.cached(p)
		if !ok {
			var err error
			if h, err = w.readHead(ctx, p); err != nil {
				return err
			}
		}
		records := w.chain(events, h.seq, h.hash)
		last := records[len(records)-1]
		args := append(columns(records), last.Seq, last.Hash, p, h.seq, h.hash)
		var n int
		if err := w.DB.QueryRowContext(ctx, `WITH h AS (UPDATE audit_heads SET seq = $16, hash = $17 WHERE practice_id = $18 AND seq = $19 AND hash = $20 RETURNING 1),
			ins AS (INSERT INTO audit_events (id, practice_id, seq, at, actor_id, client_id, action, fields, decision, request_id, client_address, reason, subject, prev_hash, hash)
				SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::timestamptz[], $5::text[], $6::text[], $7::text[], $8::jsonb[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[])
				WHERE EXISTS (SELECT 1 FROM h) RETURNING 1)
			SELECT count(*) FROM ins`, args...).Scan(&n); err != nil {
			w.forget(p)
			return err
		}
		if n == len(records) {
			w.remember(p, head{last.Seq, last.Hash})
			return nil
		}
		// Another writer moved the head: read it and chain again.
		w.forget(p)
	}
	return errors.New("the audit chain's head kept moving")
}

// readHead reads a chain's head, making it the first time.
func (w *Writer) readHead(ctx context.Context, p pulid.ID) (head, error) {
	var h head
	if _, err := w.DB.ExecContext(ctx, `INSERT INTO audit_heads (practice_id, seq, hash) VALUES ($1, 0, '') ON CONFLICT (practice_id) DO NOTHING`, p); err != nil {
		return h, err
	}
	err := w.DB.QueryRowContext(ctx, `SELECT seq, hash FROM audit_heads WHERE practice_id = $1`, p).Scan(&h.seq, &h.hash)
	return h, err
}

func (w *Writer) cached(p pulid.ID) (head, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	h, ok := w.heads[p]
	return h, ok
}

func (w *Writer) remember(p pulid.ID, h head) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.heads == nil {
		w.heads = map[pulid.ID]head{}
	}
	w.heads[p] = h
}

func (w *Writer) forget(p pulid.ID) {
	w.mu.Lock()
	defer w.mu.Unlock()
	delete(w.heads, p)
}

// FlushTx writes the mutation field's events with its transaction's client,
// so that a change and its record commit together or not at all.
func FlushTx(ctx context.Context, tx *ent.Client) error {
	events := take(ctx)
	w := writerOf(ctx)
	if len(events) == 0 || w == nil {
		return nil
	}
	for _, chain := range byPractice(events) {
		if err := w.appendEnt(ctx, tx, chain); err != nil {
			return fmt.Errorf("%w: %v", ErrUnavailable, err)
		}
	}
	return nil
}

// byPractice splits events by chain, in a fixed order of practices so that
// two writers lock heads in the same order.
func byPractice(events []Event) [][]Event {
	m := map[pulid.ID][]Event{}
	for _, e := range events {
		e.At = Stamp(e.At)
		m[e.PracticeID] = append(m[e.PracticeID], e)
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, string(k))
	}
	sort.Strings(keys)
	out := make([][]Event, 0, len(keys))
	for _, k := range keys {
		out = append(out, m[pulid.ID(k)])
	}
	return out
}

// record is an event with its place and hashes.
type record struct {
	Event
	ID         pulid.ID
	Seq        int64
	Prev, Hash string
}

// chain gives events their places after the head (seq, hash).
func (w *Writer) chain(events []Event, headSeq int64, headHash string) []record {
	out := make([]record, len(events))
	prev := headHash
	for i, e := range events {
		r := record{Event: e, ID: pulid.MustNew("AU"), Seq: headSeq + int64(i) + 1, Prev: prev}
		r.Hash = Hash(w.Key, prev, r.ID, r.Seq, e)
		prev = r.Hash
		out[i] = r
	}
	return out
}

// appendRaw extends one practice's chain on SQLite, in the caller's
// transaction: the head is taken (and made, the first time), the records
// inserted and the head moved.
func (w *Writer) appendRaw(ctx context.Context, tx *sql.Tx, events []Event) error {
	p := events[0].PracticeID
	n := int64(len(events))
	var seq int64
	var hash string
	if err := tx.QueryRowContext(ctx, w.ph(`INSERT INTO audit_heads (practice_id, seq, hash) VALUES (?, ?, '')
		ON CONFLICT (practice_id) DO UPDATE SET seq = audit_heads.seq + excluded.seq RETURNING seq, hash`), p, n).Scan(&seq, &hash); err != nil {
		return err
	}
	records := w.chain(events, seq-n, hash)
	last := records[len(records)-1].Hash
	insert, args := w.insertSQL(records)
	if _, err := tx.ExecContext(ctx, insert, args...); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `UPDATE audit_heads SET hash = ? WHERE practice_id = ?`, last, p)
	return err
}

// insertSQL is one INSERT of the records, with ? placeholders.
func (w *Writer) insertSQL(records []record) (string, []any) {
	var b strings.Builder
	b.WriteString(`INSERT INTO audit_events (id, practice_id, seq, at, actor_id, client_id, action, fields, decision, request_id, client_address, reason, subject, prev_hash, hash) VALUES `)
	args := make([]any, 0, 15*len(records))
	for i, r := range records {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
		fields, _ := json.Marshal(nonNil(r.Fields))
		args = append(args, r.ID, r.PracticeID, r.Seq, r.At, nullable(r.ActorID), nullable(r.ClientID), r.Action, string(fields),
			string(r.Decision), r.RequestID, r.ClientAddress, r.Reason, r.Subject, r.Prev, r.Hash)
	}
	return b.String(), args
}

// ph turns ? placeholders into PostgreSQL's $n.
func (w *Writer) ph(q string) string {
	if w.Dialect != dialect.Postgres {
		return q
	}
	var b strings.Builder
	n := 0
	for _, c := range q {
		if c == '?' {
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteRune(c)
	}
	return b.String()
}

// appendEnt extends one practice's chain inside an Ent transaction: the
// head is locked, the records inserted in one statement, the head moved.
func (w *Writer) appendEnt(ctx context.Context, tx *ent.Client, events []Event) error {
	p := events[0].PracticeID
	// The head moves under the remembered one, if this commits.
	w.forget(p)
	ctx = viewer.Bypass(ctx, "policy §9: the audit log is written by its own code, past privacy")
	head, err := tx.AuditHead.Query().Where(audithead.IDEQ(p)).Modify(lockNoKey).Only(ctx)
	if ent.IsNotFound(err) {
		// The chain's first record. On SQLite this transaction holds the
		// only write lock: make the head in it. On PostgreSQL another
		// transaction may be making it too: make it outside this one,
		// where a second attempt does nothing, then lock it.
		if w.Dialect != dialect.Postgres {
			head, err = tx.AuditHead.Create().SetID(p).SetSeq(0).SetHash("").Save(ctx)
		} else {
			if _, err := w.DB.ExecContext(ctx, `INSERT INTO audit_heads (practice_id, seq, hash) VALUES ($1, 0, '') ON CONFLICT (practice_id) DO NOTHING`, p); err != nil {
				return err
			}
			head, err = tx.AuditHead.Query().Where(audithead.IDEQ(p)).Modify(lockNoKey).Only(ctx)
		}
	}
	if err != nil {
		return err
	}
	records := w.chain(events, head.Seq, head.Hash)
	creates := make([]*ent.AuditEventCreate, len(records))
	for i, r := range records {
		c := tx.AuditEvent.Create().SetID(r.ID).SetPracticeID(p).SetSeq(r.Seq).SetAt(r.At).
			SetAction(r.Action).SetFields(nonNil(r.Fields)).SetDecision(auditevent.Decision(r.Decision)).
			SetRequestID(r.RequestID).SetClientAddress(r.ClientAddress).SetReason(r.Reason).SetSubject(r.Subject).
			SetPrevHash(r.Prev).SetHash(r.Hash)
		if r.ActorID != "" {
			c.SetActorID(r.ActorID)
		}
		if r.ClientID != "" {
			c.SetClientID(r.ClientID)
		}
		creates[i] = c
	}
	if err := tx.AuditEvent.CreateBulk(creates...).Exec(ctx); err != nil {
		return err
	}
	last := records[len(records)-1]
	return tx.AuditHead.UpdateOneID(p).SetSeq(last.Seq).SetHash(last.Hash).Exec(ctx)
}

// lockNoKey locks the head: FOR NO KEY UPDATE on PostgreSQL, so that it
// never blocks inserts referencing the practice.
func lockNoKey(s *entsql.Selector) {
	if s.Dialect() == dialect.Postgres {
		s.For(entsql.LockNoKeyUpdate)
	}
}

func nullable(id pulid.ID) any {
	if id == "" {
		return nil
	}
	return string(id)
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// columns are the records as one array per column, for PostgreSQL's
// unnest.
func columns(records []record) []any {
	n := len(records)
	ids, practices, actions, decisions, requests, addresses, reasons, subjects, prevs, hashes :=
		make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n),
		make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	seqs := make([]int64, n)
	ats := make([]string, n)
	actors, clients := make([]sql.NullString, n), make([]sql.NullString, n)
	fields := make([]string, n)
	for i, r := range records {
		ids[i], practices[i], seqs[i], ats[i] = string(r.ID), string(r.PracticeID), r.Seq, r.At.Format(time.RFC3339Nano)
		actors[i] = sql.NullString{String: string(r.ActorID), Valid: r.ActorID != ""}
		clients[i] = sql.NullString{String: string(r.ClientID), Valid: r.ClientID != ""}
		f, _ := json.Marshal(nonNil(r.Fields))
		fields[i] = string(f)
		actions[i], decisions[i], requests[i], addresses[i] = r.Action, string(r.Decision), r.RequestID, r.ClientAddress
		reasons[i], subjects[i], prevs[i], hashes[i] = r.Reason, r.Subject, r.Prev, r.Hash
	}
	return []any{pq.Array(ids), pq.Array(practices), pq.Array(seqs), pq.Array(ats), nullArray(actors), nullArray(clients),
		pq.Array(actions), pq.Array(fields), pq.Array(decisions), pq.Array(requests), pq.Array(addresses), pq.Array(reasons),
		pq.Array(subjects), pq.Array(prevs), pq.Array(hashes)}
}

// nullArray is a text array whose empty entries are NULL.
func nullArray(v []sql.NullString) any { return pq.Array(v) }
