package server_test

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"caseload/ent/schema/access"
	"caseload/graph/auth"
	"caseload/graph/graphtest"
	"caseload/graph/server"
)

// typedClientDir is the typed-client example (docs/typed-client), whose
// committed src/gql/ GraphQL Code Generator writes; the test command fails
// when it is stale, so these tests run what a front end built from it
// sends.
var typedClientDir = filepath.Join("..", "..", "docs", "typed-client")

// typedClientManifest returns the example's persisted-documents.json as
// the server loads it, and for each prefix the hash of the operation whose
// text starts with it. The generated document must carry that same hash,
// since it is what the client sends.
func typedClientManifest(t *testing.T, prefixes ...string) (server.TrustedDocuments, []string) {
	t.Helper()
	path := filepath.Join(typedClientDir, "src", "gql", "persisted-documents.json")
	docs, err := server.LoadTrustedDocuments(path)
	if err != nil {
		t.Fatalf("the typed client's manifest does not load as -trusted-documents: %v", err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var manifest map[string]string
	if err := json.Unmarshal(b, &manifest); err != nil {
		t.Fatal(err)
	}
	generated, err := os.ReadFile(filepath.Join(typedClientDir, "src", "gql", "graphql.ts"))
	if err != nil {
		t.Fatal(err)
	}
	hashes := make([]string, len(prefixes))
	for i, prefix := range prefixes {
		for h, text := range manifest {
			if strings.HasPrefix(text, prefix) {
				hashes[i] = h
			}
		}
		if hashes[i] == "" {
			t.Fatalf("%s registers no operation starting %q", path, prefix)
		}
		if !strings.Contains(string(generated), `{"hash":"`+hashes[i]+`"}`) {
			t.Fatalf("src/gql/graphql.ts does not carry the manifest's hash %s for %q: the client would send another", hashes[i], prefix)
		}
	}
	return docs, hashes
}

// byHash is a POST body naming a registered operation by its hash, as the
// example's execute() sends it: variables and extensions.persistedQuery,
// no query text.
func byHash(t *testing.T, hash string, vars map[string]any) []byte {
	t.Helper()
	b, err := json.Marshal(map[string]any{
		"variables":  vars,
		"extensions": map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": hash}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// A front end built from docs/typed-client works against a server started
// with its manifest in trusted-documents mode: a member signs in with the
// server's registered Login, and the caseload page sent by its hash answers
// the member's clients with name, tags, responsible practitioner and
// viewerAccess, and only theirs; the tagging mutation runs by its hash too.
// Anything else is refused.
func TestTypedClient_ManifestRunsInTrustedMode(t *testing.T) {
	docs, hashes := typedClientManifest(t, "query CaseloadPage(", "mutation AddClientTags(")
	pageHash, tagHash := hashes[0], hashes[1]
	e := graphtest.New(t, func(o *server.Options) { o.TrustedDocuments = docs })

	p := e.Practice()
	password := "correct horse battery staple"
	pwHash, err := auth.NewFastHasher().Hash(password)
	if err != nil {
		t.Fatal(err)
	}
	m := e.Member(p, graphtest.WithPassword(pwHash))
	other := e.Member(p)
	north, couples := e.Tag(p, "North"), e.Tag(p, "Couples")
	mine := e.NewClient(p, graphtest.ResponsibleIs(m), graphtest.Tagged(north))
	hidden := e.NewClient(p, graphtest.ResponsibleIs(other), graphtest.Visibility(access.CareTeam))

	// Signing in: the server's own Login, by its hash.
	var login string
	for _, text := range server.BuiltinDocuments() {
		if strings.HasPrefix(text, "mutation Login(") {
			login = text
		}
	}
	signIn := e.Raw(http.MethodPost, "/graphql", "", "application/json",
		byHash(t, sha(login), map[string]any{"email": m.Email, "password": password}))
	signIn.RequireNoErrors(t)
	var session struct {
		Login struct{ Token string }
	}
	signIn.Decode(t, &session)
	token := session.Login.Token
	if token == "" {
		t.Fatalf("login answered no token: %s", signIn.Data)
	}

	page := e.Raw(http.MethodPost, "/graphql", token, "application/json", byHash(t, pageHash, map[string]any{"first": 50}))
	page.RequireNoErrors(t)
	var got struct {
		Clients struct {
			TotalCount int
			Edges      []struct {
				Node struct {
					ID                      string
					Name                    string
					Tags                    []struct{ Name string }
					ResponsiblePractitioner *struct{ Name string }
					ViewerAccess            struct {
						Level    string
						CanEdit  bool
						Sections []struct{ Section, Level string }
					}
				}
			}
		}
	}
	page.Decode(t, &got)
	if got.Clients.TotalCount != 1 || len(got.Clients.Edges) != 1 {
		t.Fatalf("the caseload page by hash: want only the member's client, got %s", page.Data)
	}
	row := got.Clients.Edges[0].Node
	if row.ID != string(mine.ID) || row.Name != mine.Name ||
		len(row.Tags) != 1 || row.Tags[0].Name != "North" ||
		row.ResponsiblePractitioner == nil || row.ResponsiblePractitioner.Name != m.Name ||
		row.ViewerAccess.Level != "EDIT" || !row.ViewerAccess.CanEdit || len(row.ViewerAccess.Sections) == 0 {
		t.Fatalf("the caseload page's row: %s", page.Data)
	}
	if strings.Contains(string(page.Data), string(hidden.ID)) {
		t.Fatalf("the page by hash shows a client hidden from the member: %s", page.Data)
	}

	tagged := e.Raw(http.MethodPost, "/graphql", token, "application/json",
		byHash(t, tagHash, map[string]any{"clientId": mine.ID, "tagIds": []any{couples.ID}}))
	tagged.RequireNoErrors(t)
	if !strings.Contains(string(tagged.Data), "Couples") || !strings.Contains(string(tagged.Data), "North") {
		t.Fatalf("AddClientTags by hash: %s", tagged.Data)
	}

	for name, r := range map[string]*graphtest.Response{
		"an unregistered query": e.Do(token, `{ clients(first: 50) { edges { node { id name email } } } }`, map[string]any{}),
		"an unknown hash":       e.Raw(http.MethodPost, "/graphql", token, "application/json", byHash(t, sha(`{ viewer { id } }`), nil)),
		"introspection":         e.Do(token, `{ __schema { types { name } } }`, nil),
	} {
		if !refusedAsUnregistered(r) {
			t.Errorf("%s: want refused as unregistered, got %d %s %+v", name, r.Status, r.Data, r.Errors)
		}
	}
}
