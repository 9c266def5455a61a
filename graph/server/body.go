package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"

	"caseload/graph/errcode"
)

// limitBody refuses bodies over max bytes, so that no request can make the
// server buffer without bound.
func limitBody(max int64, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > max {
			writeError(w, http.StatusRequestEntityTooLarge, errcode.BadUserInput, "the request body is too large")
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, max)
		next.ServeHTTP(w, r)
	})
}

// graphQLRequest is the body of a GraphQL-over-HTTP POST.
type graphQLRequest struct {
	Query         string         `json:"query"`
	OperationName string         `json:"operationName"`
	Variables     map[string]any `json:"variables"`
	Extensions    map[string]any `json:"extensions"`
}

// checkJSONBody answers a POST whose body is not a GraphQL request in JSON,
// and a method GraphQL over HTTP does not use, with a typed BAD_USER_INPUT,
// before gqlgen sees it (gqlgen answers the latter without a code).
func checkJSONBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodGet:
			if isMutation(r.URL.Query().Get("query")) {
				w.Header().Set("Allow", http.MethodPost)
				writeError(w, http.StatusMethodNotAllowed, errcode.BadUserInput, "mutations must be sent with POST")
				return
			}
			next.ServeHTTP(w, r)
			return
		case http.MethodOptions, http.MethodHead:
			// gqlgen's Options transport answers them.
			next.ServeHTTP(w, r)
			return
		case http.MethodPost:
		default:
			w.Header().Set("Allow", "GET, POST, OPTIONS")
			writeError(w, http.StatusMethodNotAllowed, errcode.BadUserInput, "send GraphQL requests with GET (queries) or POST")
			return
		}
		if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
			writeError(w, http.StatusUnsupportedMediaType, errcode.BadUserInput, "send the request as application/json")
			return
		}
		body, err := io.ReadAll(r.Body)
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			writeError(w, http.StatusRequestEntityTooLarge, errcode.BadUserInput, "the request body is too large")
			return
		}
		if err != nil {
			writeError(w, http.StatusBadRequest, errcode.BadUserInput, "the request body could not be read")
			return
		}
		var req graphQLRequest
		if err := json.Unmarshal(body, &req); err != nil {
			writeError(w, http.StatusBadRequest, errcode.BadUserInput, "the request body is not a valid GraphQL request: "+jsonProblem(err))
			return
		}
		if req.Query == "" && req.Extensions["persistedQuery"] == nil {
			// A persisted query's hash stands for its text.
			writeError(w, http.StatusBadRequest, errcode.BadUserInput, "the request has no query")
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		next.ServeHTTP(w, r)
	})
}

// jsonProblem describes a JSON error without echoing the body.
func jsonProblem(err error) string {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		return "malformed JSON"
	case errors.As(err, &typ):
		return typ.Field + " has the wrong type"
	default:
		return "malformed JSON"
	}
}

// isMutation reports whether a query document holds a mutation. A document
// that does not parse is left to gqlgen, which reports it.
func isMutation(query string) bool {
	doc, err := parser.ParseQuery(&ast.Source{Input: query})
	if err != nil {
		return false
	}
	for _, op := range doc.Operations {
		if op.Operation == ast.Mutation {
			return true
		}
	}
	return false
}
