package server

import (
	"bytes"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// The answer a client receives is byte for byte what gqlgen's json.Marshal
// wrote before directJSON: the same fields in the same order, the same
// omissions, and the same escaping of characters that are unsafe in HTML.
func TestAppendResponse_WritesWhatJSONMarshalWrites(t *testing.T) {
	yes, no := true, false
	forbidden := &gqlerror.Error{
		Message:    "forbidden <section> & more",
		Path:       ast.Path{ast.PathName("client"), ast.PathName("medicalHistory")},
		Extensions: map[string]any{"code": "FORBIDDEN", "data": nil},
	}
	for _, tc := range []struct {
		name string
		resp *graphql.Response
	}{
		{"data only", &graphql.Response{Data: json.RawMessage(`{"client":{"id":"CL1","name":"Ada"}}`)}},
		{"no data", &graphql.Response{}},
		{"null data with errors", &graphql.Response{Errors: gqlerror.List{forbidden}}},
		{"data with errors", &graphql.Response{Data: json.RawMessage(`{"client":{"medicalHistory":null}}`), Errors: gqlerror.List{forbidden, {Message: "second"}}}},
		{"characters unsafe in HTML", &graphql.Response{Data: json.RawMessage(`{"name":"<script>alert('x')</script> & Sons","note":"a\u2028b\u2029c"}`)}},
		{"other characters that start with the byte E2", &graphql.Response{Data: json.RawMessage(`{"name":"5 € – “Zoë”"}`)}},
		{"escapes already written", &graphql.Response{Data: json.RawMessage(`{"name":"\"quoted\" \\ \u0001"}`)}},
		{"label, path and hasNext", &graphql.Response{Data: json.RawMessage(`{}`), Label: "more", Path: ast.Path{ast.PathName("clients"), ast.PathIndex(2)}, HasNext: &yes}},
		{"hasNext false is written", &graphql.Response{Data: json.RawMessage(`{}`), HasNext: &no}},
		{"empty path and extensions are left out", &graphql.Response{Data: json.RawMessage(`{}`), Path: ast.Path{}, Extensions: map[string]any{}}},
		{"extensions", &graphql.Response{Data: json.RawMessage(`{"a":1}`), Extensions: map[string]any{"cost": map[string]any{"requested": 12, "note": "<&>"}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want, err := json.Marshal(tc.resp)
			if err != nil {
				t.Fatal(err)
			}
			got, err := appendResponse(nil, tc.resp)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Fatalf("\n got %s\nwant %s", got, want)
			}
		})
	}
}

// An answer is written once, and what the transport writes after it (its
// placeholder) never reaches the client.
func TestAnswerWriter_DropsWritesAfterTheAnswer(t *testing.T) {
	rec := &recordingWriter{header: map[string][]string{}}
	w := &answerWriter{ResponseWriter: rec}
	if _, err := w.Write([]byte(`{"errors":[{"message":"before"}],"data":null}`)); err != nil {
		t.Fatal(err)
	}
	if rec.writes != 1 {
		t.Fatalf("a write before the answer was dropped")
	}
	w.answer(&graphql.Response{Data: json.RawMessage(`{"a":"<b>"}`)})
	if n, err := w.Write([]byte(`{"data":null}`)); err != nil || n != len(`{"data":null}`) {
		t.Fatalf("the placeholder's write reported %d, %v", n, err)
	}
	if rec.writes != 2 || !bytes.HasSuffix(rec.body.Bytes(), []byte(`{"data":{"a":"\u003cb\u003e"}}`)) {
		t.Fatalf("%d writes: %s", rec.writes, rec.body.Bytes())
	}
}

// recordingWriter is an http.ResponseWriter that counts writes.
type recordingWriter struct {
	header map[string][]string
	body   bytes.Buffer
	writes int
}

func (r *recordingWriter) Header() http.Header         { return r.header }
func (r *recordingWriter) WriteHeader(int)             {}
func (r *recordingWriter) Write(b []byte) (int, error) { r.writes++; return r.body.Write(b) }
