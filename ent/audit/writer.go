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
	// Driver reaches the database directly for the request's batch, past
	// Ent's hooks: the same kind of driver as the Ent client's, so that
	// these statements are traced and counted as the rest are.
	Driver dialect.Driver

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
// PostgreSQL each practice's batch is one statement in steady state: the
// writer remembers each chain's head, and the audit_append function (a
// migration, planned once per connection) moves the head only if it is
// still the one remembered, inserting the records in the same statement;
// if another writer moved it first, the head is read again and the batch
// chained anew, and after a few lost races appended under the head's row
// lock. On SQLite one transaction, whose write lock orders writers. An
// error is ErrUnavailable.
func Flush(ctx context.Context) error {
	events := take(ctx)
	w := writerOf(ctx)
	if len(events) == 0 || w == nil {
		return nil
	}
	start := time.Now()
	err := w.flush(ctx, events)
	observe(ctx, RequestBatch, start, events, err)
	return err
}

// flush writes a request's batch: Flush's work.
func (w *Writer) flush(ctx context.Context, events []Event) error {
	if w.Driver.Dialect() == dialect.Postgres {
		for _, chain := range byPractice(events) {
			if err := w.appendOptimistic(ctx, chain); err != nil {
				return fmt.Errorf("%w: %v", ErrUnavailable, err)
			}
		}
		return nil
	}
	tx, err := w.Driver.Tx(ctx)
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

// optimisticAttempts is how often a batch is chained anew after other
// writers moved the head first, before it waits its turn on the head's lock
// (appendLocked): without a lock, a writer among many can lose every race.
const optimisticAttempts = 3

// appendOptimistic extends one practice's chain on PostgreSQL.
func (w *Writer) appendOptimistic(ctx context.Context, events []Event) error {
	p := events[0].PracticeID
	for attempt := 0; attempt < optimisticAttempts; attempt++ {
		h, ok := w.cached(p)
		if !ok {
			var err error
			if h, err = readHead(ctx, w.Driver, p, ""); err != nil {
				return err
			}
		}
		moved, err := w.appendAfter(ctx, w.Driver, p, h, events)
		if err != nil {
			w.forget(p)
			return err
		}
		if moved {
			return nil
		}
		// Another writer moved the head: read it and chain again.
		w.forget(p)
	}
	return w.appendLocked(ctx, p, events)
}

// appendLocked extends one practice's chain on PostgreSQL in a transaction
// that holds the head's row lock, so the append cannot lose a race: writers
// under contention queue on the lock rather than retry. It costs a
// transaction and two more statements, so only writers that lost
// optimisticAttempts races take it.
func (w *Writer) appendLocked(ctx context.Context, p pulid.ID, events []Event) (err error) {
	tx, err := w.Driver.Tx(ctx)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			// The head appendAfter remembered was never committed.
			_ = tx.Rollback()
			w.forget(p)
		}
	}()
	h, err := readHead(ctx, tx, p, " FOR NO KEY UPDATE")
	if err != nil {
		return err
	}
	moved, err := w.appendAfter(ctx, tx, p, h, events)
	if err != nil {
		return err
	}
	if !moved {
		return errors.New("the audit chain's head moved under its lock")
	}
	return tx.Commit()
}

// appendAfter chains events after the head h and hands them to audit_append
// (a migration), which moves the head from h and inserts the records, or,
// if another writer moved the head first, does nothing: moved is false.
// The new head is remembered as soon as audit_append writes it: a caller
// in a transaction forgets it if the transaction does not commit.
func (w *Writer) appendAfter(ctx context.Context, q dialect.ExecQuerier, p pulid.ID, h head, events []Event) (moved bool, err error) {
	records := w.chain(events, h.seq, h.hash)
	batch, err := rowsJSON(records)
	if err != nil {
		return false, err
	}
	var n int
	if err := queryRow(ctx, q, `SELECT audit_append($1, $2, $3, $4::jsonb)`, []any{p, h.seq, h.hash, batch}, &n); err != nil {
		return false, err
	}
	if n != len(records) {
		return false, nil
	}
	last := records[len(records)-1]
	w.remember(p, head{last.Seq, last.Hash})
	return true, nil
}

// makeHeadSQL makes a chain's head, at place 0, unless it exists; a second
// writer making it at once waits for the first's transaction, then does
// nothing.
const makeHeadSQL = `INSERT INTO audit_heads (practice_id, seq, hash) VALUES ($1, 0, '') ON CONFLICT (practice_id) DO NOTHING`

