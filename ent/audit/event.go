package audit

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"hash"
	"time"

	"caseload/ent/schema/pulid"
)

// Decision is an event's decision.
type Decision string

// The decisions.
const (
	Allowed Decision = "ALLOWED"
	Denied  Decision = "DENIED"
)

// Kind says what becomes of an event when its transaction rolls back.
type Kind int

const (
	// Access is a read, a refusal, a login: it happened whatever the
	// transaction did.
	Access Kind = iota
	// Change is a write: it happened only if its transaction commits.
	Change
)

// Actions recorded besides mutations, which are named by their type and
// operation ("ClientRecord.update").
const (
	ActionRead         = "read"
	ActionLogin        = "login"
	ActionLoginFailed  = "login failed"
	ActionNotFound     = "not found"
	ActionForbidden    = "forbidden"
	ActionRefused      = "refused"
	ActionBreakGlass   = "emergency access"
	ActionEmergencyHit = "emergency search"
)

// Event is one record before it is written.
type Event struct {
	Kind          Kind
	At            time.Time
	PracticeID    pulid.ID
	ActorID       pulid.ID
	ClientID      pulid.ID
	Action        string
	Fields        []string
	Decision      Decision
	RequestID     string
	ClientAddress string
	Reason        string
	Subject       string
}

// Stamp is the time as records keep it: UTC, to the microsecond, which
// both databases store exactly.
func Stamp(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// Hash is a record's keyed hash: HMAC-SHA256 of the previous record's hash
// and of the record's content.
func Hash(key []byte, prev string, id pulid.ID, seq int64, e Event) string {
	return NewHasher(key).Hash(prev, id, seq, e)
}

// Hasher computes records' keyed hashes, reusing one HMAC state and one
// buffer: a request's batch is hashed record after record by one writer.
type Hasher struct {
	mac hash.Hash
	buf []byte
	at  []byte
	sum []byte
}

// NewHasher returns a Hasher with key.
func NewHasher(key []byte) *Hasher { return &Hasher{mac: hmac.New(sha256.New, key)} }

// Hash is what the package's Hash is, with h's state. It covers the
// previous hash and every stored field but the hashes themselves, in a
// fixed order, each text prefixed with its length, so that no two
// different records are the same bytes.
func (h *Hasher) Hash(prev string, id pulid.ID, seq int64, e Event) string {
	b := h.buf[:0]
	b = appendText(b, prev)
	b = appendText(b, string(id))
	b = appendText(b, string(e.PracticeID))
	b = binary.BigEndian.AppendUint64(b, uint64(seq))
	h.at = Stamp(e.At).AppendFormat(h.at[:0], time.RFC3339Nano)
	b = binary.AppendUvarint(b, uint64(len(h.at)))
	b = append(b, h.at...)
	b = appendText(b, string(e.ActorID))
	b = appendText(b, string(e.ClientID))
	b = appendText(b, e.Action)
	b = binary.AppendUvarint(b, uint64(len(e.Fields)))
	for _, f := range e.Fields {
		b = appendText(b, f)
	}
	b = appendText(b, string(e.Decision))
	b = appendText(b, e.RequestID)
	b = appendText(b, e.ClientAddress)
	b = appendText(b, e.Reason)
	b = appendText(b, e.Subject)
	h.buf = b
	h.mac.Reset()
	h.mac.Write(b)
	h.sum = h.mac.Sum(h.sum[:0])
	return hex.EncodeToString(h.sum)
}

// appendText appends s with its length before it.
func appendText(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}
