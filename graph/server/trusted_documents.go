package server

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"caseload/graph/errcode"
)

// TrustedDocuments are the operations a server in trusted-documents mode
// runs, by the hex SHA-256 of their text. nil is the mode off.
type TrustedDocuments map[string]string

// LoadTrustedDocuments reads a manifest of registered operations: a JSON
// object from each operation's hex SHA-256 to its text, the format GraphQL
// Code Generator's client preset writes with persistedDocuments; keys may
// carry the "sha256:" prefix its recent versions write. A key that
// is not its text's hash is refused, so that a manifest cannot register
// one text under another's name. The server's own operations
// (builtinOperations) are added.
func LoadTrustedDocuments(path string) (TrustedDocuments, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var manifest map[string]string
	if err := json.Unmarshal(b, &manifest); err != nil {
		return nil, fmt.Errorf("%s: not a JSON object of hashes to operations: %w", path, err)
	}
	docs := BuiltinDocuments()
	for key, text := range manifest {
		hash := strings.TrimPrefix(key, "sha256:")
		if hashOf(text) != hash {
			return nil, fmt.Errorf("%s: %q is not the SHA-256 of its operation", path, hash)
		}
		docs[hash] = text
	}
	return docs, nil
}

// BuiltinDocuments are the operations the server registers itself.
func BuiltinDocuments() TrustedDocuments {
	docs := TrustedDocuments{}
	for _, text := range builtinOperations {
		docs[hashOf(text)] = text
	}
	return docs
}

func hashOf(text string) string {
	sum := sha256.Sum256([]byte(text))
	return hex.EncodeToString(sum[:])
}

// trustedOnly is the trusted-documents mode: a request runs only an
// operation of the manifest, named by its hash in
// extensions.persistedQuery.sha256Hash (the persisted-query protocol's
// field) or sent as its exact text. Nothing can be registered at run time.
// It runs before the document is parsed, so an unregistered document costs
// the server one hash.
type trustedOnly struct{ docs TrustedDocuments }

var _ interface {
	graphql.HandlerExtension
	graphql.OperationParameterMutator
} = trustedOnly{}

// ExtensionName names the extension for gqlgen.
func (trustedOnly) ExtensionName() string { return "TrustedDocuments" }

// Validate accepts any schema.
func (trustedOnly) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationParameters replaces a registered hash by its operation and
// refuses anything unregistered.
func (t trustedOnly) MutateOperationParameters(_ context.Context, raw *graphql.RawParams) *gqlerror.Error {
	if pq, ok := raw.Extensions["persistedQuery"].(map[string]any); ok {
		hash, _ := pq["sha256Hash"].(string)
		text, ok := t.docs[strings.TrimPrefix(hash, "sha256:")]
		if !ok || raw.Query != "" && raw.Query != text {
			return unregistered()
		}
		raw.Query = text
		return nil
	}
	if _, ok := t.docs[hashOf(raw.Query)]; ok && raw.Query != "" {
		return nil
	}
	return unregistered()
}

func unregistered() *gqlerror.Error {
	err := errcode.New(errcode.BadUserInput, "this server runs only registered operations (trusted documents): send a registered operation, or its SHA-256 in extensions.persistedQuery.sha256Hash")
	err.Extensions["trustedDocuments"] = true
	return err
}
