package server

import (
	"net/http"

	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/vektah/gqlparser/v2/ast"

	"caseload/ent/viewer"
)

// caller is whom an executor serves. Members and callers without a token
// need executors of their own because gqlgen sets the token limit and field
// suggestions per executor, and an anonymous caller gets neither a member's
// token budget nor "Did you mean" hints that map the schema.
type caller int

const (
	members caller = iota
	anonymousCallers
)

// queryCacheSize is how many validated documents each executor keeps.
const queryCacheSize = 1000

// useLimits applies the limits to an executor serving callers c: the token
// limit in gqlgen's parser too, suggestions and introspection for c, the
// checks before validation (edgeLimits), default page sizes (pageDefaults,
// pageVariables), and the cost report and error cap of every response.
func useLimits(srv *handler.Server, l Limits, c caller) {
	anonymous := c == anonymousCallers
	tokens, introspect := l.MaxTokens, !l.DisableIntrospection
	if anonymous {
		tokens, introspect = l.MaxAnonymousTokens, l.AnonymousIntrospection
	}
	srv.SetParserTokenLimit(tokens)
	srv.SetDisableSuggestion(anonymous)
	srv.SetQueryCache(pageDefaults{lru.New[*ast.QueryDocument](queryCacheSize)})
	srv.Use(&edgeLimits{limits: l, anonymous: anonymous})
	srv.Use(introspection{enabled: introspect})
	srv.Use(pageVariables{})
	srv.Use(responseLimits{maxErrors: l.MaxErrors})
}

// byCaller sends a request with a viewer (authenticate has loaded it) to the
// members' executor and any other to the anonymous one, under the request
// deadline.
func byCaller(l Limits, member, anonymous http.Handler) http.Handler {
	return withDeadline(l.Timeout, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if viewer.FromContext(r.Context()) != nil {
			member.ServeHTTP(w, r)
			return
		}
		anonymous.ServeHTTP(w, r)
	}))
}
