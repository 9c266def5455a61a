//go:build conformance

// Package conformance runs the GraphQL over HTTP conformance audit (the npm
// package graphql-http, its serverAudits) against the real server, with a
// member's bearer token on every request. The test command runs it
// (go run ./cmd/testsuite) after `npm ci` in this folder; it fails, never
// skips, when node or the npm dependency is missing.
//
//	(cd conformance && npm ci) && go test -tags conformance ./conformance/
package conformance

import (
	"net/http/httptest"
	"os"
	"os/exec"
	"testing"

	"caseload/graph/graphtest"
)

func TestMain(m *testing.M) { graphtest.Main(m) }

func TestGraphQLOverHTTPAudit(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatalf("node is needed for the conformance audit (node 18 or later): %v", err)
	}
	if _, err := os.Stat("node_modules/graphql-http/package.json"); err != nil {
		t.Fatalf("graphql-http is not installed: run `npm ci` in conformance/ (%v)", err)
	}
	e := graphtest.New(t)
	member := e.Member(e.Practice(), graphtest.Admin())
	srv := httptest.NewServer(e.Handler)
	defer srv.Close()

	cmd := exec.Command(node, "audit.mjs", srv.URL+"/graphql", e.Token(member))
	out, err := cmd.CombinedOutput()
	t.Logf("graphql-http audit:\n%s", out)
	if err != nil {
		t.Fatalf("the audit failed: %v", err)
	}
}
