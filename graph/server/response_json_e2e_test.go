package server_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"caseload/ent/schema/access"
	"caseload/graph/graphtest"
)

// Through POST and GET, an answer is one JSON document in which the
// characters unsafe in HTML are escaped as they always were, and the client
// reads back exactly the name it stored.
func TestAnswer_IsOneDocument_WithHTMLUnsafeCharactersEscaped(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	// Profile but no medical history: the answer carries a FORBIDDEN error.
	role := e.Role(p, access.Administrative, access.SectionLevels{access.Profile: access.View},
		[]access.Capability{access.AccessAllClients})
	clerk := e.Member(p, graphtest.Administrative(), graphtest.WithRole(role))
	name := "O'Brien <b>&</b> Sons\u2028"
	c := e.NewClient(p)
	e.Client().ClientRecord.UpdateOneID(c.ID).SetName(name).ExecX(e.Ctx)
	query := `query($id: ID!) { client(id: $id) { name medicalHistory { text } } }`
	vars := map[string]any{"id": c.ID}

	post, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	varsJSON, _ := json.Marshal(vars)
	get := "/graphql?" + url.Values{"query": {query}, "variables": {string(varsJSON)}}.Encode()
	for _, req := range []*http.Request{
		httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(post)),
		httptest.NewRequest(http.MethodGet, get, nil),
	} {
		t.Run(req.Method, func(t *testing.T) {
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+e.Token(clerk))
			rec := httptest.NewRecorder()
			e.Handler.ServeHTTP(rec, req)
			body, _ := io.ReadAll(rec.Body)
			if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") {
				t.Fatalf("HTTP %d %q: %s", rec.Code, rec.Header().Get("Content-Type"), body)
			}
			if !bytes.Contains(body, []byte(`O'Brien \u003cb\u003e\u0026\u003c/b\u003e Sons\u2028`)) {
				t.Fatalf("the name is not escaped as before: %s", body)
			}
			var answer struct {
				Data struct {
					Client struct {
						Name           string
						MedicalHistory *struct{ Text string }
					}
				}
				Errors []graphtest.Error
			}
			d := json.NewDecoder(bytes.NewReader(body))
			if err := d.Decode(&answer); err != nil {
				t.Fatal(err)
			}
			if _, err := d.Token(); err != io.EOF {
				t.Fatalf("more than one document: %s", body)
			}
			if answer.Data.Client.Name != name || answer.Data.Client.MedicalHistory != nil ||
				len(answer.Errors) != 1 || answer.Errors[0].Code() != "FORBIDDEN" {
				t.Fatalf("answer %+v", answer)
			}
		})
	}
}
