package server_test

import (
	"strings"
	"testing"

	"caseload/graph/graphtest"
	"caseload/graph/server"
)

// graphiQLIntrospection is the introspection query of GraphiQL 3.9 (the
// playground's), as graphql-js 16 writes it: its ofType chain nests 15
// levels deep, past the depth limit of other queries.
const graphiQLIntrospection = `query IntrospectionQuery {
  __schema {
    queryType { name } mutationType { name } subscriptionType { name }
    types { ...FullType }
    directives { name description locations args(includeDeprecated: true) { ...InputValue } }
  }
}
fragment FullType on __Type {
  kind name description
  fields(includeDeprecated: true) { name description args(includeDeprecated: true) { ...InputValue } type { ...TypeRef } isDeprecated deprecationReason }
  inputFields(includeDeprecated: true) { ...InputValue }
  interfaces { ...TypeRef }
  enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
  possibleTypes { ...TypeRef }
}
fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue isDeprecated deprecationReason }
fragment TypeRef on __Type {
  kind name
  ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name
    ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } } }
}`

func TestIntrospection_OnForMembersOffForAnonymousByDefault(t *testing.T) {
	e := graphtest.New(t)
	token := e.Token(e.Member(e.Practice(), graphtest.Admin()))

	got := post(t, e.Handler, token, graphiQLIntrospection, nil)
	got.requireOK(t)
	if !strings.Contains(string(got.Data), `"name":"Client"`) {
		t.Fatalf("the schema is missing from %s", got.Data[:200])
	}
	post(t, e.Handler, "", graphiQLIntrospection, nil).requireRefused(t, "UNAUTHENTICATED", "")
	post(t, e.Handler, "", `{ __type(name: "Client") { name } }`, nil).requireRefused(t, "UNAUTHENTICATED", "")
	// __typename reveals nothing: anyone may ask.
	post(t, e.Handler, "", `{ __typename }`, nil).requireOK(t)
}

func TestIntrospection_Configurable(t *testing.T) {
	e := graphtest.New(t)
	token := e.Token(e.Member(e.Practice(), graphtest.Admin()))

	open := limited(e, server.Limits{AnonymousIntrospection: true}, nil)
	post(t, open, "", graphiQLIntrospection, nil).requireOK(t)

	closed := limited(e, server.Limits{DisableIntrospection: true}, nil)
	post(t, closed, token, graphiQLIntrospection, nil).requireRefused(t, "FORBIDDEN", "")
	post(t, closed, token, `{ viewer { id } }`, nil).requireOK(t)
}

func TestIntrospection_BoundedSeparately(t *testing.T) {
	e := graphtest.New(t)
	token := e.Token(e.Member(e.Practice(), graphtest.Admin()))
	// 21 levels of ofType under __type: past the introspection depth (20).
	deep := `{ __type(name: "Client") { ` + strings.Repeat("ofType { ", 20) + "name" + strings.Repeat(" }", 20) + " } }"
	err := post(t, e.Handler, token, deep, nil).requireRefused(t, "QUERY_TOO_COMPLEX", "depth")
	if intExt(t, err, "value") != 22 || intExt(t, err, "max") != server.DefaultLimits.MaxIntrospectionDepth {
		t.Fatalf("want depth 22 of at most %d: %+v", server.DefaultLimits.MaxIntrospectionDepth, err.Extensions)
	}
}

func TestAnonymous_OnlyPublicRootFields(t *testing.T) {
	e := graphtest.New(t)
	for name, q := range map[string]string{
		"query":                 `{ viewer { id } }`,
		"mutation":              `mutation { createTag(name: "x") { id } }`,
		"beside a public field": `mutation { login(email: "a@b.example", password: "p") { token } createTag(name: "x") { id } }`,
		"in a fragment":         `query { ...F } fragment F on Query { clients { totalCount } }`,
		"in another operation":  `query A { __typename } query B { tags { id } }`,
	} {
		t.Run(name, func(t *testing.T) {
			post(t, e.Handler, "", q, map[string]any{}).requireRefused(t, "UNAUTHENTICATED", "")
		})
	}
}

// Field suggestions map the schema: callers without a token get none.
func TestSuggestions_OffForAnonymous(t *testing.T) {
	e := graphtest.New(t)
	token := e.Token(e.Member(e.Practice(), graphtest.Admin()))

	member := post(t, e.Handler, token, `{ viewer { nam } }`, nil)
	if len(member.Errors) != 1 || !strings.Contains(member.Errors[0].Message, "Did you mean") {
		t.Fatalf("members get suggestions: %+v", member.Errors)
	}
	anonymous := post(t, e.Handler, "", `mutation { login(email: "a@b.example", password: "p") { tokn } }`, nil)
	if len(anonymous.Errors) != 1 || strings.Contains(anonymous.Errors[0].Message, "Did you mean") {
		t.Fatalf("no suggestion for anonymous callers: %+v", anonymous.Errors)
	}
}
