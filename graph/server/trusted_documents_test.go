package server_test

import (
	"encoding/json"
	"flag"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2"

	"caseload/graph"
	"caseload/graph/auth"
	"caseload/graph/graphtest"
	"caseload/graph/server"
)

var updateAnonymousOperations = flag.Bool("update-anonymous-operations", false, "rewrite docs/anonymous-operations.json")

// trustedEnv is a server in trusted-documents mode whose manifest registers
// the given operations besides the server's own.
func trustedEnv(t *testing.T, ops ...string) *graphtest.Env {
	t.Helper()
	manifest := map[string]string{}
	for _, op := range ops {
		manifest[sha(op)] = op
	}
	b, _ := json.Marshal(manifest)
	path := filepath.Join(t.TempDir(), "persisted-documents.json")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	docs, err := server.LoadTrustedDocuments(path)
	if err != nil {
		t.Fatal(err)
	}
	return graphtest.New(t, func(o *server.Options) { o.TrustedDocuments = docs })
}

func refusedAsUnregistered(r *graphtest.Response) bool {
	return len(r.Errors) == 1 && r.Errors[0].Code() == "BAD_USER_INPUT" &&
		strings.Contains(r.Errors[0].Message, "registered operations") && (len(r.Data) == 0 || string(r.Data) == "null")
}

// In trusted-documents mode a registered operation runs, by its text or by
// its hash; anything else is refused before it is parsed, members' and
// anonymous callers' alike, and the persisted-query protocol cannot
// register new ones.
func TestTrustedDocuments_OnlyRegisteredOperationsRun(t *testing.T) {
	const registered = `query Me { viewer { id name } }`
	e := trustedEnv(t, registered)
	p := e.Practice()
	m := e.Member(p)
	token := e.Token(m)

	e.Do(token, registered, nil).RequireNoErrors(t)
	byHash := e.Raw(http.MethodPost, "/graphql", token, "application/json", apqRequest(t, "", sha(registered)))
	byHash.RequireNoErrors(t)
	if !strings.Contains(string(byHash.Data), string(m.ID)) {
		t.Fatalf("by hash: %s", byHash.Data)
	}

	for name, r := range map[string]*graphtest.Response{
		"another query":           e.Do(token, `{ viewer { id } }`, nil),
		"introspection":           e.Do(token, `{ __schema { types { name } } }`, nil),
		"anonymous, unregistered": e.Do("", `{ __typename }`, nil),
		"an unknown hash":         e.Raw(http.MethodPost, "/graphql", token, "application/json", apqRequest(t, "", sha(`{ viewer { id } }`))),
		"registering by APQ":      e.Raw(http.MethodPost, "/graphql", token, "application/json", apqRequest(t, `{ viewer { id } }`, sha(`{ viewer { id } }`))),
		"a hash with other text":  e.Raw(http.MethodPost, "/graphql", token, "application/json", apqRequest(t, `{ viewer { id } }`, sha(registered))),
	} {
		if !refusedAsUnregistered(r) {
			t.Errorf("%s: want refused as unregistered, got %d %s %+v", name, r.Status, r.Data, r.Errors)
		}
	}
	// What APQ tried to register is still refused.
	if r := e.Raw(http.MethodPost, "/graphql", token, "application/json", apqRequest(t, "", sha(`{ viewer { id } }`))); !refusedAsUnregistered(r) {
		t.Errorf("APQ registered an operation in trusted mode: %s %+v", r.Data, r.Errors)
	}
}

// The server's own anonymous operations are registered: a front end signs
// in, and the playground signs in, with the texts it publishes.
func TestTrustedDocuments_AnonymousOperationsAreRegistered(t *testing.T) {
	e := trustedEnv(t)
	p := e.Practice()
	hash, err := auth.NewFastHasher().Hash("correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	m := e.Member(p, graphtest.WithPassword(hash))
	docs := server.BuiltinDocuments()
	var login, playgroundLogin string
	for _, text := range docs {
		if strings.HasPrefix(text, "mutation Login(") {
			login = text
		}
		if strings.HasPrefix(text, "mutation($email:String!") {
			playgroundLogin = text
		}
	}
	for _, text := range []string{login, playgroundLogin} {
		r := e.Do("", text, map[string]any{"email": m.Email, "password": "correct horse battery staple"})
		r.RequireNoErrors(t)
		if !strings.Contains(string(r.Data), "token") {
			t.Fatalf("login in trusted mode: %s", r.Data)
		}
	}
}

// A manifest whose key is not its operation's hash is refused at start.
func TestTrustedDocuments_ManifestKeyMustBeTheHash(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.json")
	b, _ := json.Marshal(map[string]string{sha(`{ viewer { id } }`): `{ clients(first: 100) { edges { node { id } } } }`})
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := server.LoadTrustedDocuments(path); err == nil {
		t.Fatal("a manifest registering one text under another's hash was accepted")
	}
	if err := os.WriteFile(path, []byte(`["not", "an object"]`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := server.LoadTrustedDocuments(path); err == nil {
		t.Fatal("a manifest that is not an object was accepted")
	}
}

// docs/anonymous-operations.json publishes the registered anonymous
// operations, so that front ends send exactly these texts; it is the
// server's list (go test ./graph/server -run AnonymousOperationsFile
// -update-anonymous-operations rewrites it).
func TestTrustedDocuments_AnonymousOperationsFileIsCurrent(t *testing.T) {
	want, err := json.MarshalIndent(server.BuiltinDocuments(), "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	want = append(want, '\n')
	path := filepath.Join("..", "..", "docs", "anonymous-operations.json")
	if *updateAnonymousOperations {
		if err := os.WriteFile(path, want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil || string(got) != string(want) {
		t.Fatalf("%s is not the server's list of registered operations (err %v); rerun with -update-anonymous-operations", path, err)
	}
}

// Every operation the server registers is valid against its schema: a
// registered operation that cannot run would only be found by its users.
func TestTrustedDocuments_BuiltinOperationsAreValid(t *testing.T) {
	schema := graph.NewSchema(graph.Config{}).Schema()
	for hash, text := range server.BuiltinDocuments() {
		if _, errs := gqlparser.LoadQuery(schema, text); len(errs) > 0 {
			t.Errorf("%s: %s: %v", hash[:12], text, errs)
		}
	}
}

// Recent GraphQL Code Generator client presets key the manifest as
// "sha256:<hex>" and may send the hash so; both name the same operation.
func TestTrustedDocuments_PrefixedHashesAreTheSameOperation(t *testing.T) {
	op := `{ viewer { id } }`
	path := filepath.Join(t.TempDir(), "m.json")
	b, _ := json.Marshal(map[string]string{"sha256:" + sha(op): op})
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	docs, err := server.LoadTrustedDocuments(path)
	if err != nil {
		t.Fatal(err)
	}
	if docs[sha(op)] != op {
		t.Fatalf("the prefixed key did not register the operation under its hash")
	}
	b, _ = json.Marshal(map[string]string{"sha256:" + sha(op): `{ clients(first: 1) { totalCount } }`})
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := server.LoadTrustedDocuments(path); err == nil {
		t.Fatal("a prefixed key naming another text was accepted")
	}
}
