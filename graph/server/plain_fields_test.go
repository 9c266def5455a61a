package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/99designs/gqlgen/graphql"

	"caseload/graph/graphtest"
	"caseload/graph/plainfield"
	"caseload/graph/server"
)

// plainFieldsPage asks plain fields (IDs, names, a flag, one under an
// alias) beside a guarded one (email, under @section) and resolvers
// (tags, responsiblePractitioner, viewerAccess).
const plainFieldsPage = `{ clients(first: 10) { edges { node { id name label: name email
  tags { id name } responsiblePractitioner { id name admin }
  viewerAccess { canEdit canShare } } } } }`

// operationProbe records, for each operation, whether its plain fields are
// answered directly.
type operationProbe struct {
	mu     sync.Mutex
	direct []bool
}

func (*operationProbe) ExtensionName() string                   { return "operation probe" }
func (*operationProbe) Validate(graphql.ExecutableSchema) error { return nil }
func (p *operationProbe) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	p.mu.Lock()
	p.direct = append(p.direct, plainfield.Direct(graphql.GetOperationContext(ctx)))
	p.mu.Unlock()
	return next(ctx)
}

// fieldProbe intercepts every field and counts them by type and name.
type fieldProbe struct {
	mu   sync.Mutex
	seen map[string]int
}

func (*fieldProbe) ExtensionName() string                   { return "field probe" }
func (*fieldProbe) Validate(graphql.ExecutableSchema) error { return nil }
func (p *fieldProbe) InterceptField(ctx context.Context, next graphql.Resolver) (any, error) {
	fc := graphql.GetFieldContext(ctx)
	p.mu.Lock()
	p.seen[fc.Object+"."+fc.Field.Alias]++
	p.mu.Unlock()
	return next(ctx)
}

func withExtension(x graphql.HandlerExtension) func(*server.Options) {
	return func(o *server.Options) { o.Extensions = append(o.Extensions, x) }
}

// The server's own extensions intercept no field, so its plain fields are
// answered without gqlgen's field middleware (graph/plainfield).
func TestPlainFields_ServerWithoutFieldMiddleware_AnswersThemDirectly(t *testing.T) {
	probe := &operationProbe{}
	e := graphtest.New(t, withExtension(probe))
	p := e.Practice()
	admin := e.Member(p, graphtest.Admin())
	e.NewClient(p, graphtest.ResponsibleIs(admin))
	e.Do(e.Token(admin), plainFieldsPage, nil).RequireNoErrors(t)
	if len(probe.direct) != 1 || !probe.direct[0] {
		t.Fatalf("plain fields answered directly: %v, want [true]", probe.direct)
	}
}

// An extension that intercepts fields sees every field, plain ones
// included, and the answer is the same as without it, to the byte.
func TestPlainFields_FieldInterceptor_SeesEveryField(t *testing.T) {
	db := graphtest.OpenDB(t)
	probe := &fieldProbe{seen: map[string]int{}}
	plain := graphtest.NewOn(t, db)
	traced := graphtest.NewOn(t, db, withExtension(probe))
	p := plain.Practice()
	admin := plain.Member(p, graphtest.Admin())
	tag := plain.Tag(p, "intake")
	for range 3 {
		plain.NewClient(p, graphtest.ResponsibleIs(admin), graphtest.Tagged(tag))
	}
	want := plain.Do(plain.Token(admin), plainFieldsPage, nil)
	want.RequireNoErrors(t)
	got := traced.Do(traced.Token(admin), plainFieldsPage, nil)
	got.RequireNoErrors(t)
	if string(got.Data) != string(want.Data) {
		t.Fatalf("with a field interceptor the answer is\n%s\nwithout\n%s", got.Data, want.Data)
	}
	for field, n := range map[string]int{
		"Client.id": 3, "Client.name": 3, "Client.label": 3, "Client.email": 3,
		"Tag.id": 3, "Tag.name": 3, "Member.id": 3, "Member.name": 3, "Member.admin": 3,
	} {
		if probe.seen[field] != n {
			t.Errorf("the field interceptor saw %s %d times, want %d (saw %v)", field, probe.seen[field], n, probe.seen)
		}
	}
}

// everyPath asks a client's plain fields through every path that reaches
// a client, alone, together, reordered, under aliases and fragments, and
// without viewerAccess (which would load whole rows).
const everyPath = `query($a: ID!, $b: ID!) {
  list: clients(first: 10) { edges { node { id name } } }
  a: client(id: $a) { name id }
  b: client(id: $b) { id name restricted }
  na: node(id: $a) { ... on Client { id n: name } }
  nb: node(id: $b) { id ... on Client { name } }
  ns: nodes(ids: [$b, $a]) { ... on Client { name restricted } }
}`

// Plain fields answered directly leave a hidden client hidden on every
// path (the list, client, node, nodes), as gqlgen's own field machinery
// does: with a field interceptor the answer and its errors are the same to
// the byte, and neither holds the hidden client's name.
func TestPlainFields_EveryPath_HiddenClientStaysHidden(t *testing.T) {
	db := graphtest.OpenDB(t)
	direct := graphtest.NewOn(t, db)
	traced := graphtest.NewOn(t, db, withExtension(&fieldProbe{seen: map[string]int{}}))
	p := direct.Practice()
	practitioner := direct.Member(p)
	a := direct.NewClient(p, graphtest.ResponsibleIs(practitioner))
	b := direct.NewClient(p, graphtest.Restricted())
	vars := map[string]any{"a": a.ID, "b": b.ID}
	want := traced.Do(traced.Token(practitioner), everyPath, vars)
	got := direct.Do(direct.Token(practitioner), everyPath, vars)
	if string(got.Data) != string(want.Data) {
		t.Fatalf("answered directly:\n%s\nthrough the field interceptor:\n%s", got.Data, want.Data)
	}
	if fmt.Sprint(got.Errors) != fmt.Sprint(want.Errors) {
		t.Fatalf("errors answered directly: %v\nthrough the field interceptor: %v", got.Errors, want.Errors)
	}
	var out struct {
		List struct {
			Edges []struct{ Node struct{ ID, Name string } }
		}
		A, B struct{ ID, Name string }
		Na   *struct{ ID, N string }
		Nb   *struct{ ID string }
		Ns   []*struct{ Name string }
	}
	if err := json.Unmarshal(got.Data, &out); err != nil {
		t.Fatal(err)
	}
	if len(out.List.Edges) != 1 || out.List.Edges[0].Node.Name != a.Name || out.A.Name != a.Name ||
		out.Na == nil || out.Na.N != a.Name || len(out.Ns) != 2 || out.Ns[1] == nil || out.Ns[1].Name != a.Name {
		t.Errorf("the visible client is not visible on every path: %s", got.Data)
	}
	if out.B.ID != "" || out.Nb != nil || len(out.Ns) > 0 && out.Ns[0] != nil || strings.Contains(string(got.Data), b.Name) {
		t.Errorf("the hidden client shows: %s", got.Data)
	}
}
