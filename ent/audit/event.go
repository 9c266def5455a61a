package audit

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
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

// canonical is what a record's hash covers, in a fixed order: every
// stored field but the hashes themselves. Its JSON is the hashed text of
// every chain written so far: changing it would make every existing
// record look changed to the verifier.
type canonical struct {
	ID            string   `json:"id"`
	Practice      string   `json:"practice"`
	Seq           int64    `json:"seq"`
	At            string   `json:"at"`
	Actor         string   `json:"actor"`
	Client        string   `json:"client"`
	Action        string   `json:"action"`
	Fields        []string `json:"fields"`
	Decision      string   `json:"decision"`
	RequestID     string   `json:"requestId"`
	ClientAddress string   `json:"clientAddress"`
	Reason        string   `json:"reason"`
	Subject       string   `json:"subject"`
}

// Stamp is the time as records keep it: UTC, to the microsecond, which
// both databases store exactly.
func Stamp(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// Hash is a record's keyed hash: HMAC-SHA256 of the previous record's hash
// and of the record's content.
func Hash(key []byte, prev string, id pulid.ID, seq int64, e Event) string {
	return NewHasher(key).Hash(prev, id, seq, e)
}

// Hasher computes records' keyed hashes with one HMAC state: a request's
// batch is hashed record after record by one writer, and a chain checked
// record after record by the verifier.
type Hasher struct{ mac hash.Hash }

// NewHasher returns a Hasher with key.
func NewHasher(key []byte) *Hasher { return &Hasher{mac: hmac.New(sha256.New, key)} }

// Hash is what the package's Hash is, with h's state.
func (h *Hasher) Hash(prev string, id pulid.ID, seq int64, e Event) string {
	fields := e.Fields
	if fields == nil {
		fields = []string{}
	}
	b, _ := json.Marshal(canonical{
		ID: string(id), Practice: string(e.PracticeID), Seq: seq, At: Stamp(e.At).Format(time.RFC3339Nano),
		Actor: string(e.ActorID), Client: string(e.ClientID), Action: e.Action, Fields: fields,
		Decision: string(e.Decision), RequestID: e.RequestID, ClientAddress: e.ClientAddress,
		Reason: e.Reason, Subject: e.Subject,
	})
	h.mac.Reset()
	h.mac.Write([]byte(prev))
	h.mac.Write([]byte{0})
	h.mac.Write(b)
	return hex.EncodeToString(h.mac.Sum(nil))
}
