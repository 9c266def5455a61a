package benchmarks

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"caseload/graph/graphtest"
)

// pageMinBytes is less than any caseload page of the benchmarks: 40 or 50
// clients with their tags, practitioner and viewerAccess.
const pageMinBytes = 4000

// pageRequest is a GraphQL request sent as a load tool sends it: its body
// encoded once, its answer checked but not decoded. The timed loops use it
// so that the API's figures are the server's work: decoding the answer into
// Go values is the test client's, and cost about a tenth of the Go CPU a
// page was charged with, while the floor beside it decodes nothing.
type pageRequest struct {
	e     *graphtest.Env
	token string
	body  []byte
}

// newPageRequest encodes query and vars once.
func newPageRequest(b testing.TB, e *graphtest.Env, token, query string, vars map[string]any) *pageRequest {
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		b.Fatal(err)
	}
	return &pageRequest{e: e, token: token, body: body}
}

// send serves the request and fails unless the answer is a 200 without
// errors. gqlgen writes "errors" before "data", so an answer that begins
// {"data": has none; one smaller than pageMinBytes is not the page either.
func (p *pageRequest) send() error {
	rec := p.e.Send(http.MethodPost, "/graphql", p.token, "application/json", p.body)
	answer := rec.Body.Bytes()
	if rec.Code != http.StatusOK || !bytes.HasPrefix(answer, []byte(`{"data":`)) || len(answer) < pageMinBytes {
		return fmt.Errorf("HTTP %d: %.500s", rec.Code, answer)
	}
	return nil
}
