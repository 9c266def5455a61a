package server_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"caseload/graph/graphtest"
)

// A request error (here, a document that does not validate) is HTTP 200 in
// application/json and 400 without a data entry in
// application/graphql-response+json, as GraphQL over HTTP asks.
func TestRequestErrors_StatusPerMediaType(t *testing.T) {
	e := graphtest.New(t)
	token := e.Token(e.Member(e.Practice(), graphtest.Admin()))
	for accept, want := range map[string]int{
		"application/json":                  http.StatusOK,
		"application/graphql-response+json": http.StatusBadRequest,
	} {
		t.Run(accept, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader([]byte(`{"query":"{ noSuchField }"}`)))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Accept", accept)
			req.Header.Set("Authorization", "Bearer "+token)
			rec := httptest.NewRecorder()
			e.Handler.ServeHTTP(rec, req)
			var body map[string]json.RawMessage
			if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
				t.Fatal(err)
			}
			if rec.Code != want || body["errors"] == nil {
				t.Fatalf("want HTTP %d with errors, got %d: %s", want, rec.Code, rec.Body)
			}
			if _, hasData := body["data"]; hasData && want != http.StatusOK {
				t.Fatalf("a request error has no data entry: %s", rec.Body)
			}
		})
	}
}
