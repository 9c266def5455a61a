package server

import (
	"encoding/json"
	"mime"
	"net/http"
)

// httpConformance makes gqlgen's answers to request errors (a document that
// does not parse or validate, variables that do not coerce) what the GraphQL
// over HTTP specification asks of each media type:
//
//   - application/json: HTTP 200, the errors in the body; gqlgen answers
//     422.
//   - application/graphql-response+json: gqlgen's 400 stays, and the body
//     has no data entry, since nothing was executed; gqlgen writes
//     "data": null.
//
// conformance/ runs the graphql-http audit that checks both.
func httpConformance(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(&conformingWriter{ResponseWriter: w}, r)
	})
}

type conformingWriter struct {
	http.ResponseWriter
	// requestError is set for a 4xx in application/graphql-response+json,
	// whose body then loses its null data entry.
	requestError bool
}

// WriteHeader adjusts the status of a request error to its media type.
func (w *conformingWriter) WriteHeader(code int) {
	mt, _, _ := mime.ParseMediaType(w.Header().Get("Content-Type"))
	switch {
	case code == http.StatusUnprocessableEntity && mt == "application/json":
		code = http.StatusOK
	case code >= 400 && code < 500 && mt == "application/graphql-response+json":
		w.requestError = true
	}
	w.ResponseWriter.WriteHeader(code)
}

// Write drops the null data entry of a request error's body; gqlgen writes
// a response in one call.
func (w *conformingWriter) Write(b []byte) (int, error) {
	if w.requestError {
		if out, ok := withoutNullData(b); ok {
			_, err := w.ResponseWriter.Write(out)
			return len(b), err
		}
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap gives http.ResponseController the underlying writer.
func (w *conformingWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// withoutNullData re-encodes a GraphQL response without "data": null.
func withoutNullData(b []byte) ([]byte, bool) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, false
	}
	if d, ok := m["data"]; !ok || string(d) != "null" {
		return nil, false
	}
	delete(m, "data")
	out, err := json.Marshal(m)
	return out, err == nil
}
