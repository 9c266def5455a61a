package audit

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"caseload/ent"
	"caseload/ent/auditevent"
	"caseload/ent/audithead"
	"caseload/ent/schema/pulid"
	"caseload/ent/viewer"
)

// Integrity is what Verify found.
type Integrity struct {
	OK bool
	// Checked is how many records were read.
	Checked int
	// FirstBrokenID is the first record whose link or hash does not hold.
	FirstBrokenID pulid.ID
	// FirstBrokenSeq is the first place that is missing, repeated or out
	// of order, or that a checkpoint names but the chain does not hold.
	FirstBrokenSeq int64
	// HeadSeq is the chain's last place as its head says.
	HeadSeq int64
	// Problem says what broke, for the command line.
	Problem string
}

// Checkpoint is a signed statement of a chain's head at a time, to be kept
// outside the database: a chain that no longer reaches it, or reaches it
// with another hash, has lost or changed records, the newest included.
type Checkpoint struct {
	PracticeID pulid.ID  `json:"practiceId"`
	Seq        int64     `json:"seq"`
	Hash       string    `json:"hash"`
	At         time.Time `json:"at"`
	Signature  string    `json:"signature"`
}

// sign is a checkpoint's signature under the key.
func sign(key []byte, c Checkpoint) string {
	m := hmac.New(sha256.New, key)
	fmt.Fprintf(m, "caseload audit checkpoint\x00%s\x00%d\x00%s\x00%s", c.PracticeID, c.Seq, c.Hash, c.At.UTC().Format(time.RFC3339Nano))
	return hex.EncodeToString(m.Sum(nil))
}

// Valid reports whether the checkpoint was signed with key.
func (c Checkpoint) Valid(key []byte) bool {
	return hmac.Equal([]byte(c.Signature), []byte(sign(key, c)))
}

// TakeCheckpoint signs the practice's chain head as it is now.
func TakeCheckpoint(ctx context.Context, db *ent.Client, key []byte, practice pulid.ID, now time.Time) (Checkpoint, error) {
	ctx = viewer.Bypass(ctx, "policy §9: a checkpoint states the chain's head")
	c := Checkpoint{PracticeID: practice, At: now.UTC()}
	head, err := db.AuditHead.Query().Where(audithead.IDEQ(practice)).Only(ctx)
	switch {
	case err == nil:
		c.Seq, c.Hash = head.Seq, head.Hash
	case !ent.IsNotFound(err):
		return c, err
	}
	c.Signature = sign(key, c)
	return c, nil
}

// Verify reads a practice's chain from its first record and checks every
// link, hash and place, the head, and, when given, the checkpoints.
func Verify(ctx context.Context, db *ent.Client, key []byte, practice pulid.ID, checkpoints ...Checkpoint) (Integrity, error) {
	ctx = viewer.Bypass(ctx, "policy §9: checking the chain reads every record")
	var res Integrity
	head, err := db.AuditHead.Query().Where(audithead.IDEQ(practice)).Only(ctx)
	switch {
	case err == nil:
		res.HeadSeq = head.Seq
	case !ent.IsNotFound(err):
		return res, err
	}
	// Only the places checkpoints name are kept: a chain of millions of
	// records is checked in constant memory.
	bySeq := map[int64]string{}
	for _, c := range checkpoints {
		bySeq[c.Seq] = ""
	}
	prev, want := "", int64(1)
	const page = 1000
	var after int64
	broken := func(id pulid.ID, seq int64, problem string) (Integrity, error) {
		res.FirstBrokenID, res.FirstBrokenSeq, res.Problem = id, seq, problem
		return res, nil
	}
	h := NewHasher(key)
	for {
		rows, err := db.AuditEvent.Query().
			Where(auditevent.PracticeIDEQ(practice), auditevent.SeqGT(after)).
			Order(ent.Asc(auditevent.FieldSeq)).Limit(page).All(ctx)
		if err != nil {
			return res, err
		}
		for _, r := range rows {
			res.Checked++
			if r.Seq != want {
				return broken(r.ID, want, fmt.Sprintf("record %d is missing or out of place (found %d)", want, r.Seq))
			}
			if r.PrevHash != prev {
				return broken(r.ID, r.Seq, fmt.Sprintf("record %d (%s) does not link to the record before it", r.Seq, r.ID))
			}
			if r.Hash != h.Hash(prev, r.ID, r.Seq, eventOf(r)) {
				return broken(r.ID, r.Seq, fmt.Sprintf("record %d (%s) was changed", r.Seq, r.ID))
			}
			if _, ok := bySeq[r.Seq]; ok {
				bySeq[r.Seq] = r.Hash
			}
			prev, want, after = r.Hash, want+1, r.Seq
		}
		if len(rows) < page {
			break
		}
	}
	last := want - 1
	if head != nil && (head.Seq != last || head.Hash != prev) {
		return broken("", last+1, fmt.Sprintf("the chain ends at %d but its head says %d: records were removed or the head was changed", last, head.Seq))
	}
	for _, c := range checkpoints {
		if c.PracticeID != practice {
			continue
		}
		if !c.Valid(key) {
			return broken("", c.Seq, "a checkpoint's signature does not hold")
		}
		if c.Seq > last || (c.Seq > 0 && bySeq[c.Seq] != c.Hash) {
			return broken("", c.Seq, fmt.Sprintf("the checkpoint of %s names record %d, which the chain no longer holds as it was", c.At.Format(time.RFC3339), c.Seq))
		}
	}
	res.OK = true
	return res, nil
}

// eventOf is a stored record as the hash covers it.
func eventOf(r *ent.AuditEvent) Event {
	e := Event{
		At: r.At, PracticeID: r.PracticeID, Action: r.Action, Fields: r.Fields, Decision: Decision(r.Decision),
		RequestID: r.RequestID, ClientAddress: r.ClientAddress, Reason: r.Reason, Subject: r.Subject,
	}
	if r.ActorID != nil {
		e.ActorID = *r.ActorID
	}
	if r.ClientID != nil {
		e.ClientID = *r.ClientID
	}
	return e
}
