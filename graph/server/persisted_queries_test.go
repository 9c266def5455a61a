package server_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"caseload/graph/graphtest"
)

// apqRequest is a POST body of the automatic persisted queries protocol:
// the hash always, the query only when given.
func apqRequest(t *testing.T, query, hash string) []byte {
	t.Helper()
	body := map[string]any{"extensions": map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": hash}}}
	if query != "" {
		body["query"] = query
	}
	b, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func sha(query string) string {
	sum := sha256.Sum256([]byte(query))
	return hex.EncodeToString(sum[:])
}

// The mobile app sends a query's hash; the server asks once for the query,
// then answers the hash alone, through the same rules as the full query.
func TestPersistedQuery_RoundTrip(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	m := e.Member(p)
	token := e.Token(m)
	const query = `{ viewer { id name } }`
	hash := sha(query)

	first := e.Raw(http.MethodPost, "/graphql", token, "application/json", apqRequest(t, "", hash))
	if len(first.Errors) != 1 || first.Errors[0].Message != "PersistedQueryNotFound" || first.Errors[0].Code() != "BAD_USER_INPUT" {
		t.Fatalf("an unknown hash: want PersistedQueryNotFound (BAD_USER_INPUT), got %d %+v", first.Status, first.Errors)
	}
	registered := e.Raw(http.MethodPost, "/graphql", token, "application/json", apqRequest(t, query, hash))
	registered.RequireNoErrors(t)
	byHash := e.Raw(http.MethodPost, "/graphql", token, "application/json", apqRequest(t, "", hash))
	byHash.RequireNoErrors(t)
	if string(byHash.Data) != string(registered.Data) || !strings.Contains(string(byHash.Data), string(m.ID)) {
		t.Fatalf("the hash alone answered %s, the query %s", byHash.Data, registered.Data)
	}
	// GET, as a CDN-cacheable request carries it.
	ext, _ := json.Marshal(map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": hash}})
	get := e.Raw(http.MethodGet, "/graphql?extensions="+url.QueryEscape(string(ext)), token, "", nil)
	get.RequireNoErrors(t)
	// The hash is the viewer's question, not an answer: another member
	// asking by the same hash sees themselves.
	other := e.Member(p)
	theirs := e.Raw(http.MethodPost, "/graphql", e.Token(other), "application/json", apqRequest(t, "", hash))
	theirs.RequireNoErrors(t)
	if !strings.Contains(string(theirs.Data), string(other.ID)) || strings.Contains(string(theirs.Data), string(m.ID)) {
		t.Fatalf("another member's answer by hash: %s", theirs.Data)
	}
}

// A query sent with a hash that is not its own is refused, and is not
// registered under that hash.
func TestPersistedQuery_HashMustMatchQuery(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	token := e.Token(e.Member(p))
	wrong := sha("{ __typename }")
	r := e.Raw(http.MethodPost, "/graphql", token, "application/json", apqRequest(t, `{ viewer { id } }`, wrong))
	if len(r.Errors) != 1 || r.Errors[0].Code() != "BAD_USER_INPUT" || len(r.Data) > 0 && string(r.Data) != "null" {
		t.Fatalf("a mismatched hash: want one BAD_USER_INPUT and no data, got %s %+v", r.Data, r.Errors)
	}
	again := e.Raw(http.MethodPost, "/graphql", token, "application/json", apqRequest(t, "", wrong))
	if len(again.Errors) != 1 || again.Errors[0].Message != "PersistedQueryNotFound" {
		t.Fatalf("the mismatched hash was registered: %s %+v", again.Data, again.Errors)
	}
}

// A mutation registered by its hash is still a mutation: GET, which a
// cache or a link prefetcher may send, never runs it.
func TestPersistedQuery_MutationByGet_IsRefused(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	token := e.Token(e.Member(p))
	const mutation = `mutation { logout }`
	hash := sha(mutation)
	// Registered as the protocol allows, with the query: the same POST
	// that runs it. Then the session is gone, so register it with a token
	// that is not needed afterwards.
	e.Raw(http.MethodPost, "/graphql", e.Token(e.Member(p)), "application/json", apqRequest(t, mutation, hash)).RequireNoErrors(t)
	ext, _ := json.Marshal(map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": hash}})
	get := e.Raw(http.MethodGet, "/graphql?extensions="+url.QueryEscape(string(ext)), token, "", nil)
	if len(get.Errors) == 0 || get.Status < 400 {
		t.Fatalf("a mutation by GET: want an error status, got %d %s", get.Status, get.Data)
	}
	e.Do(token, `{ viewer { id } }`, nil).RequireNoErrors(t)
}
