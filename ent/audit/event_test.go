package audit

import (
	"testing"
	"time"
)

// The hashed text of a record is fixed: every chain written so far was
// hashed this way, and a change would make the verifier report every
// existing record as changed. This is a record hashed by the first
// release of the audit log.
func TestHash_FormatOfWrittenChainsIsKept(t *testing.T) {
	e := Event{At: time.Date(2026, 11, 24, 9, 30, 0, 123456789, time.UTC), PracticeID: "PR01JZZZZZZZZZZZZZZZZZZZZZZZ", ActorID: "ME01JZZZZZZZZZZZZZZZZZZZZZZZ",
		ClientID: "CL01JZZZZZZZZZZZZZZZZZZZZZZZ", Action: ActionRead, Fields: []string{"MEDICAL_HISTORY", "text"}, Decision: Allowed,
		RequestID: "req-1", ClientAddress: "192.0.2.1"}
	const want = "789f0785424780314b42bf8c3d8e93fa679b8d0af9e4254bdc6862430a363d80"
	key := []byte("a-key-of-at-least-thirty-two-bytes!!")
	if got := Hash(key, "prevhash", "AU01JZZZZZZZZZZZZZZZZZZZZZZZ", 7, e); got != want {
		t.Fatalf("Hash = %s, want %s", got, want)
	}
	// One Hasher over many records gives each the hash it has alone.
	h := NewHasher(key)
	for i := 0; i < 3; i++ {
		if got := h.Hash("prevhash", "AU01JZZZZZZZZZZZZZZZZZZZZZZZ", 7, e); got != want {
			t.Fatalf("record %d with a reused Hasher: %s, want %s", i, got, want)
		}
	}
}
