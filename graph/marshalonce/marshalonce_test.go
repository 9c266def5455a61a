package marshalonce

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
)

type answer struct{ level string }

// counting marshals an answer as {"level":…,"n":…}, n counting its calls,
// so that a copy shows as a repeated n.
type counting struct{ calls int }

func (c *counting) marshal(_ context.Context, sel ast.SelectionSet, v *answer) graphql.Marshaler {
	c.calls++
	n := c.calls
	return graphql.WriterFunc(func(w io.Writer) {
		fmt.Fprintf(w, `{"level":%q,"fields":%d,"n":%d}`, v.level, len(sel), n)
	})
}

func bytesOf(m graphql.Marshaler) string {
	var b bytes.Buffer
	m.MarshalGQL(&b)
	return b.String()
}

// requestContext is a request's, inside the field whose value is marshalled.
func requestContext() context.Context {
	ctx := graphql.WithResponseContext(context.Background(), graphql.DefaultErrorPresenter, graphql.DefaultRecover)
	ctx = graphql.WithFieldContext(ctx, &graphql.FieldContext{
		Field: graphql.CollectedField{Field: &ast.Field{Name: "viewerAccess", Alias: "viewerAccess"}},
	})
	return With(ctx)
}

func field(name string) *ast.Field { return &ast.Field{Name: name, Alias: name} }

func TestObject_SameValueAndSelection_IsWrittenOnceAndCopied(t *testing.T) {
	ctx, c := requestContext(), &counting{}
	sel := ast.SelectionSet{field("level")}
	v := &answer{"EDIT"}
	first := bytesOf(Object(ctx, sel, v, c.marshal))
	// A field collection builds a new slice per object, with the same
	// selections in it.
	again := bytesOf(Object(ctx, append(ast.SelectionSet(nil), sel...), v, c.marshal))
	if c.calls != 1 || first != again {
		t.Fatalf("calls %d, first %s, again %s", c.calls, first, again)
	}
}

func TestObject_OtherSelectionOrValue_IsWrittenAgain(t *testing.T) {
	ctx, c := requestContext(), &counting{}
	level, rules := field("level"), field("rules")
	v, w := &answer{"EDIT"}, &answer{"EDIT"}
	a := bytesOf(Object(ctx, ast.SelectionSet{level}, v, c.marshal))
	b := bytesOf(Object(ctx, ast.SelectionSet{level, rules}, v, c.marshal))
	d := bytesOf(Object(ctx, ast.SelectionSet{rules, level}, v, c.marshal))
	e := bytesOf(Object(ctx, ast.SelectionSet{level}, w, c.marshal))
	if c.calls != 4 || a == b || b == d || a == e {
		t.Fatalf("calls %d: %s %s %s %s", c.calls, a, b, d, e)
	}
}

func TestObject_WithoutARequestStore_MarshalsEveryTime(t *testing.T) {
	c := &counting{}
	sel, v := ast.SelectionSet{field("level")}, &answer{"VIEW"}
	Object(context.Background(), sel, v, c.marshal)
	Object(context.Background(), sel, v, c.marshal)
	if c.calls != 2 {
		t.Fatalf("calls %d, want 2", c.calls)
	}
}

func TestObject_NullOrError_IsNeverCopied(t *testing.T) {
	sel, v := ast.SelectionSet{field("level")}, &answer{"EDIT"}
	for name, marshal := range map[string]func(context.Context, ast.SelectionSet, *answer) graphql.Marshaler{
		"null": func(context.Context, ast.SelectionSet, *answer) graphql.Marshaler { return graphql.Null },
		"error": func(ctx context.Context, _ ast.SelectionSet, _ *answer) graphql.Marshaler {
			graphql.AddError(ctx, errors.New("an error on this path"))
			return graphql.MarshalString("x")
		},
	} {
		ctx, calls := requestContext(), 0
		counted := func(ctx context.Context, sel ast.SelectionSet, v *answer) graphql.Marshaler {
			calls++
			return marshal(ctx, sel, v)
		}
		Object(ctx, sel, v, counted)
		Object(ctx, sel, v, counted)
		if calls != 2 {
			t.Fatalf("%s: marshalled %d times, want 2: its null or error belongs to each path", name, calls)
		}
	}
}

func TestIntern_EqualKeysShareOneValue_OtherKeysDoNot(t *testing.T) {
	ctx := requestContext()
	built := 0
	build := func(level string) func() *answer {
		return func() *answer { built++; return &answer{level} }
	}
	a := Intern(ctx, []byte("EDIT"), build("EDIT"))
	b := Intern(ctx, []byte("EDIT"), build("EDIT"))
	c := Intern(ctx, []byte("VIEW"), build("VIEW"))
	if a != b || a == c || built != 2 {
		t.Fatalf("a %p b %p c %p, built %d", a, b, c, built)
	}
	if other := Intern(requestContext(), []byte("EDIT"), build("EDIT")); other == a {
		t.Fatal("another request shares this one's value")
	}
	type otherType struct{ level string }
	if o := Intern(ctx, []byte("EDIT"), func() *otherType { return &otherType{"EDIT"} }); o == nil || o.level != "EDIT" {
		t.Fatalf("another type's equal key: %v", o)
	}
	if again := Intern(ctx, []byte("EDIT"), build("EDIT")); again != a {
		t.Fatal("another type's equal key replaced this type's value")
	}
}