// readHead reads a chain's head through q on PostgreSQL, making it the
// first time; lock, if not empty, is the SELECT's locking clause.
func readHead(ctx context.Context, q dialect.ExecQuerier, p pulid.ID, lock string) (head, error) {
	var h head
	if err := q.Exec(ctx, makeHeadSQL, []any{p}, nil); err != nil {
		return h, err
	}
	err := queryRow(ctx, q, `SELECT seq, hash FROM audit_heads WHERE practice_id = $1`+lock, []any{p}, &h.seq, &h.hash)
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
	start := time.Now()
	err := w.flushTx(ctx, tx, events)
	observe(ctx, MutationBatch, start, events, err)
	return err
}

// flushTx writes a mutation field's events: FlushTx's work.
func (w *Writer) flushTx(ctx context.Context, tx *ent.Client, events []Event) error {
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
	h := NewHasher(w.Key)
	for i, e := range events {
		r := record{Event: e, ID: pulid.MustNew("AU"), Seq: headSeq + int64(i) + 1, Prev: prev}
		r.Hash = h.Hash(prev, r.ID, r.Seq, e)
		prev = r.Hash
		out[i] = r
	}
	return out
}

// appendRaw extends one practice's chain on SQLite, in the caller's
// transaction: the head is taken (and made, the first time), the records
// inserted and the head moved.
func (w *Writer) appendRaw(ctx context.Context, tx dialect.Tx, events []Event) error {
	p := events[0].PracticeID
	n := int64(len(events))
	var seq int64
	var hash string
	if err := queryRow(ctx, tx, `INSERT INTO audit_heads (practice_id, seq, hash) VALUES (?, ?, '')
		ON CONFLICT (practice_id) DO UPDATE SET seq = audit_heads.seq + excluded.seq RETURNING seq, hash`, []any{p, n}, &seq, &hash); err != nil {
		return err
	}
	records := w.chain(events, seq-n, hash)
	last := records[len(records)-1].Hash
	insert, args := w.insertSQL(records)
	if err := tx.Exec(ctx, insert, args, nil); err != nil {
		return err
	}
	return tx.Exec(ctx, `UPDATE audit_heads SET hash = ? WHERE practice_id = ?`, []any{last, p}, nil)
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
		// transaction may be making it too: a second INSERT ... ON
		// CONFLICT DO NOTHING waits for the first to end and then does
		// nothing, so make it in this transaction, then lock it. Never on
		// a connection of its own: a transaction waiting for a second
		// connection while it holds one deadlocks a pool that many such
		// transactions have filled.
		if w.Driver.Dialect() != dialect.Postgres {
			head, err = tx.AuditHead.Create().SetID(p).SetSeq(0).SetHash("").Save(ctx)
		} else {
			if _, err := tx.ExecContext(ctx, makeHeadSQL, p); err != nil {
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

// row is a record as the audit_append function reads it, the whole batch
// one parameter, with short keys since it is parsed on every request; the
// function derives each record's place and link from its position. An
// absent actor or client is NULL.
type row struct {
	ID            pulid.ID `json:"i"`
	At            string   `json:"t"`
	ActorID       pulid.ID `json:"a,omitempty"`
	ClientID      pulid.ID `json:"c,omitempty"`
	Action        string   `json:"o"`
	Fields        []string `json:"f"`
	Decision      Decision `json:"d"`
	RequestID     string   `json:"q"`
	ClientAddress string   `json:"ad"`
	Reason        string   `json:"re"`
	Subject       string   `json:"s"`
	Hash          string   `json:"h"`
}

// rowsJSON is the batch as one JSON array, in chain order.
func rowsJSON(records []record) (string, error) {
	rows := make([]row, len(records))
	for i, r := range records {
		rows[i] = row{ID: r.ID, At: r.At.Format(time.RFC3339Nano), ActorID: r.ActorID, ClientID: r.ClientID,
			Action: r.Action, Fields: nonNil(r.Fields), Decision: r.Decision, RequestID: r.RequestID,
			ClientAddress: r.ClientAddress, Reason: r.Reason, Subject: r.Subject, Hash: r.Hash}
	}
	b, err := json.Marshal(rows)
	return string(b), err
}

// queryRow runs a query expected to answer one row and scans it.
func queryRow(ctx context.Context, q dialect.ExecQuerier, query string, args []any, dest ...any) error {
	var rows entsql.Rows
	if err := q.Query(ctx, query, args, &rows); err != nil {
		return err
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return err
		}
		return sql.ErrNoRows
	}
	if err := rows.Scan(dest...); err != nil {
		return err
	}
	return rows.Close()
}
