package pulid

import (
	"bytes"
	"encoding/json"
	"testing"
)

// An ID is written as a JSON string whatever bytes it holds, so that even a
// malformed one read from the database cannot make an answer invalid JSON
// (the transport no longer re-reads answers: graph/server/response_json.go).
func TestMarshalGQL_WritesAJSONString_ForAnyBytes(t *testing.T) {
	for _, id := range []ID{"CL01JD3T2Z0Q8M3V7S9K4W2X5Y6", "CL\a\v\x00", `CL"\`, "CL\u2028<&>", "CLé", ""} {
		var buf bytes.Buffer
		id.MarshalGQL(&buf)
		var back string
		if err := json.Unmarshal(buf.Bytes(), &back); err != nil {
			t.Fatalf("%q written as %s: %v", id, buf.Bytes(), err)
		}
		if back != string(id) {
			t.Fatalf("%q read back as %q", id, back)
		}
	}
	// Invalid UTF-8 stays a string JSON accepts.
	var buf bytes.Buffer
	ID("CL\xff").MarshalGQL(&buf)
	if !json.Valid(buf.Bytes()) {
		t.Fatalf("written as %q", buf.Bytes())
	}
}
