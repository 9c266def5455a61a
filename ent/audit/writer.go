package audit

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"

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

// Flush writes the request's events in a transaction of its own, before
// its response leaves: on PostgreSQL two statements per practice whatever
// the number of events. An error is ErrUnavailable.
func Flush(ctx context.Context) error {
	events := take(ctx)
	w := writerOf(ctx)
	if len(events) == 0 || w == nil {
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

// appendRaw extends one practice's chain: the head is taken (and made, the
// first time) with its lock in one statement; the records are inserted and
// the head moved in a second on PostgreSQL, two on SQLite.
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
	insert, args := w.insertSQL(records)
	last := records[len(records)-1].Hash
	if w.Dialect == dialect.Postgres {
		args = append(args, last, p)
		_, err := tx.ExecContext(ctx, w.ph(`WITH ins AS (`+insert+` RETURNING 1) UPDATE audit_heads SET hash = ? WHERE practice_id = ?`), args...)
		return err
	}
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
