package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/99designs/gqlgen/graphql"
)

// Issue P: gqlgen's HTTP transports write an operation's answer with
// json.Marshal, which re-reads the executor's bytes to validate and compact
// them: about 6% of the server's CPU on a caseload page, and a second copy
// of the answer. The executor writes compact, valid JSON already, so
// directJSON writes the same bytes without that pass. Only the escaping of
// <, >, & and U+2028/U+2029 is kept (as json.Marshal does), so the bytes a
// client receives do not change; response_json_test.go holds them equal.

// directJSON is a gqlgen transport (POST or GET) whose operation answers
// are written by answerWriter.answer. Everything else (reading the request,
// status codes, request errors) is the wrapped transport's own.
type directJSON struct{ graphql.Transport }

// Do runs the wrapped transport with an executor that writes the
// operation's answer itself and a writer that then drops the transport's
// own copy of it.
func (t directJSON) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	dw := &answerWriter{ResponseWriter: w}
	t.Transport.Do(dw, r, answeringExecutor{GraphExecutor: exec, w: dw})
}

// answeringExecutor writes each operation's answer to w as the transport
// asks for it, and hands the transport an empty one to write, which w drops.
type answeringExecutor struct {
	graphql.GraphExecutor
	w *answerWriter
}

// DispatchOperation wraps the operation's response handler.
func (e answeringExecutor) DispatchOperation(ctx context.Context, rc *graphql.OperationContext) (graphql.ResponseHandler, context.Context) {
	responses, ctx := e.GraphExecutor.DispatchOperation(ctx, rc)
	return func(ctx context.Context) *graphql.Response {
		resp := responses(ctx)
		if resp == nil || e.w.answered {
			// Nothing of ours to write (a subscription's end, or a
			// second payload, which these transports never ask for).
			return resp
		}
		e.w.answer(resp)
		return &graphql.Response{}
	}, ctx
}

// answerWriter passes writes through until the answer is written, and
// drops those after it: the transport's copy of the empty placeholder.
type answerWriter struct {
	http.ResponseWriter
	answered bool
}

// Unwrap lets http.ResponseController reach the writer underneath.
func (w *answerWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Write implements http.ResponseWriter.
func (w *answerWriter) Write(b []byte) (int, error) {
	if w.answered {
		return len(b), nil
	}
	return w.ResponseWriter.Write(b)
}

// answer writes resp in one call, as gqlgen's transports do (the
// conforming writer relies on it).
func (w *answerWriter) answer(resp *graphql.Response) {
	b, err := appendResponse(make([]byte, 0, len(resp.Data)+256), resp)
	if err != nil {
		// As gqlgen's transports do: its handler recovers the panic and
		// answers with an error, which this writer still lets through.
		// The data are not in the message: the recoverer logs it.
		panic(fmt.Errorf("unable to marshal the answer's errors or extensions: %w", err))
	}
	w.answered = true
	_, _ = w.ResponseWriter.Write(b)
}

// appendResponse appends resp as json.Marshal writes a graphql.Response,
// field for field, copying Data instead of re-reading it.
func appendResponse(b []byte, resp *graphql.Response) ([]byte, error) {
	b = append(b, '{')
	if len(resp.Errors) > 0 {
		errs, err := json.Marshal(resp.Errors)
		if err != nil {
			return nil, err
		}
		b = append(append(b, `"errors":`...), errs...)
		b = append(b, ',')
	}
	b = append(b, `"data":`...)
	if resp.Data == nil {
		b = append(b, "null"...)
	} else {
		b = appendHTMLEscaped(b, resp.Data)
	}
	rest := struct {
		Label      string         `json:"label,omitempty"`
		Path       any            `json:"path,omitempty"`
		HasNext    *bool          `json:"hasNext,omitempty"`
		Extensions map[string]any `json:"extensions,omitempty"`
	}{resp.Label, nil, resp.HasNext, resp.Extensions}
	if len(resp.Path) > 0 {
		rest.Path = resp.Path
	}
	if rest.Label != "" || rest.Path != nil || rest.HasNext != nil || len(rest.Extensions) > 0 {
		more, err := json.Marshal(rest)
		if err != nil {
			return nil, err
		}
		// more is {"label":…}: its fields follow data's.
		b = append(append(b, ','), more[1:len(more)-1]...)
	}
	return append(b, '}'), nil
}

// appendHTMLEscaped appends data with <, >, & and U+2028/U+2029 escaped as
// json.Marshal escapes them; data without them, nearly every answer, is
// copied as is.
func appendHTMLEscaped(b, data []byte) []byte {
	// U+2028 and U+2029 are E2 80 A8 and E2 80 A9 in UTF-8.
	if bytes.IndexByte(data, '<') < 0 && bytes.IndexByte(data, '>') < 0 &&
		bytes.IndexByte(data, '&') < 0 && bytes.IndexByte(data, 0xE2) < 0 {
		return append(b, data...)
	}
	var buf bytes.Buffer
	buf.Grow(len(data) + 64)
	json.HTMLEscape(&buf, data)
	return append(b, buf.Bytes()...)
}
