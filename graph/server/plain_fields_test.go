package server_test

import (
	"context"
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
